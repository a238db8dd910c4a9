// The login page: paste a token; it is kept in sessionStorage only, for this browser tab.

import * as api from '../api.js';
import { h } from '../fmt.js';

/** The login view. */
export async function loginView(ctx) {
  const input = h('textarea', { id: 'token', rows: 5, placeholder: 'eyJhbGciOi…', spellcheck: 'false' });
  const message = h('p', { class: 'muted' });
  const form = h('form', {
    class: 'panel login',
    onsubmit: (ev) => {
      ev.preventDefault();
      api.setToken(input.value);
      const c = api.claims();
      if (!c || !c.role) {
        api.logout();
        message.textContent = '这不是有效的令牌，请粘贴完整的 JWT。';
        message.className = 'refused';
        return;
      }
      location.hash = ctx.home().slice(1);
    },
  },
  h('h2', {}, '登录'),
  h('p', {}, '请粘贴访问令牌（JWT）。令牌只保存在本标签页的会话中（sessionStorage），关闭标签页或点击“退出”即清除；不写入 Cookie，也不长期保存。'),
  h('p', { class: 'muted' }, '演示环境：使用 dualprev demo 打印的地址（已带省级令牌）或其打印的令牌。'),
  input,
  h('p', {}, h('button', { type: 'submit', id: 'login' }, '进入')),
  message);
  return form;
}
