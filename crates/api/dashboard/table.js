// Tables: rendered from a model (columns + rows) kept for export, so CSV and XLSX hold the same cells.

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

/** A titled table with CSV and XLSX buttons; `id` names it for export (and for the tests). */
export function table(id, title, columns, rows, note) {
  const model = exportModel(columns, rows);
  model.title = title;
  models.set(id, model);
  const name = `${title}`.replace(/[\\/:*?"<>|\s]+/g, '_');
  const tools = h('span', { class: 'tools' },
    h('button', { type: 'button', onclick: () => download(`${name}.csv`, 'text/csv;charset=utf-8', csv(model)) }, 'CSV'),
    h('button', {
      type: 'button',
      onclick: () => download(`${name}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        xlsx(model)),
    }, 'XLSX'));
  const thead = h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c.label))));
  const tbody = h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => cell(c, r)))));
  const empty = rows.length ? null : h('p', { class: 'muted' }, '无数据');
  return h('section', { class: 'panel', id: `panel-${id}` },
    h('h2', {}, title, tools),
    note ? h('p', { class: 'note' }, note) : null,
    h('div', { class: 'scroll' }, h('table', { id: `table-${id}` }, thead, tbody)),
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
