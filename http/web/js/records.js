// A service's parts in words: distance, place, contacts, hours, controlled values, language marks.
import { t, lang, localized, languageName } from './i18n.js';
import { describe, isOpen } from './hours.js';
import { $, h } from './dom.js';
import { FAMILIES, familyOf, countryName, actorOf, actorName } from './state.js';

export function primaryFamily(service) {
  const wanted = $('#f-type').value;
  if (wanted && service.types.some((c) => c === wanted || c.startsWith(`${wanted}.`))) return familyOf(wanted);
  const families = service.types.map(familyOf);
  return FAMILIES.find((f) => families.includes(f)) || 'IDN';
}

export const isApproximate = (s) => Boolean(s.location && (s.location.coarsened || s.location.precision === 'approximate' || s.location.precision === 'admin1'));

// A coarsened site is drawn at the centre of its 0.1° cell, up to ~8 km from the site: a distance
// to it (or from a place placed at one) is known to ~10 km, and is never shown as "0 m".
const APPROX_M = 10000;

/** "850 m", "1,5 km"; approximate: "a menos de ~10 km", "≈ 25 km" (to 5 km). */
export function distanceText(m, approximate = false) {
  if (m == null) return '';
  const number = (v, digits) => v.toLocaleString(lang(), { maximumFractionDigits: digits });
  if (approximate) {
    if (m < APPROX_M) return t('km_within', { d: APPROX_M / 1000 });
    return t('km_about', { d: number(Math.round(m / 5000) * 5, 0) });
  }
  return m < 1000 ? t('m', { d: Math.round(m) }) : t('km', { d: number(m / 1000, m < 10000 ? 1 : 0) });
}

export function fallbackMark(resolved, field) {
  const r = resolved?.[field];
  if (!r || !r.fallback) return null;
  const note = t('fallback', { lang: languageName(r.language), want: languageName(lang()) });
  return h('span', { class: 'badge fallback', title: note }, r.language.toUpperCase(), h('span', { class: 'sr-only' }, ` (${note})`));
}

/** The language mark of a text already resolved by localized(), or nothing. */
export function textMark(r) {
  if (!r.fallback || !r.language) return null;
  return h('span', { class: 'badge fallback', title: t('fallback', { lang: languageName(r.language), want: languageName(lang()) }) }, r.language.toUpperCase());
}

/** Public contacts of a service, else of its organisation. */
export function contactsOf(s) {
  const own = (s.contacts || []).filter((c) => !c.personal);
  if (own.length) return own;
  const actor = actorOf(s);
  if (!actor) return [];
  const out = (actor.contacts || []).filter((c) => !c.personal);
  if (actor.email) out.push({ kind: 'email', value: actor.email });
  if (actor.website) out.push({ kind: 'url', value: actor.website });
  return out;
}

export function contactLink(c) {
  const v = c.value;
  if (c.kind === 'phone' || c.kind === 'hotline') return h('a', { href: `tel:${v.replace(/[^+\d]/g, '')}` }, v);
  if (c.kind === 'email') return h('a', { href: `mailto:${v}` }, v);
  if (c.kind === 'url' && /^https?:\/\//.test(v)) return h('a', { href: v, rel: 'noopener noreferrer', target: '_blank' }, v.replace(/^https?:\/\//, ''));
  return h('span', {}, v);
}

/** A contact with what it is for: "Admisiones: +502 ...", "WhatsApp: ...". */
export function contactWithLabel(c) {
  const label = localized(c.label).text || (c.kind === 'whatsapp' ? 'WhatsApp' : '');
  return [label ? `${label}: ` : null, contactLink(c)];
}

export function contactLine(s) {
  const list = contactsOf(s).slice(0, 2);
  if (!list.length) {
    const who = actorName(actorOf(s));
    return h('p', { class: 'contact muted' }, who ? `${t('no_contact')}: ${who}` : t('no_contact'));
  }
  return h('p', { class: 'contact' }, list.map((c, i) => (i ? [' · ', contactLink(c)] : contactLink(c))));
}

/** Closures that have not ended yet: "Cierre: 2026-12-24 – 2026-12-26 (Cierre de fin de año)". */
function closureNotes(hours) {
  const today = new Date().toISOString().slice(0, 10);
  return (hours?.closures || []).filter((c) => c.from && (c.to || c.from).slice(0, 10) >= today).map((c) => {
    const to = c.to && c.to.slice(0, 10) !== c.from.slice(0, 10) ? ` – ${c.to.slice(0, 10)}` : '';
    const note = localized(c.note).text;
    return h('span', { class: 'closure' }, t('closure', { d: `${c.from.slice(0, 10)}${to}` }), note ? ` (${note})` : null);
  });
}

/** Hours with an open/closed mark; a service that is not active says so instead of "open now". */
export function hoursLine(s, { closures = false } = {}) {
  const inactive = s.status && s.status !== 'active';
  const open = inactive ? null : isOpen(s.hours);
  const badge = inactive ? h('span', { class: 'badge closed inactive' }, t(`status_${s.status}`))
    : open == null ? null : h('span', { class: `badge ${open ? 'open' : 'closed'}` }, open ? t('open_now') : t('closed_now'));
  const text = !s.hours ? t('no_hours') : s.hours.always_open ? t('always_open') : describe(s.hours, (d) => t(`day_${d}`)) || t('no_hours');
  return h('p', { class: 'hours' }, badge, badge ? ' ' : null, text, closures ? closureNotes(s.hours).map((n) => [' · ', n]) : null);
}

/** A controlled value in words (gender_any, cost_free, principle_best_interests...), or the value itself. */
export function word(kind, value) {
  if (value == null || value === '') return null;
  const key = `${kind}_${value}`;
  const text = t(key);
  return text === key ? String(value) : text;
}

export function placeText(s) {
  const a = s.address || {};
  return [a.locality, a.admin1_name, countryName(s.country)].filter(Boolean).join(', ');
}

export const verifiedLine = (s) => h('p', { class: 'verified' }, s.last_verified ? t('verified', { d: s.last_verified }) : t('not_verified'));

/** The demo's warning, on every view of an illustrative record (list, print, details). */
export const illustrativeNote = (s) => (s.illustrative ? h('p', { class: 'warning' }, t('illustrative')) : null);
