// 待关联记录 (docs/data-exchange.md §6): an enterprise's records held for a missing parent, with the parent each
// waits for and how long, and for the enterprise itself a 丢弃 button on each (`DELETE
// /api/v1/exchange/pending/{table}/{id}`: moved to the discarded records, never deleted). Asked for the first 200.

import * as api from '../api.js';
import { h, time, problem } from '../fmt.js';
import { table } from '../table.js';

/** An age in seconds as `3 天 2 小时`, or `5 小时` under a day. */
export function ageText(s) {
  const hours = Math.floor(s / 3600);
  const days = Math.floor(hours / 24);
  return days ? `${days} 天 ${hours % 24} 小时` : `${hours} 小时`;
}

/** What the last discard said; shown above the table once, then forgotten. */
let said = null;

/** A 丢弃 button: the first click asks to confirm (the label changes), the second discards and renders again. */
function discardButton(r) {
  const b = h('button', { type: 'button', class: 'discard', id: `discard-${r.id}` }, '丢弃');
  b.addEventListener('click', async () => {
    if (!b.dataset.armed) {
      b.dataset.armed = '1';
      b.textContent = '确认丢弃';
      return;
    }
    b.disabled = true;
    try {
      await api.send('DELETE', `exchange/pending/${encodeURIComponent(r.table)}/${encodeURIComponent(r.id)}`);
      said = { cls: 'notice', text: `已丢弃 ${r.table} 记录 ${r.id}（保存在已丢弃记录中，不再计入暂存）。` };
    } catch (e) {
      said = { cls: 'refused', text: e.zh };
    }
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  return b;
}

/** The panel of an enterprise's held records; `self` (the enterprise itself) gets the 丢弃 buttons. */
export async function heldPanel(code, self) {
  let d;
  try {
    d = await api.get('exchange/pending', { company: code, limit: 200 });
  } catch (e) {
    return problem(e);
  }
  const flash = said;
  said = null;
  const columns = [
    { label: '收到时间', value: (r) => time(r.receivedAt) },
    { label: '已暂存', value: (r) => ageText(r.ageSeconds), cls: (r) => (r.ageSeconds > 3 * 86400 ? 'alarm' : '') },
    { label: '表', value: (r) => r.table },
    { label: '记录 id', value: (r) => r.id },
    { label: '缺少的上级记录', value: (r) => `${r.parentTable}（${r.parentField || '—'} = ${r.parentKey}）` },
    { label: '批次号', value: (r) => r.batchId },
  ];
  if (self) columns.push({ label: '操作', value: () => '', node: discardButton });
  const note = d.total
    ? `共 ${d.total} 条，最早 ${time(d.oldestReceivedAt)} 收到（已 ${ageText(d.oldestAgeSeconds)}）。补报上级记录后自动入库；`
      + `暂存超过 3 天产生“待关联记录超3天”预警${self ? '；确属无效的记录可丢弃（点两次）' : ''}。`
    : '没有暂存的记录。';
  const panel = table('held', '待关联记录（上级记录未到）', columns, d.rows, note);
  if (flash) panel.insertBefore(h('p', { class: flash.cls, id: 'held-message', role: 'status' }, flash.text), panel.children[1]);
  return panel;
}
