/** The value `compact` returns: the same shape, with `undefined` removed from every property. @internal */
export type Compacted<T> = T extends Array<infer U> ? Array<Compacted<U>>
  : T extends object ? { [K in keyof T]: Compacted<Exclude<T[K], undefined>> } : T;

/**
 * Drops `undefined` values and empty objects/arrays, deeply, so that no `{}`, `[]` or `null`-ish
 * placeholder ever reaches a manifest or a values file (and `Yaml.stringify` never sees an
 * `undefined`). Returns `undefined` when nothing is left. The one helper for this in the library.
 * @internal
 */
export function compact<T>(obj: T): Compacted<T> | undefined {
  if (Array.isArray(obj)) {
    const arr = obj.map((x) => compact(x)).filter((x) => x !== undefined);
    return (arr.length ? arr : undefined) as Compacted<T> | undefined;
  }
  if (obj !== null && typeof obj === 'object' && Object.getPrototypeOf(obj) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      const c = compact(v);
      if (c !== undefined) out[k] = c;
    }
    return (Object.keys(out).length ? out : undefined) as Compacted<T> | undefined;
  }
  return obj as Compacted<T>;
}
