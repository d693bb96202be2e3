// A field-by-field change ({path, before, after}, as the revisions and history endpoints give
// them) in words: each member under its form label, before and after, readable on a phone.
import { t, languageName } from './i18n.js';
import { h } from './dom.js';
import { labelOf } from './edit_fields.js';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isLanguageMap = (v) => isObject(v) && Object.keys(v).length > 0
  && Object.entries(v).every(([k, x]) => /^[a-z]{2,3}(-[A-Z]{2})?$/.test(k) && typeof x === 'string');

/** A stored value as text: a language map one language a line, lists joined, the rest as JSON. */
export function valueText(v) {
  if (v == null || v === '' || (Array.isArray(v) && !v.length)) return [h('span', { class: 'muted' }, t('ed_none'))];
  if (typeof v === 'boolean') return [t(v ? 'yes' : 'no')];
  if (typeof v !== 'object') return [String(v)];
  if (isLanguageMap(v)) return Object.entries(v).map(([l, x]) => h('span', { class: 'ed-line' }, `${languageName(l)}: ${x}`));
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) return [v.join(', ')];
  return [h('code', {}, JSON.stringify(v))];
}

export function changeList(kind, changes) {
  if (!changes?.length) return h('p', { class: 'muted' }, t('ed_no_changes'));
  return h('ul', { class: 'ed-changes' }, changes.map((c) => {
    const key = labelOf(kind, c.path);
    return h('li', { 'data-path': c.path },
      h('strong', {}, key ? t(key) : c.path),
      h('div', { class: 'ed-before' }, h('span', { class: 'ed-tag' }, t('ed_before')), ' ', h('del', {}, valueText(c.before))),
      h('div', { class: 'ed-after' }, h('span', { class: 'ed-tag' }, t('ed_after')), ' ', h('ins', {}, valueText(c.after))));
  }));
}
