// For editors and reviewers: the problems people reported with the services of their countries
// (GET /api/v1/reports), the open ones first, each with what was reported, when, the text while it
// is open, and triage / resolve / dismiss (POST /api/v1/reports/{id}/{decision}). A triaged
// closure is what the service's page then shows as "reported closed, under review".
import { t } from './i18n.js';
import { h, fill } from './dom.js';
import { send } from './session.js';
import { failedText, failedLine } from './records_api.js';

const OPEN = ['new', 'triaged'];
const DECISIONS = { new: ['triage', 'resolve', 'dismiss'], triaged: ['resolve', 'dismiss'] };

/** Open reports first (newest first), then the closed ones. */
const ordered = (items) => [...items].sort((a, b) =>
  (OPEN.includes(b.status) - OPEN.includes(a.status)) || b.filed_on.localeCompare(a.filed_on) || b.id - a.id);

function reportItem(area, report, { onService }) {
  const actions = (DECISIONS[report.status] || []).map((decision) => h('button', {
    type: 'button', class: `ed-report-${decision}`, onclick: () => decide(area, report, decision, { onService }),
  }, t(`ed_report_${decision}`)));
  return h('li', { 'data-id': report.id, 'data-status': report.status },
    h('p', {}, h('strong', {}, t(`report_${report.reason}`)), ' · ',
      h('button', { type: 'button', class: 'link', onclick: () => onService?.(report.service_id) },
        t('ed_report_service', { id: report.service_id })),
      ` · ${report.country} · ${t('ed_report_filed', { d: report.filed_on })} · `,
      h('span', { class: 'badge' }, t(`ed_report_status_${report.status}`))),
    report.text ? h('p', { class: 'ed-comment' }, report.text) : null,
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}

export async function showReports(area, { onService } = {}) {
  const r = await send('/api/v1/reports');
  const title = h('h3', { tabindex: '-1' }, t('ed_reports'));
  if (r.status !== 200) {
    fill(area, title, failedLine(r));
    return;
  }
  const items = ordered(r.body.items || []);
  fill(area, title,
    items.length ? h('ul', { class: 'ed-queue ed-reports' }, items.map((report) => reportItem(area, report, { onService })))
      : h('p', { class: 'muted' }, t('ed_reports_empty')));
  title.focus();
}

async function decide(area, report, decision, options) {
  const r = await send(`/api/v1/reports/${report.id}/${decision}`, { method: 'POST', body: {} });
  await showReports(area, options);
  area.prepend(h('p', { class: r.status === 200 ? 'ed-message ok' : 'ed-message error', role: r.status === 200 ? 'status' : 'alert' },
    r.status === 200 ? t(`ed_report_done_${decision}`) : failedText(r)));
}
