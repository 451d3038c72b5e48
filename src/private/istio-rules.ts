/**
 * Istio's own validation rules, reimplemented so that bad input fails at synth time with the
 * message istiod's webhook would give (plus what is valid). Each function returns the Istio
 * error messages (empty when valid); the constructs turn them into {@link invalid} errors that
 * name the construct and the field.
 *
 * Sources: istio/istio `pkg/config/validation/agent/validation.go` (ValidateLocalityLbSetting,
 * validateLocalities, ValidateWildcardDomain, ValidateDuration) and
 * `pkg/config/labels/instance.go`, identical at 1.30.3 and master.
 * @internal
 */
import { Construct } from 'constructs';
import { invalid } from './invalid';

// ---------------------------------------------------------------------------------------------
// Names, labels and hosts

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ISTIO_DNS1123_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_PREFIX_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Kubernetes object/namespace name as a DNS-1123 label (lowercase, ≤ 63). @internal */
export function isDns1123Label(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** Kubernetes object name as a DNS-1123 subdomain (lowercase, ≤ 253). @internal */
export function isDns1123Subdomain(value: string): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= 253 && value.split('.').every((l) => DNS1123_LABEL.test(l) && l.length <= 63);
}

/** Istio `IsDNS1123Label` as used for subset names (accepts uppercase). @internal */
export function isIstioDns1123Label(value: string): boolean {
  return value.length <= 63 && ISTIO_DNS1123_LABEL.test(value);
}

/**
 * The one name cdk8s cannot render as an object key: its `sanitizeValue` reads `obj.constructor.name`,
 * so an object with an own `constructor` key fails synth with a plain Error. Label and annotation
 * keys, localities and cluster names that become keys in a manifest must not be it. @internal
 */
export const UNRENDERABLE_KEY = 'constructor';

/**
 * A pure check of one string, remembered: a large mesh checks the same label keys, values and hosts
 * once per cluster and subset (400,000 times at 20 clusters x 1,000 services). At most `limit`
 * answers are kept; beyond, the cache starts over.
 */
function remembered<R>(check: (s: string) => R, limit = 10_000): (s: string) => R {
  const answers = new Map<string, R>();
  return (s: string) => {
    if (typeof s !== 'string') return check(s);
    if (answers.has(s)) return answers.get(s) as R;
    const r = check(s);
    if (answers.size >= limit) answers.clear();
    answers.set(s, r);
    return r;
  };
}

/** Istio `labels.Instance.Validate` for one key: returns Istio's message, or undefined. @internal */
export const labelKeyError: (key: string) => string | undefined = remembered(labelKeyErrorOf);

function labelKeyErrorOf(key: string): string | undefined {
  if (key === UNRENDERABLE_KEY) return `invalid tag key: ${JSON.stringify(key)} (cdk8s cannot render an object with this key)`;
  const slash = key.lastIndexOf('/');
  let name = key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix.length > 253) return `invalid tag key: ${JSON.stringify(key)} (DNS prefix is too long)`;
    if (!isDns1123Subdomain(prefix)) return `invalid tag key: ${JSON.stringify(key)}`;
  }
  if (name.length > 63) return `invalid tag key: ${JSON.stringify(key)} (name is too long)`;
  if (!QUALIFIED_NAME.test(name)) return `invalid tag key: ${JSON.stringify(key)}`;
  return undefined;
}

/**
 * A label value as the Kubernetes API server accepts it (Istio itself enforces no length, but
 * labels on pods and selectors are limited to 63 characters). @internal
 */
export const labelValueError: (value: string) => string | undefined = remembered(labelValueErrorOf);

function labelValueErrorOf(value: string): string | undefined {
  if (!LABEL_VALUE.test(value)) return `invalid tag value: ${JSON.stringify(value)}`;
  if (value.length > 63) return `invalid tag value: ${JSON.stringify(value)} (longer than 63 characters)`;
  return undefined;
}

/**
 * Istio `ValidateWildcardDomain`: a DestinationRule/VirtualService host or a serviceSettings host.
 * A wildcard is allowed only as the whole first label or its prefix (`*`, `*.x`, `*-x`). @internal
 */
export const wildcardDomainError: (domain: string) => string | undefined = remembered(wildcardDomainErrorOf);

function wildcardDomainErrorOf(domain: string): string | undefined {
  if (domain.length === 0) return 'empty domain name not allowed';
  if (domain.length > 255) return `domain name ${JSON.stringify(domain)} too long (max 255)`;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !WILDCARD_PREFIX_LABEL.test(first)) {
    return `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(first)} invalid)`;
  }
  if (dot < 0) return undefined;
  const rest = domain.slice(dot + 1);
  const parts = rest.split('.');
  const tld = parts[parts.length - 1];
  if (/^[+-]?\d+$/.test(tld)) {
    return `domain name ${JSON.stringify(rest)} invalid (top level domain ${JSON.stringify(tld)} cannot be all-numeric)`;
  }
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined; // trailing dot: `istio.io.`
    if (parts[i].length > 63 || !ISTIO_DNS1123_LABEL.test(parts[i])) {
      return `domain name ${JSON.stringify(rest)} invalid (label ${JSON.stringify(parts[i])} invalid)`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Localities

/**
 * Istio `validateLocalities`, ported rule for rule: returns the first error, as istiod does.
 * With `strict` (the default) checks Istio lacks are added, because the input can never work:
 * a `*` that is not a whole segment (`us-east*` passes Istio's suffix check but matches nothing
 * at runtime) and more than three segments (`a/b/c/d` becomes sub-zone `c/d`, which no node
 * label can carry).
 *
 * `ordered` says whether the list order matters at runtime. `distribute[].from` is an ordered
 * list (istiod uses the first entry that matches the client), so Istio's own one-way check is
 * exactly right there: `a/b` then `a/*` works, `a/*` then `a/b` (shadowed) is refused. The keys
 * of `distribute[].to` are a map that Go walks in random order, so there an overlap in either
 * order is refused. @internal
 */
export function localitiesError(localities: string[], strict = true, ordered = false): string | undefined {
  const overlap = (l: string) => `locality ${l} overlap with previous specified ones`;
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const locality of localities) {
    const stars = locality.split('*').length - 1;
    if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) {
      return `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`;
    }
    if (seen.has('*')) return overlap(locality);
    const parts = splitLocality(locality);
    if (parts.some((p) => p === '')) return `locality ${locality} must not contain empty region/zone/subzone info`;
    if (strict && stars === 1 && parts[parts.length - 1] !== '*') {
      return `locality ${locality} has a partial wildcard: '*' matches only a whole region, zone or sub-zone`;
    }
    if (strict && locality.split('/').length > 3) {
      return `locality ${locality} has more than three segments: a locality is region, region/zone or region/zone/subzone`;
    }
    const [region, zone, subzone] = parts;
    const zones = seen.get(region);
    if (parts.length === 1) {
      if (zones) return overlap(locality);
      seen.set(region, new Map([['*', new Set(['*'])]]));
    } else if (parts.length === 2) {
      if (zones) {
        if (zones.has('*') || zones.has(zone)) return overlap(locality);
        zones.set(zone, new Set(['*']));
      } else {
        seen.set(region, new Map([[zone, new Set(['*'])]]));
      }
    } else if (zones) {
      if (zones.has('*')) return overlap(locality);
      const subzones = zones.get(zone);
      if (subzones) {
        if (subzones.has('*') || subzones.has(subzone)) return overlap(locality);
        subzones.add(subzone);
      } else {
        zones.set(zone, new Set([subzone]));
      }
    } else {
      seen.set(region, new Map([[zone, new Set([subzone])]]));
    }
  }
  if (strict && !ordered) {
    for (let j = 1; j < localities.length; j++) {
      for (let i = 0; i < j; i++) {
        if (localityCovers(localities[i], localities[j]) || localityCovers(localities[j], localities[i])) {
          return overlap(localities[j]);
        }
      }
    }
  }
  return undefined;
}

/** True when every locality matched by `b` is also matched by `a` (`*` and missing segments match anything). @internal */
export function localityCovers(a: string, b: string): boolean {
  const pa = splitLocality(a);
  const pb = splitLocality(b);
  for (let i = 0; i < pa.length; i++) {
    if (pa[i] === '*') return true;
    if (i >= pb.length || pb[i] === '*' || pa[i] !== pb[i]) return false;
  }
  return true;
}

/** `getLocalityParam`-compatible split: at most 3 parts, the last keeps any further `/`. @internal */
export function splitLocality(locality: string): string[] {
  const parts = locality.split('/');
  if (parts.length <= 3) return parts;
  return [parts[0], parts[1], parts.slice(2).join('/')];
}

// ---------------------------------------------------------------------------------------------
// Durations

/** Go's `time.Duration` is int64 nanoseconds: istiod and the CRD's CEL `duration()` reject more. */
const MAX_GO_DURATION_MS = 9_223_372_036_854;

/**
 * Istio `ValidateDuration` on milliseconds: at least 1ms, whole milliseconds. @internal
 */
export function durationError(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return 'duration must be a finite number of milliseconds';
  if (ms < 1) return 'duration must be greater than 1ms';
  if (!Number.isInteger(ms)) return 'only durations to ms precision are supported';
  if (ms > MAX_GO_DURATION_MS) return 'duration exceeds the largest Go duration (2562047h, about 292 years)';
  return undefined;
}

/**
 * Renders a cdk8s `Duration` the way Istio prints it (`1h`, `1m`, `1s`, `1ms`), after checking
 * `ValidateDuration`. Accepts only real `Duration` objects (a JavaScript caller could pass
 * anything). @internal
 */
export function istioDuration(scope: Construct, construct: string, field: string, value: unknown): string {
  const d = value as { toMilliseconds?: (o?: { integral?: boolean }) => number };
  if (value === null || typeof value !== 'object' || typeof d.toMilliseconds !== 'function') {
    invalid(scope, construct, field, value, 'must be a cdk8s Duration', 'Duration.millis(n), Duration.seconds(n), Duration.minutes(n) with n ≥ 1ms in total');
  }
  const ms = d.toMilliseconds({ integral: false });
  const err = durationError(ms);
  if (err) invalid(scope, construct, field, `${ms}ms`, err, 'a whole number of milliseconds, at least 1ms');
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}


