// The editing tab's views for a signed-in focal point: new records and a record by id (the edit
// forms), the review queue for reviewers, the problems reported with its countries' services
// (report_queue.js), a record's history, the Strategic Plan (plan.js); and
// the "edit" and "history" buttons a service's or practice's details get when the record is in
// the caller's scope.
import { t } from './i18n.js';
import { $, h } from './dom.js';
import { mayReview, mayWrite, inScope } from './session.js';
import { openEditor } from './edit_form.js';
import { showQueue } from './review.js';
import { showReports } from './report_queue.js';
import { showHistory } from './history.js';
import { showPlan } from './plan.js';

const KINDS = ['service', 'actor', 'practice'];
const work = () => $('#edit-work');

function history(kind, id) {
  showHistory(work(), kind, id, { back: () => edit(kind, id) });
}

function edit(kind, id = null) {
  return openEditor(work(), kind, id, { onHistory: history });
}

function openById() {
  const form = h('form', { id: 'edit-open', class: 'ed-open' },
    h('div', { class: 'field' }, h('label', { for: 'edit-open-kind', 'data-i18n': 'ed_kind' }, t('ed_kind')),
      h('select', { id: 'edit-open-kind' }, KINDS.map((k) => h('option', { value: k, 'data-i18n': `ed_kind_${k}` }, t(`ed_kind_${k}`))))),
    h('div', { class: 'field' }, h('label', { for: 'edit-open-id', 'data-i18n': 'ed_id' }, t('ed_id')),
      h('input', { id: 'edit-open-id', type: 'number', min: '1', step: '1', inputmode: 'numeric', required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-i18n': 'ed_open' }, t('ed_open'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const id = Number($('#edit-open-id').value);
    if (id > 0) edit($('#edit-open-kind').value, id);
  });
  return form;
}

/** The tab's content under the account bar. */
export function editingViews() {
  return [
    h('nav', { class: 'actions ed-nav', 'aria-label': t('tab_edit') },
      mayWrite() ? KINDS.map((k) => h('button', { type: 'button', id: `new-${k}`, 'data-i18n': `ed_new_${k}`, onclick: () => edit(k) }, t(`ed_new_${k}`))) : null,
      mayReview() ? h('button', { type: 'button', id: 'open-queue', class: 'primary', 'data-i18n': 'ed_queue', onclick: () => showQueue(work(), { onHistory: history }) }, t('ed_queue')) : null,
      mayWrite() ? h('button', { type: 'button', id: 'open-reports', 'data-i18n': 'ed_reports', onclick: () => showReports(work(), { onService: (id) => edit('service', id) }) }, t('ed_reports')) : null,
      h('button', { type: 'button', id: 'open-plan', 'data-i18n': 'plan_open', onclick: () => showPlan(work()) }, t('plan_open'))),
    openById(),
    h('div', { id: 'edit-work', class: 'ed-work' }),
  ];
}

/** Buttons for a record's details: edit (writers in scope) and history (readers in scope). */
export function detailActions(kind, record, showView) {
  const countries = record.countries || [record.country];
  if (!inScope(countries)) return null;
  const go = (then) => () => { showView('edit'); then(); };
  return [
    mayWrite() ? h('button', { type: 'button', class: 'ed-edit', onclick: go(() => edit(kind, record.id)) }, t('ed_edit_this')) : null,
    h('button', { type: 'button', class: 'ed-history', onclick: go(() => history(kind, record.id)) }, t('ed_history')),
  ];
}

