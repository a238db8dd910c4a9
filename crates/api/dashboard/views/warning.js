// One warning (issue 21, `#/warnings/{id}`): what is wrong and the records behind it, its handling case (state,
// deadlines, escalations, the timeline with its files), and a form for each action the API says the signed-in person
// may take now (`handling.actions`). After an action the page is drawn again from the API's answer.

import * as api from '../api.js';
import { h, time, cityName, KINDS, LEVELS } from '../fmt.js';
import { table } from '../table.js';
import { download } from '../export.js';
import { refreshBell } from '../notify.js';
import { STATES, overdue } from './handling.js';
import { thumbnails, photosText } from '../photos.js';

/** Each action: label, what it does, whether a note is required (`Action::needs_note`), files, extra inputs. */
const ACTIONS = {
  sign: { label: '签收', hint: '确认收到预警，开始处置。', note: false, files: false },
  respond: { label: '反馈处置', hint: '填写已采取的处置措施；可附现场照片、检测报告等。', note: true, files: true, done: true },
  verify: { label: '核销办结', hint: '核查处置措施属实后核销，案件办结。', note: false, files: true },
  return: { label: '退回', hint: '措施不到位时退回继续处置，须写明理由。', note: true, files: true },
  supervise: { label: '挂牌督办', hint: '省级挂牌督办：写明督办要求并设定办结期限。', note: true, files: true, deadline: true },
  note: { label: '备注', hint: '在时间线上补充说明，不改变处置状态。', note: true, files: true },
};
const ROLES = { province: '省工作专班', city: '市应急管理局', enterprise: '企业', service: '监测预警系统' };
const REQUEST_LIMIT = 8 * 1024 * 1024;
const FILE_LIMIT = 5 * 1024 * 1024;
const MAX_FILES = 10;

/** A file as `{name, contentType, data}` with its content in base64, read with a FileReader. */
function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({
      name: file.name, contentType: file.type || 'application/octet-stream', data: String(reader.result).split(',')[1] || '',
    });
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** What is wrong with the chosen files before they are sent, or null. */
function filesProblem(files) {
  if (files.length > MAX_FILES) return `附件最多 ${MAX_FILES} 个。`;
  const big = files.find((f) => f.size > FILE_LIMIT || f.size === 0);
  if (big) return `附件 ${big.name} 须为 1 字节至 5 MiB。`;
  const encoded = files.reduce((n, f) => n + Math.ceil(f.size / 3) * 4, 0);
  if (encoded > REQUEST_LIMIT - 64 * 1024) return '附件合计过大：一次提交不能超过 8 MiB（编码后），请分次提交。';
  return null;
}

/** Fetches an attached file with the caller's credentials and saves it. */
async function fetchFile(ev, f, said) {
  ev.preventDefault();
  const headers = api.token() ? { Authorization: `Bearer ${api.token()}` } : {};
  try {
    const res = await fetch(f.url, { headers, cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    download(f.name, f.contentType, await res.blob());
  } catch (e) {
    said.replaceChildren(h('p', { class: 'refused', role: 'alert' }, `附件 ${f.name} 下载失败：${e.message}`));
  }
}

function card(label, value, attrs = {}) {
  return h('div', { class: 'card' }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value', ...attrs }, value));
}

function facts(w) {
  const hd = w.handling;
  const row = (label, value, cls) => [h('dt', {}, label), h('dd', { class: cls || null }, value || '—')];
  const by = (at, who) => (at ? `${time(at)}${who ? `（${who}）` : ''}` : '');
  return h('section', { class: 'panel', id: 'panel-handling' }, h('h2', {}, `处置情况（案件 ${hd.caseId}）`),
    h('dl', { class: 'facts' },
      row('处置状态', hd.stateLabel),
      row('产生时间', time(hd.openedAt)),
      row('签收期限', time(hd.signDue), hd.state === 'pending_sign' && overdue(hd.signDue) ? 'alarm' : ''),
      row('办结期限', time(hd.closeDue), hd.state !== 'closed' && overdue(hd.closeDue) ? 'alarm' : ''),
      row('签收', by(hd.signedAt, hd.signedBy)),
      row('办结', by(hd.closedAt, hd.closedBy)),
      row('原因消除', hd.clearedAt ? time(hd.clearedAt) : ''),
      row('挂牌督办', hd.supervisedAt ? `${time(hd.supervisedAt)}，督办期限 ${time(hd.superviseDeadline)}` : '', hd.supervisedAt ? 'alarm' : ''),
      row('退回次数', String(hd.returns)),
      row('升级', hd.escalationLevel ? `${hd.escalationLevel} 级，${time(hd.escalatedAt)} 起由省级关注` : '未升级',
        hd.escalationLevel ? 'alarm' : '')));
}

function timeline(hd, said) {
  const stateText = (s) => (s ? STATES[s] || s : '');
  return table('timeline', '处置时间线', [
    { label: '时间', kind: 'time', value: (s) => time(s.at) },
    { label: '步骤', value: (s) => s.actionLabel || s.action },
    { label: '操作人', value: (s) => (s.actor === 'system' ? '系统' : `${s.actor}${s.role ? `（${ROLES[s.role] || s.role}）` : ''}`) },
    { label: '状态变化', value: (s) => (s.toState && s.toState !== s.fromState ? `${stateText(s.fromState)} → ${stateText(s.toState)}` : '') },
    { label: '说明', value: (s) => s.note, cls: () => 'wrap' },
    { label: '期限', kind: 'time', value: (s) => (s.deadline ? time(s.deadline) : '') },
    { label: '附件', value: (s) => s.attachments.map((f) => f.name).join('、'),
      node: (s) => (s.attachments.length ? s.attachments.map((f) => h('a', {
        href: f.url, class: 'file', 'data-sha256': f.sha256, title: `${f.contentType}，${f.size} 字节`,
        onclick: (ev) => fetchFile(ev, f, said),
      }, f.name)) : '—') },
  ], hd.timeline, '从早到晚；附件点击下载。');
}

/** The form of one action. `done(answer, message)` draws the page again. */
function actionForm(w, key, done) {
  const a = ACTIONS[key] || { label: key, hint: '', note: true, files: false };
  const note = h('textarea', { id: `note-${key}`, rows: 3, maxlength: 2000, placeholder: a.note ? '必填' : '可不填' });
  const deadline = a.deadline ? h('input', { id: `deadline-${key}`, type: 'date' }) : null;
  const yes = a.done ? h('input', { type: 'radio', name: `done-${key}`, id: `done-${key}-yes`, value: 'true', checked: true }) : null;
  const no = a.done ? h('input', { type: 'radio', name: `done-${key}`, id: `done-${key}-no`, value: 'false' }) : null;
  const files = a.files ? h('input', { id: `files-${key}`, type: 'file', multiple: true }) : null;
  const button = h('button', { type: 'submit', id: `do-${key}` }, a.label);
  const error = h('p', { class: 'form-error', id: `error-${key}`, role: 'alert' });
  const fail = (text) => error.replaceChildren(h('span', { class: 'refused' }, text));
  return h('form', {
    class: 'panel action', id: `form-${key}`,
    onsubmit: async (ev) => {
      ev.preventDefault();
      error.replaceChildren();
      const body = { action: key };
      const text = note.value.trim();
      if (text) body.note = text;
      else if (a.note) return fail(`“${a.label}”须填写说明。`);
      if (deadline) {
        if (!deadline.value) return fail('请选择督办期限。');
        body.deadline = deadline.value;
      }
      if (a.done) body.done = yes.checked;
      const chosen = files ? [...files.files] : [];
      const wrong = filesProblem(chosen);
      if (wrong) return fail(wrong);
      button.disabled = true;
      try {
        if (chosen.length) body.attachments = await Promise.all(chosen.map(readFile));
        const answer = await api.send('POST', `warnings/${encodeURIComponent(w.id)}/actions`, body);
        done(answer, `已${a.label}。`);
      } catch (e) {
        button.disabled = false;
        fail(e.status === 403 ? `无权操作：${e.message}` : e.status ? `未能${a.label}：${e.message}` : `未能${a.label}：${e}`);
      }
    },
  },
  h('h3', {}, a.label),
  h('p', { class: 'muted' }, a.hint),
  h('p', {}, h('label', {}, `说明${a.note ? '（必填）' : ''}`, h('br'), note)),
  deadline ? h('p', {}, h('label', {}, '督办期限（该日 24:00 前，北京时间） ', deadline)) : null,
  a.done ? h('p', {}, h('label', {}, yes, ' 已完成整改，提交核销'), ' ', h('label', {}, no, ' 仅报告进展（处置中）')) : null,
  files ? h('p', {}, h('label', {}, `附件（最多 ${MAX_FILES} 个，每个不超过 5 MiB） `, files)) : null,
  h('p', {}, button),
  error);
}

function recordsTable(w) {
  const rows = w.recordDetails.length ? w.recordDetails : w.records.map((id) => ({ id, name: id, fields: [] }));
  return table('records', '相关记录', [
    { label: '名称', value: (r) => r.name },
    { label: '编号', value: (r) => r.id },
    { label: '内容', value: (r) => r.fields.map((f) => `${f.label}：${f.value}`).join('；'), cls: () => 'wrap' },
    { label: '照片', value: (r) => photosText(r.photos), node: (r) => thumbnails(r.photos) },
  ], rows);
}

function parts(ctx, w, message, redraw) {
  const hd = w.handling;
  const said = h('div', { id: 'warning-message' },
    message ? h('p', { class: 'notice', role: 'status' }, message) : null);
  const government = ctx.claims.role !== 'enterprise';
  const company = government
    ? h('a', { href: ctx.link('enterprise', w.companyCode) }, `${w.companyName || w.companyCode}`)
    : (w.companyName || w.companyCode);
  const forms = hd ? hd.actions.map((k) => actionForm(w, k, redraw)) : [];
  return [
    h('h2', { class: 'view-title' }, `${LEVELS[w.level] || w.level}色预警 · ${KINDS[w.kind] || w.kind}`, h('small', {}, w.id)),
    said,
    h('section', { class: 'cards', id: 'summary' },
      card('企业', company, { id: 'warning-company', class: 'card-value long' }),
      card('企业编码', w.companyCode),
      card('城市', cityName(w.cityCode)),
      card('预警起始', time(w.since)),
      card('预警原因', w.open ? '仍存在' : '已消除', { id: 'warning-open' }),
      card('处置状态', hd ? hd.stateLabel : '尚未立案', { id: 'handling-state', class: `card-value st-${hd ? hd.state : 'none'}` })),
    h('section', { class: 'panel', id: 'panel-detail' }, h('h2', {}, '预警说明'), h('p', {}, w.detail)),
    w.records.length ? recordsTable(w) : null,
    hd ? facts(w) : h('p', { class: 'notice' }, '尚未立案：预警由变化检测发现后立案，之后可在此签收和处置。'),
    hd && hd.escalations.length ? table('escalations', '升级记录', [
      { label: '原因', value: (e) => e.reasonLabel || e.reason },
      { label: '时间', kind: 'time', value: (e) => time(e.at) },
    ], hd.escalations) : null,
    hd ? timeline(hd, said) : null,
    hd ? h('section', { class: 'actions', id: 'panel-actions' }, h('h2', { class: 'view-title' }, '办理'),
      forms.length ? forms : h('p', { class: 'muted', id: 'no-actions' },
        hd.state === 'closed' ? '案件已办结。' : '当前身份在此状态下没有可执行的处置动作。')) : null,
  ];
}

/** The warning view. */
export async function warningView(ctx) {
  const id = decodeURIComponent(ctx.arg);
  const w = await api.get(`warnings/${encodeURIComponent(id)}`);
  const root = h('div', { class: 'view warning', id: 'warning', 'data-state': w.handling ? w.handling.state : 'none' });
  const draw = (answer, message) => {
    root.dataset.state = answer.handling ? answer.handling.state : 'none';
    root.replaceChildren(...parts(ctx, answer, message, (next, said) => {
      draw(next, said);
      refreshBell();
    }).filter(Boolean));
  };
  draw(w, null);
  return root;
}
