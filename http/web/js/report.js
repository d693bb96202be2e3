// "Report a problem" on a service's details: a reason (closed, moved, wrong phone, something
// else) and an optional short text, posted to POST /api/v1/services/{id}/reports. Nothing about
// the person is asked or sent: no name, contact or position, and no token (reports are anyone's).
// Also the notice a service carries while an editor looks into a problem reported with it.
import { t } from './i18n.js';
import { h, fill } from './dom.js';

export const REPORT_TEXT_MAX = 500;
const REASONS = ['closed', 'moved', 'wrong_phone', 'other'];

/** Characters as the server counts them (code points, not UTF-16 units). */
const characters = (text) => [...text].length;

/** "Reported closed on DATE, under review" for each triaged report the service carries. */
export function reportedNotice(s) {
  const problems = s.reported_problems || [];
  return problems.map((p) => h('p', { class: 'badge reported block', role: 'note' },
    p.reason === 'closed'
      ? t('reported_closed', { d: p.reported_on })
      : t('reported_problem', { d: p.reported_on, r: t(`report_${p.reason}`) })));
}

async function send(id, reason, text) {
  const response = await fetch(`/api/v1/services/${id}/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(text ? { reason, text } : { reason }),
    credentials: 'omit',
  });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

function reportForm(s, box) {
  const counter = h('span', { class: 'report-count', id: `report-count-${s.id}`, 'aria-live': 'polite' },
    t('report_count', { n: 0, max: REPORT_TEXT_MAX }));
  const text = h('textarea', { name: 'text', id: `report-text-${s.id}`, rows: '3', maxlength: String(REPORT_TEXT_MAX), 'aria-describedby': `report-count-${s.id} report-privacy-${s.id}` });
  const message = h('p', { class: 'report-message', role: 'alert' });
  text.addEventListener('input', () => {
    fill(counter, t('report_count', { n: characters(text.value), max: REPORT_TEXT_MAX }));
  });
  const reasons = REASONS.map((r) => h('label', { class: 'report-reason' },
    h('input', { type: 'radio', name: 'reason', value: r, required: true,
      onchange: () => { text.required = r === 'other'; } }),
    ' ', t(`report_${r}`)));
  const form = h('form', { class: 'report-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('report_reason')), reasons),
    h('label', { for: `report-text-${s.id}` }, t('report_text')),
    text, counter,
    h('p', { class: 'report-privacy', id: `report-privacy-${s.id}` }, t('report_privacy')),
    message,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('report_send')),
      h('button', { type: 'button', onclick: () => fill(box, openButton(s, box)) }, t('report_cancel'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const reason = form.querySelector('input[name=reason]:checked')?.value;
    if (!reason) { fill(message, t('report_choose')); return; }
    const value = text.value.trim();
    if (characters(value) > REPORT_TEXT_MAX) { fill(message, t('report_too_long', { max: REPORT_TEXT_MAX })); return; }
    if (reason === 'other' && !value) { fill(message, t('report_say_what')); text.focus(); return; }
    form.querySelector('button[type=submit]').disabled = true;
    try {
      const r = await send(s.id, reason, value);
      if (r.status === 201) {
        fill(box, h('p', { class: 'report-done', role: 'status' }, t('report_thanks')));
        return;
      }
      const detail = r.status === 429 ? t('report_too_many')
        : (r.body.errors || []).map((e) => `${e.path}: ${e.reason}`).join('; ') || r.body.detail || String(r.status);
      fill(message, t('report_failed', { e: detail }));
    } catch (e) {
      fill(message, t('report_failed', { e: e?.message ?? String(e) }));
    }
    form.querySelector('button[type=submit]').disabled = false;
  });
  return form;
}

function openButton(s, box) {
  return h('button', { type: 'button', class: 'link report-open',
    onclick: () => { fill(box, reportForm(s, box)); box.querySelector('input[name=reason]')?.focus(); } },
  t('report_problem'));
}

/** The "report a problem" part of a service's details: a button that opens the form. */
export function reportProblem(s) {
  const box = h('div', { class: 'report' });
  return fill(box, openButton(s, box));
}
