/**
 * A fast drop-in for cdk8s `Yaml.stringify(...docs)`: the same bytes, an order of magnitude sooner.
 *
 * cdk8s renders each document with `YAML.stringify(doc, { keepUndefined: true, lineWidth: 0,
 * version: '1.1' })` (eemeli/yaml, bundled in cdk8s). For a large mesh that is ~30 s of a synth,
 * nearly all of it spent deciding, again and again, how to write the same few thousand strings.
 *
 * This emitter splits the work:
 * - STRUCTURE (block maps, block sequences, indentation, `{}`/`[]`) is written here, following the
 *   rules of yaml 2.x's block collections (see `emitMap`/`emitSeq`). A canary set of documents is
 *   checked against cdk8s on first use; if the installed cdk8s/yaml disagrees on anything, the fast
 *   path switches itself off for the life of the process and every document goes to cdk8s.
 * - SCALARS (every string value, every key, every number, booleans, null) are never written here:
 *   each distinct one is rendered by cdk8s' own `Yaml.stringify` (in batches, see `renderPending`)
 *   and cached. A scalar's rendering depends only on its role and, for multi-line strings, on its
 *   indentation; the caches are keyed accordingly:
 *     - single-line string values: by string (same rendering at every depth ≥ 1, since
 *       `lineWidth: 0` disables folding);
 *     - multi-line string values (block scalars `|-`, or quoted with folded line breaks): by
 *       (depth, string), since every continuation line carries the indentation;
 *     - keys of the document's root map: by string (yaml quotes keys that look like a document
 *       marker, `---x`/`...x`, only at the root);
 *     - keys of nested maps: by string;
 *     - numbers: by value (`-0` separately).
 *   Scalars are rendered in bulk: all values missing from the cache as one top-level sequence
 *   (`- R` per line), keys as one map (`R: 1` per line); the output is split only if it has exactly
 *   one line per scalar, otherwise each is rendered alone. A document that met a missing scalar is
 *   emitted again once the batch is rendered.
 * - FALLBACK: a document is handed to cdk8s whole when it is not plain JSON data (class instances,
 *   Dates, Maps, Sets, buffers, bigint, functions, symbols, anything with a `toJSON` property or an
 *   own iterator), when one object or array occurs twice in it (yaml writes `&a1`/`*a1` anchors),
 *   when a key renders longer than 1024 characters (yaml writes an explicit `? key` entry), when the
 *   document itself is a scalar or an empty collection, or when anything unexpected is thrown.
 *
 * Property getters are read once per emission, so a document that is emitted again (or handed to
 * cdk8s) reads them again: fine for data, which is all `ApiObject.toJson()` returns.
 *
 * @internal
 */
import * as fs from 'fs';
import { Yaml } from 'cdk8s';

/** Thrown inside the emitter to hand one document to cdk8s. */
class Fallback extends Error {}
const FALLBACK = new Fallback('fallback');

/** Returned by `tryEmit` when a scalar is not rendered yet; the document is emitted again after `renderPending`. */
const RETRY = Symbol('retry');

/** A rendering cdk8s would not place after `key: `/`- ` on one line (explicit keys, anything odd). */
const UNUSABLE = '';

/** The longest implicit key yaml writes; longer keys become `? key` entries. */
const MAX_IMPLICIT_KEY = 1024;

/** The caches together hold at most about this many renderings; beyond, they are emptied at the start of the next call. */
const CACHE_LIMIT = 250_000;

/** Documents per slice in `writeDocs` (bounds the memory of the streaming variant). */
const SLICE = 2_000;

// ---------------------------------------------------------------------------------------------
// Caches of scalar renderings (by cdk8s' Yaml.stringify)

const valueCache = new Map<string, string>();
const multiCache = new Map<number, Map<string, string>>();
const rootKeyCache = new Map<string, string>();
const keyCache = new Map<string, string>();
const numberCache = new Map<number, string>();

const pendingValues = new Set<string>();
const pendingMulti = new Map<number, Set<string>>();
const pendingRootKeys = new Set<string>();
const pendingKeys = new Set<string>();
const pendingNumbers = new Set<number>();

/** Renderings of the constant scalars, each with its leading space (' true'). */
interface Constants {
  readonly true: string;
  readonly false: string;
  readonly null: string;
  readonly negativeZero: string;
  /** An `undefined` value in a map (keepUndefined: true). */
  readonly undefinedInMap: string;
  /** An `undefined` item in an array. */
  readonly undefinedInSeq: string;
}

let constants: Constants | undefined;
/** Documents written by the emitter, and documents handed to cdk8s (for tests and benchmarks). */
const stats = { fastDocs: 0, fallbackDocs: 0 };
/** undefined: not checked yet; then whether the canary documents came out identical. */
let fastPathOk: boolean | undefined;

/**
 * cdk8s' Yaml.stringify as it was when this module was loaded: if it is later replaced by one that
 * calls stringifyDocs (to speed up `Yaml.save` in a synth), the renderings and fallbacks still come
 * from cdk8s rather than recursing.
 */
const cdk8sStringify: (...docs: unknown[]) => string = Yaml.stringify.bind(Yaml);

function cdk8s(doc: unknown): string {
  return cdk8sStringify(doc);
}

// ---------------------------------------------------------------------------------------------
// Emission
//
// The text of a document is collected as a list of cached fragments and joined once (string `+=`
// would allocate a rope node per fragment). Value fragments carry their leading space (' R'), key
// fragments their colon ('R:'), so a `key: value` line is three fragments: newline + indentation,
// 'key:', ' value'; a sequence item is '\n  -' and ' value'.

const buf: string[] = [];
let missing = false;

/**
 * Objects and arrays seen in the current document: a second visit means yaml would write an anchor
 * and an alias. The first SMALL_DOC ones are kept in a list and searched linearly (a manifest has a
 * few dozen objects, and hashing object identities costs more than that); beyond, in a Set.
 */
const SMALL_DOC = 128;
const seenList: object[] = [];
let seenCount = 0;
const seenSet = new Set<object>();

/**
 * Object.keys of a plain object, or a Fallback when `v` is not one yaml would write as a plain map
 * (yaml calls a `toJSON` method, and writes anything iterable as a sequence). Any `toJSON`, even
 * a string, is left to cdk8s: `in` is several times cheaper than reading the property.
 */
function plainKeys(v: object): string[] {
  const proto = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || Symbol.iterator in v || 'toJSON' in v) throw FALLBACK;
  return Object.keys(v);
}

/** A Fallback unless `v` is an array yaml writes as a plain sequence of its items. */
function checkArray(v: unknown[]): void {
  if (Object.getPrototypeOf(v) !== Array.prototype || 'toJSON' in v) throw FALLBACK;
}

/** Marks an object or array as visited; a second visit means yaml would write an alias. */
function visit(v: object): void {
  if (seenCount < SMALL_DOC) {
    for (let i = 0; i < seenCount; i++) {
      if (seenList[i] === v) throw FALLBACK;
    }
    seenList[seenCount++] = v;
    return;
  }
  if (seenCount === SMALL_DOC) {
    for (let i = 0; i < SMALL_DOC; i++) seenSet.add(seenList[i]);
  }
  seenCount++;
  if (seenSet.has(v)) throw FALLBACK;
  seenSet.add(v);
}

/** Forgets the objects seen (`release`: drops the references too, at the end of a call). */
function resetSeen(release: boolean): void {
  if (seenCount > SMALL_DOC) seenSet.clear();
  seenCount = 0;
  if (release) seenList.length = 0;
}

/** A cached rendering, or a Fallback when cdk8s' rendering could not be used. */
function usable(r: string): string {
  if (r === UNUSABLE) throw FALLBACK;
  return r;
}

/** ' ' + the rendering of a string value at `depth`. */
function stringValue(s: string, depth: number): string {
  const r = valueCache.get(s);
  if (r !== undefined) return usable(r);
  if (s.includes('\n')) {
    const m = multiCache.get(depth)?.get(s);
    if (m !== undefined) return usable(m);
    let p = pendingMulti.get(depth);
    if (!p) {
      p = new Set();
      pendingMulti.set(depth, p);
    }
    p.add(s);
  } else {
    pendingValues.add(s);
  }
  missing = true;
  return UNUSABLE;
}

/** ' ' + the rendering of a number. */
function numberValue(n: number): string {
  if (n === 0 && Object.is(n, -0)) return constants!.negativeZero;
  const r = numberCache.get(n);
  if (r !== undefined) return usable(r);
  pendingNumbers.add(n);
  missing = true;
  return UNUSABLE;
}

/** The rendering of a key + ':'. */
function keyString(k: string, root: boolean): string {
  const r = (root ? rootKeyCache : keyCache).get(k);
  if (r !== undefined) return usable(r);
  // the rendering is never shorter than the key, so this one would be an explicit `? key`
  if (k.length > MAX_IMPLICIT_KEY) throw FALLBACK;
  (root ? pendingRootKeys : pendingKeys).add(k);
  missing = true;
  return UNUSABLE;
}

/** `'\n' + indentation` and `'\n' + indentation + '-'` for each depth. */
const NEWLINE: string[] = [];
const NEWLINE_DASH: string[] = [];
function newline(depth: number): string {
  return NEWLINE[depth] ?? (NEWLINE[depth] = '\n' + '  '.repeat(depth));
}
function newlineDash(depth: number): string {
  return NEWLINE_DASH[depth] ?? (NEWLINE_DASH[depth] = newline(depth) + '-');
}

/**
 * A block map whose keys are at `depth` (2 spaces each): `k: v` entries joined by newline +
 * indentation; the first entry is not indented (the caller has placed it). Values are at depth + 1.
 */
function emitMap(obj: Record<string, unknown>, keys: string[], depth: number): void {
  const root = depth === 0;
  const sep = newline(depth);
  const valueDepth = depth + 1;
  const c = constants!;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (i > 0) buf.push(sep);
    buf.push(keyString(k, root));
    const v = obj[k];
    switch (typeof v) {
      case 'string':
        buf.push(stringValue(v, valueDepth));
        break;
      case 'number':
        buf.push(numberValue(v));
        break;
      case 'boolean':
        buf.push(v ? c.true : c.false);
        break;
      case 'undefined':
        buf.push(c.undefinedInMap);
        break;
      case 'object':
        if (v === null) {
          buf.push(c.null);
        } else if (Array.isArray(v)) {
          checkArray(v);
          visit(v);
          if (v.length === 0) {
            buf.push(' []');
          } else {
            // sequences in maps are indented (indentSeq: true): `key:\n  - a`
            buf.push(newline(valueDepth));
            emitSeq(v, valueDepth);
          }
        } else {
          const ks = plainKeys(v);
          visit(v);
          if (ks.length === 0) {
            buf.push(' {}');
          } else {
            buf.push(newline(valueDepth));
            emitMap(v as Record<string, unknown>, ks, valueDepth);
          }
        }
        break;
      default:
        throw FALLBACK;
    }
  }
}

/** A block sequence whose `- ` markers are at `depth`; items are at depth + 1. */
function emitSeq(arr: unknown[], depth: number): void {
  const sep = newlineDash(depth);
  const itemDepth = depth + 1;
  const c = constants!;
  for (let i = 0; i < arr.length; i++) {
    buf.push(i > 0 ? sep : '-');
    const v = arr[i];
    switch (typeof v) {
      case 'string':
        buf.push(stringValue(v, itemDepth));
        break;
      case 'number':
        buf.push(numberValue(v));
        break;
      case 'boolean':
        buf.push(v ? c.true : c.false);
        break;
      case 'undefined':
        buf.push(c.undefinedInSeq);
        break;
      case 'object':
        if (v === null) {
          buf.push(c.null);
        } else if (Array.isArray(v)) {
          checkArray(v);
          visit(v);
          // `- - a\n  - b`: a nested sequence starts on the item's line
          if (v.length === 0) {
            buf.push(' []');
          } else {
            buf.push(' ');
            emitSeq(v, itemDepth);
          }
        } else {
          const ks = plainKeys(v);
          visit(v);
          // `- name: x\n  port: 1`: a map starts on the item's line
          if (ks.length === 0) {
            buf.push(' {}');
          } else {
            buf.push(' ');
            emitMap(v as Record<string, unknown>, ks, itemDepth);
          }
        }
        break;
      default:
        throw FALLBACK;
    }
  }
}

/**
 * One document as cdk8s writes it (with its final newline), or RETRY when some scalar is not
 * rendered yet (it is then pending). Throws Fallback for documents left to cdk8s.
 */
function tryEmit(doc: unknown): string | typeof RETRY {
  if (doc === null || typeof doc !== 'object') throw FALLBACK;
  buf.length = 0;
  missing = false;
  resetSeen(false);
  try {
    if (Array.isArray(doc)) {
      checkArray(doc);
      if (doc.length === 0) throw FALLBACK;
      visit(doc);
      emitSeq(doc, 0);
    } else {
      const keys = plainKeys(doc);
      if (keys.length === 0) throw FALLBACK;
      visit(doc);
      emitMap(doc as Record<string, unknown>, keys, 0);
    }
    if (missing) return RETRY;
    buf.push('\n');
    return buf.join('');
  } finally {
    buf.length = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering scalars through cdk8s

/**
 * The renderings ' R' of single-line scalars, from the `- R` lines of a top-level sequence of them,
 * or undefined if the output is not exactly one such line per item.
 */
function seqItems(items: unknown[]): string[] | undefined {
  const text = cdk8s(items);
  const lines = text.split('\n');
  if (lines.length !== items.length + 1 || lines[items.length] !== '') return undefined;
  const result: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const line = lines[i];
    if (!line.startsWith('- ') || line.length === 2) return undefined;
    result.push(line.slice(1));
  }
  return result;
}

/**
 * The renderings 'R:' of keys, from the `R: 1` entries of a map at the document root (root) or one
 * level down, or undefined if the output is not exactly one such line per key (e.g. an explicit `? key`).
 */
function mapKeys(keys: string[], root: boolean): string[] | undefined {
  // a prototype-less object, so `__proto__` is a key like any other; a Map would be an !!omap in YAML 1.1
  const inner: Record<string, number> = Object.create(null);
  for (const k of keys) inner[k] = 1;
  const order = Object.keys(inner); // integer-like keys come first, as in yaml's output
  const text = cdk8s(root ? inner : { a: inner });
  const lines = text.split('\n');
  const first = root ? 0 : 1;
  if (lines.length !== order.length + first + 1 || lines[lines.length - 1] !== '' || (!root && lines[0] !== 'a:')) return undefined;
  const prefix = root ? '' : '  ';
  const result = new Map<string, string>();
  for (let i = 0; i < order.length; i++) {
    const line = lines[first + i];
    if (!line.startsWith(prefix) || !line.endsWith(': 1') || line.length <= prefix.length + 3) return undefined;
    result.set(order[i], line.slice(prefix.length, -2));
  }
  return keys.map((k) => result.get(k)!);
}

/** ' R': a multi-line string rendered as a map value whose indentation is `depth` levels. */
function multiLine(s: string, depth: number): string {
  // { a: { a: ... { a: s } } } with `depth` maps is written 'a:\n' + '  a:\n' + ... + '  '.repeat(depth - 1) + 'a: ' + R + '\n'
  let doc: unknown = s;
  let prefix = '';
  for (let d = 0; d < depth; d++) {
    doc = { a: doc };
    prefix += '  '.repeat(d) + (d === depth - 1 ? 'a: ' : 'a:\n');
  }
  const text = cdk8s(doc);
  if (depth < 1 || !text.startsWith(prefix) || !text.endsWith('\n')) return UNUSABLE;
  const r = text.slice(prefix.length, -1);
  return r === '' || r[0] === '\n' ? UNUSABLE : ' ' + r;
}

function renderPending(): void {
  if (pendingValues.size > 0) {
    const items = [...pendingValues];
    const rendered = seqItems(items);
    items.forEach((s, i) => {
      valueCache.set(s, rendered ? rendered[i] : (seqItems([s]) ?? [UNUSABLE])[0]);
    });
    pendingValues.clear();
  }
  for (const [depth, strings] of pendingMulti) {
    let cache = multiCache.get(depth);
    if (!cache) {
      cache = new Map();
      multiCache.set(depth, cache);
    }
    for (const s of strings) cache.set(s, multiLine(s, depth));
  }
  pendingMulti.clear();
  for (const [pending, cache, root] of [[pendingRootKeys, rootKeyCache, true], [pendingKeys, keyCache, false]] as const) {
    if (pending.size === 0) continue;
    const keys = [...pending];
    const rendered = mapKeys(keys, root);
    keys.forEach((k, i) => {
      const r = rendered ? rendered[i] : (mapKeys([k], root) ?? [UNUSABLE])[0];
      cache.set(k, r.length - 1 > MAX_IMPLICIT_KEY ? UNUSABLE : r); // 'R:'
    });
    pending.clear();
  }
  if (pendingNumbers.size > 0) {
    const nums = [...pendingNumbers];
    const rendered = seqItems(nums);
    nums.forEach((n, i) => numberCache.set(n, rendered ? rendered[i] : (seqItems([n]) ?? [UNUSABLE])[0]));
    pendingNumbers.clear();
  }
}

function clearPending(): void {
  pendingValues.clear();
  pendingMulti.clear();
  pendingRootKeys.clear();
  pendingKeys.clear();
  pendingNumbers.clear();
}

function trimCaches(): void {
  let multi = 0;
  for (const m of multiCache.values()) multi += m.size;
  if (valueCache.size + multi + rootKeyCache.size + keyCache.size + numberCache.size > CACHE_LIMIT) {
    valueCache.clear();
    multiCache.clear();
    rootKeyCache.clear();
    keyCache.clear();
    numberCache.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// Set-up: constants and the canary check

function initConstants(): Constants {
  const scalars = seqItems([true, false, null, -0, undefined]);
  const undefinedInMap = cdk8s({ a: undefined });
  if (!scalars || !undefinedInMap.startsWith('a: ') || !undefinedInMap.endsWith('\n') || undefinedInMap.indexOf('\n') !== undefinedInMap.length - 1) {
    throw new Fallback('unexpected rendering of constants');
  }
  const [t, f, n, z, u] = scalars;
  return { true: t, false: f, null: n, negativeZero: z, undefinedInSeq: u, undefinedInMap: undefinedInMap.slice(2, -1) };
}

/** Documents whose every structural rule the fast path relies on. */
function canaryDocs(): unknown[] {
  const long = 'a long value with spaces '.repeat(8);
  const labels = Object.fromEntries([['topology.istio.io/network', 'yes'], ['*', '1_000'], ['---k', '---k']]);
  const manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', labels },
    data: { mesh: 'a: 1\nb:\n  - c\n', strip: 'x\ny', keep: 'x\n\n', lead: ' x\ny', long, [long]: long },
    empty: { map: {}, seq: [], undef: undefined, nil: null, yes: true, no: false },
    num: [0, -0, 1.5, 1e21, -7],
    deep: { l1: { l2: [{ name: 'a', port: 1, tags: ['p\nq', long, {}, [], null, undefined] }, [['x'], []]] } },
  };
  return [
    Object.assign(Object.fromEntries([['---k', { ...labels }]]), manifest),
    [{ a: 1, b: [1, 2] }, ['a\nb', [1]], 'x\ny\n', {}, []],
  ];
}

function checkFastPath(): boolean {
  try {
    constants = initConstants();
    const docs = canaryDocs();
    for (const doc of docs) {
      let r = tryEmit(doc);
      if (r === RETRY) {
        renderPending();
        r = tryEmit(doc);
      }
      if (r !== cdk8s(doc)) return false;
    }
    return true;
  } catch {
    return false;
  } finally {
    clearPending();
  }
}

// ---------------------------------------------------------------------------------------------
// API

/**
 * The rendering of each document (the pieces cdk8s `Yaml.stringify` joins with `---\n`).
 * @internal
 */
export function renderDocs(docs: unknown[]): string[] {
  if (fastPathOk === undefined) fastPathOk = checkFastPath();
  const parts: string[] = new Array(docs.length);
  if (!fastPathOk) {
    for (let i = 0; i < docs.length; i++) {
      if (docs[i] === undefined) {
        parts[i] = '\n';
      } else {
        parts[i] = cdk8s(docs[i]);
        stats.fallbackDocs++;
      }
    }
    return parts;
  }
  try {
    trimCaches();
    const retry: number[] = [];
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      if (doc === undefined) {
        parts[i] = '\n';
        continue;
      }
      try {
        const r = tryEmit(doc);
        if (r === RETRY) {
          retry.push(i);
        } else {
          parts[i] = r;
          stats.fastDocs++;
        }
      } catch {
        parts[i] = cdk8s(doc);
        stats.fallbackDocs++;
      }
    }
    if (retry.length > 0) {
      try {
        renderPending();
      } finally {
        clearPending();
      }
      for (const i of retry) {
        const doc = docs[i];
        let r: string | typeof RETRY;
        try {
          r = tryEmit(doc);
        } catch {
          r = RETRY;
        }
        if (r === RETRY) {
          parts[i] = cdk8s(doc);
          stats.fallbackDocs++;
        } else {
          parts[i] = r;
          stats.fastDocs++;
        }
      }
      clearPending();
    }
  } finally {
    resetSeen(true); // holds no object of the caller's beyond the call
  }
  return parts;
}

/**
 * The same string as cdk8s `Yaml.stringify(...docs)` (documents joined by `---\n`, an `undefined`
 * document written as an empty line), for JSON data such as `ApiObject.toJson()`; anything else
 * is handed to cdk8s as is.
 * @internal
 */
export function stringifyDocs(docs: unknown[]): string {
  return renderDocs(docs).join('---\n');
}

/**
 * Writes the same bytes as cdk8s `Yaml.save(file, docs)` to an open file descriptor, a slice of
 * documents at a time (`sliceSize`, default 2,000), so only one slice's YAML is in memory at once.
 * @internal
 */
export function writeDocs(fd: number, docs: unknown[], sliceSize: number = SLICE): void {
  const slice = Math.max(1, Math.floor(sliceSize));
  for (let start = 0; start < docs.length; start += slice) {
    const parts = renderDocs(docs.slice(start, start + slice));
    // chunks end between documents, so no UTF-16 surrogate pair is ever split across two writes
    const text = (start > 0 ? '---\n' : '') + parts.join('---\n');
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
  }
}

/**
 * Whether the fast path is in use (false when the installed cdk8s writes the canary documents
 * differently and every document goes to cdk8s). For tests.
 * @internal
 */
export function yamlFastPathEnabled(): boolean {
  if (fastPathOk === undefined) fastPathOk = checkFastPath();
  return fastPathOk;
}

/**
 * How many documents the emitter wrote itself and how many it handed to cdk8s, since the process
 * started. For tests and benchmarks.
 * @internal
 */
export function yamlEmitterStats(): { readonly fastDocs: number; readonly fallbackDocs: number } {
  return { ...stats };
}
