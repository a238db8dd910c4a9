// The sign-in page: a person signs in with username and password (a session cookie the page cannot read); a
// password that must be changed is changed here first. Machines' tokens can still be pasted below.

import * as api from '../api.js';
import { h } from '../fmt.js';
import { rulesText } from './policy.js';

const ADMIN = { sysadmin: '系统管理员', secadmin: '安全管理员', auditor: '审计管理员' };

/** What the sign-in page says when single sign-on comes back without a session (`#/login?sso=<code>`). */
const SSO_SAID = {
  sso_off: '未启用统一身份认证，请使用用户名和密码登录。',
  sso_state: '统一身份认证的登录已过期或不是从本页发起，请重新点击统一身份认证登录。',
  sso_failed: '统一身份认证失败（身份平台无法访问或应答有误），请稍后再试或使用用户名和密码登录。',
  sso_unknown_account: '统一身份认证已通过，但本平台没有与之对应的有效账户，请联系系统管理员。',
};

/** The change-password form, shown when the password is new, was reset, or has reached its age; it states the rules
 * in force. */
async function changeForm(ctx, message) {
  const rules = await api.get('security-policy');
  const oldPw = h('input', { id: 'old-password', type: 'password', autocomplete: 'current-password' });
  const newPw = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password' });
  return h('form', {
    class: 'panel login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api.changePassword(oldPw.value, newPw.value);
        location.hash = ctx.home().slice(1);
      } catch (e) {
        message.textContent = e.message;
        message.className = 'refused';
      }
    },
  },
  h('h2', {}, '修改密码'),
  h('p', { id: 'password-rules' }, `首次登录、管理员重置后或密码到期，须先修改密码：${rulesText(rules)}`),
  h('p', {}, h('label', {}, '当前密码', h('br'), oldPw)),
  h('p', {}, h('label', {}, '新密码', h('br'), newPw)),
  h('p', {}, h('button', { type: 'submit', id: 'change' }, '修改并进入')),
  message);
}

/** The login view. */
export async function loginView(ctx) {
  const message = h('p', { class: 'muted', id: 'login-message' });
  const me = api.person();
  if (me && me.mustChangePassword) return changeForm(ctx, message);
  if (me && ADMIN[me.role]) {
    return h('section', { class: 'panel login' }, h('h2', {}, `已登录：${me.username}（${ADMIN[me.role]}）`),
      h('p', {}, '三员分立：管理员不查看业务数据。', h('a', { href: ctx.home() }, me.role === 'auditor' ? '前往审计记录' : '前往账户管理')));
  }
  const sso = SSO_SAID[new URLSearchParams(location.hash.split('?')[1] || '').get('sso')];
  if (sso) {
    message.textContent = sso;
    message.className = 'refused';
  }
  if (api.sessionEnded()) {
    message.textContent = '会话已结束（15 分钟无操作或已满 8 小时），请重新登录。';
    message.className = 'notice';
  }
  // Single sign-on with the province's identity platform, when the platform is configured for it.
  const offer = await fetch('/api/v1/session/sso', { cache: 'no-store' }).then((r) => r.json()).catch(() => null);
  const username = h('input', { id: 'username', autocomplete: 'username' });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password' });
  const signIn = h('form', {
    class: 'panel login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const who = await api.signIn(username.value.trim(), password.value);
        location.hash = who.mustChangePassword ? '#/login' : ctx.home().slice(1);
        if (who.mustChangePassword) window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (e) {
        message.textContent = e.message;
        message.className = 'refused';
      }
    },
  },
  h('h2', {}, '登录'),
  h('p', {}, h('label', {}, '用户名', h('br'), username)),
  h('p', {}, h('label', {}, '密码', h('br'), password)),
  h('p', {}, h('button', { type: 'submit', id: 'signin' }, '登录'),
    offer && offer.enabled ? [' 或 ', h('a', { href: '/api/v1/session/sso/start', id: 'sso', class: 'sso' }, offer.label)] : null),
  message,
  h('p', { class: 'muted' }, '连续 5 次密码错误将锁定 15 分钟。演示环境：dualprev demo 打印了各角色的账户与密码。'));

  const input = h('textarea', { id: 'token', rows: 4, placeholder: 'eyJhbGciOi…', spellcheck: 'false' });
  const tokenMessage = h('p', { class: 'muted' });
  const tokenForm = h('form', {
    class: 'panel login',
    onsubmit: (ev) => {
      ev.preventDefault();
      api.setToken(input.value);
      const c = api.claims();
      if (!c || !c.role) {
        api.logout();
        tokenMessage.textContent = '这不是有效的令牌，请粘贴完整的 JWT。';
        tokenMessage.className = 'refused';
        return;
      }
      location.hash = ctx.home().slice(1);
    },
  },
  h('h2', {}, '使用访问令牌'),
  h('p', {}, '系统对接或演示链接可用访问令牌（JWT）。令牌只保存在本标签页的会话中（sessionStorage），关闭标签页或点击“退出”即清除。'),
  input,
  h('p', {}, h('button', { type: 'submit', id: 'login' }, '进入')),
  tokenMessage);
  return h('div', {}, signIn, tokenForm);
}

