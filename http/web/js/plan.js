// The Strategic Plan for signed-in users (docs/strategic-plan.md): the overview of actions by
// member countries for the network's virtual meeting, where a missing cell stands out, and one
// country's form: per action its responsible entities (the country's actors), the compiler's
// confirmation and dated progress notes. Every rule is the server's; its refusals show as it says.
import { t, lang } from './i18n.js';
import { h, fill } from './dom.js';
import { account, send, download, inScope, mayWrite } from './session.js';
import { failedText, failedLine } from './records_api.js';

const MARK = { confirmed: '✓', proposed: 'P', missing: '—' };
const textOf = (text) => (typeof text === 'string' ? text : text?.[lang()] || text?.es || text?.en || '');
const actions = (plan) => plan.axes.flatMap((axis) => axis.objectives.flatMap((o) => o.actions));

function failure(area, r) {
  fill(area, failedLine(r));
}

/** The Plan's view: the overview, then the form of the chosen country. */
export async function showPlan(area, country = null) {
  const [plan, entries] = await Promise.all([send('/api/v1/plan'), send('/api/v1/plan/entries')]);
  if (plan.status !== 200) return failure(area, plan);
  if (entries.status !== 200) return failure(area, entries);
  const cells = new Map(entries.body.items.map((e) => [`${e.action}|${e.country}`, e]));
  const countries = [...new Set(entries.body.items.map((e) => e.country))];
  const mine = countries.filter((c) => inScope([c]));
  const chosen = country || (mayWrite() ? mine[0] : null) || countries[0];
  const title = h('h3', { tabindex: '-1' }, t('plan_title', { period: plan.body.period }));
  const missing = entries.body.items.filter((e) => e.status === 'missing').length;
  const picker = h('select', { id: 'plan-country', onchange: (ev) => showPlan(area, ev.target.value) },
    countries.map((c) => h('option', { value: c, selected: c === chosen }, c)));
  fill(area, title,
    plan.body.illustrative ? h('p', { class: 'ed-message notice' }, t('plan_illustrative')) : null,
    h('p', { class: 'muted', id: 'plan-missing' }, t('plan_missing_count', { n: missing, of: entries.body.items.length })),
    overview(plan.body, countries, cells),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'plan-csv', onclick: () => download('/api/v1/plan/entries?format=csv', 'strategic-plan.csv') }, t('plan_csv')),
      h('button', { type: 'button', id: 'plan-xlsx', onclick: () => download('/api/v1/plan/entries?format=xlsx', 'strategic-plan.xlsx') }, t('plan_xlsx'))),
    h('div', { class: 'field' }, h('label', { for: 'plan-country' }, t('plan_country')), picker),
    h('div', { id: 'plan-form' }));
  await countryForm(area, plan.body, chosen, cells);
  title.focus();
  return null;
}

/** Actions x countries: a mark and a word per cell, missing cells marked for the eye and in words. */
function overview(plan, countries, cells) {
  return h('div', { class: 'plan-scroll', tabindex: '0', role: 'region', 'aria-label': t('plan_overview') },
    h('table', { class: 'plan-overview', id: 'plan-overview' },
      h('caption', {}, t('plan_overview')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('plan_action')), countries.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, actions(plan).map((action) => h('tr', { 'data-action': action.code },
        h('th', { scope: 'row', title: textOf(action.text) }, action.code),
        countries.map((c) => {
          const status = cells.get(`${action.code}|${c}`)?.status || 'missing';
          return h('td', { class: `plan-${status}`, 'data-country': c, title: t(`plan_status_${status}`) },
            MARK[status], h('span', { class: 'sr-only' }, ` ${t(`plan_status_${status}`)}`));
        }))))));
}

async function countryForm(area, plan, country, cells) {
  const place = area.querySelector('#plan-form');
  const writable = mayWrite() && inScope([country]);
  const actors = writable ? await send(`/api/v1/actors?country=${encodeURIComponent(country)}&limit=1000&lang=${lang()}`) : null;
  if (actors && actors.status !== 200) return failure(place, actors);
  const choices = actors ? actors.body.items : [];
  fill(place, h('h4', {}, t('plan_form', { country })),
    plan.axes.map((axis) => h('section', { class: 'plan-axis' }, h('h5', {}, `${axis.code}. ${textOf(axis.text)}`),
      axis.objectives.flatMap((o) => o.actions).map((action) =>
        actionForm(area, action, cells.get(`${action.code}|${country}`), choices, writable)))));
  return null;
}

function actionForm(area, action, cell, choices, writable) {
  const id = `plan-${action.code.replace(/[^A-Za-z0-9-]/g, '_')}`;
  const message = h('p', { class: 'ed-message', role: 'status', hidden: true });
  const tag = cell.version > 0 ? `"v${cell.version}"` : undefined;
  const done = async (r) => {
    if (r.status === 200) return showPlan(area, cell.country);
    fill(message, r.status === 412 || r.status === 428 ? t('ed_stale') : failedText(r));
    message.className = 'ed-message error';
    message.hidden = false;
    return null;
  };
  const chosen = new Set(cell.actors);
  const boxes = choices.map((a) => h('label', { class: 'plan-actor' },
    h('input', { type: 'checkbox', value: a.id, checked: chosen.has(a.id) }), ` ${textOf(a.name)}${a.acronym ? ` (${a.acronym})` : ''}`));
  const save = () => send(`/api/v1/plan/entries/${action.code}/${cell.country}`, {
    method: 'PUT', ifMatch: tag,
    body: { actors: boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => Number(i.value)) },
  }).then(done);
  const confirm = () => send(`/api/v1/plan/entries/${action.code}/${cell.country}/confirm`, { method: 'POST', body: {}, ifMatch: tag }).then(done);
  const noteDay = h('input', { type: 'date', id: `${id}-on`, required: true, value: new Date().toISOString().slice(0, 10) });
  const noteText = h('textarea', { id: `${id}-note`, rows: '2', maxlength: '2000', required: true });
  const addNote = (ev) => {
    ev.preventDefault();
    return send(`/api/v1/plan/entries/${action.code}/${cell.country}/notes`, {
      method: 'POST', body: { on: noteDay.value, text: noteText.value },
    }).then(done);
  };
  const confirms = account()?.every_country && mayWrite() && cell.status === 'proposed';
  return h('details', { class: `plan-action plan-${cell.status}`, id, open: cell.status !== 'confirmed' && writable },
    h('summary', {}, h('strong', {}, action.code), ` ${textOf(action.text)} · `,
      h('span', { class: 'plan-status' }, t(`plan_status_${cell.status}`))),
    cell.responsible.length ? h('p', {}, t('plan_responsible'), ' ',
      cell.responsible.map((r) => r.name || t('plan_deleted', { id: r.id })).join('; ')) : null,
    writable && choices.length ? h('fieldset', { class: 'plan-actors' }, h('legend', {}, t('plan_choose')), boxes) : null,
    writable && !choices.length ? h('p', { class: 'muted' }, t('plan_no_actors')) : null,
    message,
    writable ? h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary plan-save', onclick: save }, t('plan_save')),
      confirms ? h('button', { type: 'button', class: 'plan-confirm', onclick: confirm }, t('plan_confirm')) : null) : null,
    cell.notes.length ? h('ul', { class: 'plan-notes' }, cell.notes.map((n) => h('li', {}, `${n.on}: ${n.text}`,
      n.by ? h('span', { class: 'muted' }, ` (${n.by})`) : null))) : null,
    writable ? h('form', { class: 'plan-note', onsubmit: addNote },
      h('div', { class: 'field' }, h('label', { for: `${id}-on` }, t('plan_note_on')), noteDay),
      h('div', { class: 'field wide' }, h('label', { for: `${id}-note` }, t('plan_note')), noteText),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'plan-add-note' }, t('plan_add_note')))) : null);
}
