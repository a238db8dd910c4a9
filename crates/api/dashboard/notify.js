// The header's notifications (issue 21): the signed-in person's unread count on a bell, a short list of the latest
// (click: mark read and open the warning), refreshed when the page changes and every 60 s while the person is using
// the page. A poll while nobody touches the page would keep the session alive past its idle timeout
// (docs/security.md), so the timer refreshes only after some input since the last refresh.

import * as api from './api.js';
import { h, time } from './fmt.js';

/** The roles that take part in warning handling (and are told of it). */
const HANDLING = ['province', 'city', 'enterprise'];
const EVERY_MS = 60e3;

let holder = null;
let list = null;
let open = false;
let rows = [];
let period = '';
let inputs = 0;
let seen = 0;
/** Whether the person gets e-mail digests (null: not known yet). */
let email = null;

function count() {
  return document.getElementById('bell-count');
}

/** Draws the list of the latest notifications (text only, never HTML). */
function drawList() {
  if (!list) return;
  list.hidden = !open;
  if (!open) return;
  const items = rows.map((n) => h('li', { class: n.read ? 'read' : 'unread' },
    h('a', {
      href: n.warningId ? `#/warnings/${encodeURIComponent(n.warningId)}?period=${encodeURIComponent(period)}` : '#',
      'data-id': n.id,
      onclick: (ev) => {
        ev.preventDefault();
        follow(n);
      },
    }, h('b', {}, n.title), h('small', {}, ` ${time(n.at)}`), h('span', {}, n.body))));
  const mail = h('label', { class: 'muted' }, h('input', {
    type: 'checkbox', id: 'bell-email', checked: email === true, disabled: email === null,
    onchange: (ev) => setEmail(ev.target.checked),
  }), ' 邮件提醒（每 15 分钟至多一封）');
  list.replaceChildren(
    h('p', {}, h('b', {}, '通知'), ' ',
      h('button', { type: 'button', id: 'bell-read-all', onclick: () => markAll() }, '全部标为已读')),
    rows.length ? h('ul', {}, items) : h('p', { class: 'muted' }, '暂无通知'),
    h('p', {}, mail));
}

/** Reads whether the person gets e-mail digests. */
async function loadEmail() {
  try {
    const res = await fetch('/api/v1/notifications/email', { cache: 'no-store' });
    email = res.ok ? (await res.json()).enabled : null;
  } catch {
    email = null;
  }
  drawList();
}

/** Turns the person's e-mail digests on or off. */
async function setEmail(on) {
  try {
    email = (await api.send('PUT', 'notifications/email', { enabled: on })).enabled;
  } catch {
    // Unchanged: the box is drawn again as stored.
  }
  drawList();
}

/** Marks one notification read, then opens its warning. */
async function follow(n) {
  open = false;
  drawList();
  try {
    if (!n.read) await api.send('POST', 'notifications/read', { ids: [n.id] });
  } catch {
    // The warning opens anyway; the count is refreshed with the next view.
  }
  if (n.warningId) location.hash = `#/warnings/${encodeURIComponent(n.warningId)}?period=${encodeURIComponent(period)}`;
  else refreshBell();
}

async function markAll() {
  try {
    await api.send('POST', 'notifications/read', {});
  } finally {
    refreshBell();
  }
}

/** Asks for the latest notifications and the unread count; hides the bell when the person is not signed in. */
export async function refreshBell() {
  const who = api.claims();
  const show = holder && who && who.person && !who.mustChangePassword && HANDLING.includes(who.role);
  if (holder) holder.hidden = !show;
  if (!show) {
    open = false;
    drawList();
    return;
  }
  seen = inputs;
  try {
    // Not api.get: a refused poll (an ended session) hides the bell; the view's own request says why.
    const res = await fetch('/api/v1/notifications?limit=20', { cache: 'no-store' });
    if (!res.ok) {
      holder.hidden = true;
      return;
    }
    const body = await res.json();
    rows = body.rows;
    count().textContent = String(body.unread);
    count().hidden = body.unread === 0;
    holder.dataset.unread = String(body.unread);
    drawList();
  } catch {
    // Offline for a moment: the next refresh tries again.
  }
}

/** Puts the bell in the header's tools (once) and starts its timer; `current` is the period the list's links keep. */
export function mountBell(current) {
  period = current;
  if (holder) return;
  const tools = document.getElementById('tools');
  const button = h('button', {
    type: 'button', id: 'bell', title: '通知', 'aria-label': '通知',
    onclick: () => {
      open = !open;
      drawList();
      if (open) {
        refreshBell();
        loadEmail();
      }
    },
  }, '通知', h('b', { id: 'bell-count', class: 'badge', hidden: true }, '0'));
  list = h('div', { id: 'bell-list', class: 'bell-list', hidden: true });
  holder = h('span', { id: 'bell-holder', class: 'bell', hidden: true }, button, list);
  tools.prepend(holder);
  for (const kind of ['pointerdown', 'keydown', 'wheel']) {
    document.addEventListener(kind, () => { inputs += 1; }, { passive: true, capture: true });
  }
  setInterval(() => {
    if (inputs !== seen) refreshBell();
  }, EVERY_MS);
}
