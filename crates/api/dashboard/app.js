// The dashboard's shell: token adoption, hash routes (#/province, #/city/140100, #/enterprise/140100001,
// #/handling, #/warnings/{id}, #/spot-checks, with ?period=…), the period picker, the enterprise search, the
// notification bell, and the hooks the browser tests use (window.dualprev).

import * as api from './api.js';
import { h, periods, periodText, cityName, setServerNow } from './fmt.js';
import { model, clearModels } from './table.js';
import { csv, xlsx, base64 } from './export.js';
import { loginView } from './views/login.js';
import { provinceView } from './views/province.js';
import { cityView } from './views/city.js';
import { enterpriseView } from './views/enterprise.js';
import { accountsView } from './views/accounts.js';
import { auditView } from './views/audit.js';
import { handlingView } from './views/handling.js';
import { warningView } from './views/warning.js';
import { spotView } from './views/spot.js';
import { mountBell, refreshBell } from './notify.js';
import { mountSearch } from './search.js';

const main = document.getElementById('main');
const picker = document.getElementById('period');
let offered = periods();

/** The route in the fragment: view, its argument and the period. */
function route() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const period = new URLSearchParams(query || '').get('period') || offered.fallback;
  return { view: parts[0] || '', arg: parts[1] || '', period };
}

/** The address of a view for a period. */
export function link(view, arg, period) {
  return `#/${view}${arg ? '/' + arg : ''}?period=${encodeURIComponent(period)}`;
}

/** Where a token of this role starts. */
function home(claims, period) {
  if (!claims || claims.mustChangePassword) return link('login', '', period);
  if (claims.role === 'sysadmin' || claims.role === 'secadmin') return link('accounts', '', period);
  if (claims.role === 'auditor') return link('audit', '', period);
  if (claims.role === 'city') return link('city', claims.city_code, period);
  if (claims.role === 'enterprise') return link('enterprise', claims.company_code, period);
  return link('province', '', period);
}

function fillPicker(current) {
  const group = (label, list) => h('optgroup', { label }, list.map((p) => h('option', { value: p }, periodText(p))));
  picker.replaceChildren(group('周', offered.weeks), group('自然月', offered.months), group('报告月（截至20日）', offered.reports));
  if (![...picker.options].some((o) => o.value === current)) picker.append(h('option', { value: current }, periodText(current)));
  picker.value = current;
}

function fillNav(claims, r) {
  const nav = document.getElementById('nav');
  const items = [];
  if (claims && (claims.role === 'province' || claims.role === 'service')) items.push(['province', '', '全省']);
  if (claims && claims.role === 'city') items.push(['city', claims.city_code, cityName(claims.city_code)]);
  if (claims && (claims.role === 'sysadmin' || claims.role === 'secadmin')) items.push(['accounts', '', '账户管理']);
  if (claims && (claims.role === 'auditor' || claims.role === 'province')) items.push(['audit', '', '审计记录']);
  if (claims && claims.role === 'enterprise' && !(r.view === 'enterprise' && r.arg === claims.company_code)) items.push(['enterprise', claims.company_code, '本企业']);
  if (claims && ['province', 'city', 'enterprise'].includes(claims.role)) items.push(['handling', '', '预警处置']);
  if (claims && ['province', 'city'].includes(claims.role)) items.push(['spot-checks', '', '抽查']);
  if (r.view === 'city' && !items.some((i) => i[1] === r.arg)) items.push(['city', r.arg, cityName(r.arg)]);
  if (r.view === 'enterprise') items.push(['enterprise', r.arg, `企业 ${r.arg}`]);
  nav.replaceChildren(...items.map(([v, a, label]) => h('a', {
    href: link(v, a, r.period), class: v === r.view && a === r.arg ? 'current' : null,
  }, label)));
  const who = claims ? { province: '省工作专班', city: `${cityName(claims.city_code)}应急管理局`, enterprise: `企业 ${claims.company_code}`, service: '监测预警系统', sysadmin: '系统管理员', secadmin: '安全管理员', auditor: '审计管理员' }[claims.role] : '未登录';
  const name = claims && claims.person ? `${claims.sub}，` : '';
  nav.append(h('span', { class: 'who', id: 'who' }, `当前身份：${name}${who || claims.role}`));
}

let generation = 0;

async function render() {
  const mine = ++generation;
  api.adoptFragmentToken();
  const claims = api.claims();
  const r = route();
  if (r.view === 'sso') {
    // Back from the province's identity platform: the session cookie is set; learn who it is, then go home.
    await api.adoptSession();
    location.replace(home(api.claims(), r.period));
    return;
  }
  if ((!claims || claims.mustChangePassword) && r.view !== 'login') {
    location.replace(link('login', '', r.period));
    return;
  }
  if (!r.view) {
    location.replace(home(claims, r.period));
    return;
  }
  document.body.dataset.state = 'loading';
  document.body.dataset.view = r.view;
  fillPicker(r.period);
  fillNav(claims, r);
  mountBell(r.period);
  mountSearch(r.period);
  refreshBell();
  clearModels();
  main.replaceChildren(h('p', { class: 'muted' }, '加载中…'));
  const views = {
    login: loginView, province: provinceView, city: cityView, enterprise: enterpriseView, accounts: accountsView, audit: auditView,
    handling: handlingView, warnings: warningView, 'spot-checks': spotView,
  };
  const view = views[r.view];
  const ctx = { claims, period: r.period, arg: r.arg, link: (v, a, p = r.period) => link(v, a, p), home: () => home(api.claims(), r.period) };
  let content;
  let state = 'ready';
  try {
    content = view ? await view(ctx) : h('p', { class: 'refused' }, '没有此页面。');
  } catch (e) {
    content = h('section', { class: 'panel' }, h('p', { class: 'refused', role: 'alert' }, e && e.zh ? e.zh : `出错：${e}`));
    state = 'refused';
  }
  if (mine !== generation) return;
  main.replaceChildren(content);
  document.body.dataset.state = state;
  window.dualprev.renderedAt = performance.now();
  window.dualprev.route = location.hash;
  window.dualprev.renders += 1;
}

picker.addEventListener('change', () => {
  const r = route();
  location.hash = link(r.view, r.arg, picker.value);
});
document.getElementById('logout').addEventListener('click', () => {
  api.logout();
  location.hash = link('login', '', route().period);
});
document.getElementById('print').addEventListener('click', () => window.print());
window.addEventListener('hashchange', render);

/** Hooks for the browser tests and for scripting: the export of any rendered table. */
window.dualprev = {
  renderedAt: null,
  route: null,
  renders: 0,
  tables: () => [...document.querySelectorAll('table[id^="table-"]')].map((t) => t.id.slice(6)),
  csv: (id) => csv(model(id)),
  xlsxBase64: (id) => base64(xlsx(model(id))),
  model: (id) => model(id),
};

/** Takes the platform's clock (`/healthz`) before the first view, so that the default period is the server's. */
async function start() {
  try {
    const body = await (await fetch('/healthz')).json();
    if (body.now) setServerNow(body.now);
  } catch {
    // The browser's clock stays.
  }
  offered = periods();
  render();
}

start();
