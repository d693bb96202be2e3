// The review API's answers the editing views share: collections by kind and where a record
// stands in review (its own state, and the pending revision of a published one).
import { t } from './i18n.js';
import { h } from './dom.js';
import { send } from './session.js';

export const COLLECTION = { service: 'services', actor: 'actors', practice: 'practices' };

/** {review_status, pending}: pending is GET .../revisions' item (its diff and proposal) or null. */
export async function reviewState(kind, id, record) {
  if (kind === 'actor') return { review_status: null, pending: null };
  const revisions = await send(`/api/v1/${COLLECTION[kind]}/${id}/revisions`);
  const pending = revisions.status === 200 ? revisions.body.items?.[0] || null : null;
  return { review_status: record.review_status || 'published', pending };
}

/** What the editing views say of a refused or failed request: the server's detail, else its status. */
export const failedText = (r) => t('ed_failed', { e: r.body?.detail || r.status });

/** The same as an alert line, for a view that could not be read. */
export const failedLine = (r) => h('p', { class: 'ed-message error', role: 'alert' }, failedText(r));
