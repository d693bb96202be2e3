// A record's change log (GET /api/v1/{kind}/{id}/history), newest first: what was done, when, by
// whom (the server leaves `who` out for those who may not see it), the reviewer's comment, and
// each field before and after.
import { t } from './i18n.js';
import { h, fill } from './dom.js';
import { send } from './session.js';
import { COLLECTION, failedLine } from './records_api.js';
import { changeList } from './changes.js';

const KNOWN = ['create', 'update', 'revise', 'submit', 'withdraw', 'request-changes', 'approve', 'reject', 'archive', 'delete', 'restore', 'verify', 'report-triage'];
const actionName = (a) => (KNOWN.includes(a) ? t(`ed_action_${a.replace('-', '_')}`) : a);

export async function showHistory(area, kind, id, { back } = {}) {
  const r = await send(`/api/v1/${COLLECTION[kind]}/${id}/history`);
  const title = h('h3', { tabindex: '-1' }, t('ed_history_of', { kind: t(`ed_kind_${kind}`), id }));
  const backButton = back ? h('div', { class: 'actions' }, h('button', { type: 'button', onclick: back }, t('ed_back'))) : null;
  if (r.status !== 200) {
    fill(area, title, failedLine(r), backButton);
    title.focus();
    return;
  }
  const items = [...(r.body.items || [])].reverse();
  fill(area, title, backButton,
    h('ol', { class: 'ed-history-list' }, items.map((item) => h('li', { 'data-action': item.action, 'data-revision': item.revision },
      h('p', { class: 'ed-when' },
        h('strong', {}, actionName(item.action)), ' · ', h('time', { datetime: item.at }, item.at.replace('T', ' ').replace('Z', ' UTC')),
        item.who ? ` · ${item.who}` : null,
        item.pending_revision ? h('span', { class: 'badge' }, t('ed_revision_badge')) : null),
      item.comment ? h('p', { class: 'ed-comment' }, t('ed_comment_was', { c: item.comment })) : null,
      changeList(kind, item.changes)))));
  title.focus();
}
