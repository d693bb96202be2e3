// Signing in and out. Loaded only for /#signin or a tab that already holds a token (app.js), so a
// caseworker who never signs in gets the page as it always was: no tab, no form, no request with
// a token. Signed in, an "Editing" tab shows who the token is (role and countries, from
// GET /api/v1/me) with the sign-out button, and the editing views (editing.js).
import { t, apply, addStrings } from './i18n.js';
import { $, h, fill, loadStyle } from './dom.js';
import { state } from './state.js';
import { account, resume, signIn, signOut } from './session.js';
import { editingViews, detailActions } from './editing.js';

let showView = () => {};

function ensureTab() {
  if (!$('#tab-edit')) {
    $('.tabs').append(h('button', { role: 'tab', id: 'tab-edit', 'aria-controls': 'view-edit', 'aria-selected': 'false', tabindex: '-1', 'data-view': 'edit', 'data-i18n': 'tab_edit' }, t('tab_edit')));
  }
  if (!$('#view-edit')) $('#panel').append(h('section', { id: 'view-edit', role: 'tabpanel', 'aria-labelledby': 'tab-edit', class: 'view', hidden: true }));
  return $('#view-edit');
}

/** Back to the public page: the tab, its views and the token go; the map stays as it was. */
function leave(note = '') {
  signOut();
  state.account = null;
  const wasOpen = state.view === 'edit';
  $('#tab-edit')?.remove();
  $('#view-edit')?.remove();
  if (location.hash === '#signin') history.replaceState(null, '', location.pathname + location.search);
  if (wasOpen) showView('find');
  if (note) $('#status').textContent = note;
}

function signInForm(view) {
  const message = h('p', { class: 'ed-message', role: 'alert' });
  const input = h('input', { id: 'signin-token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'signin-note' });
  const form = h('form', { id: 'signin-form', class: 'ed-signin', novalidate: true },
    h('h2', { 'data-i18n': 'signin_title' }, t('signin_title')),
    h('p', { id: 'signin-note', 'data-i18n': 'signin_note' }, t('signin_note')),
    h('div', { class: 'field' }, h('label', { for: 'signin-token', 'data-i18n': 'signin_token' }, t('signin_token')), input),
    message,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', 'data-i18n': 'signin' }, t('signin'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await signIn(input.value);
    input.value = '';
    if (r.status === 200) { signedIn(view); return; }
    fill(message, r.status === 0 ? t('signin_empty') : r.status === 429 ? t('signin_throttled') : r.status === -1 ? t('signin_no_storage') : t('signin_refused'));
    input.focus();
  });
  fill(view, form);
  input.focus();
}

function accountBar() {
  const me = account();
  const countries = me.every_country ? t('me_every_country') : me.countries.join(', ');
  return h('div', { class: 'ed-account' },
    h('p', { id: 'me' }, h('span', { 'data-i18n': 'me_signed_in' }, t('me_signed_in')), ' ', h('strong', { id: 'me-name' }, me.name), ' · ',
      h('span', { id: 'me-role', 'data-role': me.role, 'data-i18n': `role_${me.role}` }, t(`role_${me.role}`)), ' · ',
      h('span', { id: 'me-countries' }, countries)),
    h('button', { type: 'button', id: 'signout', 'data-i18n': 'signout', onclick: () => leave(t('signed_out')) }, t('signout')));
}

function signedIn(view) {
  state.account = { actionsFor: (kind, record) => detailActions(kind, record, showView) };
  fill(view, accountBar(), editingViews());
  apply(view);
}

/** Starts the session part of the page: `show` is app.js's showView. */
let started = false;
export async function startAccount({ show }) {
  showView = show;
  await Promise.all([addStrings('edit'), loadStyle(new URL('../css/edit.css', import.meta.url).href)]);
  if (started) { openSignIn(); return; }
  started = true;
  window.addEventListener('enlace-signed-out', () => leave(t('signin_expired')));
  const asked = location.hash === '#signin';
  if (!(await resume()) && !asked) { leave(); return; } // a token that stopped: read as the public
  const view = ensureTab();
  if (account()) signedIn(view);
  else signInForm(view);
  if (asked) { showView('edit'); $('#signin-token')?.focus(); }
}

/** /#signin typed into a page already open. */
function openSignIn() {
  const view = ensureTab();
  if (!account()) signInForm(view);
  showView('edit');
  $('#signin-token')?.focus();
}
