// The edit form of a service, actor or practice: a new record (POST) or an existing one (PATCH
// with If-Match: the version it was read at), the server's 422 messages next to their inputs, a
// stale version (412) offered for reloading, a likely duplicate (409) to confirm, and, once saved,
// the record's review state with "submit for review" (or "withdraw" while in review), "verified
// today" for a service, and a delete that asks once more and offers to restore. Services and
// practices wait for review; actors apply at once.
import { t } from './i18n.js';
import { h, fill } from './dom.js';
import { send } from './session.js';
import { members } from './edit_fields.js';
import { inputs, collect, clearErrors, showErrors } from './edit_inputs.js';
import { patchOf } from './merge_patch.js';
import { COLLECTION, reviewState, failedText } from './records_api.js';

const heading = (kind, id) => (id ? t(`ed_edit_${kind}`, { id }) : t(`ed_new_${kind}`));

/** A message under the form's title; `action` is an optional button in it. */
function say(box, text, action = null, kind = 'ok') {
  fill(box, h('span', {}, text), action ? [' ', action] : null);
  box.className = `ed-message ${kind}`;
  box.hidden = false;
}

async function load(kind, id) {
  if (!id) return { live: {}, initial: {}, etag: '', state: null };
  const read = await send(`/api/v1/${COLLECTION[kind]}/${id}`);
  if (read.status !== 200) return { error: read };
  const status = await reviewState(kind, id, read.body);
  // A record with a pending revision is edited from the proposal; the patch is made against the
  // live version, which is what the server merges it into.
  return { live: read.body, initial: status.pending?.proposed || read.body, etag: read.etag, state: status };
}

function stateLine(kind, state) {
  if (!state || kind === 'actor') return null;
  const text = state.pending
    ? t('ed_pending', { s: t(`review_${state.pending.state}`) })
    : t('ed_state', { s: t(`review_${state.review_status}`) });
  return h('p', { class: 'ed-state', 'data-state': state.pending ? state.pending.state : state.review_status },
    text, state.pending?.comment ? h('span', { class: 'ed-comment' }, ` ${t('ed_reviewer_said', { c: state.pending.comment })}`) : null);
}

const SUBMITTABLE = ['draft', 'changes_requested', 'withdrawn'];

/** Opens the form in `area`; `onHistory(kind, id)` shows a record's change log. */
export async function openEditor(area, kind, id = null, { note = '', onHistory } = {}) {
  const loaded = await load(kind, id);
  if (loaded.error) {
    fill(area, h('p', { class: 'ed-message error', role: 'alert' }, t('ed_cannot_open', { e: loaded.error.body.detail || loaded.error.status })));
    return;
  }
  const message = h('p', { class: 'ed-message', role: 'status', tabindex: '-1', hidden: true });
  const summary = h('div', { class: 'ed-summary', role: 'alert', tabindex: '-1', hidden: true });
  const form = h('form', { class: 'ed-form', novalidate: true, 'data-kind': kind, 'data-id': id || '' },
    inputs(kind, loaded.initial),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'data-i18n': 'ed_save' }, t('ed_save'))));
  const current = loaded.state?.pending?.state ?? loaded.state?.review_status;
  const tools = h('div', { class: 'actions' },
    id && kind !== 'actor' && SUBMITTABLE.includes(current)
      ? h('button', { type: 'button', class: 'ed-submit', onclick: () => submit() }, t('ed_submit')) : null,
    id && kind !== 'actor' && current === 'in_review'
      ? h('button', { type: 'button', class: 'ed-withdraw', onclick: () => step('withdraw', 'ed_withdrawn') }, t('ed_withdraw')) : null,
    id && kind === 'service'
      ? h('button', { type: 'button', class: 'ed-verify', onclick: () => step('verify', 'ed_verified') }, t('ed_verify')) : null,
    id ? h('button', { type: 'button', class: 'ed-history', onclick: () => onHistory?.(kind, id) }, t('ed_history')) : null,
    id ? h('button', { type: 'button', class: 'ed-delete danger', onclick: () => askDelete() }, t('ed_delete')) : null);
  const title = h('h3', { tabindex: '-1', 'data-i18n': id ? null : `ed_new_${kind}` }, heading(kind, id));
  fill(area, title, stateLine(kind, loaded.state), message, summary, form, tools);
  if (note) say(message, note);
  title.focus();

  const reopen = (newId, text) => openEditor(area, kind, newId, { note: text, onHistory });

  async function submit() {
    const r = await send(`/api/v1/${COLLECTION[kind]}/${id}/submit`, { method: 'POST', ifMatch: loaded.etag });
    if (r.status === 200) return reopen(id, t('ed_submitted'));
    if (r.status === 412) return stale();
    return say(message, failedText(r), null, 'error');
  }

  /** A transition or a verification of the record as read (If-Match), then the form again. */
  async function step(action, done) {
    const r = await send(`/api/v1/${COLLECTION[kind]}/${id}/${action}`, { method: 'POST', ifMatch: loaded.etag });
    if (r.status === 200) return reopen(id, t(done));
    if (r.status === 412) return stale();
    return say(message, failedText(r), null, 'error');
  }

  /** A delete asks once more; afterwards the record can be restored from the message. */
  function askDelete() {
    say(message, t('ed_delete_confirm'),
      h('button', { type: 'button', class: 'ed-delete-yes danger', onclick: () => remove() }, t('ed_delete')), 'error');
    message.focus?.();
  }

  async function remove() {
    const r = await send(`/api/v1/${COLLECTION[kind]}/${id}`, { method: 'DELETE', ifMatch: loaded.etag });
    if (r.status === 412) return stale();
    if (r.status !== 204) return say(message, failedText(r), null, 'error');
    const restore = async () => {
      const back = await send(`/api/v1/${COLLECTION[kind]}/${id}/restore`, { method: 'POST' });
      if (back.status === 200) return reopen(id, t('ed_restored'));
      return say(note, failedText(back), null, 'error');
    };
    const note = h('p', { class: 'ed-message ok', role: 'status', tabindex: '-1' });
    fill(area, title, note);
    say(note, t('ed_deleted', { id }), h('button', { type: 'button', class: 'ed-restore', onclick: restore }, t('ed_restore')));
    return note.focus();
  }

  function stale() {
    say(message, t('ed_stale'), h('button', { type: 'button', class: 'ed-reload', onclick: () => reopen(id, '') }, t('ed_reload')), 'error');
    message.focus?.();
  }

  async function save(confirmDuplicate = null) {
    clearErrors(form);
    summary.hidden = true;
    message.hidden = true;
    const { record, errors } = collect(form, kind, loaded.initial);
    if (errors.length) { showErrors(form, kind, errors, summary); return; }
    let r;
    if (id) {
      const patch = patchOf(loaded.live, record, members(kind));
      if (!Object.keys(patch).length) { say(message, t('ed_nothing')); return; }
      r = await send(`/api/v1/${COLLECTION[kind]}/${id}`, { method: 'PATCH', body: patch, type: 'application/merge-patch+json', ifMatch: loaded.etag });
    } else {
      const query = confirmDuplicate ? `?confirm_duplicate=${confirmDuplicate}` : '';
      r = await send(`/api/v1/${COLLECTION[kind]}${query}`, { method: 'POST', body: record });
    }
    if (r.status === 201) return reopen(r.body.id, t(kind === 'actor' ? 'ed_created_actor' : 'ed_created'));
    if (r.status === 202) return reopen(id, t('ed_saved_pending'));
    if (r.status === 200) return reopen(id, t('ed_saved'));
    if (r.status === 422) return showErrors(form, kind, (r.body.errors || []).map((e) => ({ path: e.path, message: e.reason })), summary);
    if (r.status === 412) return stale();
    if (r.status === 409 && r.body.candidate) {
      return say(message, t('ed_duplicate', { id: r.body.candidate }),
        h('button', { type: 'button', class: 'ed-confirm', onclick: () => save(r.body.candidate) }, t('ed_confirm_duplicate')), 'error');
    }
    return say(message, failedText(r), null, 'error');
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); save().catch((e) => say(message, t('ed_failed', { e: e.message }), null, 'error')); });
}
