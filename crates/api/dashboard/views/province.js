// 省工作专班: the 11 cities at a glance — tile map, the three rates per city, batch progress, the city ranking,
// each city's expert acceptance (acceptance.js), open red warnings first, and connection health.

import * as api from '../api.js';
import { h, figure, figureNode, time, cityName, problem, LEVELS, KINDS, CONNECTION, periodText, ranked, noCompleteWeek, todayBeijing, isoWeek, VETOES, publication } from '../fmt.js';
import { table } from '../table.js';
import { tileMap } from '../chart.js';
import { STATES } from './handling.js';
import { acceptanceCities } from './acceptance.js';

const BATCH_NAMES = { 1: '第一批次', 2: '第二批次', unknown: '批次未知', province: '全省' };

const RATES = [
  ['excellentGood', '优良率'],
  ['riskAnalysis', '安全风险分析完成率'],
  ['taskCompletion', '排查任务完成率'],
  ['rectification', '隐患整改率'],
];

function card(label, value, sub) {
  return h('div', { class: 'card' }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value),
    sub ? h('div', { class: 'card-sub' }, sub) : null);
}

/** The province view. */
export async function provinceView(ctx) {
  const p = ctx.period;
  const month = todayBeijing().toISOString().slice(0, 7);
  const d = await api.all({
    cities: ['metrics', { period: p, by: 'city' }],
    province: ['metrics', { period: p, by: 'province' }],
    batches: ['metrics', { period: p, by: 'batch' }],
    ranking: ['rankings', { period: p, of: 'cities' }],
    warnings: ['warnings', { status: 'open' }],
    registry: ['enterprises', {}],
    batchFacts: ['batches', {}],
    evaluations: ['evaluations', { week: evaluatedWeek(p) }],
    handlingCities: ['metrics', { period: month, by: 'city' }],
    handlingProvince: ['metrics', { period: month, by: 'province' }],
    acceptances: ['acceptances', {}],
  });
  if (d.cities instanceof Error) throw d.cities;
  const ok = (x) => !(x instanceof Error);
  const byCity = Object.fromEntries(d.cities.rows.map((r) => [r.key, r]));
  const rankByCity = ok(d.ranking) ? Object.fromEntries(d.ranking.rows.map((r) => [r.key, r])) : {};
  const cityLink = (code) => ctx.link('city', code);

  // Summary cards.
  const prov = ok(d.province) ? d.province.rows[0] : null;
  const warnings = ok(d.warnings) ? d.warnings.rows : [];
  const red = warnings.filter((w) => w.level === 'red');
  const registry = ok(d.registry) ? d.registry : [];
  const connected = registry.filter((e) => e.connection === 'connected').length;
  const cards = h('section', { class: 'cards', id: 'summary' },
    card('安全风险分析完成率', prov ? figureNode(prov.riskAnalysis) : '—'),
    card('排查任务完成率', prov ? figureNode(prov.taskCompletion) : '—'),
    card('隐患整改率', prov ? figureNode(prov.rectification) : '—'),
    card('超期重大隐患', prov ? String(prov.overdueMajorDangers) : '—', '红色预警'),
    card('红色预警', ok(d.warnings) ? String(red.length) : '—', `共 ${warnings.length} 条未关闭预警`),
    card('已接入企业', ok(d.registry) ? `${connected}/${registry.length}` : '—', '7天内各表均有数据'));

  // The tile map, coloured by a chosen rate.
  const mapHolder = h('div', { class: 'map-holder' });
  const select = h('select', { id: 'map-rate' }, RATES.map(([k, l]) => h('option', { value: k }, l)));
  const drawMap = () => {
    const k = select.value;
    const values = {};
    for (const c of Object.keys(byCity)) {
      values[c] = k === 'excellentGood' ? (rankByCity[c] || {}).excellentGoodRate : byCity[c][k];
    }
    mapHolder.replaceChildren(tileMap(values, cityLink, `各市${select.selectedOptions[0].textContent}（${periodText(p)}）`));
  };
  select.value = ranked(d.ranking) ? 'excellentGood' : 'taskCompletion';
  select.addEventListener('change', drawMap);
  drawMap();
  const map = h('section', { class: 'panel map', id: 'panel-map' },
    h('h2', {}, '全省各市', h('span', { class: 'tools' }, h('label', {}, '着色 ', select))),
    mapHolder,
    h('p', { class: 'legend' }, h('i', { class: 'l1' }), '≥90% ', h('i', { class: 'l2' }), '80–90% ',
      h('i', { class: 'l3' }), '60–80% ', h('i', { class: 'l4' }), '<60% ', h('i', { class: 'l0' }), '无数据'));

  const cityTable = table('cities', `各市运行效果指标（${periodText(p)}）`, [
    { label: '城市', value: (r) => r.name, href: (r) => cityLink(r.key) },
    { label: '城市编码', value: (r) => r.key },
    { label: '企业数', kind: 'int', value: (r) => r.enterprises },
    { label: '安全风险分析完成率', kind: 'fig', value: (r) => r.riskAnalysis },
    { label: '排查任务完成率', kind: 'fig', value: (r) => r.taskCompletion },
    { label: '隐患整改率', kind: 'fig', value: (r) => r.rectification },
    { label: '超期隐患', kind: 'int', value: (r) => r.overdueDangers },
    { label: '超期重大隐患', kind: 'int', value: (r) => r.overdueMajorDangers, cls: (r) => (r.overdueMajorDangers ? 'alarm' : '') },
  ], d.cities.rows);

  const side = [];
  side.push(!ok(d.ranking) ? h('section', { class: 'panel' }, h('h2', {}, '城市排名'), problem(d.ranking))
    : !ranked(d.ranking) ? noCompleteWeek('ranking', '城市排名', d.ranking)
    : table('ranking', `城市排名（按优良率，${periodText(p)}）`, [
    { label: '名次', kind: 'int', value: (r) => r.rank },
    { label: '城市', value: (r) => r.name, href: (r) => cityLink(r.key) },
    { label: '优良率', kind: 'fig', value: (r) => r.excellentGoodRate },
    { label: '平均得分', kind: 'num', value: (r) => (r.meanScore === null || r.meanScore === undefined ? null : Math.round(r.meanScore * 10) / 10) },
    { label: '名次变化', value: (r) => (r.rankChange === null ? '—' : r.rankChange > 0 ? `↑${r.rankChange}` : r.rankChange < 0 ? `↓${-r.rankChange}` : '持平') },
  ], d.ranking.rows, publication(d.ranking)));

  // Batch progress: connection and analysis against the construction deadline.
  if (ok(d.batches)) {
    const inBatch = (b) => registry.filter((e) => e.batch === b);
    // The deadlines come from the platform (`GET /api/v1/batches`, `domain::ConstructionBatch::deadline`), never from this file.
    const facts = ok(d.batchFacts) ? Object.fromEntries(d.batchFacts.map((b) => [b.key, b])) : {};
    const deadline = (key) => (facts[key] ? facts[key].deadline : null);
    const today = todayBeijing().toISOString().slice(0, 10);
    side.push(table('batches', '分批建设进度', [
      { label: '批次', value: (r) => BATCH_NAMES[r.key] || r.key },
      { label: '企业数', kind: 'int', value: (r) => r.enterprises },
      { label: '已接入', kind: 'int', value: (r) => inBatch(r.key).filter((e) => e.connection === 'connected').length },
      { label: '安全风险分析完成率', kind: 'fig', value: (r) => r.riskAnalysis },
      { label: '排查任务完成率', kind: 'fig', value: (r) => r.taskCompletion },
      { label: '建设期限', value: (r) => deadline(r.key) || '—' },
      { label: '状态', value: (r) => {
        const all = inBatch(r.key);
        const done = all.length > 0 && all.every((e) => e.connection === 'connected');
        const due = deadline(r.key);
        return done ? '已全部接入' : due && today > due ? '已过期限，未全部接入' : '建设中';
      } },
    ], d.batches.rows, '已接入 = 7天内每张有数据的表都收到数据；期限依据晋应急发〔2022〕105号。'));
  }

  const warnTable = ok(d.warnings) ? table('warnings', '未关闭预警（红色在前）', [
    { label: '等级', value: (r) => LEVELS[r.level] || r.level, cls: (r) => `lv-${r.level}` },
    { label: '类型', value: (r) => KINDS[r.kind] || r.kind },
    { label: '企业', value: (r) => r.companyName, href: (r) => ctx.link('enterprise', r.companyCode) },
    { label: '企业编码', value: (r) => r.companyCode },
    { label: '城市', value: (r) => cityName(r.cityCode) },
    { label: '起始', value: (r) => time(r.since) },
    { label: '说明', value: (r) => r.detail },
  ], [...red, ...warnings.filter((w) => w.level !== 'red').slice(0, 30)],
  `红色 ${red.length} 条、橙色 ${warnings.filter((w) => w.level === 'orange').length} 条、黄色 ${warnings.filter((w) => w.level === 'yellow').length} 条；列出全部红色预警（超期重大隐患）和其后最紧急的30条。`)
    : h('section', { class: 'panel' }, h('h2', {}, '未关闭预警'), problem(d.warnings));

  const silent = registry.filter((e) => e.connection !== 'connected')
    .sort((a, b) => (a.lastDataAt || '').localeCompare(b.lastDataAt || ''));
  const health = ok(d.registry) ? table('health', '接入状况：未按时报送的企业', [
    { label: '企业', value: (r) => r.name, href: (r) => ctx.link('enterprise', r.companyCode) },
    { label: '企业编码', value: (r) => r.companyCode },
    { label: '城市', value: (r) => r.cityName },
    { label: '接入状态', value: (r) => CONNECTION[r.connection] || r.connection },
    { label: '最后收到数据', value: (r) => (r.lastDataAt ? time(r.lastDataAt) : '从未') },
    { label: '最近拉取错误', value: (r) => (r.lastPull && r.lastPull.error) || '' },
  ], silent, `${silent.length} 家企业7天内未完整报送（从未报送的排在最前）。`)
    : h('section', { class: 'panel' }, h('h2', {}, '接入状况'), problem(d.registry));

  // Every enterprise graded 差 or under a veto in the week, with the components that explain it (metrics.md §6).
  const names = Object.fromEntries(registry.map((e) => [e.companyCode, e.name]));
  const poor = ok(d.evaluations) ? d.evaluations.rows.filter((r) => r.grade === '差' || r.vetoes.length > 0)
    .sort((a, b) => a.score - b.score || a.companyCode.localeCompare(b.companyCode)) : [];
  const poorTable = ok(d.evaluations) ? table('poor', `差及否决企业（${periodText(d.evaluations.week)}）`, [
    { label: '企业', value: (r) => names[r.companyCode] || r.companyCode, href: (r) => ctx.link('enterprise', r.companyCode) },
    { label: '企业编码', value: (r) => r.companyCode },
    { label: '城市', value: (r) => cityName(r.cityCode) },
    { label: '得分', kind: 'num', value: (r) => r.score },
    { label: '等级', value: (r) => r.grade, cls: (r) => `grade-${r.grade}` },
    { label: '否决项', value: (r) => r.vetoes.map((v) => VETOES[v] || v).join('、') || '—' },
    { label: 'A', kind: 'num', value: (r) => Math.round(r.a * 100) / 100 },
    { label: 'B', kind: 'num', value: (r) => Math.round(r.b * 100) / 100 },
    { label: '包保扣分', kind: 'num', value: (r) => Math.round(r.baobaoDeduction * 100) / 100 },
    { label: '隐患偏少扣分', kind: 'num', value: (r) => r.fewDangersDeduction },
    { label: '排查任务完成率', value: (r) => figure(r.taskCompletion) },
    { label: '隐患整改率', value: (r) => figure(r.rectification) },
  ], poor, `${poor.length} 家企业评为差或有否决项；得分 = max(0, (A + B) × α)，有否决项时 α = 0（第 8 节）。${publication(d.evaluations)}`)
    : h('section', { class: 'panel' }, h('h2', {}, '差及否决企业'), problem(d.evaluations));

  return h('div', { class: 'view province' },
    h('h2', { class: 'view-title' }, `全省概览 · ${periodText(p)}`, h('small', {}, `数据截至 ${time(d.cities.asOf)}`)),
    cards,
    h('div', { class: 'grid2' }, map, h('div', {}, ...side)),
    cityTable, acceptanceCities(d.acceptances, cityLink), handlingTable(d, month, cityLink), warnTable, poorTable, health);
}

const SUPERVISED_STATES = Object.entries(STATES);

/** 预警处置情况: each city's handling figures for the current month, then the province (metrics.md §11). */
function handlingTable(d, month, cityLink) {
  const failed = [d.handlingCities, d.handlingProvince].find((x) => x instanceof Error);
  if (failed) return h('section', { class: 'panel', id: 'panel-handling-figures' }, h('h2', {}, '预警处置情况'), problem(failed));
  const rows = [...d.handlingCities.rows, ...d.handlingProvince.rows.map((r) => ({ ...r, name: '全省' }))]
    .filter((r) => r.handling);
  const of = (r) => r.handling;
  const states = (r) => SUPERVISED_STATES.filter(([k]) => of(r).supervisedByState[k] > 0)
    .map(([k, l]) => `${l}${of(r).supervisedByState[k]}`).join('、');
  return table('handling-figures', `预警处置情况（${periodText(month)}）`, [
    { label: '城市', value: (r) => r.name, href: (r) => (r.key === 'province' ? null : cityLink(r.key)) },
    { label: '新发预警', kind: 'int', value: (r) => of(r).opened },
    { label: '签收率', kind: 'fig', value: (r) => of(r).signRate },
    { label: '按时签收率', kind: 'fig', value: (r) => of(r).onTimeSignRate },
    { label: '按时办结率', kind: 'fig', value: (r) => of(r).onTimeCloseRate },
    { label: '升级省级', kind: 'int', value: (r) => of(r).escalated },
    { label: '升级未办结', kind: 'int', value: (r) => of(r).openEscalations, cls: (r) => (of(r).openEscalations ? 'alarm' : '') },
    { label: '挂牌督办', kind: 'int', value: (r) => of(r).supervised },
    { label: '督办状态', value: (r) => states(r) || '—' },
    { label: '督办超期', kind: 'int', value: (r) => of(r).supervisedOverdue, cls: (r) => (of(r).supervisedOverdue ? 'alarm' : '') },
  ], rows, `本月新发生的预警，按数据截至时的处置状态统计；签收、办结时限未到且未办理的不计入分母，时限前因预警原因消除由平台自动办结的也不计入（口径见指标说明第 11 节）。`);
}

/** The week whose evaluation the view lists: the period itself when it is a week, else the last complete week. */
function evaluatedWeek(p) {
  return /W/.test(p) ? p : isoWeek(new Date(todayBeijing().getTime() - 7 * 864e5));
}
