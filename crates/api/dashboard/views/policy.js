// 安全策略 (issue 20): the rules in force in words (the change-password form states them), and the security
// administrator's form that sets them (`PUT /api/v1/security-policy`; the bounds come from the API, which refuses a
// number outside them with `bad_policy`).

import { h, time } from '../fmt.js';

const LABELS = {
  passwordMinLength: '密码最短长度（字符）',
  passwordClasses: '须含字符类别数',
  passwordHistory: '不得与最近几次密码相同',
  passwordMaxAgeDays: '密码有效期（天）',
  lockAfter: '连续失败几次锁定',
  lockMinutes: '锁定时长（分钟）',
  idleMinutes: '会话空闲超时（分钟）',
  absoluteHours: '会话最长时长（小时）',
};

/** The password rules of the policy in force (`GET /api/v1/security-policy`) in words. */
export function rulesText(p) {
  const n = p.policy;
  return `至少 ${n.passwordMinLength} 个字符，含小写字母、大写字母、数字、其他字符中的 ${n.passwordClasses} 类，`
    + `不含用户名，不与最近 ${n.passwordHistory} 次相同；每 ${n.passwordMaxAgeDays} 天须更换。`;
}

/** The security administrator's form; `act(method, path, body, said)` sends it (see accounts.js). */
export function policyForm(p, act) {
  const inputs = p.bounds.map((b) => [b, h('input', { id: `policy-${b.field}`, type: 'number', min: b.min, max: b.max, value: p.policy[b.field] })]);
  const who = p.version ? `现行第 ${p.version} 版，${p.setBy} 设置于 ${time(p.setAt)}。` : '现行为默认策略（尚未设置）。';
  return h('form', {
    class: 'panel',
    onsubmit: (ev) => {
      ev.preventDefault();
      const body = Object.fromEntries(inputs.map(([b, input]) => [b.field, Number(input.value)]));
      act('PUT', 'security-policy', body, (ans) => [`已保存安全策略第 ${ans.version} 版，即时生效（其他服务进程 5 秒内）。`]);
    },
  },
  h('h2', {}, '安全策略'),
  h('p', { class: 'muted' }, who, '下限按等保 2.0 三级要求设定，低于下限的设置会被拒绝。'),
  h('p', { class: 'policy' }, inputs.map(([b, input]) =>
    h('label', {}, `${LABELS[b.field] || b.field} `, input, h('small', { class: 'muted' }, ` ${b.min}–${b.max}`)))),
  h('p', {}, h('button', { type: 'submit', id: 'save-policy' }, '保存策略')));
}
