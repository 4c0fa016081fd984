/**
 * Checked reads for places where the code knows an element or entry exists (an index below a
 * length just checked, a key just set). They replace a bare non-null `!`: if the knowledge is
 * ever wrong, the failure names what was missing instead of surfacing later as `undefined`.
 */

/** A broken internal invariant (a bug), never a user-input error: those are `KamError` results. */
export class InternalError extends Error {
  override name = "InternalError";
}

/** `arr[i]`, which must exist. `what` names the array in the error. */
export function at<T>(arr: ArrayLike<T>, i: number, what = "array"): T {
  const v = arr[i];
  if (v === undefined) throw new InternalError(`${what}[${i}] is missing (length ${arr.length})`);
  return v;
}

/** `value`, which must be neither `undefined` nor `null`. `what` names it in the error. */
export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new InternalError(`${what} is missing`);
  return value;
}

/** `map.get(key)`, which must be present. `what` names the map in the error. */
export function got<K, V>(map: ReadonlyMap<K, V>, key: K, what = "map"): V {
  const v = map.get(key);
  if (v === undefined) throw new InternalError(`${what} has no entry for ${String(key)}`);
  return v;
}
