// The token (kept in sessionStorage only) and calls to the public API with it.

const KEY = 'dualprev.token';

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

/** Forgets the token. */
export function logout() {
  sessionStorage.removeItem(KEY);
}

/** The token's claims (role, city_code, company_code), read without verifying: the API verifies. */
export function claims() {
  const t = token();
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
      401: '令牌无效或已过期，请重新登录。',
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
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token()}` }, cache: 'no-store' });
  if (res.ok) return res.json();
  let code = 'error';
  let detail = res.statusText;
  try {
    const p = await res.json();
    code = p.code || code;
    detail = p.detail || detail;
  } catch {
    // Not problem+json: keep the status text.
  }
  throw new ApiError(res.status, code, detail);
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
