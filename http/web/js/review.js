// For reviewers: the queue of what waits for their review (GET /api/v1/review, their countries),
// and one item's review: the pending revision's diff against the published version (or, for a
// record never published, its fields), a comment, and approve / request changes / reject. The
// server enforces four eyes; its refusal is shown as it says it.
import { t } from './i18n.js';
import { h, fill } from './dom.js';
import { send } from './session.js';
import { COLLECTION, reviewState, failedText, failedLine } from './records_api.js';
import { changeList } from './changes.js';

const KEPT = ['id', 'created_at', 'updated_at', 'review_status', 'public_location', 'reported_problems'];

/** Every member of a record never published, as changes from nothing. */
const asNew = (record) => Object.keys(record).filter((k) => !KEPT.includes(k)).sort()
  .map((k) => ({ path: k, before: null, after: record[k] }));

export async function showQueue(area, { onHistory } = {}) {
  const r = await send('/api/v1/review');
  const title = h('h3', { tabindex: '-1' }, t('ed_queue'));
  if (r.status !== 200) {
    fill(area, title, failedLine(r));
    return;
  }
  const items = r.body.items || [];
  fill(area, title,
    items.length ? h('ul', { class: 'ed-queue' }, items.map((item) => h('li', { 'data-kind': item.kind, 'data-id': item.id },
      h('button', { type: 'button', class: 'link', onclick: () => openReview(area, item, { onHistory }) },
        item.title || `${t(`ed_kind_${item.kind}`)} ${item.id}`),
      h('p', { class: 'muted' },
        `${t(`ed_kind_${item.kind}`)} ${item.id} · ${item.countries.join(', ')} · `,
        item.pending_revision ? t('ed_queue_revision') : t('ed_queue_new'),
        ` · ${t('ed_by', { who: item.editors.join(', ') })} · ${item.updated_at.slice(0, 10)}`))))
      : h('p', { class: 'muted' }, t('ed_queue_empty')));
  title.focus();
}

async function openReview(area, item, { onHistory }) {
  const { kind, id } = item;
  const read = await send(`/api/v1/${COLLECTION[kind]}/${id}`);
  if (read.status !== 200) {
    fill(area, failedLine(read));
    return;
  }
  const status = await reviewState(kind, id, read.body);
  const pending = status.pending;
  const message = h('p', { class: 'ed-message', role: 'status', tabindex: '-1', hidden: true });
  const commentId = `ed-comment-${kind}-${id}`;
  const comment = h('textarea', { id: commentId, rows: '3', 'aria-describedby': `${commentId}-hint` });
  const back = () => showQueue(area, { onHistory });
  const act = async (action) => {
    const text = comment.value.trim();
    if (action === 'request-changes' && !text) {
      fill(message, t('ed_comment_needed')); message.className = 'ed-message error'; message.hidden = false; comment.focus();
      return;
    }
    // A revision is approved or rejected as the revision the reviewer read; If-Match pins the version.
    const path = pending && action !== 'request-changes'
      ? `/api/v1/${COLLECTION[kind]}/${id}/revisions/${pending.revision}/${action}`
      : `/api/v1/${COLLECTION[kind]}/${id}/${action}`;
    const r = await send(path, { method: 'POST', body: text ? { comment: text } : {}, ifMatch: read.etag });
    if (r.status === 200) {
      await showQueue(area, { onHistory });
      area.prepend(h('p', { class: 'ed-message ok', role: 'status' }, t(`ed_done_${action.replace('-', '_')}`)));
      return;
    }
    fill(message, r.status === 412 ? t('ed_stale') : failedText(r));
    message.className = 'ed-message error';
    message.hidden = false;
    message.focus();
  };
  const title = h('h3', { tabindex: '-1' }, t('ed_review_of', { title: item.title || id }));
  fill(area, title,
    h('p', { class: 'muted' }, pending ? t('ed_review_revision', { who: pending.editors.join(', ') }) : t('ed_review_new')),
    pending?.comment ? h('p', { class: 'ed-comment' }, t('ed_comment_was', { c: pending.comment })) : null,
    h('h4', {}, pending ? t('ed_diff') : t('ed_fields')),
    changeList(kind, pending ? pending.changes : asNew(read.body)),
    message,
    h('div', { class: 'field wide' }, h('label', { for: commentId }, t('ed_comment')), comment,
      h('span', { class: 'hint', id: `${commentId}-hint` }, t('ed_comment_hint'))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary ed-approve', onclick: () => act('approve') }, t('ed_approve')),
      h('button', { type: 'button', class: 'ed-request', onclick: () => act('request-changes') }, t('ed_request_changes')),
      pending ? h('button', { type: 'button', class: 'ed-reject', onclick: () => act('reject') }, t('ed_reject')) : null),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => onHistory?.(kind, id) }, t('ed_history')),
      h('button', { type: 'button', onclick: back }, t('ed_back'))));
  title.focus();
}
