// 专家验收 (docs/acceptance.md): a city's registered enterprises with their current acceptance, the city's status line
// (a city passes only when every registered enterprise is 优 or 良), and for the city bureau itself the form that
// records an acceptance (`POST /api/v1/acceptances`); for the province, each city's status in a table.

import * as api from '../api.js';
import { h, pct, cityName, problem, todayBeijing } from '../fmt.js';
import { table } from '../table.js';

const GRADES = ['优', '良', '中', '差'];

/** 可通过 / 不可通过 with its class. */
function verdict(passes) {
  return h('b', { class: passes ? 'pass' : 'fail' }, passes ? '可通过' : '不可通过');
}

/** The status line of a city (`cities[]` of `GET /api/v1/acceptances`). */
function statusLine(l) {
  const f = l.excellentGood;
  return h('p', {
    class: 'status-line', id: 'acceptance-status', 'data-registered': l.registered, 'data-accepted': l.accepted,
    'data-rectifying': l.rectifying, 'data-num': f.num, 'data-den': f.den, 'data-passes': String(l.passes),
  },
  '登记企业 ', h('b', {}, String(l.registered)), ' 家 · 已验收 ', h('b', {}, String(l.accepted)), ' 家 · 优良率 ',
  h('b', {}, pct(f)), `（${f.num}/${f.den}）· 整改中 `, h('b', {}, String(l.rectifying)), ' 家 · 结论：', verdict(l.passes),
  l.passes ? '' : '（每家登记企业的有效等级均为优或良时方可通过）');
}

/** The table of the enterprises and their current acceptance. */
function enterprisesTable(ctx, rows) {
  const cur = (r) => r.current || {};
  return table('acceptances', '专家验收：各企业当前验收结果', [
    { label: '企业', value: (r) => r.companyName, href: (r) => ctx.link('enterprise', r.companyCode) },
    { label: '企业编码', value: (r) => r.companyCode },
    { label: '验收日期', value: (r) => cur(r).acceptedOn || '未验收', cls: (r) => (r.current ? '' : 'alarm') },
    { label: '验收专家', value: (r) => (r.current ? r.current.experts.join('、') : '') },
    { label: '验收等级', value: (r) => cur(r).grade },
    { label: '有效等级', value: (r) => cur(r).effectiveGrade,
      cls: (r) => (r.current ? (['优', '良'].includes(r.current.effectiveGrade) ? 'pass' : 'fail') : '') },
    { label: '整改期限', value: (r) => cur(r).rectifyBy },
    { label: '复核日期', value: (r) => cur(r).recheckOn },
    { label: '复核等级', value: (r) => cur(r).recheckGrade },
    { label: '验收意见', value: (r) => cur(r).findings, cls: () => 'wrap' },
  ], rows, '每家企业取最近一次验收（按验收日期，再按登记先后）；有复核等级时以复核等级为有效等级。');
}

function field(label, input, wide) {
  return h('label', { class: wide ? 'wide' : null }, label, input);
}

function select(id, options, first) {
  return h('select', { id }, first === undefined ? null : h('option', { value: '' }, first),
    options.map(([v, l]) => h('option', { value: v }, l)));
}

/** The form of a city bureau; `done(message)` draws the panel again. */
function recordForm(rows, done) {
  const today = todayBeijing().toISOString().slice(0, 10);
  const label = (r) => `${r.companyName}（${r.companyCode}）${r.current ? `· 当前 ${r.current.effectiveGrade}` : '· 未验收'}`;
  const company = select('acc-company', rows.map((r) => [r.companyCode, label(r)]));
  const todo = rows.find((r) => !r.current || !['优', '良'].includes(r.current.effectiveGrade));
  if (todo) company.value = todo.companyCode;
  const date = h('input', { type: 'date', id: 'acc-date', value: today, max: today });
  const experts = h('input', { type: 'text', id: 'acc-experts', placeholder: '如：张三、李四' });
  const grade = select('acc-grade', GRADES.map((g) => [g, g]));
  const findings = h('textarea', { id: 'acc-findings', rows: 2, maxlength: 2000 });
  const rectify = h('input', { type: 'date', id: 'acc-rectify' });
  const recheckOn = h('input', { type: 'date', id: 'acc-recheck-on', max: today });
  const recheckGrade = select('acc-recheck-grade', GRADES.map((g) => [g, g]), '（无）');
  const button = h('button', { type: 'submit', id: 'acc-submit' }, '登记验收');
  const error = h('p', { class: 'form-error', id: 'acc-error', role: 'alert' });
  return h('form', {
    class: 'no-print', id: 'acceptance-form', novalidate: true,
    onsubmit: async (ev) => {
      ev.preventDefault();
      error.replaceChildren();
      const body = {
        companyCode: company.value, acceptedOn: date.value,
        experts: experts.value.split(/[、,，;；\s]+/).filter(Boolean), grade: grade.value, findings: findings.value.trim(),
      };
      if (rectify.value) body.rectifyBy = rectify.value;
      if (recheckOn.value) body.recheckOn = recheckOn.value;
      if (recheckGrade.value) body.recheckGrade = recheckGrade.value;
      button.disabled = true;
      try {
        const a = await api.send('POST', 'acceptances', body);
        const name = (rows.find((r) => r.companyCode === a.companyCode) || {}).companyName || a.companyCode;
        done(`已登记 ${name} 的验收：${a.acceptedOn}，等级 ${a.grade}，有效等级 ${a.effectiveGrade}。`);
      } catch (e) {
        button.disabled = false;
        error.replaceChildren(h('span', { class: 'refused' }, e.status === 403 ? e.zh : `未能登记：${e.message}`));
      }
    },
  },
  h('h3', {}, '登记专家验收'),
  h('div', { class: 'form-grid' },
    field('企业', company), field('验收日期', date), field('验收专家（以顿号或逗号分隔）', experts), field('验收等级', grade),
    field('整改期限（评为中、差时必填）', rectify), field('复核日期', recheckOn), field('复核等级（与复核日期同时填写）', recheckGrade),
    field('验收意见', findings, true)),
  h('p', { class: 'muted' }, '签字的专家验收表：平台暂不保存验收附件，请按规定另行存档。每次登记都新增一条记录，更正或复核也是再登记一次。'),
  h('p', {}, button),
  error);
}

/** The 专家验收 panel of a city; the city bureau itself gets the form. */
export function acceptancePanel(ctx, city) {
  const holder = h('section', { class: 'panel', id: 'panel-acceptance' });
  const own = ctx.claims.role === 'city' && ctx.claims.city_code === city;
  const draw = async (message) => {
    let d;
    try {
      d = await api.get('acceptances', { city });
    } catch (e) {
      holder.replaceChildren(h('h2', {}, '专家验收'), problem(e));
      return holder;
    }
    const line = d.cities.find((c) => c.cityCode === city);
    holder.replaceChildren(...[
      h('h2', {}, `专家验收 · ${cityName(city)}`),
      message ? h('p', { class: 'notice', id: 'acceptance-message', role: 'status' }, message) : null,
      line ? statusLine(line) : null,
      enterprisesTable(ctx, d.enterprises),
      own && d.enterprises.length ? recordForm(d.enterprises, draw) : null].filter(Boolean));
    return holder;
  };
  return draw(null);
}

/** 各市专家验收: each city's status line as a table row (`cities` of `GET /api/v1/acceptances`). */
export function acceptanceCities(d, cityLink) {
  if (d instanceof Error) return h('section', { class: 'panel', id: 'panel-acceptance-cities' }, h('h2', {}, '各市专家验收'), problem(d));
  return table('acceptance-cities', '各市专家验收', [
    { label: '城市', value: (r) => r.cityName, href: (r) => cityLink(r.cityCode) },
    { label: '城市编码', value: (r) => r.cityCode },
    { label: '登记企业', kind: 'int', value: (r) => r.registered },
    { label: '已验收', kind: 'int', value: (r) => r.accepted },
    { label: '优良率', kind: 'fig', value: (r) => r.excellentGood },
    { label: '整改中', kind: 'int', value: (r) => r.rectifying, cls: (r) => (r.rectifying ? 'alarm' : '') },
    { label: '验收结论', value: (r) => (r.passes ? '可通过' : '不可通过'), cls: (r) => (r.passes ? 'pass' : 'fail') },
  ], d.cities, '优良率 = 有效等级为优或良的企业 / 登记企业；优良率达到 100% 的城市方可通过（晋应急发〔2022〕105号）。');
}
