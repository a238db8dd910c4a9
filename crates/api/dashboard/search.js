// The header's enterprise search: finds an enterprise by part of its name or code among those the caller's token may
// see (`GET /api/v1/enterprises`: the province all, a city its own) and opens `#/enterprise/{code}`. The registry is
// asked once per page load and identity, on the first keystroke.

import * as api from './api.js';
import { h, cityName } from './fmt.js';

/** The roles that may list the registry. */
const READERS = ['province', 'service', 'city'];
const SHOWN = 10;

let holder = null;
let input = null;
let list = null;
let period = '';
/** The registry as the current identity sees it, and whose it is. */
let registry = null;
let owner = '';
let active = 0;

function whose() {
  const c = api.claims();
  return c ? `${c.role}:${c.city_code || ''}:${c.sub || ''}` : '';
}

function link(code) {
  return `#/enterprise/${encodeURIComponent(code)}?period=${encodeURIComponent(period)}`;
}

function open(code) {
  list.hidden = true;
  input.value = '';
  location.hash = link(code);
}

/** The enterprises whose name or code contains the text: codes starting with it and names starting with it first. */
export function matches(rows, text) {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const hits = rows.filter((e) => e.name.toLowerCase().includes(q) || e.companyCode.includes(q));
  const rank = (e) => (e.companyCode.startsWith(q) || e.name.toLowerCase().startsWith(q) ? 0 : 1);
  return hits.sort((a, b) => rank(a) - rank(b) || a.companyCode.localeCompare(b.companyCode));
}

async function load() {
  if (registry && owner === whose()) return registry;
  owner = whose();
  registry = await api.get('enterprises');
  return registry;
}

async function update() {
  const text = input.value;
  if (!text.trim()) {
    list.hidden = true;
    return;
  }
  let rows;
  try {
    rows = matches(await load(), text);
  } catch (e) {
    registry = null;
    list.replaceChildren(h('p', { class: 'refused' }, e && e.zh ? e.zh : `出错：${e}`));
    list.hidden = false;
    return;
  }
  if (input.value !== text) return;
  active = 0;
  const items = rows.slice(0, SHOWN).map((e, i) => h('a', {
    href: link(e.companyCode), class: i === active ? 'active' : null, 'data-code': e.companyCode,
    onclick: (ev) => {
      ev.preventDefault();
      open(e.companyCode);
    },
  }, e.name, h('small', {}, `${e.companyCode} · ${cityName(e.cityCode)}`)));
  const more = rows.length > SHOWN ? h('p', { class: 'muted' }, `共 ${rows.length} 家，仅列出前 ${SHOWN} 家，请输入更多字。`) : null;
  list.replaceChildren(...(items.length ? items : [h('p', { class: 'muted' }, '没有找到（仅在当前身份可见的企业中查找）')]),
    ...(more ? [more] : []));
  list.hidden = false;
}

function key(ev) {
  const links = [...list.querySelectorAll('a')];
  if (ev.key === 'Escape') list.hidden = true;
  if (!links.length || list.hidden) return;
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    active = (active + (ev.key === 'ArrowDown' ? 1 : links.length - 1)) % links.length;
    links.forEach((a, i) => a.classList.toggle('active', i === active));
  } else if (ev.key === 'Enter') {
    ev.preventDefault();
    open(links[active].dataset.code);
  }
}

/** Puts the search box in the header's tools (once); shown only to identities that may list the registry. */
export function mountSearch(current) {
  period = current;
  const c = api.claims();
  const show = Boolean(c && !c.mustChangePassword && READERS.includes(c.role));
  if (!holder) {
    input = h('input', {
      type: 'search', id: 'search', placeholder: '查找企业：名称或编码', 'aria-label': '查找企业', autocomplete: 'off',
      oninput: update, onkeydown: key,
    });
    list = h('div', { id: 'search-list', class: 'search-list', hidden: true });
    holder = h('span', { id: 'search-holder', class: 'search' }, input, list);
    document.getElementById('tools').prepend(holder);
    document.addEventListener('click', (ev) => {
      if (!holder.contains(ev.target)) list.hidden = true;
    });
  }
  holder.hidden = !show;
  list.hidden = true;
}
