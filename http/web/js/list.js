// "My list": services chosen for a client's file, printable and shareable as a link of ids.
// It holds names, contacts, hours and places, never the search (filters, position, distances).
import { t, lang, localized } from './i18n.js';
import { $, h, api } from './dom.js';
import { state, termLabel } from './state.js';
import { contactLine, hoursLine, isApproximate, placeText } from './records.js';

export function saveSelected() {
  try { sessionStorage.setItem('enlace.selected', [...state.selected].join(',')); } catch { /* storage off */ }
  $('#list-count').textContent = state.selected.size;
}

export function toggleSelected(id, button) {
  if (state.selected.has(id)) state.selected.delete(id); else state.selected.add(id);
  saveSelected();
  for (const b of document.querySelectorAll(`[data-id="${id}"] .add`)) {
    b.setAttribute('aria-pressed', String(state.selected.has(id)));
    b.textContent = state.selected.has(id) ? t('remove') : t('add');
  }
  if (button && !button.closest('[data-id]')) {
    button.setAttribute('aria-pressed', String(state.selected.has(id)));
    button.textContent = state.selected.has(id) ? t('remove') : t('add');
  }
  if (state.view === 'list') renderList();
}

export async function renderList() {
  const ids = [...state.selected];
  const out = $('#selected');
  $('#print-header').textContent = `Enlace · ${t('printed_on', { d: new Date().toLocaleDateString(lang()) })}`;
  if (!ids.length) { out.replaceChildren(h('li', { class: 'muted' }, t('list_empty'))); return; }
  const services = (await Promise.all(ids.map((id) => api(`/api/v1/services/${id}?lang=${lang()}`).catch(() => null)))).filter(Boolean);
  out.replaceChildren(...services.map((s) => h('li', { class: 'chosen', 'data-id': s.id },
    h('h3', {}, localized(s.name, s.resolved_language?.name).text),
    h('p', {}, s.types.map(termLabel).join(' · ')),
    h('p', {}, placeText(s), isApproximate(s) ? ` (${t('approximate')})` : ''),
    contactLine(s),
    hoursLine(s),
    h('p', { class: 'verified' }, s.last_verified ? t('verified', { d: s.last_verified }) : t('not_verified')),
    h('button', { type: 'button', class: 'add no-print', onclick: () => toggleSelected(s.id) }, t('remove')))));
}

export function shareLink() {
  // Only service ids: nothing about the child, the search or the position.
  return `${location.origin}/#list=${[...state.selected].join(',')}`;
}
