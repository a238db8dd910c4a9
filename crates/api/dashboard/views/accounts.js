// 账户管理 (issue 20, 三员分立): the system administrator makes business accounts, disables and enables them and
// resets passwords; the security administrator confirms a new account's role and scope, changes them and unlocks.
// Each sees only the buttons of their own duty (the server refuses the other's fields anyway: docs/security.md); the
// security administrator also sets the security policy here.

import * as api from '../api.js';
import { h, cityName, time, CITIES } from '../fmt.js';
import { table } from '../table.js';
import { policyForm } from './policy.js';

/** Role keys in Chinese. */
export const ROLES = {
  province: '省工作专班', city: '市应急管理局', enterprise: '企业', sysadmin: '系统管理员', secadmin: '安全管理员', auditor: '审计管理员',
};
const STATES = { active: '正常', disabled: '已停用', pending: '待确认' };
const BUSINESS = ['province', 'city', 'enterprise'];

/** What the last action said; shown at the top of the next rendering, then forgotten. */
let flash = null;

function again() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Sends one change, keeps what it said (or the refusal) for the next rendering, and renders again. */
async function act(method, path, body, said) {
  try {
    flash = { cls: 'notice', nodes: said(await api.send(method, path, body)) };
  } catch (e) {
    flash = { cls: 'refused', nodes: [e.status === 403 ? `无权操作：不属于当前管理员的职责。（${e.message}）` : e.zh] };
  }
  again();
}

/** A temporary password, shown once. */
function temporary(username, answer) {
  return [`${username} 的临时密码（仅显示这一次，请当面或以安全方式交给本人，首次登录须修改）：`,
    h('code', { id: 'temporary-password' }, answer.temporaryPassword)];
}

function scopeText(a) {
  if (a.cityCode) return cityName(a.cityCode);
  if (a.companyCode) return `企业 ${a.companyCode}`;
  return a.role === 'province' ? '全省' : '—';
}

/** The buttons of one account that belong to the caller's duty. */
function buttons(role, a) {
  const user = `users/${encodeURIComponent(a.username)}`;
  const button = (label, id, patch, said) =>
    h('button', { type: 'button', id: `${id}-${a.username}`, onclick: () => act('PATCH', user, patch, said) }, label);
  if (role === 'sysadmin') {
    return [
      a.state === 'disabled'
        ? button('启用', 'enable', { state: 'active' }, () => [`已启用 ${a.username}。`])
        : button('停用', 'disable', { state: 'disabled' }, () => [`已停用 ${a.username}，其会话随即失效。`]),
      button('重置密码', 'reset', { resetPassword: true }, (ans) => temporary(a.username, ans)),
    ];
  }
  return [
    a.state === 'pending' ? button('确认角色与范围', 'confirm', { confirm: true }, () => [`已确认 ${a.username}，其可登录。`]) : null,
    a.lockedUntil ? button('解锁', 'unlock', { unlock: true }, () => [`已解锁 ${a.username}。`]) : null,
  ];
}

/** Role, city and enterprise inputs (ids prefixed), for making an account or changing its role and scope. */
function scopeInputs(prefix) {
  const role = h('select', { id: `${prefix}-role` }, BUSINESS.map((r) => h('option', { value: r }, ROLES[r])));
  const city = h('select', { id: `${prefix}-city` }, h('option', { value: '' }, '（非地市账户）'),
    CITIES.map((c) => h('option', { value: c.code }, c.name)));
  const company = h('input', { id: `${prefix}-company`, placeholder: '9 位企业编码', size: 11 });
  const value = () => ({ role: role.value, cityCode: city.value || null, companyCode: company.value.trim() || null });
  const show = (a) => {
    role.value = a.role;
    city.value = a.cityCode || '';
    company.value = a.companyCode || '';
  };
  return { nodes: [h('label', {}, '角色 ', role), h('label', {}, ' 地市 ', city), h('label', {}, ' 企业 ', company)], value, show };
}

/** The system administrator's form: a new business account, pending until the security administrator confirms it. */
function createForm() {
  const username = h('input', { id: 'new-username', placeholder: '如 taiyuan-li', size: 14 });
  const name = h('input', { id: 'new-name', placeholder: '如 李工', size: 10 });
  const email = h('input', { id: 'new-email', placeholder: '可不填', size: 18 });
  const scope = scopeInputs('new');
  return h('form', {
    class: 'panel',
    onsubmit: (ev) => {
      ev.preventDefault();
      const body = { username: username.value.trim(), displayName: name.value.trim(), email: email.value.trim() || null, ...scope.value() };
      act('POST', 'users', body, (ans) => [`已创建 ${body.username}（待安全管理员确认角色与范围）。`, ...temporary(body.username, ans)]);
    },
  },
  h('h2', {}, '新建账户'),
  h('p', {}, h('label', {}, '用户名 ', username), h('label', {}, ' 姓名 ', name), h('label', {}, ' 邮箱 ', email)),
  h('p', {}, scope.nodes, ' ', h('button', { type: 'submit', id: 'create' }, '创建')),
  h('p', { class: 'muted' }, '管理员账户只能由命令行 dualprev user add 创建。新账户须由安全管理员确认角色与范围后方可登录。'));
}

/** The security administrator's form: another role or scope for a business account. */
function scopeForm(rows) {
  const business = rows.filter((a) => BUSINESS.includes(a.role));
  const scope = scopeInputs('scope');
  const who = h('select', { id: 'scope-user', onchange: () => scope.show(business.find((a) => a.username === who.value)) },
    business.map((a) => h('option', { value: a.username }, `${a.username}（${a.displayName}）`)));
  if (business.length) scope.show(business[0]);
  return h('form', {
    class: 'panel',
    onsubmit: (ev) => {
      ev.preventDefault();
      act('PATCH', `users/${encodeURIComponent(who.value)}`, scope.value(), () => [`已调整 ${who.value} 的角色与范围。`]);
    },
  },
  h('h2', {}, '调整角色与范围'),
  h('p', {}, h('label', {}, '账户 ', who), ' ', scope.nodes, ' ', h('button', { type: 'submit', id: 'set-scope' }, '保存')));
}

/** The accounts view, for the system and security administrators. */
export async function accountsView(ctx) {
  const role = ctx.claims.role;
  const { rows } = await api.get('users');
  const policy = role === 'secadmin' ? await api.get('security-policy') : null;
  const said = flash ? h('p', { class: flash.cls, id: 'account-message', role: 'status' }, ...flash.nodes) : null;
  flash = null;
  const columns = [
    { label: '用户名', value: (a) => a.username },
    { label: '姓名', value: (a) => a.displayName },
    { label: '角色', value: (a) => ROLES[a.role] || a.role },
    { label: '范围', value: scopeText },
    { label: '状态', value: (a) => STATES[a.state] || a.state, cls: (a) => (a.state === 'active' ? '' : 'alarm') },
    { label: '锁定至', value: (a) => (a.lockedUntil ? time(a.lockedUntil) : '') },
    { label: '最近登录', value: (a) => (a.lastSignIn ? time(a.lastSignIn) : '') },
    { label: '操作', value: () => '', node: (a) => buttons(role, a) },
  ];
  return h('div', {},
    h('h2', { class: 'view-title' }, '账户管理', h('small', {}, role === 'sysadmin' ? '系统管理员：创建、停用、重置密码' : '安全管理员：确认角色与范围、解锁')),
    said,
    role === 'sysadmin' ? createForm() : [scopeForm(rows), policyForm(policy, act)],
    table('accounts', '账户', columns, rows));
}
