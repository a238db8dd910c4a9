// Tables: rendered from a model (columns + rows) kept for export, so CSV and XLSX hold the same cells; every table
// sorts by a click on a column header and filters by the text box above it (docs/dashboard.md).

import { h, pct } from './fmt.js';
import { csv, xlsx, download } from './export.js';

const models = new Map();

/**
 * A column: `label`, `value(row)`, and `kind`: `text`, `int`, `num`, `time` (text), or `fig` (a figure
 * {num, den, rate}: shown as `21.4%（3/14）`, exported as three columns rate, numerator, denominator).
 * `href(row)` makes the cell a link; `cls(row)` adds a class; `node(row)` gives the cell's elements (e.g. buttons),
 * exported as `value(row)`.
 */
function cell(col, row) {
  if (col.node) return h('td', {}, col.node(row));
  const v = col.value(row);
  if (col.kind === 'fig') {
    const f = v || { num: 0, den: 0, rate: null };
    return h('td', { class: 'fig', 'data-num': f.num, 'data-den': f.den }, pct(f), h('small', {}, `${f.num}/${f.den}`));
  }
  const text = v === null || v === undefined || v === '' ? '—' : String(v);
  const content = col.href ? h('a', { href: col.href(row) }, text) : text;
  const cls = [col.kind === 'int' || col.kind === 'num' ? 'n' : '', col.cls ? col.cls(row) : ''].join(' ').trim();
  return h('td', { class: cls || null }, content);
}

/** The export model of a table: header labels and typed cells (numbers stay numbers, rates are fractions). */
function exportModel(columns, rows) {
  const header = [];
  for (const c of columns) {
    if (c.kind === 'fig') header.push(c.label, `${c.label}·分子`, `${c.label}·分母`);
    else header.push(c.label);
  }
  const body = rows.map((r) => {
    const out = [];
    for (const c of columns) {
      const v = c.value(r);
      if (c.kind === 'fig') {
        const f = v || { num: 0, den: 0, rate: null };
        out.push(f.den ? f.num / f.den : null, f.num, f.den);
      } else if (c.kind === 'int' || c.kind === 'num') out.push(v === null || v === undefined ? null : Number(v));
      else out.push(v === null || v === undefined ? '' : String(v));
    }
    return out;
  });
  return { header, rows: body };
}

/** Text order of zh-CN (pinyin for Chinese characters), as a reader expects. */
const COLLATOR = new Intl.Collator('zh-CN');

/** The key a column sorts by: a number for numbers and figures (the rate; none when the denominator is 0), else text;
 * null when the cell is empty (empty cells go last in either direction). */
function sortKey(col, row) {
  const v = col.value(row);
  if (col.kind === 'fig') return v && v.den ? v.num / v.den : null;
  if (v === null || v === undefined || v === '' || v === '—') return null;
  if (col.kind === 'int' || col.kind === 'num') return Number.isFinite(Number(v)) ? Number(v) : null;
  return String(v);
}

function compare(a, b) {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : COLLATOR.compare(String(a), String(b));
}

/** The text a row is searched by: every column as shown (a figure as `21.4% 3/14`). */
function searchText(columns, row) {
  return columns.map((c) => {
    const v = c.value(row);
    if (c.kind === 'fig') return v ? `${pct(v)} ${v.num}/${v.den}` : '';
    return v === null || v === undefined ? '' : String(v);
  }).join('\u0001').toLowerCase();
}

/**
 * A titled table with a filter box, CSV and XLSX buttons; a click on a column header sorts by that column (again:
 * the other way; ▲ ascending, ▼ descending). `id` names it for export (and for the tests); the export holds the
 * rows shown, in the order shown.
 */
export function table(id, title, columns, rows, note) {
  const view = { col: -1, dir: 1, filter: '' };
  const name = `${title}`.replace(/[\\/:*?"<>|\s]+/g, '_');
  const current = () => models.get(id);
  const tools = h('span', { class: 'tools' },
    h('button', { type: 'button', onclick: () => download(`${name}.csv`, 'text/csv;charset=utf-8', csv(current())) }, 'CSV'),
    h('button', {
      type: 'button',
      onclick: () => download(`${name}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        xlsx(current())),
    }, 'XLSX'));
  const texts = rows.map((r) => searchText(columns, r));
  const marks = columns.map(() => h('span', { class: 'sort-mark' }));
  const sortBy = (i) => {
    view.dir = view.col === i ? -view.dir : 1;
    view.col = i;
    draw();
  };
  const heads = columns.map((c, i) => h('th', {
    class: 'sortable', title: '点击按此列排序，再点反向', 'data-col': i, tabindex: 0,
    onclick: () => sortBy(i),
    onkeydown: (ev) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      ev.preventDefault();
      sortBy(i);
    },
  }, c.label, marks[i]));
  const tbody = h('tbody');
  const shownNote = h('small', { class: 'filter-count' });
  const empty = h('p', { class: 'muted' }, '无数据');
  const filter = h('input', {
    type: 'search', class: 'filter', id: `filter-${id}`, placeholder: '筛选…', 'aria-label': `筛选${title}`,
    oninput: (ev) => {
      view.filter = ev.target.value.trim().toLowerCase();
      draw();
    },
  });
  function draw() {
    let shown = rows.map((r, i) => i).filter((i) => !view.filter || texts[i].includes(view.filter));
    if (view.col >= 0) {
      const c = columns[view.col];
      const keys = new Map(shown.map((i) => [i, sortKey(c, rows[i])]));
      shown.sort((a, b) => {
        const ka = keys.get(a);
        const kb = keys.get(b);
        if (ka === null || kb === null) return compare(ka, kb);
        return view.dir * compare(ka, kb);
      });
    }
    shown = shown.map((i) => rows[i]);
    tbody.replaceChildren(...shown.map((r) => h('tr', {}, columns.map((c) => cell(c, r)))));
    heads.forEach((th, i) => {
      const on = i === view.col;
      marks[i].textContent = on ? (view.dir > 0 ? '▲' : '▼') : '';
      th.setAttribute('aria-sort', on ? (view.dir > 0 ? 'ascending' : 'descending') : 'none');
    });
    shownNote.textContent = view.filter ? `显示 ${shown.length} / ${rows.length} 行` : '';
    empty.hidden = shown.length > 0;
    empty.textContent = rows.length ? '没有符合筛选条件的行' : '无数据';
    const model = exportModel(columns, shown);
    model.title = title;
    models.set(id, model);
  }
  draw();
  return h('section', { class: 'panel', id: `panel-${id}` },
    h('h2', {}, title, tools),
    note ? h('p', { class: 'note' }, note) : null,
    rows.length > 1 ? h('p', { class: 'filter-line' }, filter, shownNote) : null,
    h('div', { class: 'scroll' }, h('table', { id: `table-${id}` }, h('thead', {}, h('tr', {}, heads)), tbody)),
    empty);
}

/** The export model of a rendered table, or undefined. */
export function model(id) {
  return models.get(id);
}

/** Forgets the tables of the previous view. */
export function clearModels() {
  models.clear();
}
