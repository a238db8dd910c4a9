// Who is using the dashboard — a person signed in with a session cookie (issue 20), or a pasted token kept in
// sessionStorage only — and calls to the public API as them.

const KEY = 'dualprev.token';
const PERSON = 'dualprev.person';
const ENDED = 'dualprev.ended';
/** The header a state-changing request made with the session cookie carries (docs/security.md). */
const CSRF = { 'X-Requested-With': 'dualprev' };

/** Moves a `#token=…` fragment into the session and removes it from the address bar. */
export function adoptFragmentToken() {
  const m = location.hash.match(/^#token=([^&]+)/);
  if (!m) return;
  sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
  history.replaceState(null, '', location.pathname + location.search + '#/');
}

/** The session's token, or null. */
export function token() {
  return sessionStorage.getItem(KEY);
}

/** Keeps a pasted token for this session. */
export function setToken(t) {
  sessionStorage.setItem(KEY, t.trim());
}

/** The signed-in person (`GET /api/v1/session`'s answer), or null. */
export function person() {
  try {
    return JSON.parse(sessionStorage.getItem(PERSON));
  } catch {
    return null;
  }
}

function keepPerson(who) {
  sessionStorage.setItem(PERSON, JSON.stringify(who));
}

/** Whether the last session ended by itself (idle or absolute expiry); read once. */
export function sessionEnded() {
  const ended = sessionStorage.getItem(ENDED) === '1';
  sessionStorage.removeItem(ENDED);
  return ended;
}

/** Forgets the token, and signs the person out (the server ends the session and removes the cookie). */
export function logout() {
  sessionStorage.removeItem(KEY);
  if (person()) fetch('/api/v1/session', { method: 'DELETE', headers: CSRF }).catch(() => {});
  sessionStorage.removeItem(PERSON);
}

async function problemOf(res) {
  let code = 'error';
  let detail = res.statusText;
  try {
    const p = await res.json();
    code = p.code || code;
    detail = p.detail || detail;
  } catch {
    // Not problem+json: keep the status text.
  }
  return new ApiError(res.status, code, detail);
}

/** Signs a person in (`POST /api/v1/session`): the server sets the HttpOnly session cookie. Resolves to who. */
export async function signIn(username, password) {
  const res = await fetch('/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw await problemOf(res);
  const who = await res.json();
  sessionStorage.removeItem(KEY);
  keepPerson(who);
  return who;
}

/** A state-changing call (`POST`, `PUT`, `PATCH`, `DELETE` on `/api/v1/<path>`) with a JSON body, carrying the CSRF
 * header of a session (and the bearer token, if one was pasted). Resolves to the JSON answer (null for 204). */
export async function send(method, path, body) {
  const headers = { 'Content-Type': 'application/json', ...CSRF };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  const res = await fetch(`/api/v1/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw await problemOf(res);
  return res.status === 204 ? null : res.json();
}

/** Adopts the session single sign-on has just opened (the cookie is set; who it is is asked once). */
export async function adoptSession() {
  const res = await fetch('/api/v1/session', { cache: 'no-store' });
  if (res.ok) {
    sessionStorage.removeItem(KEY);
    keepPerson(await res.json());
  }
}

/** Changes the signed-in person's password. */
export async function changePassword(oldPassword, newPassword) {
  await send('PUT', 'session/password', { oldPassword, newPassword });
  keepPerson({ ...person(), mustChangePassword: false });
}

/** The caller's claims (role, city_code, company_code): a token's, read without verifying (the API verifies), or
 * the signed-in person's. */
export function claims() {
  const t = token();
  const p = person();
  if (!t && p) return { sub: p.username, role: p.role, city_code: p.cityCode, company_code: p.companyCode, person: true, mustChangePassword: p.mustChangePassword };
  if (!t) return null;
  try {
    const part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/** An API refusal or failure, with the problem's status and zh-CN detail. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }

  /** The message shown to the user. */
  get zh() {
    const head = {
      401: '令牌无效或已过期，或会话已结束，请重新登录。',
      403: '无权查看：当前令牌的范围不包括这些数据，服务器已拒绝请求。',
      404: '没有找到请求的数据。',
    }[this.status] || `请求失败（${this.status}）。`;
    return `${head}（${this.message}）`;
  }
}

/** GET `/api/v1/<path>` with the bearer token; resolves to the JSON body, rejects with an ApiError. */
export async function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const url = `/api/v1/${path}${q.toString() ? '?' + q : ''}`;
  const headers = token() ? { Authorization: `Bearer ${token()}` } : {};
  const res = await fetch(url, { headers, cache: 'no-store' });
  if (res.ok) return res.json();
  if (res.status === 401 && person()) {
    // The session ended (idle or absolute expiry): back to the sign-in page, which says so.
    sessionStorage.removeItem(PERSON);
    sessionStorage.setItem(ENDED, '1');
    location.hash = '#/login';
  }
  throw await problemOf(res);
}

/** Several GETs at once: an object of the same keys with each body, or the ApiError of that call. */
export async function all(calls) {
  const keys = Object.keys(calls);
  const settled = await Promise.allSettled(keys.map((k) => get(...calls[k])));
  const out = {};
  keys.forEach((k, i) => {
    out[k] = settled[i].status === 'fulfilled' ? settled[i].value : settled[i].reason;
  });
  return out;
}
