// Photos of dangers (issue 22): thumbnails of the photos a record's summary lists (`photos`: field, sha256, url of
// `GET /api/v1/attachments/{sha256}`). An <img src> would not carry a pasted bearer token, so each photo is fetched
// with the caller's credentials (the token, or the session cookie) and shown from an object URL (`img-src blob:` in
// the dashboard's policy); a click opens it at full size. Photos are addressed by their content, so each is fetched
// once per page load.

import * as api from './api.js';
import { h } from './fmt.js';

const LABELS = {
  dangerImg: '整改前', dangerAcceptImg: '整改后', attachments1: '附件1', attachments2: '附件2', attachments3: '附件3',
};

/** url → Promise of an object URL. */
const loaded = new Map();

function objectUrl(url) {
  if (!loaded.has(url)) {
    const headers = api.token() ? { Authorization: `Bearer ${api.token()}` } : {};
    const p = fetch(url, { headers }).then(async (res) => {
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return URL.createObjectURL(await res.blob());
    });
    p.catch(() => loaded.delete(url));
    loaded.set(url, p);
  }
  return loaded.get(url);
}

/** The label of a photo's field (整改前 for `dangerImg`, 整改后 for `dangerAcceptImg`, …). */
export function photoLabel(p) {
  return LABELS[p.field] || p.field;
}

/** A record's photos as text, for exports: `整改前、整改后`; empty when it has none. */
export function photosText(photos) {
  return (photos || []).map(photoLabel).join('、');
}

/** The thumbnails of a record's photos (a button each, opening the photo), or — when it has none. */
export function thumbnails(photos) {
  if (!photos || !photos.length) return '—';
  return h('span', { class: 'thumbs' }, photos.map((p) => {
    const img = h('img', { class: 'thumb', alt: photoLabel(p), 'data-sha256': p.sha256 });
    objectUrl(p.url).then((src) => { img.src = src; }).catch(() => {
      img.alt = `${photoLabel(p)}（无法加载）`;
      img.classList.add('broken');
    });
    return h('button', {
      type: 'button', class: 'thumb-button', title: `${photoLabel(p)}：点击查看原图`,
      onclick: () => objectUrl(p.url).then((src) => window.open(src, '_blank', 'noopener')).catch(() => {}),
    }, img);
  }));
}
