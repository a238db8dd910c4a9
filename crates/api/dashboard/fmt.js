// Formatting: rates, times in Asia/Shanghai, city names, period labels, and small DOM helpers.

/** The 11 cities (GB/T 2260) with their place on the schematic tile map (column, row). */
export const CITIES = [
  { code: '140200', name: '大同市', col: 2, row: 0 },
  { code: '140600', name: '朔州市', col: 1, row: 1 },
  { code: '140900', name: '忻州市', col: 2, row: 1 },
  { code: '141100', name: '吕梁市', col: 0, row: 2 },
  { code: '140100', name: '太原市', col: 1, row: 2 },
  { code: '140300', name: '阳泉市', col: 2, row: 2 },
  { code: '140700', name: '晋中市', col: 2, row: 3 },
  { code: '141000', name: '临汾市', col: 1, row: 4 },
  { code: '140400', name: '长治市', col: 2, row: 4 },
  { code: '140800', name: '运城市', col: 1, row: 5 },
  { code: '140500', name: '晋城市', col: 2, row: 5 },
];

/** A city's name from its code. */
export function cityName(code) {
  const c = CITIES.find((x) => x.code === code);
  return c ? c.name : code;
}

/** Tenths of a percent, rounded half up exactly from num/den (as `metrics::figure::Figure::percent`). */
function tenths(num, den) {
  return Math.floor((2000 * num + den) / (2 * den));
}

/** A figure as `21.4%`, or `—` when its denominator is 0. */
export function pct(f) {
  if (!f || !f.den) return '—';
  const t = tenths(f.num, f.den);
  return `${Math.floor(t / 10)}.${t % 10}%`;
}

/** A figure as `21.4%（3/14）`, or `—（0/0）`. */
export function figure(f) {
  if (!f) return '—';
  return `${pct(f)}（${f.num}/${f.den}）`;
}

/** A figure for a summary card: the rate large, `（num/den）` small beside it (the same text as [`figure`]). */
export function figureNode(f) {
  if (!f) return '—';
  return h('span', {}, pct(f), h('small', { class: 'nd' }, `（${f.num}/${f.den}）`));
}

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** An instant (any RFC 3339 offset) as `2026-11-29 20:30` Beijing time; `—` when absent. */
export function time(s) {
  if (!s) return '—';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const p = Object.fromEntries(TIME.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The platform's clock minus the browser's, in ms (see [`setServerNow`]). */
let clockOffset = 0;

/** Takes the server's "now" (`/healthz`), so that "today" is the platform's even when the browser's clock is off
 * or the server is a test instance pinned to another day. */
export function setServerNow(iso) {
  const t = new Date(iso).getTime();
  if (!Number.isNaN(t)) clockOffset = t - Date.now();
}

/** Now by the platform's clock, in ms since the epoch. */
export function serverNow() {
  return Date.now() + clockOffset;
}

/** Today's date in Beijing as a UTC-based Date (only the UTC fields are meaningful). */
export function todayBeijing(now = serverNow()) {
  const d = new Date(now + 8 * 3600e3);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** The ISO week label (`2026-W47`) of a UTC-based date. */
export function isoWeek(date) {
  const d = new Date(date.getTime());
  const dayNum = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dayNum);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d - yearStart) / 864e5 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The label of a month (`2026-11`), with `R` for the report month ending on its 20th. */
export function monthLabel(y, m, report = false) {
  const d = new Date(Date.UTC(y, m, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}${report ? 'R' : ''}`;
}

/** The periods offered by the picker, newest first within each kind, and the default (the last complete week). */
export function periods(now = serverNow()) {
  const today = todayBeijing(now);
  const weeks = [];
  for (let i = 0; i <= 12; i++) weeks.push(isoWeek(new Date(today.getTime() - i * 7 * 864e5)));
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const months = [];
  const reports = [];
  for (let i = 0; i < 6; i++) months.push(monthLabel(y, m - i));
  // From the 20th 00:00 the running report month is the next month's (`Period::report_month_of`).
  const first = today.getUTCDate() >= 20 ? 1 : 0;
  for (let i = -first; i < 6 - first; i++) reports.push(monthLabel(y, m - i, true));
  return { weeks, months, reports, fallback: weeks[1] };
}

/** Human text of a period label. */
export function periodText(p) {
  if (/^\d{4}-W\d{2}$/.test(p)) return `${p.slice(0, 4)}年第${Number(p.slice(6))}周`;
  if (/^\d{4}-\d{2}R$/.test(p)) return `${p.slice(0, 4)}年${Number(p.slice(5, 7))}月报告月（截至20日）`;
  if (/^\d{4}-\d{2}$/.test(p)) return `${p.slice(0, 4)}年${Number(p.slice(5, 7))}月`;
  return p;
}

/** Creates an element with attributes and children (strings become text nodes: never HTML). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** A panel's error message (an ApiError's zh-CN text). */
export function problem(err) {
  return h('p', { class: 'refused', role: 'alert' }, err && err.zh ? err.zh : `出错：${err}`);
}

/** Whether a `/rankings` answer has standings (not `no_complete_week`, `docs/metrics.md` §7.1). */
export function ranked(r) {
  return !r || r.status !== 'no_complete_week';
}

/** The panel shown instead of an empty ranking when no evaluation week of the period has ended yet. */
export function noCompleteWeek(id, title, r) {
  return h('section', { class: 'panel', id: `panel-${id}` }, h('h2', {}, title),
    h('p', { class: 'notice', id: 'no-complete-week' },
      `本期尚无完整评估周：首个评估周将于 ${time(r.firstWeekEnds)} 结束，届时生成排名与优良率。`));
}

/**
 * What a reader is told about where a score comes from (`docs/metrics.md` §8.5): the weeks still provisional, or the
 * stored revision published. Empty for an error.
 */
export function publication(r) {
  if (!r || r instanceof Error) return '';
  if (r.provisional) {
    const weeks = (r.provisionalWeeks || [r.week]).filter(Boolean).map(periodText).join('、');
    return `临时结果：${weeks}的评估尚未发布（每周一 01:00 发布），得分和名次可能变化。`;
  }
  return r.revision ? `已发布的第 ${r.revision} 版评估（${time(r.asOf)}）。` : '依据已发布的周评估。';
}

/** Labels of the veto items of the weekly evaluation (`metrics::evaluation::Veto::label`). */
export const VETOES = { no_data: '无数据', no_tasks: '无排查任务', not_in_use: '系统未使用', major_overdue: '重大隐患超期' };

/** Labels of risk classes and warning kinds. */
export const LEVELS = { red: '红', orange: '橙', yellow: '黄' };
export const KINDS = {
  overdue_major_danger: '重大隐患超期',
  overdue_dangers: '隐患超期',
  no_records_24h: '24小时无记录',
  no_data_7d: '7天无数据',
  low_completion: '完成率偏低',
  failing_connection: '接入失败',
  reject_spike: '拒收激增',
  late_entry: '迟报（补录）',
  held_records: '待关联记录超3天',
};
export const CONNECTION = { connected: '已接入', partial: '部分接入', none: '未接入' };
