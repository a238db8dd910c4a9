// 审计记录 (issue 20): the audit trail for the audit administrator (and the province), administrators' own actions
// included; filters by actor, outcome, route and time, one page of 100 rows at a time, newest pages by `after`.

import * as api from '../api.js';
import { h, time } from '../fmt.js';
import { table } from '../table.js';

const OUTCOMES = { ok: '成功', denied: '拒绝（越权）', unauthorized: '未认证', rejected: '请求无效', error: '出错' };
const FILTERS = ['actor', 'outcome', 'route', 'since', 'until', 'after'];

/** The filters in the address (`#/audit?actor=…&outcome=…`). */
function filters() {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  return Object.fromEntries(FILTERS.map((k) => [k, q.get(k) || '']));
}

function go(f) {
  const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== '' && v !== null && v !== undefined));
  location.hash = `#/audit?${q}`;
}

/** A `datetime-local` value (Beijing time) as RFC 3339, or ''. */
function instant(v) {
  return v ? `${v}:00+08:00` : '';
}

function filterForm(f) {
  const actor = h('input', { id: 'audit-actor', value: f.actor, placeholder: '用户名或令牌主体', size: 16 });
  const outcome = h('select', { id: 'audit-outcome' }, h('option', { value: '' }, '全部结果'),
    Object.entries(OUTCOMES).map(([k, v]) => h('option', { value: k, selected: k === f.outcome }, v)));
  const route = h('input', { id: 'audit-route', value: f.route, placeholder: '/api/v1/users', size: 16 });
  const since = h('input', { id: 'audit-since', type: 'datetime-local', value: f.since.slice(0, 16) });
  return h('form', {
    class: 'panel',
    onsubmit: (ev) => {
      ev.preventDefault();
      go({ actor: actor.value.trim(), outcome: outcome.value, route: route.value.trim(), since: instant(since.value) });
    },
  },
  h('p', {}, h('label', {}, '操作者 ', actor), h('label', {}, ' 结果 ', outcome), h('label', {}, ' 接口 ', route),
    h('label', {}, ' 起始（北京时间） ', since), ' ', h('button', { type: 'submit', id: 'audit-filter' }, '查询')));
}

/** The audit view. */
export async function auditView() {
  const f = filters();
  const page = await api.get('audit', { ...f, limit: 100 });
  const columns = [
    { label: '序号', kind: 'int', value: (r) => r.seq },
    { label: '时间', kind: 'time', value: (r) => time(r.at) },
    { label: '操作者', value: (r) => r.actor },
    { label: '角色', value: (r) => r.role },
    { label: '方法', value: (r) => r.method },
    { label: '接口', value: (r) => r.route },
    { label: '状态码', kind: 'int', value: (r) => r.status },
    { label: '结果', value: (r) => OUTCOMES[r.outcome] || r.outcome, cls: (r) => (r.outcome === 'ok' ? '' : 'alarm') },
    { label: '详情', value: (r) => (r.detail ? JSON.stringify(r.detail) : ''), cls: () => 'raw' },
  ];
  const next = page.next === null || page.next === undefined ? null
    : h('button', { type: 'button', id: 'audit-next', onclick: () => go({ ...f, after: page.next }) }, '下一页');
  return h('div', {},
    h('h2', { class: 'view-title' }, '审计记录', h('small', {}, '每条请求一行，按哈希链防篡改（docs/audit.md）；只读')),
    filterForm(f),
    table('audit', '审计记录', columns, page.rows),
    h('p', {}, next));
}
