/**
 * One validator per construct: `const v = validator(this, 'LocalityFailoverRule')`, then
 * `v.integer('maxReplicas', props.maxReplicas, 1, 1000)`. Every check throws the library's
 * `ValidationError` through `invalid`, so wording and format are the same everywhere.
 * @internal
 */
import { IConstruct } from 'constructs';
import { invalid, show, undisclosed } from './invalid';
import { isDns1123Label, labelKeyError, labelValueError } from './istio-rules';
import { warn } from '../warnings';

/** The keys of a props interface, checked by TypeScript to be exactly its keys. @internal */
export type KeysOf<T> = { readonly [K in keyof Required<T>]: true };

/** @internal */
export class Validator {
  public constructor(public readonly scope: IConstruct | string, public readonly construct: string) {}

  /** Throws the library's validation error for `field`. */
  public fail(field: string, value: unknown, reason: string, valid?: string): never {
    invalid(this.scope, this.construct, field, value, reason, valid);
  }

  /** Records a warning (an error in strict mode). Needs a construct scope. */
  public warn(field: string, value: unknown, reason: string, suggestion: string): void {
    if (typeof this.scope === 'string') return;
    warn(this.scope, this.construct, field, value, reason, suggestion);
  }

  /**
   * A props object from any jsii language: an object, with no key the interface does not have (a
   * JavaScript caller's `{ failover, distribute }` on the wrong intent, or a typo such as
   * `outlierDetecton`, is refused instead of silently ignored). Keys whose value is `undefined`
   * count as absent.
   */
  public props<T>(field: string, value: T, keys: KeysOf<T>, example: string): T {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(field || 'props', value, value === undefined ? (field ? 'a value is required' : 'props are required') : 'must be an object', example);
    }
    this.knownKeys(field, value as object, keys);
    return value;
  }

  /** Like `props`, for an optional object (`undefined` passes). */
  public optionalProps<T>(field: string, value: T | undefined, keys: KeysOf<T>, example: string): T | undefined {
    return value === undefined ? undefined : this.props(field, value, keys, example);
  }

  /** Refuses keys of `value` that are not in `keys`. */
  public knownKeys(field: string, value: object, keys: { readonly [key: string]: true }): void {
    for (const key of Object.keys(value)) {
      if (keys[key] === true || (value as Record<string, unknown>)[key] === undefined) continue;
      const known = Object.keys(keys);
      const near = nearest(key, known);
      const name = key === '' ? show(key) : key; // the empty key still names a field: ""
      // the value is described, never shown: a mistyped `tokn` under registration holds a token
      this.fail(field ? `${field}.${name}` : name, undisclosed((value as Record<string, unknown>)[key]),
        `unknown property ${show(key)}${near ? ` (did you mean ${show(near)}?)` : ''}: it would be ignored`,
        `the properties of ${field || this.construct}: ${known.join(', ')}`);
    }
  }

  /** A non-empty string. */
  public string(field: string, value: unknown, valid: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(field, value, value === '' ? 'must not be empty' : 'must be a string', valid);
    return value;
  }

  /** An optional list (`undefined` passes). */
  public optionalList<T>(field: string, value: T[] | undefined, valid: string): T[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(field, value, 'must be a list', valid);
    return value;
  }

  /** A whole number in `[min, max]`. */
  public integer(field: string, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, value, 'must be a whole number', `an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** An optional whole number in `[min, max]`, or `fallback`. */
  public optionalInteger(field: string, value: unknown, min: number, max: number, fallback: number): number;
  public optionalInteger(field: string, value: unknown, min: number, max: number): number | undefined;
  public optionalInteger(field: string, value: unknown, min: number, max: number, fallback?: number): number | undefined {
    return value === undefined ? fallback : this.integer(field, value, min, max);
  }

  /** A boolean from any jsii language: `undefined` gives the default, anything but a boolean fails. */
  public boolean(field: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(field, value, 'must be true or false', `true or false (default ${fallback})`);
    return value;
  }

  /** A Kubernetes namespace name (DNS-1123 label); `undefined` gives `fallback` (or passes). */
  public namespace(field: string, value: unknown, fallback: string): string;
  public namespace(field: string, value: unknown): string | undefined;
  public namespace(field: string, value: unknown, fallback?: string): string | undefined {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !isDns1123Label(value)) {
      this.fail(field, value, 'not a DNS-1123 label', 'a Kubernetes namespace name such as "default" or "istio-system"');
    }
    return value;
  }

  /** An Istio revision (`istio.io/rev`, a DNS-1123 label); `undefined` passes. */
  public revision(field: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !isDns1123Label(value)) {
      this.fail(field, value, 'not a DNS-1123 label (it becomes the istio.io/rev label and part of object names)', 'a revision such as "1-30-3" or "canary"');
    }
    // istiod's Service is istiod-<revision>, and a Service name is at most 63 characters
    if (value.length > 63 - 'istiod-'.length) {
      this.fail(field, value, `longer than ${63 - 'istiod-'.length} characters: the istiod Service istiod-<revision> would exceed the 63 characters of a Service name`, 'a shorter revision such as "1-30-3"');
    }
    return value;
  }

  /**
   * A network name: non-empty and a valid label value (it is the `topology.istio.io/network` label
   * of namespaces, pods and the gateway Service).
   */
  public network(field: string, value: unknown): string {
    if (typeof value !== 'string') this.fail(field, value, 'must be a string', 'a network name such as "kuchima-demo-vpc01"');
    if (value === '') {
      this.fail(field, value, 'must not be empty: an empty network means "no network", and istiod would not use the gateway for any network',
        'the cluster\'s network (values.global.network), e.g. "kuchima-demo-vpc01"');
    }
    const err = labelValueError(value);
    if (err) this.fail(field, value, err, 'a label value: up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    return value;
  }

  /** A label map: valid keys and values (`undefined` passes; `nonEmpty` refuses `{}`). */
  public labels(field: string, value: unknown, example: string = '{ "app": "echo" }', nonEmpty = false): { [key: string]: string } | undefined {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value) || (nonEmpty && Object.keys(value).length === 0)) {
      this.fail(field, value, nonEmpty ? 'must be a non-empty map of label keys to values' : 'must be a map of label keys to values', example);
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const keyErr = labelKeyError(k);
      if (keyErr) this.fail(`${field}[${show(k)}]`, k, keyErr, 'a label key such as "app" or "example.com/tier"');
      const valueErr = typeof v === 'string' ? labelValueError(v) : 'must be a string';
      if (valueErr) this.fail(`${field}[${show(k)}]`, v, valueErr, 'a label value: up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    }
    return { ...(value as { [key: string]: string }) };
  }
}

/** A validator bound to a construct (or, without one, to an API entry point such as `ServiceHost.of`). @internal */
export function validator(scope: IConstruct | string, construct: string): Validator {
  return new Validator(scope, construct);
}

/** The closest candidate by edit distance, if close enough to be a typo. @internal */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length < 3) return undefined;
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(word.toLowerCase()));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
