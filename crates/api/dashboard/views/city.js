// 市应急管理局: a city's enterprises ranked, each with grade, rates, overdue dangers and freshness, then the city's
// 专家验收 (acceptance.js).

import * as api from '../api.js';
import { h, figureNode, time, cityName, problem, CONNECTION, periodText, ranked, noCompleteWeek, publication } from '../fmt.js';
import { table } from '../table.js';
import { acceptancePanel } from './acceptance.js';

function card(label, value) {
  return h('div', { class: 'card' }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value));
}

/** The city view; a refusal (403) of the city's figures is shown instead of the whole view. */
export async function cityView(ctx) {
  const city = ctx.arg;
  const p = ctx.period;
  // The figures first: when the API refuses them, nothing else about this city is asked for.
  const figures = await api.get('metrics', { period: p, by: 'enterprise', city });
  const acceptance = acceptancePanel(ctx, city);
  const d = await api.all({
    total: ['metrics', { period: p, by: 'city', city }],
    ranking: ['rankings', { period: p, of: 'enterprises', city }],
    registry: ['enterprises', { city }],
  });
  const ok = (x) => !(x instanceof Error);
  const rank = ok(d.ranking) ? Object.fromEntries(d.ranking.rows.map((r) => [r.key, r])) : {};
  const reg = ok(d.registry) ? Object.fromEntries(d.registry.map((e) => [e.companyCode, e])) : {};
  const rows = figures.rows.map((r) => ({ ...r, rank: rank[r.key], reg: reg[r.key] }));
  rows.sort((a, b) => (a.rank ? a.rank.rank : 1e9) - (b.rank ? b.rank.rank : 1e9) || a.key.localeCompare(b.key));
  const total = ok(d.total) ? d.total.rows.find((r) => r.key === city) : null;
  const cards = h('section', { class: 'cards', id: 'summary' },
    card('企业数', total ? String(total.enterprises) : '—'),
    card('安全风险分析完成率', total ? figureNode(total.riskAnalysis) : '—'),
    card('排查任务完成率', total ? figureNode(total.taskCompletion) : '—'),
    card('隐患整改率', total ? figureNode(total.rectification) : '—'),
    card('超期重大隐患', total ? String(total.overdueMajorDangers) : '—'));
  const list = table('enterprises', `${cityName(city)}企业排名（${periodText(p)}）`, [
    { label: '名次', kind: 'int', value: (r) => (r.rank ? r.rank.rank : null) },
    { label: '企业', value: (r) => r.name, href: (r) => ctx.link('enterprise', r.key) },
    { label: '企业编码', value: (r) => r.key },
    { label: '批次', value: (r) => (r.reg ? { 1: '第一批', 2: '第二批' }[r.reg.batch] || '未知' : '') },
    { label: '等级', value: (r) => (r.rank ? r.rank.grade : null), cls: (r) => (r.rank ? `grade-${r.rank.grade}` : '') },
    { label: '得分', kind: 'num', value: (r) => (r.rank ? r.rank.score : null) },
    { label: '名次变化', value: (r) => {
      const c = r.rank ? r.rank.rankChange : null;
      return c === null || c === undefined ? '—' : c > 0 ? `↑${c}` : c < 0 ? `↓${-c}` : '持平';
    } },
    { label: '安全风险分析完成率', kind: 'fig', value: (r) => r.riskAnalysis },
    { label: '排查任务完成率', kind: 'fig', value: (r) => r.taskCompletion },
    { label: '隐患整改率', kind: 'fig', value: (r) => r.rectification },
    { label: '超期隐患', kind: 'int', value: (r) => r.overdueDangers },
    { label: '超期重大隐患', kind: 'int', value: (r) => r.overdueMajorDangers, cls: (r) => (r.overdueMajorDangers ? 'alarm' : '') },
    { label: '迟报记录占比', kind: 'fig', value: (r) => r.dataQuality.lateCheckRecords,
      cls: (r) => (r.dataQuality.lateCheckRecords.rate > 0.2 ? 'alarm' : '') },
    { label: '拒收记录', kind: 'int', value: (r) => r.dataQuality.rejectedRecords },
    { label: '待关联记录', kind: 'int', value: (r) => r.dataQuality.heldRecords },
    { label: '最后收到数据', value: (r) => (r.reg && r.reg.lastDataAt ? time(r.reg.lastDataAt) : '从未') },
    { label: '接入状态', value: (r) => (r.reg ? CONNECTION[r.reg.connection] || r.reg.connection : '') },
  ], rows, ok(d.ranking) ? `按运行效果得分排名；无评估的企业排在最后。${publication(d.ranking)}` : null);
  return h('div', { class: 'view city' },
    h('h2', { class: 'view-title' }, `${cityName(city)} · ${periodText(p)}`, h('small', {}, `数据截至 ${time(figures.asOf)}`)),
    cards,
    ok(d.ranking) ? null : problem(d.ranking),
    ok(d.ranking) && !ranked(d.ranking) ? noCompleteWeek('no-complete-week', '企业排名', d.ranking) : null,
    list,
    await acceptance);
}
