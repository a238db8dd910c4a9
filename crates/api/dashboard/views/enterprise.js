// An enterprise: its weekly trends, risk units by level, dangers with deadlines, missed task instances, its open
// warnings with their handling state (a link to each warning's page, where they are signed and answered), its records
// held for a missing parent (the enterprise itself can discard them, `held.js`), and recent receipts with their
// rejected records.

import * as api from '../api.js';
import { h, figure, figureNode, time, cityName, problem, isoWeek, periodText, todayBeijing, serverNow, CONNECTION, KINDS, LEVELS } from '../fmt.js';
import { table } from '../table.js';
import { lineChart } from '../chart.js';
import { warningLink } from './handling.js';
import { thumbnails, photosText } from '../photos.js';
import { heldPanel } from './held.js';

/** The `n` ISO weeks ending with `label` (oldest first). */
export function weeksEnding(label, n) {
  const [y, w] = [Number(label.slice(0, 4)), Number(label.slice(6))];
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 864e5 + (w - 1) * 7 * 864e5);
  const out = [];
  for (let i = n - 1; i >= 0; i--) out.push(isoWeek(new Date(monday.getTime() - i * 7 * 864e5)));
  return out;
}

async function receipts(code) {
  const since = new Date(todayBeijing().getTime() - 30 * 864e5).toISOString().slice(0, 10);
  const list = await api.get('exchange/receipts', { company: code, since, limit: 50 });
  const bad = list.filter((r) => r.rejected > 0).slice(0, 10);
  const stored = await Promise.all(bad.map((r) => api.get(`exchange/receipts/${encodeURIComponent(r.batchId)}`)));
  const rejects = [];
  for (const s of stored) {
    for (const e of s.errors) {
      const rec = s.rejectedRecords.find((x) => x.index === e.index);
      rejects.push({ ...e, batchId: s.batchId, table: s.table, receivedAt: s.receivedAt, record: rec ? JSON.stringify(rec.record) : '' });
    }
  }
  return [
    table('receipts', '近30天回执', [
      { label: '收到时间', value: (r) => time(r.receivedAt) },
      { label: '表', value: (r) => r.table },
      { label: '方式', value: (r) => ({ push: '推送', pull: '拉取' })[r.source] || r.source },
      { label: '记录', kind: 'int', value: (r) => r.received },
      { label: '入库', kind: 'int', value: (r) => r.accepted },
      { label: '未变', kind: 'int', value: (r) => r.unchanged },
      { label: '暂存', kind: 'int', value: (r) => r.pending },
      { label: '拒收', kind: 'int', value: (r) => r.rejected, cls: (r) => (r.rejected ? 'alarm' : '') },
      { label: '批次号', value: (r) => r.batchId },
    ], list),
    table('rejects', '被拒收的记录及原因', [
      { label: '收到时间', value: (r) => time(r.receivedAt) },
      { label: '表', value: (r) => r.table },
      { label: '序号', kind: 'int', value: (r) => r.index },
      { label: '字段', value: (r) => r.field },
      { label: '错误码', value: (r) => r.code },
      { label: '原因', value: (r) => r.message },
      { label: '记录', value: (r) => r.record, cls: () => 'raw' },
    ], rejects, '最近10个有拒收的批次。'),
  ];
}

function units(u) {
  const box = (cls, label, n) => h('div', { class: `unit ${cls}` }, h('b', {}, String(n)), label);
  return h('section', { class: 'panel', id: 'panel-units' }, h('h2', {}, '风险单元分级（有效单元）'),
    h('div', { class: 'units' }, box('red', '重大风险（红）', u.major), box('orange', '较大风险（橙）', u.large),
      box('yellow', '一般风险（黄）', u.general), box('blue', '低风险（蓝）', u.low)));
}

/** One labelled value of an explained item's record (`record.fields`), or — when the record is not stored. */
function field(item, label) {
  const f = item.record ? item.record.fields.find((x) => x.label === label) : null;
  return f ? f.value : '—';
}

/** A record as one line: its name, then its labelled values. */
function summaryText(r) {
  return `${r.name}（${r.fields.map((f) => `${f.label}：${f.value}`).join('，')}）`;
}

/** 数据质量 (docs/metrics.md §9a): late entries, held and rejected records of the period; not part of the score. */
function quality(q) {
  const codes = Object.entries(q.rejectedByCode).map(([c, n]) => `${c} ${n}`).join('；');
  return table('quality', '数据质量（防止“两张皮”）', [
    { label: '项目', value: (r) => r[0] },
    { label: '数值', value: (r) => r[1] },
  ], [
    ['迟报排查记录（检查时间 24 小时后才报送）', figure(q.lateCheckRecords)],
    ['迟报隐患（登记时间 24 小时后才报送）', figure(q.lateDangers)],
    ['待关联记录（上级记录未到）', q.heldRecords ? `${q.heldRecords} 条，最早 ${time(q.oldestHeldAt)}（${q.oldestHeldHours} 小时）` : '0'],
    ['拒收记录', q.rejectedRecords ? `${q.rejectedRecords} 条：${codes}` : '0'],
  ], '不计入得分；近 7 天迟报超过 20%（至少 20 条）时产生“迟报（补录）”预警。');
}

/** The enterprise view. An enterprise token sees its own figures, explanations, warnings and receipts; the registry
 * row and the ranking are the government side's (`docs/security.md`), so they are not asked for. */
export async function enterpriseView(ctx) {
  const code = ctx.arg;
  const p = ctx.period;
  const self = ctx.claims.role === 'enterprise';
  const ent = self ? { name: '本企业' } : await api.get(`enterprises/${encodeURIComponent(code)}`);
  const city = ent.cityCode;
  const anchor = /W/.test(p) ? p : isoWeek(new Date(todayBeijing().getTime() - 7 * 864e5));
  const weeks = weeksEnding(anchor, 8);
  const calls = {
    now: ['metrics', { period: p, by: 'enterprise', city }],
    dangers: ['metrics/explain', { company: code, period: p, metric: 'rectification' }],
    tasks: ['metrics/explain', { company: code, period: p, metric: 'taskCompletion' }],
  };
  if (!self) calls.ranking = ['rankings', { period: p, of: 'enterprises', city }];
  // Its own open warnings with their handling (an enterprise reads and handles its own, issue 21).
  calls.warnings = ['warnings', self ? { company: code } : { city }];
  weeks.forEach((w, i) => { calls[`w${i}`] = ['metrics', { period: w, by: 'enterprise', city }]; });
  const d = await api.all(calls);
  if (d.now instanceof Error) throw d.now;
  const ok = (x) => x !== undefined && !(x instanceof Error);
  const row = d.now.rows.find((r) => r.key === code);
  const rank = ok(d.ranking) ? d.ranking.rows.find((r) => r.key === code) : null;
  const trend = weeks.map((w, i) => (ok(d[`w${i}`]) ? d[`w${i}`].rows.find((r) => r.key === code) : null));
  const series = [
    ['排查任务完成率', 'taskCompletion', '#2f6fb0'],
    ['隐患整改率', 'rectification', '#d9534f'],
    ['安全风险分析完成率', 'riskAnalysis', '#3a9a5b'],
  ].map(([name, k, colour]) => ({ name, colour, values: trend.map((r) => (r && r[k].den ? r[k].num / r[k].den : null)) }));
  const now = new Date(serverNow()).toISOString();
  const head = h('section', { class: 'cards', id: 'summary' },
    ...[['城市', city ? cityName(city) : '—'], ['批次', { 1: '第一批', 2: '第二批' }[ent.batch] || '未知'],
      ['等级 / 得分', rank ? `${rank.grade} / ${rank.score}` : '—'],
      ['安全风险分析完成率', row ? figureNode(row.riskAnalysis) : '—'], ['排查任务完成率', row ? figureNode(row.taskCompletion) : '—'],
      ['隐患整改率', row ? figureNode(row.rectification) : '—'], ['超期隐患 / 超期重大', row ? `${row.overdueDangers} / ${row.overdueMajorDangers}` : '—'],
      ['接入状态', self ? '—' : `${CONNECTION[ent.connection] || ent.connection}，最后数据 ${time(ent.lastDataAt)}`]]
      .map(([l, v]) => h('div', { class: 'card' }, h('div', { class: 'card-label' }, l), h('div', { class: 'card-value' }, v))));
  const own = ok(d.warnings) ? d.warnings.rows.filter((w) => w.companyCode === code) : [];
  const parts = [
    h('h2', { class: 'view-title' }, `${row ? row.name : ent.name}（${code}）· ${periodText(p)}`, h('small', {}, `数据截至 ${time(d.now.asOf)}`)),
    head,
    h('div', { class: 'grid2' },
      row ? units(row.unitsByRiskClass) : h('section', { class: 'panel' }, '无风险单元数据'),
      h('section', { class: 'panel', id: 'panel-trend' }, h('h2', {}, `周趋势（${weeks[0]} — ${weeks[weeks.length - 1]}）`),
        lineChart(weeks, series, '各周运行效果指标'))),
    table('trend', '各周指标', [
      { label: '周', value: (r) => r.week },
      { label: '安全风险分析完成率', kind: 'fig', value: (r) => r.row && r.row.riskAnalysis },
      { label: '排查任务完成率', kind: 'fig', value: (r) => r.row && r.row.taskCompletion },
      { label: '隐患整改率', kind: 'fig', value: (r) => r.row && r.row.rectification },
      { label: '超期隐患', kind: 'int', value: (r) => r.row && r.row.overdueDangers },
    ], weeks.map((w, i) => ({ week: w, row: trend[i] }))),
    row ? quality(row.dataQuality) : null,
    table('warnings', '本企业未关闭预警', [
      { label: '等级', value: (r) => LEVELS[r.level] || r.level, cls: (r) => `lv-${r.level}` },
      { label: '类型', value: (r) => KINDS[r.kind] || r.kind },
      { label: '起始', value: (r) => time(r.since) },
      { label: '说明', value: (r) => r.detail },
      { label: '相关记录', value: (r) => (r.recordDetails.length ? r.recordDetails.map(summaryText).join('；') : r.records.join('、')) },
      { label: '处置状态', value: (r) => (r.handling ? r.handling.stateLabel : '尚未立案'), cls: (r) => (r.handling ? `st-${r.handling.state}` : '') },
      { label: '签收期限', kind: 'time', value: (r) => (r.handling ? time(r.handling.signDue) : '') },
      { label: '办理', value: (r) => (r.handling && r.handling.actions.length ? '去办理' : '查看'), href: (r) => warningLink(ctx, r.id) },
    ], own, ok(d.warnings) ? '签收、反馈处置措施在预警页办理。' : d.warnings && d.warnings.zh),
    ok(d.dangers) ? table('dangers', '本期应整改隐患及期限', [
      { label: '隐患', value: (r) => (r.record ? r.record.name : r.id) },
      { label: '等级', value: (r) => field(r, '隐患等级') },
      { label: '描述', value: (r) => field(r, '隐患描述') },
      { label: '整改责任人', value: (r) => field(r, '整改责任人') },
      { label: '登记时间', value: (r) => time(r.from) },
      { label: '整改期限', value: (r) => time(r.to) },
      { label: '状态', value: (r) => (r.counted ? '已整改' : r.to && new Date(r.to).toISOString() < now ? '超期未整改' : '整改中'),
        cls: (r) => (!r.counted && r.to && new Date(r.to).toISOString() < now ? 'alarm' : '') },
      { label: '照片', value: (r) => photosText(r.record && r.record.photos),
        node: (r) => thumbnails(r.record && r.record.photos) },
    ], d.dangers.items, `隐患整改率 ${figure(d.dangers.figure)}；有效期限落在本期的隐患。`) : problem(d.dangers),
    ok(d.tasks) ? table('missed', '未完成的排查任务实例', [
      { label: '排查内容', value: (r) => (r.record ? r.record.name : r.id) },
      { label: '排查周期', value: (r) => field(r, '排查周期') },
      { label: '实例开始', value: (r) => time(r.from) },
      { label: '实例结束', value: (r) => time(r.to) },
    ], d.tasks.items.filter((i) => !i.counted), `排查任务完成率 ${figure(d.tasks.figure)}；列出未完成的实例。`) : problem(d.tasks),
  ];
  parts.push(await heldPanel(code, self));
  try {
    parts.push(...(await receipts(code)));
  } catch (e) {
    parts.push(problem(e));
  }
  return h('div', { class: 'view enterprise' }, ...parts);
}
