// 抽查 (docs/acceptance.md): the province draws a reproducible sample of a city's registered enterprises
// (`POST /api/v1/spot-checks`), sees every draw with each enterprise's current finding, and records what a check
// found (`POST /api/v1/spot-checks/{id}/findings`); a city bureau sees its own city's draws, read only.

import * as api from '../api.js';
import { h, time, cityName, CITIES, todayBeijing } from '../fmt.js';
import { table } from '../table.js';

function field(label, input, wide) {
  return h('label', { class: wide ? 'wide' : null }, label, input);
}

function failure(error, e, what) {
  error.replaceChildren(h('span', { class: 'refused' }, e.status === 403 ? e.zh : `未能${what}：${e.message || e}`));
}

/** The province's form drawing a sample. */
function drawForm(redraw) {
  const city = h('select', { id: 'spot-city' }, CITIES.map((c) => h('option', { value: c.code }, c.name)));
  const size = h('input', { type: 'number', id: 'spot-size', min: 1, value: 2 });
  const seed = h('input', { type: 'number', id: 'spot-seed', min: 0, placeholder: '不填则随机' });
  const button = h('button', { type: 'submit', id: 'spot-draw' }, '抽取');
  const error = h('p', { class: 'form-error', id: 'spot-draw-error', role: 'alert' });
  return h('form', {
    class: 'panel no-print', id: 'spot-draw-form', novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      error.replaceChildren();
      const body = { city: city.value, size: Number(size.value) };
      if (seed.value.trim()) body.seed = Number(seed.value);
      button.disabled = true;
      try {
        const d = await api.send('POST', 'spot-checks', body);
        const names = d.companies.map((c) => c.companyName || c.companyCode).join('、');
        redraw(`已从${d.cityName}抽取 ${d.size} 家（第 ${d.id} 次抽查，种子 ${d.seed}）：${names}。`);
      } catch (e) {
        button.disabled = false;
        failure(error, e, '抽取');
      }
    },
  },
  h('h2', {}, '抽取样本'),
  h('div', { class: 'form-grid' }, field('城市', city), field('抽取企业数', size), field('随机种子（可选，同一种子可复现）', seed)),
  h('p', {}, button), error);
}

/** The province's form recording a finding for an enterprise of a draw (unchecked ones first). */
function findingForm(rows, redraw) {
  const today = todayBeijing().toISOString().slice(0, 10);
  const ordered = [...rows.filter((r) => !r.finding), ...rows.filter((r) => r.finding)];
  const target = h('select', { id: 'spot-target' }, ordered.map((r) => h('option', { value: `${r.draw.id}/${r.companyCode}` },
    `第 ${r.draw.id} 次 ${r.draw.cityName} · ${r.companyName || r.companyCode}（${r.companyCode}）${r.finding ? `· 已检查：${r.finding.resultLabel}` : ''}`)));
  const date = h('input', { type: 'date', id: 'spot-checked-on', value: today, max: today });
  const result = h('select', { id: 'spot-result' }, h('option', { value: 'pass' }, '合格'), h('option', { value: 'fail' }, '不合格'));
  const findings = h('textarea', { id: 'spot-findings', rows: 2, maxlength: 2000 });
  const button = h('button', { type: 'submit', id: 'spot-record' }, '登记检查结果');
  const error = h('p', { class: 'form-error', id: 'spot-finding-error', role: 'alert' });
  return h('form', {
    class: 'panel no-print', id: 'spot-finding-form', novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      error.replaceChildren();
      const [id, companyCode] = target.value.split('/');
      button.disabled = true;
      try {
        const f = await api.send('POST', `spot-checks/${encodeURIComponent(id)}/findings`,
          { companyCode, checkedOn: date.value, result: result.value, findings: findings.value.trim() });
        redraw(`已登记 ${companyCode} 的抽查结果：${f.checkedOn} ${f.resultLabel}。`);
      } catch (e) {
        button.disabled = false;
        failure(error, e, '登记');
      }
    },
  },
  h('h2', {}, '登记检查结果'),
  h('div', { class: 'form-grid' }, field('抽查企业', target, true), field('检查日期', date), field('结论', result),
    field('检查发现', findings, true)),
  h('p', {}, button), error);
}

function drawsTable(ctx, rows) {
  const f = (r) => r.finding || {};
  return table('spot-checks', '抽查记录', [
    { label: '抽查', kind: 'int', value: (r) => r.draw.id },
    { label: '城市', value: (r) => r.draw.cityName },
    { label: '抽取时间', kind: 'time', value: (r) => time(r.draw.drawnAt) },
    { label: '抽取人', value: (r) => (r.draw.drawnBy === 'province' ? '省工作专班' : r.draw.drawnBy) },
    { label: '种子', value: (r) => String(r.draw.seed) },
    { label: '企业', value: (r) => r.companyName || r.companyCode, href: (r) => ctx.link('enterprise', r.companyCode) },
    { label: '企业编码', value: (r) => r.companyCode },
    { label: '检查日期', value: (r) => f(r).checkedOn || '未检查' },
    { label: '结论', value: (r) => f(r).resultLabel, cls: (r) => (r.finding ? (r.finding.result === 'pass' ? 'pass' : 'fail') : '') },
    { label: '检查发现', value: (r) => f(r).findings, cls: () => 'wrap' },
  ], rows, '每行一家被抽中的企业，按抽查先后；结论取该企业在本次抽查中最近一次检查（按检查日期，再按登记先后）。');
}

/** The 抽查 view: the province draws and records; a city reads its own draws. */
export async function spotView(ctx) {
  const root = h('div', { class: 'view spot' });
  const province = ctx.claims.role === 'province';
  const draw = async (message) => {
    const draws = await api.get('spot-checks');
    const rows = draws.flatMap((d) => d.companies.map((c) => ({ ...c, draw: d })));
    const scope = ctx.claims.role === 'city' ? cityName(ctx.claims.city_code) : '全省';
    root.replaceChildren(...[
      h('h2', { class: 'view-title' }, `抽查 · ${scope}`, h('small', {}, province ? '省工作专班随机抽取企业并登记检查结果' : '本市被抽查企业及结果（只读）')),
      message ? h('p', { class: 'notice', id: 'spot-message', role: 'status' }, message) : null,
      province ? drawForm(redrawSafely) : null,
      drawsTable(ctx, rows),
      province && rows.length ? findingForm(rows, redrawSafely) : null].filter(Boolean));
    return root;
  };
  const redrawSafely = (message) => draw(message).catch((e) => root.prepend(h('p', { class: 'refused' }, e.zh || `出错：${e}`)));
  return draw(null);
}
