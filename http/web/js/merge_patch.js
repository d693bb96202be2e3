// A JSON merge patch (RFC 7396) from one version of a record to another: what PATCH sends, so an
// edit carries only what the editor changed and nothing they did not see.
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// An empty list or object is what the registry prints for a member that has nothing.
const empty = (v) => v == null || v === '' || (Array.isArray(v) && !v.length) || (isObject(v) && !Object.keys(v).length);

export function same(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same(a[k], b[k]));
  }
  return false;
}

/** The patch that turns `before` into `after` (null removes a member; arrays go whole). */
export function mergePatch(before, after) {
  if (!isObject(before) || !isObject(after)) return after === undefined ? null : after;
  const patch = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (after[k] === undefined) { if (before[k] !== undefined) patch[k] = null; continue; }
    if (!same(before[k], after[k])) patch[k] = mergePatch(before[k], after[k]);
  }
  return patch;
}

/** The patch for the given members only (the ones a form edits), from `live` to `edited`. */
export function patchOf(live, edited, members) {
  const patch = {};
  for (const m of members) {
    if (same(live[m], edited[m]) || (empty(live[m]) && empty(edited[m]))) continue;
    patch[m] = edited[m] === undefined ? null : mergePatch(live[m], edited[m]);
  }
  return patch;
}
