/**
 * `ApiObject.toJson()` without cdk8s' generic resolver, for objects that are plain data.
 *
 * cdk8s renders an object as `convert(reorder(sanitize(resolve({ ...props, metadata: metadata.toJson() }))))`:
 * `resolve` copies the value tree, asking every resolver about every value (and looking the App up
 * from the object each time); `sanitize` copies it again, sorting keys and dropping null/undefined;
 * the generated binding's `toJson_<Kind>Props` converts it. At scale that is most of a synth.
 *
 * With only cdk8s' default resolvers (Lazy, implicit token, number/string union), `resolve` is an
 * exact copy of a value tree made of strings, numbers, booleans, null/undefined, arrays whose
 * prototype is Array.prototype and objects whose prototype is Object.prototype, as long as no object
 * has a `resolve` function or a `constructor` key and no array has a `resolve` or `value` property.
 * `render()` walks such a tree once, doing what `sanitize` does, and hands the result to the same
 * generated conversion; for anything else it returns `obj.toJson()` itself:
 * - the App has resolvers of its own (or not exactly cdk8s' three defaults),
 * - the object has JSON patches,
 * - its class is not `ApiObject` or a generated binding this module knows (an exact class match:
 *   a subclass may override `toJson`), or the class failed its check (below),
 * - any value is not plain data as above (a Lazy, a token, `IntOrString`, a Date, a function, a
 *   sparse array, a `__proto__` key...), except a Lazy created with `plainLazy`: the library's own,
 *   whose producer returns plain data and has no side effects. cdk8s' Lazy resolver replaces a Lazy
 *   by what it produces and resolves that, which is what the walk does.
 * Metadata is rendered the same way from the fields `ApiObjectMetadataDefinition.toJson()` reads.
 *
 * Two checks guard against an installed cdk8s that renders differently: at the start of each synth
 * a throwaway object holding every shape the walk handles (nulls, empty lists and maps, -0, NaN,
 * integer-like keys, plain Lazy values, metadata added later) is rendered both ways (a difference
 * turns the fast path off), and the first object of each class that takes the fast path is also
 * rendered by cdk8s and compared, keys in order (a difference turns it off for that class).
 *
 * Memo keys (`prepare(obj, true)`) are the JSON of the data as declared: see `PreparedObject.key`.
 * @internal
 */
import { ApiObject, App, ApiObjectMetadataDefinition, Chart, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import * as istio from '../imports/networking.istio.io';

/** Thrown inside the walk to hand the object to cdk8s. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain('not plain data');

/** Set by `verify` when the data holds a number JSON.stringify writes like another: no memo key. */
let lossy = false;

/** The library's own Lazy values: produce plain data, no side effects (see `plainLazy`). */
const PLAIN_LAZIES = new WeakSet<object>();

/**
 * Marks a cdk8s `Lazy` (returned as is) whose producer returns plain data (JSON-like values) and
 * has no side effects, so `MeshApp` may resolve it without cdk8s' generic resolver. @internal
 */
export function plainLazy<T>(lazy: T): T {
  if (lazy instanceof Lazy && !PLAIN_LAZIES.has(lazy)) {
    PLAIN_LAZIES.add(lazy);
    // what JSON.stringify writes for it (memo keys): what it produces, as cdk8s' Lazy resolver uses
    Object.defineProperty(lazy, 'toJSON', { value: () => (produced.has(lazy) ? produced.get(lazy) : lazy.produce()) });
  }
  return lazy;
}

/** What each plain Lazy produced during the current `verify` walk (read by its `toJSON`). */
const produced = new Map<object, unknown>();

/**
 * Whether the library may share frozen plain data (`sharedPlain`) between the objects below
 * `scope`: only in an App with cdk8s' three default resolvers. An App's own resolvers see every
 * value and may change it in place, which a frozen value refuses and a shared one would pass on
 * to every object sharing it; there each object keeps its own data (and `MeshApp` renders through
 * cdk8s anyway). @internal
 */
export function sharesPlainData(scope: IConstruct): boolean {
  const root = scope.node.root as Partial<App>;
  return Array.isArray(root.resolvers) && defaultResolversOnly(root as App);
}

/** Props values the library shares between objects: deeply frozen plain data (see `sharedPlain`). */
const SHARED = new WeakSet<object>();

/**
 * Deep-freezes `value` (plain data the library builds once and passes to several objects, e.g. the
 * same route table in every cluster's VirtualService) and marks it, so memo keys may name it by
 * identity instead of writing it out again for each object. @internal
 */
export function sharedPlain<T extends object>(value: T): T {
  const freeze = (v: unknown) => {
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
      for (const k of Object.keys(v)) freeze((v as Record<string, unknown>)[k]);
      Object.freeze(v);
    }
  };
  freeze(value);
  SHARED.add(value);
  return value;
}

type Convert = (resolved: Record<string, unknown>) => unknown;

/** `toJson()` of ApiObject itself, as loaded (a replaced one sends every object to cdk8s). */
const API_OBJECT_TO_JSON = ApiObject.prototype.toJson;
const METADATA_TO_JSON = ApiObjectMetadataDefinition.prototype.toJson;

/** The generated bindings the library creates objects with. */
type Module = Record<string, unknown>;
const BINDING_MODULES: readonly Module[] = [istio as unknown as Module, k8s as unknown as Module];

/**
 * The conversion of an object's class, as its generated `toJson()` does it after `super.toJson()`
 * (`{ ...Kind.GVK, ...toJson_KindProps(resolved) }`), or undefined for classes left to cdk8s.
 */
function conversionOf(cls: Function): Convert | undefined {
  // generated bindings call it (super.toJson()) before their conversion
  if (ApiObject.prototype.toJson !== API_OBJECT_TO_JSON) return undefined;
  if (cls === ApiObject) return (resolved) => resolved;
  if (Object.getPrototypeOf(cls) !== ApiObject || !Object.prototype.hasOwnProperty.call(cls.prototype, 'toJson')) return undefined;
  for (const mod of BINDING_MODULES) {
    if (mod[cls.name] !== cls) continue;
    const fn = mod[`toJson_${cls.name}Props`];
    const gvk = (cls as unknown as { GVK?: { apiVersion?: unknown; kind?: unknown } }).GVK;
    if (typeof fn !== 'function' || typeof gvk?.apiVersion !== 'string' || typeof gvk.kind !== 'string') return undefined;
    const props = fn as (x: unknown) => Record<string, unknown> | undefined;
    return (resolved) => ({ ...gvk, ...props(resolved) });
  }
  return undefined;
}

/** Whether some prototype makes `resolve` see plain values differently (a `resolve`/`value` added to a builtin). */
function builtinsPatched(): boolean {
  const protos: Array<Record<string, unknown>> = [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype] as never;
  return protos.some((p) => 'resolve' in p || 'toJSON' in p || ('value' in p && p !== (Object.prototype as never)))
    || Object.prototype.constructor !== Object || enumerableInherited();
}

/** Whether a plain object inherits an enumerable property (for-in would list it). */
function enumerableInherited(): boolean {
  for (const k in {}) return k !== undefined;
  return false;
}

function defaultResolversOnly(app: App): boolean {
  const r = app.resolvers;
  return r.length === 3 && r[0]?.constructor === LazyResolver && r[1]?.constructor === ImplicitTokenResolver
    && r[2]?.constructor === NumberStringUnionResolver;
}

/**
 * `sanitizeValue(resolve(v))` for plain data (default resolvers), or NotPlain. `filterEmpty`: the
 * metadata variant (empty arrays and objects dropped).
 */
function plain(v: unknown, sortKeys: boolean, filterEmpty: boolean): unknown {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'undefined':
      return undefined;
    case 'object': {
      if (v === null) return undefined;
      const proto = Object.getPrototypeOf(v);
      if (proto === Array.prototype) {
        const arr = v as unknown[];
        if ('resolve' in arr || 'value' in arr) throw NOT_PLAIN;
        const n = arr.length;
        if (filterEmpty && n === 0) return undefined;
        const out = new Array(n);
        for (let i = 0; i < n; i++) {
          const x = arr[i];
          if (x === undefined && !(i in arr)) throw NOT_PLAIN; // a hole: map() keeps it
          out[i] = plain(x, sortKeys, filterEmpty);
        }
        return out;
      }
      if (proto === Object.prototype) {
        const obj = v as Record<string, unknown>;
        if (obj.constructor !== Object || typeof obj.resolve === 'function') throw NOT_PLAIN;
        const keys = Object.keys(obj);
        if (sortKeys) sortStrings(keys);
        const out: Record<string, unknown> = {};
        let count = 0;
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          if (k === '__proto__') throw NOT_PLAIN;
          const r = plain(obj[k], sortKeys, filterEmpty);
          if (r !== undefined) {
            out[k] = r;
            count++;
          }
        }
        return filterEmpty && count === 0 ? undefined : out;
      }
      if (v instanceof Lazy && PLAIN_LAZIES.has(v)) return plain(v.produce(), sortKeys, filterEmpty);
      throw NOT_PLAIN;
    }
    default:
      throw NOT_PLAIN;
  }
}

/**
 * Throws NotPlain exactly where `plain` would, without copying: for memo keys, which are the
 * JSON.stringify of the data as declared. Sets `lossy` for numbers JSON.stringify writes like
 * another one. (null and undefined list items need no flag here: both become undefined in the
 * resolved data, both null in JSON.)
 */
function verify(v: unknown): void {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return;
    case 'number':
      if (v !== v || v === Infinity || v === -Infinity || (v === 0 && 1 / v < 0)) lossy = true;
      return;
    case 'object': {
      if (v === null) return;
      const proto = Object.getPrototypeOf(v);
      if (proto === Array.prototype) {
        const arr = v as unknown[];
        if ('resolve' in arr || 'value' in arr) throw NOT_PLAIN;
        for (let i = 0; i < arr.length; i++) {
          const x = arr[i];
          if (x === undefined && !(i in arr)) throw NOT_PLAIN;
          verify(x);
        }
        return;
      }
      if (proto === Object.prototype) {
        const obj = v as Record<string, unknown>;
        if (obj.constructor !== Object || typeof obj.resolve === 'function') throw NOT_PLAIN;
        // for-in: the own keys here (nothing enumerable is inherited from Object.prototype, see
        // builtinsPatched), without allocating a key list per object
        for (const k in obj) {
          if (k === '__proto__') throw NOT_PLAIN;
          verify(obj[k]);
        }
        return;
      }
      if (v instanceof Lazy && PLAIN_LAZIES.has(v)) {
        const p = v.produce();
        produced.set(v, p);
        verify(p);
        return;
      }
      throw NOT_PLAIN;
    }
    default:
      throw NOT_PLAIN;
  }
}

/** `keys.sort()` (UTF-16 order), skipped when already in order (most objects). */
function sortStrings(keys: string[]): void {
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      return;
    }
  }
}

/** The fields `ApiObjectMetadataDefinition.toJson()` reads, if the object still has them. */
interface MetadataFields {
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly labels: unknown;
  readonly annotations: unknown;
  readonly finalizers: unknown;
  readonly ownerReferences: unknown;
  readonly _additionalAttributes: unknown;
}

/** JSON of property names seen in memo keys (a few dozen distinct ones: apiVersion, kind, spec...). */
const QUOTED = new Map<string, string>();
function quoted(k: string): string {
  let q = QUOTED.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (QUOTED.size < 1024) QUOTED.set(k, q);
  }
  return q;
}

/** The fields `metadata.toJson()` writes over the additional attributes, in a fixed order for memo keys. */
const METADATA_FIELDS = ['name', 'namespace', 'annotations', 'finalizers', 'ownerReferences', 'labels'] as const;

/** The metadata's fields and additional attributes, or NOT_PLAIN when cdk8s must render it. */
function metadataFields(metadata: ApiObjectMetadataDefinition): { m: MetadataFields; extra: Record<string, unknown> } {
  const m = metadata as unknown as MetadataFields;
  if (Object.getPrototypeOf(metadata) !== ApiObjectMetadataDefinition.prototype || metadata.toJson !== METADATA_TO_JSON) throw NOT_PLAIN;
  const extra = m._additionalAttributes;
  if (extra === null || typeof extra !== 'object' || Object.getPrototypeOf(extra) !== Object.prototype) throw NOT_PLAIN;
  return { m, extra: extra as Record<string, unknown> };
}

/** What `metadata.toJson()` resolves: `{ ...additional attributes, name, namespace, annotations, finalizers, ownerReferences, labels }`. */
function metadataInput(metadata: ApiObjectMetadataDefinition): Record<string, unknown> {
  const { m, extra } = metadataFields(metadata);
  return {
    ...extra,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  };
}

/** Deep equality with key order (the canary comparison). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !sameJson((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false;
  }
  return true;
}

/** A class's conversion and its number in memo keys. */
interface ClassEntry {
  readonly cls: Function;
  readonly convert: Convert;
  readonly index: number;
}

/** One object prepared by `ObjectRenderer.prepare`. @internal */
export interface PreparedObject {
  /**
   * Equal keys mean equal `toJson()` output: the same class and the same data as declared
   * (JSON.stringify of the props and of the metadata, each plain Lazy as it produces, shared data
   * by the number of its JSON), from which the resolved data follows. Undefined when not asked for, when the object goes to cdk8s, or
   * when the data holds a number JSON.stringify writes like another (-0, NaN, ±Infinity).
   */
  readonly key?: string;
  /** The object's `toJson()`. */
  json(): unknown;
}

/**
 * Renders the API objects of one App, each as `obj.toJson()` would. One per synth: it reads the
 * App's resolvers and `CDK8S_DISABLE_SORT` once. @internal
 */
export class ObjectRenderer {
  /** Objects rendered here, and objects handed to cdk8s (for tests and benchmarks). */
  public readonly stats = { fast: 0, cdk8s: 0 };
  private readonly enabled: boolean;
  private readonly sortKeys: boolean;
  /** Per class: its entry, null when its objects go to cdk8s. */
  private readonly classes = new Map<Function, ClassEntry | null>();
  /** Classes whose first fast rendering has been compared with cdk8s'. */
  private readonly checked = new Set<Function>();
  /** Shared data (`sharedPlain`) seen in this synth: its id in memo keys. */
  private readonly shared = new WeakMap<object, { readonly id: string; readonly lossy: boolean }>();
  /** The id of each distinct JSON of shared data. */
  private readonly sharedIds = new Map<string, string>();

  public constructor(app: App) {
    this.sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
    this.enabled = defaultResolversOnly(app) && !builtinsPatched() && this.canaryAgrees();
  }

  /**
   * Whether an object holding every shape the walk handles renders as cdk8s renders it (a cdk8s
   * whose resolve or sanitize rules changed turns the fast path off), checked in a throwaway App.
   */
  private canaryAgrees(): boolean {
    try {
      const chart = new Chart(new App({ outdir: '.' }), 'canary', { namespace: 'ns', labels: { z: '1', a: '2' } });
      const o = new ApiObject(chart, 'o', {
        apiVersion: 'v1',
        kind: 'Canary',
        metadata: { name: 'o', annotations: {}, finalizers: [], labels: { b: '' } },
        spec: { z: [3, null, undefined, [], {}, [{}], { b: null, a: [null] }], a: { y: undefined, x: null, w: '' }, 10: 0, 9: -0, B: NaN, b: Infinity, é: 'x' },
        other: plainLazy(Lazy.any({ produce: () => ({ k: [plainLazy(Lazy.any({ produce: () => undefined }))], j: 1.5 }) })),
        empty: {},
        list: [],
      });
      o.metadata.addLabel('c', '3');
      o.metadata.addAnnotation('n', 'x');
      o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u' });
      o.metadata.add('extra', { y: [], x: {} });
      const ours = this.resolve(o);
      return ours !== undefined && sameJson(ours, o.toJson());
    } catch {
      return false;
    }
  }

  /** The same value as `obj.toJson()`. */
  public render(obj: ApiObject): unknown {
    return this.prepare(obj, false).json();
  }

  /** The object's memo key (`withKey`), and its JSON on demand. */
  public prepare(obj: ApiObject, withKey: boolean): PreparedObject {
    const entry = this.entryOf(obj);
    if (entry !== undefined) {
      if (withKey) {
        const key = this.keyOf(obj, entry);
        if (!(key instanceof NotPlain)) {
          this.stats.fast++;
          return { key, json: () => this.jsonOf(obj, entry, this.resolve(obj)) };
        }
      } else {
        const data = this.resolve(obj);
        if (data !== undefined) {
          this.stats.fast++;
          return { json: () => this.jsonOf(obj, entry, data) };
        }
      }
    }
    this.stats.cdk8s++;
    const json = obj.toJson();
    return { json: () => json };
  }

  /** The object's class entry, or undefined when cdk8s renders it. */
  private entryOf(obj: ApiObject): ClassEntry | undefined {
    if (!this.enabled || (obj as unknown as { patches: unknown[] }).patches.length > 0) return undefined;
    const cls = obj.constructor;
    let entry = this.classes.get(cls);
    if (entry === undefined) {
      const convert = conversionOf(cls);
      entry = convert ? { cls, convert, index: this.classes.size } : null;
      this.classes.set(cls, entry);
    }
    const props = (obj as unknown as { props: unknown }).props;
    return entry === null || props === null || typeof props !== 'object' ? undefined : entry;
  }

  /** The memo key (undefined: lossy data), or NOT_PLAIN when cdk8s renders the object. */
  private keyOf(obj: ApiObject, entry: ClassEntry): string | undefined | NotPlain {
    try {
      lossy = false;
      // `index|metadata|"key":value|...`: each value as JSON, or `#n` for shared data (the n-th
      // distinct JSON of shared data); JSON values and quoted keys delimit themselves
      let key = `${entry.index}|${this.metadataKey(obj.metadata)}|`;
      const props = (obj as unknown as { props: Record<string, unknown> }).props;
      for (const k of Object.keys(props)) {
        if (k === 'metadata') continue; // replaced by the metadata
        const part = this.partOf(props[k], 2);
        if (part !== undefined) key += `${quoted(k)}:${part}|`;
      }
      return lossy ? undefined : key;
    } catch {
      return NOT_PLAIN;
    } finally {
      if (produced.size > 0) produced.clear();
    }
  }

  /**
   * The metadata part of a memo key: what `metadataInput` returns, without building it. cdk8s
   * keeps the options it was given as the additional attributes (a `delete` leaves that object in
   * V8's slow dictionary mode, so spreading it per object costs more than the rest of the key):
   * its other keys, then the six fields in a fixed order, each as `partOf` writes it.
   */
  private metadataKey(metadata: ApiObjectMetadataDefinition): string {
    const { m, extra } = metadataFields(metadata);
    let out = '';
    for (const k in extra) {
      if ((METADATA_FIELDS as readonly string[]).includes(k)) continue; // written over by the fields
      if (k === '__proto__') throw NOT_PLAIN;
      const part = this.partOf(extra[k], 1);
      if (part !== undefined) out += `${quoted(k)}:${part},`;
    }
    out += '|';
    for (const f of METADATA_FIELDS) out += `${this.partOf(m[f], 1) ?? '-'},`;
    return out;
  }

  /**
   * What JSON.stringify writes for a property value (undefined: the property is not written),
   * except that shared data (`sharedPlain`), also as a plain Lazy produces it, is written as its
   * `#n`, down to `depth` levels of plain objects (a spec whose traffic policy and subsets are
   * shared costs a few short strings, not the JSON of the whole spec).
   */
  private partOf(v: unknown, depth: number): string | undefined {
    if (typeof v === 'string') return JSON.stringify(v);
    if (v !== null && typeof v === 'object') {
      if (v instanceof Lazy && PLAIN_LAZIES.has(v)) {
        const p = v.produce();
        produced.set(v, p);
        return this.partOf(p, depth);
      }
      if (SHARED.has(v)) return this.sharedId(v);
      if (depth > 1 && Object.getPrototypeOf(v) === Object.prototype) {
        const obj = v as Record<string, unknown>;
        if (obj.constructor !== Object || typeof obj.resolve === 'function') throw NOT_PLAIN;
        let out = '{';
        for (const k in obj) {
          if (k === '__proto__') throw NOT_PLAIN;
          const part = this.partOf(obj[k], depth - 1);
          if (part !== undefined) out += `${out.length > 1 ? ',' : ''}${quoted(k)}:${part}`;
        }
        return `${out}}`;
      }
    }
    if (v === undefined) return undefined;
    verify(v);
    return JSON.stringify(v);
  }

  /** `#n` for shared data (checked once: frozen, so it stays as checked), setting `lossy` as `verify` does. */
  private sharedId(v: object): string {
    let known = this.shared.get(v);
    if (known === undefined) {
      const before = lossy;
      lossy = false;
      verify(v);
      const json = JSON.stringify(v);
      let id = this.sharedIds.get(json);
      if (id === undefined) this.sharedIds.set(json, id = `#${this.sharedIds.size}`);
      known = { id, lossy };
      this.shared.set(v, known);
      lossy = before;
    }
    if (known.lossy) lossy = true;
    return known.id;
  }

  /** The resolved, sanitized and reordered data (what the generated conversion takes), or undefined for cdk8s. */
  private resolve(obj: ApiObject): Record<string, unknown> | undefined {
    try {
      // ApiObject.toJson: { ...props, metadata }, resolved and sanitized (the metadata's sanitized
      // form is unchanged by a second pass: sorted, nothing null, nothing left to resolve)
      const metadata = plain(metadataInput(obj.metadata), true, true);
      const props = (obj as unknown as { props: object }).props;
      const resolved = plain({ ...props, metadata: undefined }, this.sortKeys, false) as Record<string, unknown>;
      if (metadata !== undefined) resolved.metadata = metadata;
      // the top-level keys: apiVersion, kind, metadata, then the rest in order
      const data: Record<string, unknown> = {};
      for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(resolved)]) {
        if (k in resolved) data[k] = resolved[k];
      }
      return data;
    } catch {
      // not plain data, or anything unexpected (a cycle): cdk8s renders it, or reports the error
      return undefined;
    }
  }

  /** The conversion of the resolved data; the first of each class is compared with cdk8s'. */
  private jsonOf(obj: ApiObject, entry: ClassEntry, data: Record<string, unknown> | undefined): unknown {
    if (data === undefined) return obj.toJson();
    let json: unknown = entry.convert(data);
    if (!this.checked.has(entry.cls)) {
      this.checked.add(entry.cls);
      const theirs = obj.toJson();
      if (!sameJson(json, theirs)) {
        this.classes.set(entry.cls, null);
        json = theirs;
      }
    }
    return json;
  }
}
