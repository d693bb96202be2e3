// "My list": services chosen for a client's file, printable and shareable as a link of ids.
// It holds names, contacts, hours and places, never the search (filters, position, distances).
import { t, lang, localized } from './i18n.js';
import { $, h, fill, api } from './dom.js';
import { state, termLabel } from './state.js';
import { contactLine, hoursLine, illustrativeNote, isApproximate, placeText, verifiedLine } from './records.js';

export function saveSelected() {
  try { sessionStorage.setItem('enlace.selected', [...state.selected].join(',')); } catch { /* storage off */ }
  $('#list-count').textContent = state.selected.size;
}

export function toggleSelected(id, button) {
  if (state.selected.has(id)) state.selected.delete(id); else state.selected.add(id);
  saveSelected();
  const on = state.selected.has(id);
  for (const b of document.querySelectorAll(`[data-id="${id}"] .add`)) {
    b.setAttribute('aria-pressed', String(on));
    b.textContent = on ? t('remove') : t('add');
  }
  if (button && !button.closest('[data-id]')) {
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? t('remove') : t('add');
  }
  if (state.view === 'list') renderList();
}

function chosenItem(s) {
  return h('li', { class: 'chosen', 'data-id': s.id },
    h('h3', {}, localized(s.name, s.resolved_language?.name).text),
    illustrativeNote(s),
    h('p', {}, s.types.map(termLabel).join(' · ')),
    h('p', {}, placeText(s), isApproximate(s) ? ` (${t('approximate')})` : null),
    contactLine(s),
    hoursLine(s, { closures: true }),
    verifiedLine(s),
    h('button', { type: 'button', class: 'add no-print', onclick: () => toggleSelected(s.id) }, t('remove')));
}

export async function renderList() {
  const ids = [...state.selected];
  const out = $('#selected');
  $('#print-header').textContent = `Enlace · ${t('printed_on', { d: new Date().toLocaleDateString(lang()) })}`;
  if (!ids.length) { fill(out, h('li', { class: 'muted' }, t('list_empty'))); return; }
  const services = (await Promise.all(ids.map((id) => api(`/api/v1/services/${id}?lang=${lang()}`).catch(() => null)))).filter(Boolean);
  fill(out, services.map(chosenItem));
}

/** Only service ids: nothing about the child, the search or the position. */
export const shareLink = () => `${location.origin}/#list=${[...state.selected].join(',')}`;
