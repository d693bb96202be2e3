// The inputs of an edit form, built from edit_fields.js: each labelled (its label carries
// data-i18n, so a language switch relabels a form without losing what was typed), read back into
// the record's JSON, and given the server's per-field message (422) next to it.
import { t, localized, languageName } from './i18n.js';
import { h, fill } from './dom.js';
import { state, termLabel } from './state.js';
import { FIELDS, members, fieldFor } from './edit_fields.js';
import { account } from './session.js';

const inputId = (kind, path) => `ed-${kind}-${path.replaceAll('.', '-')}`;
const label = (key) => h('span', { 'data-i18n': key }, t(key));

export const getPath = (record, path) => path.split('.').reduce((v, k) => (v == null ? undefined : v[k]), record);

function setPath(record, path, value) {
  const keys = path.split('.');
  let at = record;
  for (const k of keys.slice(0, -1)) {
    if (at[k] == null || typeof at[k] !== 'object') at[k] = {};
    at = at[k];
  }
  if (value === undefined) delete at[keys[keys.length - 1]];
  else at[keys[keys.length - 1]] = value;
}

/** The choices of a select: a list of codes (named by `words`) or one of the page's lists. */
function choices(f, current) {
  if (Array.isArray(f.options)) return f.options.map((v) => [v, f.words ? t(`${f.words}_${v}`) : String(v)]);
  if (f.options === 'taxonomy') return state.taxonomy.map((x) => [x.code, `${x.parent ? '\u00a0\u00a0' : ''}${termLabel(x.code)}`]);
  if (f.options === 'actors') return [...(state.actors?.values() || [])].map((a) => [a.id, localized(a.name).text]);
  if (f.options === 'countries') {
    // The caller's countries (and the record's own), not the eleven: one may write only in scope.
    const me = account();
    const keep = (c) => !me || me.every_country || me.countries.includes(c.alpha2) || [current].flat().includes(c.alpha2);
    return state.countries.filter(keep).map((c) => [c.alpha2, localized(c.names).text]);
  }
  return [];
}

function control(kind, f, value) {
  const id = inputId(kind, f.path);
  const common = { id, name: f.path, 'aria-describedby': `${id}-error`, required: f.required || null };
  switch (f.widget) {
  case 'textarea': return h('textarea', { ...common, rows: '3' }, value ?? '');
  case 'json': return h('textarea', { ...common, rows: '4', class: 'json', spellcheck: 'false' }, value == null ? '' : JSON.stringify(value, null, 2));
  case 'number': return h('input', { ...common, type: 'number', step: f.step, inputmode: f.step === '1' ? 'numeric' : 'decimal', value: value ?? '' });
  case 'list': return h('input', { ...common, type: 'text', value: (value || []).join(', ') });
  case 'bool': {
    const el = h('select', common, h('option', { value: '' }, '—'),
      h('option', { value: 'true', 'data-i18n': 'yes' }, t('yes')), h('option', { value: 'false', 'data-i18n': 'no' }, t('no')));
    el.value = value == null ? '' : String(value);
    return el;
  }
  case 'select': case 'multi': {
    const many = f.widget === 'multi';
    const chosen = new Set([value ?? []].flat().map(String));
    // A stored value the list does not hold (a code from an import) stays chosen, shown as its code.
    const list = choices(f, value);
    for (const v of chosen) if (!list.some(([x]) => String(x) === v)) list.push([f.number ? Number(v) : v, v]);
    const el = h('select', { ...common, multiple: many || null, size: many ? '5' : null },
      many ? null : h('option', { value: '' }, '—'),
      list.map(([v, text]) => h('option', { value: v, selected: chosen.has(String(v)) || null, 'data-i18n': f.words ? `${f.words}_${v}` : null }, text)));
    return el;
  }
  default: {
    const el = h('input', { ...common, type: f.type || 'text', value: value ?? '', list: f.options === 'actor_types' ? `${id}-list` : null });
    if (f.options !== 'actor_types') return el;
    const types = [...new Set([...(state.actors?.values() || [])].map((a) => a.actor_type).filter(Boolean))].sort();
    return [el, h('datalist', { id: `${id}-list` }, types.map((x) => h('option', { value: x })))];
  }
  }
}

function wrapped(kind, f, value) {
  const id = inputId(kind, f.path);
  return h('div', { class: `field ed-field${f.widget === 'json' || f.widget === 'textarea' ? ' wide' : ''}`, 'data-path': f.path },
    h('label', { for: id }, f.lang ? h('span', { 'data-i18n': `lang_${f.lang}` }, languageName(f.lang)) : label(f.label)),
    control(kind, f, value),
    f.hint ? h('span', { class: 'hint', 'data-i18n': f.hint }, t(f.hint)) : null,
    h('p', { class: 'field-error', id: `${id}-error` }));
}

/** The form's inputs for `record`, grouped: a language map's inputs under one legend. */
export function inputs(kind, record) {
  const out = [];
  let group = null;
  for (const f of FIELDS[kind]) {
    const node = wrapped(kind, f, getPath(record, f.path));
    if (f.lang) {
      if (!group || group.dataset.group !== f.group) {
        group = h('fieldset', { class: 'ed-group', 'data-group': f.group }, h('legend', {}, label(f.label)));
        out.push(group);
      }
      group.append(node);
    } else {
      group = null;
      out.push(node);
    }
  }
  return out;
}

function read(f, el) {
  const raw = el.value.trim();
  if (f.widget === 'multi') {
    const picked = [...el.selectedOptions].map((o) => (f.number ? Number(o.value) : o.value));
    return { value: picked.length ? picked : undefined };
  }
  if (f.widget === 'number') {
    if (el.validity.badInput) return { error: 'ed_bad_number' };
    return { value: raw === '' ? undefined : Number(raw) };
  }
  if (raw === '') return { value: undefined };
  if (f.widget === 'bool') return { value: raw === 'true' };
  if (f.widget === 'json') {
    try { return { value: JSON.parse(raw) }; } catch { return { error: 'ed_bad_json' }; }
  }
  if (f.widget === 'list') {
    const items = raw.split(',').map((x) => x.trim()).filter(Boolean);
    if (f.number && items.some((x) => !/^\d+$/.test(x))) return { error: 'ed_bad_ids' };
    return { value: items.map((x) => (f.number ? Number(x) : x)) };
  }
  if (f.number) return { value: Number(raw) };
  return { value: raw };
}

/** A multiple choice in the order the record had it (a list's order is part of it), new ones after. */
function inStoredOrder(values, stored) {
  if (!values || !Array.isArray(stored)) return values;
  const at = (v) => { const i = stored.findIndex((x) => String(x) === String(v)); return i < 0 ? stored.length : i; };
  return [...values].sort((a, b) => at(a) - at(b));
}

/**
 * The form's members as JSON, built over a copy of `initial` so that parts the form does not show
 * (a language other than es/en/fr, an address's admin names) are kept. Errors: the inputs whose
 * text is not a value (bad JSON, a number that is not one).
 */
export function collect(form, kind, initial) {
  const out = {};
  for (const m of members(kind)) if (initial[m] !== undefined) out[m] = structuredClone(initial[m]);
  const errors = [];
  for (const f of FIELDS[kind]) {
    const r = read(f, form.querySelector(`#${inputId(kind, f.path)}`));
    if (r.error) errors.push({ field: f, message: t(r.error) });
    else setPath(out, f.path, f.widget === 'multi' ? inStoredOrder(r.value, getPath(initial, f.path)) : r.value);
  }
  for (const m of members(kind)) {
    const v = out[m];
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === undefined)) delete out[m];
  }
  return { record: out, errors };
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) fill(el);
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/**
 * Each message next to its input (the 422 body's `errors`, by JSON path); those the form has no
 * input for are listed in the summary. Focuses the first input in error.
 */
export function showErrors(form, kind, errors, summary) {
  const unplaced = [];
  let first = null;
  for (const e of errors) {
    const f = e.field || fieldFor(kind, e.path);
    const el = f && form.querySelector(`#${inputId(kind, f.path)}`);
    if (!el) { unplaced.push(`${e.path}: ${e.message}`); continue; }
    el.setAttribute('aria-invalid', 'true');
    const box = form.querySelector(`#${inputId(kind, f.path)}-error`);
    box.append(box.textContent ? ` ${e.message}` : e.message);
    first = first || el;
  }
  fill(summary, t('ed_check_fields', { n: errors.length }), unplaced.length ? h('ul', {}, unplaced.map((x) => h('li', {}, x))) : null);
  summary.hidden = false;
  (first || summary).focus();
}
