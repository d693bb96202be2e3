// A focal point's session: the token they pasted, kept in sessionStorage only (gone when the tab
// closes; never localStorage, IndexedDB or the service worker's cache), who it says they are
// (GET /api/v1/me), and the one fetch that sends it. Requests with the token are never cached:
// `cache: 'no-store'` here, the server's `private, no-store`, and sw.js leaves them alone.
const KEY = 'enlace.token';
let me = null;

export function storedToken() {
  try { return sessionStorage.getItem(KEY) || ''; } catch { return ''; }
}

export const account = () => me;

/** Drops the token and who it was (a sign-out, or a token the server no longer takes). */
export function signOut() {
  me = null;
  try { sessionStorage.removeItem(KEY); } catch { /* storage off */ }
}

/**
 * One request with the token: `Authorization: Bearer`, never cached. Answers {status, body,
 * etag} for every status; a 401 ends the session (the page then reads as the public).
 */
export async function send(path, { method = 'GET', body, type = 'application/json', ifMatch } = {}) {
  const token = storedToken();
  if (!token) return { status: 401, body: {}, etag: '' };
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = type;
  if (ifMatch) headers['If-Match'] = ifMatch;
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit',
  });
  const text = await response.text();
  let parsed = {};
  try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = { detail: text }; }
  if (response.status === 401 && me) {
    signOut();
    window.dispatchEvent(new CustomEvent('enlace-signed-out', { detail: { expired: true } }));
  }
  return { status: response.status, body: parsed, etag: response.headers.get('ETag') || '' };
}

/** A file the server makes for the caller (a token is needed, so not a plain link): saved as `name`. */
export async function download(path, name) {
  const token = storedToken();
  if (!token) return 401;
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store', credentials: 'omit' });
  if (!response.ok) return response.status;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return 200;
}

/** Checks a pasted token with GET /api/v1/me and keeps it only if the server takes it. */
export async function signIn(token) {
  const clean = token.trim();
  if (!clean) return { status: 0 };
  try { sessionStorage.setItem(KEY, clean); } catch { return { status: -1 }; }
  const answer = await send('/api/v1/me');
  if (answer.status !== 200) { signOut(); return answer; }
  me = answer.body;
  return answer;
}

/** The session kept from before a reload of the tab: asks the server who the token is. */
export async function resume() {
  if (!storedToken()) return null;
  const answer = await send('/api/v1/me');
  if (answer.status !== 200) { signOut(); return null; }
  me = answer.body;
  return me;
}

const WRITERS = ['editor', 'reviewer', 'compiler', 'admin'];
const REVIEWERS = ['reviewer', 'compiler', 'admin'];
export const mayWrite = () => Boolean(me && WRITERS.includes(me.role));
export const mayReview = () => Boolean(me && REVIEWERS.includes(me.role));
/** Whether the caller's scope holds any of these countries (an actor of several: any of them). */
export const inScope = (countries) => Boolean(me && (me.every_country || countries.some((c) => me.countries.includes(c))));
