// 预警处置 (issue 21): the handling cases in the caller's scope (province all, a city its own, an enterprise its
// own), newest first, with their counts by state as chips, filters by state, level, kind and (province) city, and a
// link from each case to its warning page, where it is signed, answered, verified or supervised.

import * as api from '../api.js';
import { h, time, cityName, serverNow, CITIES, KINDS, LEVELS } from '../fmt.js';
import { table } from '../table.js';

/** The handling states in order, with their labels (`domain::handling::HandlingState`). */
export const STATES = {
  pending_sign: '待签收', signed: '已签收', handling: '处置中', pending_verify: '待核销', closed: '已办结',
};
const FILTERS = ['state', 'level', 'kind', 'city', 'offset'];
const PAGE = 100;

/** The filters in the address (`#/handling?period=…&state=pending_sign&level=red`). */
function filters() {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  return Object.fromEntries(FILTERS.map((k) => [k, q.get(k) || '']));
}

function go(ctx, f) {
  const q = new URLSearchParams({ period: ctx.period });
  for (const [k, v] of Object.entries(f)) if (v !== '' && v !== null && v !== undefined && v !== 0) q.set(k, v);
  location.hash = `#/handling?${q}`;
}

/** The link of a warning's page. */
export function warningLink(ctx, id) {
  return `#/warnings/${encodeURIComponent(id)}?period=${encodeURIComponent(ctx.period)}`;
}

/** Whether a deadline (RFC 3339) has passed by the platform's clock. */
export function overdue(at) {
  return Boolean(at) && new Date(at).getTime() < serverNow();
}

/** The chips of the counts by state: 未办结 (every state but closed), each state, and 全部. */
function chips(ctx, f, counts) {
  const open = Object.keys(STATES).filter((k) => k !== 'closed').reduce((n, k) => n + (counts[k] || 0), 0);
  const all = open + (counts.closed || 0);
  const chip = (key, label, n) => h('button', {
    type: 'button', id: `chip-${key || 'all'}`, class: `chip${f.state === key ? ' current' : ''}`, 'data-count': n,
    onclick: () => go(ctx, { ...f, state: key, offset: '' }),
  }, label, h('b', {}, String(n)));
  return h('p', { class: 'chips', id: 'handling-counts' },
    chip('open', '未办结', open),
    Object.entries(STATES).map(([k, label]) => chip(k, label, counts[k] || 0)),
    chip('', '全部', all));
}

function filterForm(ctx, f) {
  const select = (id, first, entries, value) => h('select', { id }, h('option', { value: '' }, first),
    entries.map(([k, v]) => h('option', { value: k, selected: k === value }, v)));
  const state = select('handling-state-filter', '全部状态', [['open', '未办结'], ...Object.entries(STATES)], f.state);
  const level = select('handling-level', '全部等级', Object.entries(LEVELS).map(([k, v]) => [k, `${v}色`]), f.level);
  const kind = select('handling-kind', '全部类型', Object.entries(KINDS), f.kind);
  const province = ctx.claims.role === 'province' || ctx.claims.role === 'service';
  const city = province ? select('handling-city', '全省', CITIES.map((c) => [c.code, c.name]), f.city) : null;
  return h('form', {
    class: 'panel',
    onsubmit: (ev) => {
      ev.preventDefault();
      go(ctx, { state: state.value, level: level.value, kind: kind.value, city: city ? city.value : '' });
    },
  },
  h('p', {}, h('label', {}, '状态 ', state), h('label', {}, ' 等级 ', level), h('label', {}, ' 类型 ', kind),
    city ? h('label', {}, ' 地市 ', city) : null, ' ', h('button', { type: 'submit', id: 'handling-filter' }, '查询')));
}

/** The 预警处置 view. */
export async function handlingView(ctx) {
  const f = filters();
  const offset = Number(f.offset) || 0;
  const scope = { city: f.city, company: ctx.claims.role === 'enterprise' ? ctx.claims.company_code : '' };
  const page = await api.get('warning-cases', {
    ...scope, state: f.state, level: f.level, kind: f.kind, limit: PAGE, offset,
  });
  const columns = [
    { label: '等级', value: (r) => LEVELS[r.level] || r.level, cls: (r) => `lv-${r.level}` },
    { label: '类型', value: (r) => KINDS[r.kind] || r.kind },
    { label: '企业', value: (r) => r.companyName || r.companyCode, href: (r) => warningLink(ctx, r.warningId) },
    { label: '企业编码', value: (r) => r.companyCode },
    { label: '城市', value: (r) => cityName(r.cityCode) },
    { label: '说明', value: (r) => r.detail, cls: () => 'wrap' },
    { label: '处置状态', value: (r) => r.handling.stateLabel, cls: (r) => `st-${r.handling.state}` },
    { label: '产生时间', kind: 'time', value: (r) => time(r.handling.openedAt) },
    { label: '签收期限', kind: 'time', value: (r) => time(r.handling.signDue),
      cls: (r) => (r.handling.state === 'pending_sign' && overdue(r.handling.signDue) ? 'alarm' : '') },
    { label: '办结期限', kind: 'time', value: (r) => time(r.handling.closeDue),
      cls: (r) => (r.handling.state !== 'closed' && overdue(r.handling.closeDue) ? 'alarm' : '') },
    { label: '升级', kind: 'int', value: (r) => r.handling.escalationLevel,
      cls: (r) => (r.handling.escalationLevel > 0 ? 'alarm' : '') },
    { label: '挂牌督办', value: (r) => (r.handling.supervisedAt ? `督办至 ${time(r.handling.superviseDeadline)}` : ''),
      cls: (r) => (r.handling.supervisedAt ? 'alarm' : '') },
  ];
  const more = [];
  if (offset > 0) {
    more.push(h('button', { type: 'button', id: 'handling-prev', onclick: () => go(ctx, { ...f, offset: Math.max(0, offset - PAGE) }) }, '上一页'));
  }
  if (offset + page.rows.length < page.total) {
    more.push(h('button', { type: 'button', id: 'handling-next', onclick: () => go(ctx, { ...f, offset: offset + PAGE }) }, '下一页'));
  }
  const shown = page.rows.length ? `第 ${offset + 1}–${offset + page.rows.length} 条，` : '';
  const scopeText = ctx.claims.role === 'city' ? cityName(ctx.claims.city_code)
    : ctx.claims.role === 'enterprise' ? `企业 ${ctx.claims.company_code}` : f.city ? cityName(f.city) : '全省';
  return h('div', { class: 'view handling' },
    h('h2', { class: 'view-title' }, `预警处置 · ${scopeText}`,
      h('small', {}, '待签收 → 已签收 → 处置中 → 待核销 → 已办结；点击企业名称进入预警页办理')),
    chips(ctx, f, page.counts),
    filterForm(ctx, f),
    table('cases', '处置案件', columns, page.rows, `${shown}共 ${page.total} 条符合条件；按产生时间从新到旧。`),
    more.length ? h('p', {}, ...more) : null);
}
