// Hand-made SVG: a line chart for weekly trends and a schematic tile map of Shanxi's 11 cities.

import { CITIES, pct } from './fmt.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** A colour for a rate in [0, 1]: red below 60%, orange to 80%, yellow to 90%, green above; grey without one. */
export function rateColour(rate) {
  if (rate === null || rate === undefined) return '#d0d4da';
  if (rate >= 0.9) return '#3a9a5b';
  if (rate >= 0.8) return '#b7c94a';
  if (rate >= 0.6) return '#f0a43a';
  return '#d9534f';
}

/**
 * The tile map: one tile per city at its schematic place, coloured by `values[code]` (a figure {num, den, rate}),
 * with the city's name and rate. `href(code)` makes each tile a link.
 */
export function tileMap(values, href, caption) {
  const W = 120;
  const H = 74;
  const svg = s('svg', { viewBox: `0 0 ${3 * W + 20} ${6 * H + 20}`, class: 'tilemap', role: 'img', 'aria-label': caption });
  svg.append(s('title', {}, caption));
  for (const c of CITIES) {
    const f = values[c.code];
    const g = s('g', { 'data-city': c.code },
      s('rect', { x: 10 + c.col * W, y: 10 + c.row * H, width: W - 6, height: H - 6, rx: 6, fill: rateColour(f ? f.rate : null) }),
      s('text', { x: 10 + c.col * W + (W - 6) / 2, y: 10 + c.row * H + 28, 'text-anchor': 'middle', class: 'tile-name' }, c.name),
      s('text', { x: 10 + c.col * W + (W - 6) / 2, y: 10 + c.row * H + 50, 'text-anchor': 'middle', class: 'tile-rate' },
        f ? `${pct(f)}（${f.num}/${f.den}）` : '—'));
    svg.append(href ? s('a', { href: href(c.code) }, g) : g);
  }
  return svg;
}

/**
 * A line chart of rates over periods: `labels` on the x axis, `series` = [{ name, values: [rate | null], colour }].
 * Gaps (null) break the line. The y axis runs 0–100%.
 */
export function lineChart(labels, series, caption) {
  const W = 640;
  const H = 240;
  const L = 44;
  const R = 12;
  const T = 14;
  const B = 44;
  const x = (i) => L + (labels.length < 2 ? 0 : (i * (W - L - R)) / (labels.length - 1));
  const y = (v) => T + (1 - v) * (H - T - B);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': caption });
  svg.append(s('title', {}, caption));
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, `${v * 100}%`));
  }
  labels.forEach((l, i) => {
    svg.append(s('text', { x: x(i), y: H - B + 16, 'text-anchor': 'middle', class: 'axis' }, l.replace(/^\d{4}-/, '')));
  });
  series.forEach((ser, k) => {
    let d = '';
    ser.values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      const prev = i > 0 && ser.values[i - 1] !== null && ser.values[i - 1] !== undefined;
      d += `${prev ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      svg.append(s('circle', { cx: x(i), cy: y(v), r: 3, fill: ser.colour }, s('title', {}, `${ser.name} ${labels[i]}：${(v * 100).toFixed(1)}%`)));
    });
    svg.append(s('path', { d, fill: 'none', stroke: ser.colour, 'stroke-width': 2 }));
    svg.append(s('rect', { x: L + k * 150, y: H - 18, width: 10, height: 10, fill: ser.colour }));
    svg.append(s('text', { x: L + k * 150 + 14, y: H - 9, class: 'axis' }, ser.name));
  });
  return svg;
}
