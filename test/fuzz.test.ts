// Property-based tests (fast-check). Two properties across every public construct and entry point:
//  1. valid input (random topologies and intents) always synthesizes, deterministically, to
//     objects that pass the Istio/Kubernetes schemas, with every rule in every client cluster;
//  2. any input either fails with the library's own `ValidationError` (recognised with
//     `Errors.isValidationError`, never by parsing the message; its `construct` and `field` are
//     non-empty and the message names the field), or yields manifests the schemas accept. A
//     TypeError, RangeError or any other error (ours or cdk8s') fails the property with its stack.
//
// Junk: wrong types at every field (strings, unicode, a 100,000-character string, NaN, ±Infinity,
// -0, huge and fractional numbers, BigInt, symbols, functions, Dates, Maps, arrays where objects
// are expected), unknown keys (typos of real keys such as `outlierDetecton`, real keys of another
// props interface such as `failover` given to `distribute`, `__proto__`/`constructor`/`toString`
// as own keys, the empty key), frozen and null-prototype props objects, and nested junk in every
// nested props object.
//
// Not generated, on purpose: getters that throw, Proxies, and forged internals (an object with a
// hand-written `_spec` or `_resolve`): reading such a value throws the caller's own error, which
// the library cannot (and should not) turn into a ValidationError. Nor junk construct scopes and
// ids of constructors: `super(scope, id)` leaves those to the constructs library and its errors,
// as every construct does.
//
// Each property draws half its cases SOUND (valid values everywhere, so they reach synthesis and
// the schemas) and half JUNKY (junk or an invalid value at each point with odds 1 in ODDS). Explain
// results must be finite percentages that add up to 100; reports must not show NaN or undefined.
//
// Runs: FUZZ_SCALE multiplies every numRuns (default 1, about 40,000 cases in 30 s). A longer campaign:
// `FUZZ_SCALE=10 npx jest --ci --coverage=false test/fuzz.test.ts`. A failure prints its seed;
// replay it with FUZZ_SEED=<seed>. FUZZ_SURVEY=1 collects every distinct failure (by message and
// top stack frame) and prints them at the end instead of stopping at the first one.
//
// Every case uses `new App()`, never `Testing.app()`, which creates a temporary folder per call
// (hundreds of thousands in a campaign); nothing here writes files.
import { ApiObject, App, Chart, Duration, Testing, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  CloudProvider, ClusterLocalPolicy, CrossNetworkGateway, EastWestGateway, EastWestGatewayOperator, Errors, ExplainResult,
  GatewayDisruptionBudget, GatewayExposure, IstiodGateway, LocalityFailoverRule, MeshDiagram, MeshService, MultiClusterMesh,
  NetworkLabel, PerClusterSubsetRouting, ReaderTokenSecret, RemoteSecret, ServiceHost, TokenSource, TrafficExplainer, TrafficReport,
  IstioVersion, KubernetesVersion, TrafficDistribution, GatewayApiEastWestGateway, AmbientEastWestGateway, IstioRemoteGateway, GatewayAddress,
  DataPlaneMode,
} from '../src';
import { validateManifests } from './support/schema';
import type { ValidationError } from '../src/errors';
import * as K from '../src/private/props-keys';

const SCALE = Number(process.env.FUZZ_SCALE ?? '1');
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const SURVEY = process.env.FUZZ_SURVEY === '1';
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)), seed: SEED });

const TOKEN_VAR = 'CDK8S_ISTIO_MC_FUZZ_TOKEN';
const UNSET_VAR = 'CDK8S_ISTIO_MC_FUZZ_UNSET';
beforeAll(() => {
  process.env[TOKEN_VAR] = 'eyJhbGciOiJSUzI1NiJ9.fuzz-token';
  delete process.env[UNSET_VAR];
});
afterAll(() => {
  delete process.env[TOKEN_VAR];
});

// ---------------------------------------------------------------------------------------------
// The oracle

let cases = 0;
const outcomes = new Map<string, { accepted: number; refused: number }>();
const survey = new Map<string, { count: number; example: string }>();
/** With FUZZ_SURVEY=1: which construct and field refused each property's cases (to tune the generators). */
const refusedBy = new Map<string, number>();

/** A broken property (schema-invalid output, a wrong explain result): never mistaken for a library error. */
class PropertyFailure extends Error {}

/** Fails unless `e` is the library's ValidationError, with a construct and a field the message names. */
function assertLibraryError(e: unknown): void {
  if (!Errors.isValidationError(e)) {
    const what = e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : `${typeof e}: ${safeString(e)}`;
    throw new PropertyFailure(`not a library validation error: ${what}`);
  }
  if (typeof e.construct !== 'string' || e.construct === '') throw new PropertyFailure(`ValidationError without construct: ${e.message}`);
  if (typeof e.field !== 'string' || e.field === '') throw new PropertyFailure(`ValidationError without field: ${e.message}`);
  if (!e.message.includes(e.field)) throw new PropertyFailure(`ValidationError whose message does not name its field ${JSON.stringify(e.field)}: ${e.message}`);
}

function safeString(x: unknown): string {
  try {
    return String(x);
  } catch {
    return Object.prototype.toString.call(x);
  }
}

/**
 * Runs one generated case: `build` constructs (and may call entry points), returning the charts to
 * synthesize. Either it throws the library's ValidationError (at construction or at synth), or every
 * synthesized object passes the schemas.
 */
function check(name: string, build: () => Array<Chart | undefined> | void): void {
  cases++;
  const outcome = outcomes.get(name) ?? { accepted: 0, refused: 0 };
  outcomes.set(name, outcome);
  const refuse = (e: ValidationError) => {
    outcome.refused++;
    if (!SURVEY) return;
    const key = `${name}: ${e.construct}.${e.field.replace(/\[\d+\]/g, '[]').replace(/\(.*\)/, '(…)')}`;
    refusedBy.set(key, (refusedBy.get(key) ?? 0) + 1);
  };
  let objects: any[] = [];
  try {
    refusedCall = undefined;
    try {
      for (const chart of build() ?? []) if (chart) objects.push(...Testing.synth(chart));
    } catch (e) {
      if (e instanceof PropertyFailure) throw e;
      assertLibraryError(e);
      return refuse(e as ValidationError);
    }
    const errors = validateManifests(objects);
    if (errors.length) throw new PropertyFailure(`accepted input produced manifests the schemas reject:\n${errors.join('\n')}`);
    if (refusedCall) return refuse(refusedCall);
    outcome.accepted++;
  } catch (e) {
    if (!SURVEY || !(e instanceof PropertyFailure)) throw e;
    const lines = e.message.split('\n');
    const frame = lines.find((l) => l.trim().startsWith('at ') && l.includes('/src/')) ?? '';
    const key = `${name}: ${lines[0].slice(0, 160)} ${frame.trim()}`;
    const seen = survey.get(key) ?? { count: 0, example: e.message.split('\n').slice(0, 40).join('\n') };
    seen.count++;
    survey.set(key, seen);
  }
}

/** The last ValidationError of a `call` in the current case (the case then counts as refused). */
let refusedCall: ValidationError | undefined;

/** For entry points that return a value: a ValidationError, or a value `accept` is happy with. */
function call<T>(fn: () => T, accept: (value: T) => void = () => undefined): void {
  let value: T;
  try {
    value = fn();
  } catch (e) {
    if (e instanceof PropertyFailure) throw e;
    assertLibraryError(e);
    refusedCall = e as ValidationError;
    return;
  }
  accept(value);
}

// ---------------------------------------------------------------------------------------------
// Junk

const SYMBOL = Symbol('junk');
const HUGE = 'x'.repeat(100_000);

const junkString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', ' ', '*', '**', 'a/*/c', 'us-east*', 'a//b', '/', 'Upper_Case', 'ns/*.local', '.', '..', '~', '-a', 'a-', 'a.b', 'a..b',
    '1.2.3.4', '::1', 'a b', 'a\nb', '\u0000', 'İ', 'ß', 'é', '日本', '🙂', '\u200b', 'a\u202eb', 'x'.repeat(63), 'x'.repeat(64),
    'x'.repeat(254), HUGE, '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'topology.istio.io/network', '0.0.0.0/0',
    '10.0.0.1/8', 'https://', 'default', 'istio-system', 'kube-system', '=', 'a=b=c', 'NaN', '-1', '1e3', '0x10',
  ),
  fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }),
);
const junkNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 0, 0.5, 1e12, 1e308, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE, 2 ** 31, 2 ** 32, 65536),
  fc.integer(), fc.double(),
);
/** An object whose own keys shadow Object.prototype members; JSON.parse makes `__proto__` an own key (Object.keys lists it). */
const protoKeyed = fc.constant(null).map(() => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {}, "toString": 1, "valueOf": null}'));
const junkObject: fc.Arbitrary<object> = fc.oneof(
  fc.constant(null).map(() => ({})), fc.object({ maxDepth: 1, maxKeys: 3 }), fc.constant(null).map(() => Object.create(null)), protoKeyed,
  fc.constant(Object.freeze({ a: 1 })), fc.constant(new Date(0)), fc.constant(new Map([['a', 1]])), fc.constant(/x/), fc.constant(() => 1),
  fc.constant(class {}),
);
const junk: fc.Arbitrary<any> = fc.oneof(
  fc.constantFrom(undefined, null, true, false, SYMBOL, BigInt(10)),
  junkString, junkNumber, junkObject,
  fc.constantFrom([], [null], [[]], Object.freeze(['a'])), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
);


// Unknown keys: typos of the interface's keys, keys of other props interfaces, prototype-ish keys.
const ALL_KEYS = [...new Set(Object.values(K).flatMap((keys) => Object.keys(keys as object)))];
const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '', ' '];
const TYPOS = ['outlierDetecton', 'failovr', 'Failover', 'loadBalancing', 'connectionpool', 'exportto', 'hostname', 'namespaces',
  'Clusters', 'fallbackToAllCluster', 'consecutive5XxErrors', 'maxEjectionPercentage', 'interval ', 'exposeIstioD', 'minReplica'];

function typo(key: string, n: number, how: number): string {
  const i = n % key.length;
  switch (how % 5) {
    case 0: return key.slice(0, i) + key.slice(i + 1); // drop a character
    case 1: return key.slice(0, i) + key[i] + key.slice(i); // double one
    case 2: return i + 1 < key.length ? key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2) : `${key}_`; // swap two
    case 3: return key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase();
    default: return `${key}s`;
  }
}

function withKey(o: object, key: string, value: unknown): object {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(o)), o);
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function isPlain(v: unknown): v is Record<string | symbol, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || Array.isArray(v);
}

function deepFreeze<T>(v: T): T {
  if (isPlain(v)) {
    Object.values(v).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}


/** A value made when the case runs (a factory call that may itself refuse its input). */
class Make {
  public constructor(public readonly make: () => unknown, public readonly label: string) {}
  public toString(): string { return this.label; }
}

/** Replaces every `Make` in a generated value by what it makes, keeping prototypes and frozenness. */
function materialize(v: unknown): any {
  if (v instanceof Make) return v.make();
  if (!isPlain(v)) return v;
  const out = Array.isArray(v) ? [] : Object.create(Object.getPrototypeOf(v));
  for (const key of Reflect.ownKeys(v)) {
    const desc = Object.getOwnPropertyDescriptor(v, key)!;
    if (key === 'length' && Array.isArray(v)) continue;
    Object.defineProperty(out, key, { ...desc, value: materialize(desc.value), writable: true });
  }
  return Object.isFrozen(v) ? Object.freeze(out) : out;
}


const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
/** Mostly absent. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const CLUSTERS = ['c0', 'c1', 'c2', 'c3'];
const NETWORKS = ['n0', 'n1'];
const REGIONS = ['r0', 'r1', 'r2'];
const ZONES = ['z0', 'z1', 'z2'];
const AUTO_NAME = Symbol('auto-name');
/** The longest valid names (they probe the limits of the names derived from them). */
const LONG = `a${'b'.repeat(61)}c`;
const LONG_SUBDOMAIN = [LONG, LONG, LONG, `a${'b'.repeat(59)}c`].join('.');

// ---------------------------------------------------------------------------------------------
// Generators, built twice: SOUND cases use valid values everywhere (so they reach synthesis and the
// schemas, and find accepted-but-invalid output); JUNKY cases put junk and invalid values at every
// point with odds 1 in ODDS (so each field, nested field and props object meets junk). Each
// property draws half its cases from each.

/** Odds of a sound value against junk or an invalid value at each point of a JUNKY case. */
const ODDS = 8;

function generators(junky: boolean) {
  /** `sound`; in a JUNKY case sometimes `bad`. */
  const either = (sound: fc.Arbitrary<any>, bad: fc.Arbitrary<any>): fc.Arbitrary<any> =>
    (junky ? fc.oneof({ weight: ODDS, arbitrary: sound }, { weight: 1, arbitrary: bad }) : sound);
  /** The value; in a JUNKY case sometimes junk. */
  const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<any> => either(arb, junk);
  /** A property key (always a string); in a JUNKY case sometimes a junk string. */
  const maybeKey = (arb: fc.Arbitrary<string>): fc.Arbitrary<string> => either(arb, junkString);
  /** One of `valid`; in a JUNKY case sometimes one of `invalid`. */
  const pick = <T>(valid: readonly T[], invalid: readonly T[]): fc.Arbitrary<T> =>
    (invalid.length ? either(fc.constantFrom(...valid), fc.constantFrom(...invalid)) : fc.constantFrom(...valid));
  /** A whole number in [min, max]; in a JUNKY case sometimes just outside, or junk. */
  const count = (min: number, max: number) => maybe(either(fc.integer({ min, max }), fc.constantFrom(min - 1, max + 1, min + 0.5)));
  /**
   * A props object of the interface with these keys: `record`; in a JUNKY case sometimes with one
   * unknown key, deeply frozen, with a null prototype, wrapped in an array, or junk.
   */
  const propsOf = (record: fc.Arbitrary<object>, keys: object): fc.Arbitrary<any> => {
    if (!junky) return record;
    const known = Object.keys(keys);
    const extraKey = fc.oneof(
      fc.tuple(fc.constantFrom(...known), fc.nat(), fc.nat()).map(([k, n, how]) => typo(k, n, how)),
      fc.constantFrom(...TYPOS), fc.constantFrom(...ALL_KEYS), fc.constantFrom(...PROTO_KEYS),
    );
    return fc.oneof(
      { weight: ODDS, arbitrary: record },
      { weight: 2, arbitrary: fc.tuple(record, extraKey, fc.oneof(junk, fc.constant(1))).map(([r, k, v]) => withKey(r, k, v)) },
      { weight: 1, arbitrary: record.map(deepFreeze) },
      { weight: 1, arbitrary: record.map((r) => Object.assign(Object.create(null), r)) },
      { weight: 1, arbitrary: fc.oneof(record.map((r) => [r]), junk) },
    );
  };

  // --- values of the domain ---------------------------------------------------------------------

  const labelKey = either(fc.oneof(label, fc.constantFrom('example.com/tier', 'app')),
    fc.constantFrom('topology.istio.io/cluster', 'a/b/c', '/x', 'x/', 'Ex_ample.com/a', 'a'.repeat(64), 'constructor'));
  const labelValue = either(label, fc.constantFrom('', 'Gold', 'a_b.c', '-x', 'x'.repeat(64)));
  const labels = (minKeys = 0) => fc.dictionary(maybeKey(labelKey), maybe(labelValue), { minKeys, maxKeys: 3 });

  const duration = maybe(either(
    fc.integer({ min: 1, max: 3_600_000 }).map((ms) => Duration.millis(ms)),
    fc.constantFrom<unknown>(
      Duration.millis(0), Duration.millis(0.5), Duration.seconds(1.0005), Duration.millis(NaN), Duration.millis(Infinity), Duration.millis(1e20),
      Duration.days(1e9), { toMilliseconds: () => 5 }, { toMilliseconds: () => NaN }, { toMilliseconds: () => '5' }, { toMilliseconds: 5 },
    ),
  ));
  const outlierDetection = propsOf(fc.record({
    consecutive5xxErrors: count(0, 10),
    consecutiveGatewayErrors: count(0, 10),
    consecutiveLocalOriginFailures: maybe(pick([0], [3])), // more than 0 needs splitExternalLocalOriginErrors
    splitExternalLocalOriginErrors: maybe(fc.boolean()),
    interval: duration,
    baseEjectionTime: duration,
    maxEjectionPercent: count(0, 100),
    minHealthPercent: count(0, 100),
  }, { requiredKeys: [] }), K.OutlierDetectionKeys);
  const connectionPool = propsOf(fc.record({
    maxConnections: maybe(either(fc.nat(), fc.constantFrom(2 ** 31, -1))),
    connectTimeout: duration,
    http1MaxPendingRequests: count(0, 1000),
    http2MaxRequests: count(0, 1000),
    maxRequestsPerConnection: count(0, 10),
    maxRetries: count(0, 10),
    idleTimeout: duration,
  }, { requiredKeys: [] }), K.ConnectionPoolSettingsKeys);
  const loadBalancer = maybe(pick(['UNSPECIFIED', 'ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH'], ['FASTEST', 'round_robin']));

  const clusterName = pick(CLUSTERS, ['c9', 'C0', '', 'constructor']);
  /** A cluster of the mesh (c0 and c1 mostly), another name sometimes. */
  const clusterRef = maybe(fc.oneof({ weight: 4, arbitrary: fc.constant('c0') }, { weight: 3, arbitrary: fc.constant('c1') }, { weight: 2, arbitrary: clusterName }));
  const region = pick(REGIONS, ['r9', 'r0/z0', 'r*', '', 'constructor']);
  const zone = pick(ZONES, ['z9', 'Z0', '']);
  const subzones = rarely(maybe(fc.dictionary(maybeKey(zone), maybe(fc.uniqueArray(maybe(pick(['s0', 's1'], ['', 's/0'])), { maxLength: 2 })), { maxKeys: 2 })));
  const istioVersion = opt(maybe(fc.constantFrom(IstioVersion.V1_29, IstioVersion.V1_30, IstioVersion.V1_31, IstioVersion.of('1.24'), IstioVersion.of('1.26'), IstioVersion.of('1.33'))));
  const trafficDistribution = maybe(pick(Object.values(TrafficDistribution), ['Nearby', 'preferclose']));
  const locality = either(
    fc.oneof(region, region.map((r) => `${r}/*`), fc.tuple(region, zone).map(([r, z]) => `${r}/${z}`)),
    fc.oneof(fc.tuple(region, zone).map(([r, z]) => `${r}/${z}/*`), fc.tuple(region, zone).map(([r, z]) => `${r}/${z}/s`),
      fc.constantFrom('*', 'r0/*/z0', 'r0/z0/s/t', 'r0*', 'R0/*', '/z0', 'r0//z0')),
  );
  const priorityEntry = pick([
    'topology.istio.io/network', 'topology.istio.io/cluster', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
    'topology.istio.io/subzone', 'kubernetes.io/hostname', 'topology.istio.io/cluster=c0', 'topology.istio.io/network=n1', 'example.com/tier',
    'example.com/tier=gold',
  ], ['topology.kubernetes.io/region=r9', 'app', 'topology.istio.io/netwrk', 'k=v', '=x', 'k=']);
  const failoverPriority = maybe(fc.uniqueArray(maybe(priorityEntry), { maxLength: 3, selector: (e) => (typeof e === 'string' ? e.split('=')[0] : e) }));
  const weights = either(
    fc.constantFrom<Record<string, number>>(
      { 'r0/*': 100 }, { 'r0/*': 50, 'r1/*': 50 }, { 'r0/*': 99, 'r1/*': 1 }, { 'r0/z0': 60, 'r0/z1': 40 }, { r1: 100 },
      { 'r0/*': 30, 'r1/*': 30, 'r2/*': 40 }, { '*': 100 },
    ).map((w) => ({ ...w })),
    fc.oneof(
      fc.constantFrom<Record<string, number>>({ 'r0/*': 50, 'r0/z0': 50 }, { 'r0/*': 50 }, { 'r0/*': 0, 'r1/*': 100 }, { 'r0/*': 100.5 }, { constructor: 100 })
        .map((w) => ({ ...w })),
      fc.dictionary(maybeKey(locality), maybe(fc.integer({ min: -5, max: 120 })), { maxKeys: 3 }),
    ),
  );
  const failover = maybe(either(
    fc.constantFrom([['r0', 'r1']], [['r1', 'r0']], [['r0', 'r1'], ['r1', 'r2']], [['r2', 'r0']]),
    fc.array(fc.tuple(region, region), { maxLength: 2 }),
  ).chain((pairs: Array<[string, string]>) => fc.tuple(...pairs.map(([from, to]) =>
    propsOf(fc.record({ from: maybe(fc.constant(from)), to: maybe(fc.constant(to)) }), K.LocalityFailoverKeys)))));
  const distribute = maybe(either(
    fc.constantFrom(['r0/*'], ['r1'], ['r0/z0', 'r0/*'], ['r2/*', 'r1/*']),
    fc.array(locality, { maxLength: 2 }),
  ).chain((froms: string[]) => fc.tuple(...froms.map((from) =>
    propsOf(fc.record({ from: maybe(fc.constant(from)), to: maybe(weights) }), K.LocalityDistributionKeys)))));
  const exportTo = maybe(pick<unknown[]>([['.'], ['*'], ['ns1'], ['.', 'istio-gateways']], [[], ['*', '.'], ['~'], ['.', '.'], ['Bad_NS'], [''], [null]])
    .chain((list) => fc.tuple(...list.map((e) => maybe(fc.constant(e))))));
  const host = maybe(pick(['a.b.svc.cluster.local', 'echo.default.svc.cluster.local', `${LONG}.${LONG}.svc.cluster.local`],
    ['*.b.svc.cluster.local', '*', 'x', 'a.b.c.123', 'Upper.b.svc', '*.*', `${LONG}x.b.svc.cluster.local`]));

  const cidr = maybe(either(
    fc.oneof(fc.constantFrom('10.0.0.0/8', '192.168.0.0/16', 'fd00::/8', '203.0.113.0/24'), fc.ipV4().map((ip) => `${ip}/32`), fc.ipV6().map((ip) => `${ip}/128`)),
    fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.1/8', '256.0.0.0/8', '10.0.0.0/33', '1.2.3.4', 'fd00::/129', '::ffff:10.0.0.0/104', '10.0.0.0/08',
      ' 10.0.0.0/8', 'FD00::/8', '1::2::3/64'),
  ));
  const cidrs = maybe(fc.uniqueArray(cidr, { minLength: 1, maxLength: 2 }));
  const annotations = maybe(fc.dictionary(maybeKey(pick(['example.com/a', 'metallb.io/address-pool'], ['networking.gke.io/load-balancer-type', 'bad key', 'constructor'])),
    maybe(pick(['true', 'pool-a'], ['Internal', ''])), { maxKeys: 2 }));
  const provider = maybe(pick(Object.values(CloudProvider) as string[], ['gke', 'GCP']));

  /** `GatewayExposure.*` with generated options, made when the case runs. */
  const exposure: fc.Arbitrary<any> = maybe(fc.oneof(
    {
      weight: 3,
      arbitrary: fc.tuple(provider, opt(propsOf(fc.record({ loadBalancerSourceRanges: cidrs, annotations }, { requiredKeys: [] }),
        K.LoadBalancerExposureOptionsKeys))).map(([p, o]) => new Make(() => GatewayExposure.internal(p, o), 'internal')),
    },
    opt(propsOf(fc.record({ loadBalancerSourceRanges: cidrs, annotations }, { requiredKeys: [] }),
      K.LoadBalancerExposureOptionsKeys)).map((o) => new Make(() => GatewayExposure.onPrem(o), 'onPrem')),
    {
      weight: 2,
      arbitrary: propsOf(fc.oneof(
        fc.record({ sourceRanges: cidrs, tlsNodePort: opt(count(30000, 32767)), nodeSelector: opt(maybe(labels())) }, { requiredKeys: ['sourceRanges'] }),
        fc.record({ allowFromAnywhere: maybe(fc.constant(true)), tlsNodePort: opt(count(30000, 32767)), nodeSelector: opt(maybe(labels())) }, { requiredKeys: ['allowFromAnywhere'] }),
      ), K.NodePortExposureOptionsKeys).map((o) => new Make(() => GatewayExposure.nodePort(o), 'nodePort')),
    },
    propsOf(fc.oneof(
      fc.record({ loadBalancerSourceRanges: cidrs, annotations: opt(annotations) }, { requiredKeys: ['loadBalancerSourceRanges'] }),
      fc.record({ allowFromAnywhere: maybe(fc.constant(true)), annotations: opt(annotations) }, { requiredKeys: ['allowFromAnywhere'] }),
    ), K.InternetFacingExposureOptionsKeys).map((o) => new Make(() => GatewayExposure.internetFacing(o), 'internetFacing')),
  ));
  const disruptionBudget: fc.Arbitrary<any> = maybe(fc.oneof(
    { weight: 3, arbitrary: count(1, 3).map((n) => new Make(() => GatewayDisruptionBudget.maxUnavailable(n), 'maxUnavailable')) },
    { weight: 1, arbitrary: count(1, 1).map((n) => new Make(() => GatewayDisruptionBudget.minAvailable(n), 'minAvailable')) },
    fc.constant(new Make(() => GatewayDisruptionBudget.none(), 'none')),
  ));
  const quantity = (valid: string[]) => maybe(pick(valid, ['0', '-1', '1e3', '0.5Mi', 'Infinity', '9'.repeat(30), '1.5Gi', 'abc', '']));
  const resources = maybe(propsOf(fc.record({
    requests: maybe(propsOf(fc.record({ cpu: quantity(['100m', '500m', '0.5']), memory: quantity(['128Mi', '512M', '64Mi']) }, { requiredKeys: [] }), K.GatewayResourceQuantitiesKeys)),
    limits: maybe(propsOf(fc.record({ cpu: quantity(['2000m', '4', '1']), memory: quantity(['1024Mi', '2Gi', '1Gi']) }, { requiredKeys: [] }), K.GatewayResourceQuantitiesKeys)),
  }, { requiredKeys: [] }), K.GatewayResourceRequirementsKeys));
  const extraPorts = maybe(fc.uniqueArray(propsOf(fc.record({
    name: maybe(pick(['tls-hbone', 'http'], ['tls', 'status-port', 'Bad_Name'])),
    port: maybe(pick([15008, 8080], [15443, 15021, 0, 65536, 1.5])),
    targetPort: opt(maybe(pick([15008, 8080], [15012, 70000]))),
    nodePort: opt(maybe(pick([30000, 32767, 31443], [29999, 40000]))),
    protocol: opt(maybe(pick(['TCP', 'UDP', 'SCTP'], ['tcp', 'HTTP']))),
  }, { requiredKeys: ['name', 'port'] }), K.GatewayServicePortKeys), { maxLength: 2, selector: (p) => p?.name }));
  const gatewayOptions = {
    network: maybe(pick(['n0', 'n1', 'vpc-01', 'N_1.x', LONG], ['', 'n/0', 'x'.repeat(64)])),
    revision: opt(maybe(pick(['1-30', 'canary', 'default', LONG], ['1.30', 'Canary']))),
    namespace: opt(maybe(pick(['istio-gateways', 'gateway', LONG], ['istio-system', 'default', 'kube-system', 'Bad']))),
    name: opt(maybe(pick(['istio-eastwestgateway', 'eastwest', 'gw-1', LONG], ['1gw', 'Gw', 'istio-']))),
    exposeIstiod: opt(maybe(fc.boolean())),
    istioNamespace: opt(maybe(pick(['istio-system', 'istio', LONG], ['Istio']))),
    minReplicas: opt(count(1, 2)),
    maxReplicas: opt(count(2, 6)),
    targetCpuUtilizationPercentage: opt(count(1, 1000)),
    podDisruptionBudget: opt(disruptionBudget),
    resources: opt(resources),
    extraPorts: opt(extraPorts),
  };
  /** Where the gateway runs: a provider or an exposure; in a JUNKY case also both (they may contradict each other) or neither. */
  const placement = either(
    fc.oneof({ weight: 2, arbitrary: fc.record({ provider }) }, { weight: 1, arbitrary: fc.record({ exposure }) }),
    fc.record({ provider: opt(provider), exposure: opt(exposure) }),
  );
  const gatewayAttributes = propsOf(fc.record({
    network: maybe(pick(NETWORKS, ['', 'n/0'])),
    namespace: maybe(pick(['istio-gateways', 'istio-system'], ['Bad'])),
    name: opt(maybe(pick(['istio-eastwestgateway', 'eastwest'], ['Eastwest', '1x']))),
    selector: opt(maybe(labels(1))),
    revision: opt(maybe(pick(['1-30', 'canary'], ['1.30']))),
    istioNamespace: opt(maybe(pick(['istio-system', 'istio'], ['Istio']))),
  }, { requiredKeys: ['network', 'namespace'] }), K.EastWestGatewayAttributesKeys);

  /** A TokenSource of a set variable; in a JUNKY case also an unset variable, a missing file, junk names, or junk. */
  const token: fc.Arbitrary<any> = maybe(either(
    fc.constant(new Make(() => TokenSource.fromEnv(TOKEN_VAR), 'fromEnv(set)')),
    fc.oneof(
      fc.constant(new Make(() => TokenSource.fromEnv(UNSET_VAR), 'fromEnv(unset)')),
      fc.constant(new Make(() => TokenSource.fromFile('/nonexistent/fuzz-token'), 'fromFile(missing)')),
      junk.map((j) => new Make(() => TokenSource.fromEnv(j), 'fromEnv(junk)')),
      junk.map((j) => new Make(() => TokenSource.fromFile(j), 'fromFile(junk)')),
    ),
  ));
  const registration = propsOf(fc.record({
    server: maybe(pick(['https://10.0.0.2', 'https://api.example.com:6443'], ['http://10.0.0.2', 'https://'])),
    certificateAuthorityData: maybe(pick(['LS0tLS1CRUdJTg=='], ['not base64!', ''])),
    token,
    tlsServerName: opt(maybe(pick(['kubernetes.default', 'api.example.com'], ['', 'a b']))),
  }, { requiredKeys: ['server', 'certificateAuthorityData', 'token'] }), K.ClusterRegistrationKeys);

  // --- one case of each property ----------------------------------------------------------------

  const chartNamespace = opt(maybe(pick(['default', 'ns1'], ['Bad_NS'])));
  /** One locality intent (failover, failoverPriority, distribute or none); in a JUNKY case also a mix. */
  const localityIntent = either(
    fc.oneof(
      fc.record({ failover }),
      fc.record({ failoverPriority, endpointLabels: opt(maybe(fc.uniqueArray(maybe(labelKey), { maxLength: 2 }))) }),
      fc.record({ distribute }),
      fc.record({ enabled: maybe(fc.boolean()), defaultOutlierDetection: opt(maybe(fc.boolean())) }),
    ),
    fc.record({
      enabled: maybe(fc.boolean()),
      failover,
      failoverPriority,
      endpointLabels: maybe(fc.array(maybe(labelKey), { maxLength: 2 })),
      distribute,
      defaultOutlierDetection: maybe(fc.boolean()),
    }, { requiredKeys: [] }),
  );
  const ruleProps = propsOf(fc.tuple(fc.record({
    host,
    name: opt(maybe(label)),
    namespace: opt(maybe(pick(['default', 'ns1', 'istio-gateways'], ['Bad']))),
    exportTo: opt(exportTo),
    outlierDetection: opt(outlierDetection),
    loadBalancer: opt(loadBalancer),
    connectionPool: opt(connectionPool),
  }, { requiredKeys: ['host'] }), localityIntent).map(([base, intent]) => ({ ...base, ...intent })), K.LocalityFailoverRulePropsKeys);
  const subset = propsOf(fc.record({ name: maybe(pick(['v1', 'v2', 'c-0', 'V1'], ['v1.0', ''])), labels: maybe(labels()) }), K.RuleSubsetKeys);
  const rule = fc.tuple(chartNamespace, ruleProps, fc.uniqueArray(subset, { maxLength: 3, selector: (s) => s?.name }));

  const perClusterRouting = fc.tuple(chartNamespace, propsOf(fc.record({
    host: maybe(pick(['a.b.svc.cluster.local', 'echo.default.svc.cluster.local'], ['*.b.svc.cluster.local', 'x'])),
    clusters: maybe(fc.uniqueArray(maybe(pick(['c0', 'c1', 'C_2', 'cluster-a', `C_${LONG.slice(2)}`], ['C0', 'c_0', 'c.0', '', '-x'])), { minLength: 1, maxLength: 4 })),
    namespace: opt(maybe(pick(['default', 'ns1'], ['Bad']))),
    name: opt(maybe(label)),
    destinationRule: opt(maybe(fc.constant('rule'))),
    fallbackToAllClusters: opt(maybe(fc.boolean())),
    exportTo: opt(exportTo),
  }, { requiredKeys: ['host', 'clusters'] }), K.PerClusterSubsetRoutingPropsKeys), ruleProps);

  const clusterLocalHost = maybe(either(
    fc.oneof(
      fc.tuple(fc.constantFrom('*', 'echo', 'api', 'kubernetes'), fc.constantFrom('default', 'ns1', 'kube-system')).map(([n, ns]) => `${n}.${ns}.svc.cluster.local`),
      fc.constantFrom('*', 'istio.io.', 'istiod.istio-system.svc.cluster.local'),
    ),
    fc.constantFrom('foo.bar.*', '*.*', 'a.1', ''),
  ));
  const clusterLocalPolicy = fc.tuple(opt(propsOf(fc.record({
    hosts: opt(maybe(fc.uniqueArray(clusterLocalHost, { maxLength: 3 }))),
    exceptions: opt(maybe(fc.uniqueArray(clusterLocalHost, { maxLength: 2 }))),
    istioNamespace: opt(maybe(label)),
    configMapName: opt(maybe(pick(['istio-shared-mesh-config', 'a.b', LONG_SUBDOMAIN], ['A', 'a_b', `${LONG_SUBDOMAIN}x`]))),
    revision: opt(maybe(pick(['canary', 'default', '1-30'], ['1.30']))),
    emitConfigMap: opt(maybe(fc.boolean())),
  }, { requiredKeys: [] }), K.ClusterLocalPolicyPropsKeys)),
  fc.array(clusterLocalHost, { maxLength: 2 }), fc.array(clusterLocalHost, { maxLength: 2 }), clusterLocalHost);

  const eastWestGateway = fc.tuple(
    propsOf(fc.tuple(fc.record({
      ...gatewayOptions,
      createNamespace: opt(maybe(fc.boolean())),
      allowSecretAccess: opt(maybe(fc.boolean())),
      runAsProxyUser: opt(maybe(fc.boolean())),
    }, { requiredKeys: ['network'] }), placement).map(([o, where]) => ({ ...o, ...where })), K.EastWestGatewayPropsKeys),
    opt(propsOf(fc.tuple(fc.record({
      clusterDomain: opt(maybe(pick(['cluster.local', 'example.org'], ['local', '*.x']))),
      name: opt(maybe(pick(['cross-network-gateway', 'x'], ['Bad']))),
    }, { requiredKeys: [] }), either(
      fc.oneof(
        fc.record({ hosts: maybe(fc.uniqueArray(pick(['*.local', '*/*.ns.svc.cluster.local', 'a.b.c', '*'], []), { minLength: 1, maxLength: 3 })) }),
        fc.record({ exposedNamespaces: maybe(fc.uniqueArray(pick(['default', 'payments'], []), { minLength: 1, maxLength: 2 })) }),
      ),
      fc.record({
        hosts: opt(maybe(fc.uniqueArray(maybe(pick(['*.local', '*/*.ns.svc.cluster.local', 'a.b.c', '*'], ['default/*.local', 'short', '*.*', '10.0.0.1', './a.b'])), { maxLength: 3 }))),
        exposedNamespaces: opt(maybe(fc.uniqueArray(maybe(pick(['default', 'payments'], ['Bad'])), { maxLength: 2 }))),
      }),
    )).map(([o, which]) => ({ ...o, ...which })), K.CrossNetworkGatewayPropsKeys)),
    rarely(propsOf(fc.record({
      revision: opt(maybe(pick(['canary', '1-30'], ['1.30']))), istioNamespace: opt(maybe(pick(['istio-system', 'other'], ['Other']))),
    }, { requiredKeys: [] }), K.IstiodGatewayPropsKeys)),
    opt(propsOf(fc.record({
      istioNamespace: opt(maybe(pick(['istio-system', 'istio'], ['Istio']))), protectFromDeletion: opt(maybe(fc.boolean())),
    }, { requiredKeys: [] }), K.NetworkLabelOptionsKeys)),
  );

  // Gateway API gateways: the shared options, then the sidecar (hosts), ambient and istio-remote forms
  const address = maybe(either(
    fc.constantFrom('10.0.0.10', '203.0.113.10', 'fd00::1').map((v) => GatewayAddress.ipAddress(v)),
    fc.constantFrom('eastwest.example.com').map((v) => GatewayAddress.hostname(v)),
  ));
  const gatewayApiOptions = {
    network: gatewayOptions.network,
    name: gatewayOptions.name,
    namespace: opt(maybe(pick(['istio-system', 'istio-gateways', LONG], ['Bad']))),
    revision: gatewayOptions.revision,
    istioVersion,
    infrastructureLabels: rarely(maybe(fc.dictionary(maybeKey(pick(['team', 'example.com/tier'], ['topology.istio.io/network', 'Bad Key'])), maybe(pick(['a', 'b'], [''])), { maxKeys: 9 }))),
    addresses: rarely(maybe(fc.array(address, { maxLength: 2 }))),
  };
  const gatewayApi = fc.tuple(
    propsOf(fc.tuple(fc.record({
      ...gatewayApiOptions,
      hosts: opt(maybe(fc.uniqueArray(maybe(pick(['*.local', '*', 'echo.default.svc.cluster.local', '*.payments.svc.cluster.local'], ['ns/*.local', '*.Local', 'a*.b'])), { minLength: 1, maxLength: 3 }))),
    }, { requiredKeys: ['network'] }), placement).map(([o, where]) => ({ ...o, ...where })), K.GatewayApiEastWestGatewayPropsKeys),
    propsOf(fc.tuple(fc.record(gatewayApiOptions, { requiredKeys: ['network'] }), placement).map(([o, where]) => ({ ...o, ...where })), K.AmbientEastWestGatewayPropsKeys),
    rarely(propsOf(fc.record({
      network: gatewayOptions.network, addresses: maybe(fc.array(address, { maxLength: 2 })), name: gatewayOptions.name, istioVersion,
    }, { requiredKeys: ['network', 'addresses'] }), K.IstioRemoteGatewayPropsKeys)),
  );

  const importedGateway = fc.tuple(
    gatewayAttributes,
    propsOf(fc.tuple(fc.record({
      istioNamespace: opt(maybe(pick(['istio-system', 'istio'], ['Istio']))),
      protectFromDeletion: opt(maybe(fc.boolean())),
    }, { requiredKeys: [] }), either(
      fc.oneof(fc.record({ network: pick(NETWORKS, []) }), fc.record({ gateway: fc.constant('gateway') })),
      fc.record({ network: opt(maybe(pick(NETWORKS, ['', 'n/0']))), gateway: opt(maybe(fc.constant('gateway'))) }),
    )).map(([o, which]) => ({ ...o, ...which })), K.NetworkLabelPropsKeys),
    maybe(fc.constant('gateway')),
  );

  const operator = fc.tuple(
    propsOf(fc.tuple(fc.record({ ...gatewayOptions, operatorName: opt(maybe(pick(['eastwest', 'op-1'], ['Op']))) }, { requiredKeys: ['network'] }), placement)
      .map(([o, where]) => ({ ...o, ...where })), K.EastWestGatewayOperatorPropsKeys),
    maybe(pick(['cluster'], ['operator', 'app'])),
    opt(fc.constantFrom('ns', 'EastWestGatewayNamespace')), // construct ids are the constructs library's to check, as for every construct
  );

  const remoteSecret = fc.tuple(propsOf(fc.record({
    clusterName: maybe(pick(['c0', 'cluster-2'], ['C2', 'x'.repeat(64), 'constructor'])),
    registration: maybe(registration),
    istioNamespace: opt(maybe(pick(['istio-system', 'istio'], ['Istio']))),
  }, { requiredKeys: ['clusterName', 'registration'] }), K.RemoteSecretPropsKeys), opt(maybe(pick(['istio-system', 'istio'], ['Istio']))));

  const factories = fc.tuple(exposure, disruptionBudget, token);

  const serviceHost = fc.tuple(
    maybe(fc.record({
      kind: pick(['KubeService', 'ApiObject'], ['KubeConfigMap', 'Construct']),
      name: opt(maybe(pick(['echo-svc', 'api', LONG], ['Echo', '1svc', 'a'.repeat(64)]))),
      namespace: opt(maybe(pick(['default', 'ns1'], ['Bad_NS']))),
    })),
    opt(maybe(pick(['cluster.local', 'example.org'], ['*.local', 'local', '']))),
    fc.tuple(maybe(label), maybe(label), opt(maybe(pick(['cluster.local', 'example.org'], ['*.local', 'local', ''])))),
  );

  // MultiClusterMesh: clusters named c0, c1, ... by position, so that references to c0 and c1 usually resolve.
  const meshCluster = fc.record({
    name: either(fc.constant<unknown>(AUTO_NAME), maybe(clusterName)),
    network: maybe(pick(NETWORKS, ['n/0', ''])),
    region: maybe(pick(REGIONS, ['r/0', '', 'constructor'])),
    zones: opt(maybe(fc.uniqueArray(maybe(zone), { maxLength: 2 }))),
    subzones,
    provider: either(provider, opt(provider)),
    exposure: rarely(exposure),
    existingGateway: rarely(fc.tuple(gatewayAttributes, either(fc.constant(true), fc.boolean())).map(([g, same]) => ({ g, same }))),
    labels: opt(maybe(fc.dictionary(maybeKey(pick(['example.com/tier', 'app'], ['topology.istio.io/network', 'Bad Key'])), maybe(pick(['gold', 'silver'], [''])), { maxKeys: 2 }))),
  }, { requiredKeys: ['name', 'network', 'region', 'provider'] });
  /** The clusters: registration on every cluster or on none (in a JUNKY case also on the first only), then junked like any props. */
  const meshClusters = fc.tuple(fc.array(meshCluster, { minLength: 1, maxLength: 4 }), rarely(registration), either(fc.constant(true), fc.boolean()))
    .map(([cs, reg, all]) => cs.map((c, i) => {
      const out: any = { ...c, name: c.name === AUTO_NAME ? CLUSTERS[i] : c.name };
      // SOUND: gateway settings only where the mesh has gateways (several networks), and never both
      const gateways = new Set(cs.map((x) => x.network)).size > 1;
      if (!junky && !gateways) delete out.existingGateway;
      if (!junky && (!gateways || out.existingGateway !== undefined)) delete out.exposure;
      // an existing gateway on the cluster's own network, unless the JUNKY case says otherwise
      if (c.existingGateway !== undefined) {
        const g = c.existingGateway.g;
        out.existingGateway = c.existingGateway.same && isPlain(g) && !Array.isArray(g) ? { ...g, network: c.network } : g;
      }
      if (reg !== undefined && (all || i === 0)) out.registration = reg;
      return out;
    }))
    .chain((cs) => fc.tuple(...cs.map((c) => propsOf(fc.constant(c), K.MeshClusterPropsKeys))));
  const meshProps = propsOf(fc.record({
    meshId: maybe(pick(['mesh1', 'proj-123', LONG], ['', 'a b'])),
    revision: opt(maybe(pick(['canary', '1-30', LONG], ['1.30']))),
    clusters: maybe(meshClusters),
    gatewayNamespace: opt(maybe(pick(['istio-gateways', 'gw', LONG], ['Gw']))),
    istioNamespace: opt(maybe(pick(['istio-system', 'istio', LONG], ['Istio']))),
    istioVersion,
    kubernetesVersion: opt(maybe(fc.constantFrom(KubernetesVersion.V1_32, KubernetesVersion.V1_34, KubernetesVersion.of('1.30')))),
    gatewayApi: opt(maybe(fc.boolean())),
    dataPlaneMode: rarely(maybe(pick(Object.values(DataPlaneMode), ['Ambient']))),
  }, { requiredKeys: ['meshId', 'clusters'] }), K.MultiClusterMeshPropsKeys);
  const clusterList = maybe(fc.uniqueArray(clusterRef, { minLength: 1, maxLength: 3 }));
  const serviceProps = propsOf(fc.record({
    name: maybe(pick(['echo', 'api', LONG], ['Echo'])),
    namespace: opt(maybe(pick(['default', 'ns1', LONG], ['Ns']))),
    clusters: clusterList,
    clients: opt(clusterList),
    replicas: opt(maybe(fc.dictionary(maybeKey(clusterName), count(0, 4), { maxKeys: 2 }))),
    clusterDomain: opt(maybe(pick(['cluster.local', 'example.org'], ['*.local', 'local']))),
    waypoint: rarely(maybe(pick(['waypoint'], ['Way Point']))),
  }, { requiredKeys: ['name', 'clusters'] }), K.MeshServicePropsKeys);
  const failoverIntent = propsOf(fc.record({
    failover: opt(failover),
    failoverPriority: opt(failoverPriority),
    outlierDetection: opt(outlierDetection),
    loadBalancer: opt(loadBalancer),
    connectionPool: opt(connectionPool),
  }, { requiredKeys: [] }), K.FailoverIntentKeys);
  const distributeIntent = propsOf(fc.record({
    distribute,
    outlierDetection: opt(outlierDetection),
    loadBalancer: opt(loadBalancer),
    connectionPool: opt(connectionPool),
  }, { requiredKeys: ['distribute'] }), K.DistributeIntentKeys);
  const fraction = maybe(either(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5)), fc.constantFrom(-0.1, 1.1, NaN)));
  const query = propsOf(fc.record({
    from: clusterRef,
    zone: opt(maybe(zone)),
    healthy: opt(maybe(fc.dictionary(maybeKey(clusterName), fraction, { maxKeys: 2 }))),
    drained: opt(maybe(fc.dictionary(maybeKey(clusterName), count(0, 1), { maxKeys: 2 }))),
    notReady: rarely(maybe(fc.dictionary(maybeKey(clusterName), count(0, 1), { maxKeys: 2 }))),
    subzone: rarely(maybe(pick(['s0', 's1'], ['s9']))),
  }, { requiredKeys: ['from'] }), K.ExplainQueryKeys);
  const svcRef = maybe(fc.nat(5)).map((i) => (typeof i === 'number' && Number.isInteger(i) && i >= 0 ? i : { junk: i }));
  const meshOp = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('addService' as const), props: serviceProps }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('failover' as const), svc: fc.nat(5), intent: opt(failoverIntent) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('distribute' as const), svc: fc.nat(5), intent: distributeIntent }) },
    fc.record({ op: fc.constant('keepLocal' as const), svc: fc.nat(5) }),
    fc.record({ op: fc.constant('trafficDistribution' as const), svc: fc.nat(5), distribution: trafficDistribution }),
    fc.record({ op: fc.constant('routePerCluster' as const), svc: fc.nat(5), intent: opt(propsOf(fc.record({ fallbackToAllClusters: opt(maybe(fc.boolean())) }), K.RoutePerClusterIntentKeys)) }),
    fc.record({
      op: fc.constant('clusterLocal' as const),
      hosts: maybe(fc.uniqueArray(maybe(pick(['*.default.svc.cluster.local', 'echo.default.svc.cluster.local', '*.kube-public.svc.cluster.local'], ['*', 'x'])), { maxLength: 2 })),
      exceptions: opt(maybe(fc.uniqueArray(maybe(pick(['echo.ns1.svc.cluster.local'], ['x'])), { maxLength: 2 }))),
    }),
    { weight: 2, arbitrary: fc.record({ op: fc.constant('explain' as const), svc: svcRef, query }) },
    fc.record({ op: fc.constant('trafficReport' as const), cluster: clusterRef }),
    fc.record({ op: fc.constant('istiodHelmValues' as const), cluster: clusterRef }),
    fc.record({ op: fc.constant('isClusterLocal' as const), cluster: clusterRef, host: maybe(fc.constantFrom('echo.default.svc.cluster.local', 'kubernetes.default.svc.cluster.local')) }),
    fc.record({ op: fc.constant('cluster' as const), cluster: clusterRef }),
    fc.record({ op: fc.constant('diagram' as const) }),
  );
  const mesh = fc.tuple(meshProps, fc.array(meshOp, { maxLength: 6 }));

  // The explain engine, fed directly: clusters c0..c(n-1), and references to them (or, when JUNKY, to others).
  const explain = fc.integer({ min: 1, max: 4 }).chain((n) => {
    const names = CLUSTERS.slice(0, n);
    const known = pick(names, ['c9', 'C0', '', 'constructor']);
    const explainCluster = (name: string) => propsOf(fc.record({
      name: maybe(fc.constant(name)),
      network: maybe(pick(NETWORKS, [''])),
      region: maybe(region),
      zones: maybe(fc.uniqueArray(maybe(zone), { maxLength: 2 })),
      subzones,
      istioVersion,
    }, { requiredKeys: ['name', 'network', 'region', 'zones'] }), K.ExplainClusterKeys);
    const perCluster = (value: fc.Arbitrary<any>) => maybe(fc.dictionary(maybeKey(known), value, { maxKeys: 3 }));
    const localityLb = propsOf(fc.record({
      hasLocalityLbSetting: opt(maybe(fc.boolean())),
      enabled: maybe(fc.boolean()),
      failover: maybe(fc.array(propsOf(fc.record({ from: maybe(region), to: maybe(region) }), K.LocalityFailoverKeys), { maxLength: 2 })),
      failoverPriority,
      distribute: maybe(fc.array(propsOf(fc.record({ from: maybe(locality), to: maybe(weights) }), K.LocalityDistributionKeys), { maxLength: 2 })),
      outlierDetection: maybe(fc.boolean()),
      minHealthPercent: opt(count(0, 100)),
      maxEjectionPercent: opt(count(0, 100)),
      consecutive5xxErrors: opt(count(0, 5)),
      consecutiveGatewayErrors: opt(count(0, 5)),
      splitExternalLocalOriginErrors: opt(maybe(fc.boolean())),
    }, { requiredKeys: ['enabled', 'failover', 'failoverPriority', 'distribute', 'outlierDetection'] }), K.ExplainLocalityLbKeys);
    const service = propsOf(fc.record({
      host: maybe(fc.constantFrom('echo.default.svc.cluster.local')),
      replicas: perCluster(count(0, 4)),
      localityLb: opt(localityLb),
      trafficDistribution: opt(trafficDistribution),
      clusterLocal: opt(maybe(fc.boolean())),
      perClusterRouting: rarely(propsOf(fc.record({
        clusters: maybe(fc.uniqueArray(maybe(known), { maxLength: 3 })), fallbackToAllClusters: maybe(fc.boolean()),
      }), K.ExplainPerClusterRoutingKeys)),
      weightedSubsets: rarely(maybe(fc.array(propsOf(fc.record({
        name: maybe(fc.constantFrom('v1', 'v2')),
        weight: count(0, 100),
        clusters: opt(maybe(fc.uniqueArray(maybe(known), { maxLength: 2 }))),
        replicas: opt(perCluster(count(0, 3))),
        healthyOverride: opt(fraction),
      }, { requiredKeys: ['name', 'weight'] }), K.ExplainWeightedSubsetKeys), { maxLength: 2 }))),
    }, { requiredKeys: ['host', 'replicas'] }), K.ExplainServiceKeys);
    const explainQuery = propsOf(fc.record({
      from: maybe(known),
      zone: rarely(maybe(zone)),
      healthy: opt(maybe(fc.dictionary(maybeKey(known), fraction, { maxKeys: 2 }))),
      drained: rarely(maybe(fc.dictionary(maybeKey(known), count(0, 1), { maxKeys: 2 }))),
      notReady: rarely(maybe(fc.dictionary(maybeKey(known), count(0, 2), { maxKeys: 2 }))),
      subzone: rarely(maybe(pick(['s0', 's1'], ['s9']))),
    }, { requiredKeys: ['from'] }), K.ExplainQueryKeys);
    const clusters = maybe(fc.tuple(...names.map(explainCluster)));
    return fc.tuple(clusters, service, explainQuery, maybe(known), opt(maybe(fc.boolean())));
  });

  return {
    rule,
    perClusterRouting,
    clusterLocalPolicy,
    eastWestGateway,
    importedGateway,
    operator,
    remoteSecret,
    factories,
    serviceHost,
    mesh,
    explain,
    gatewayApi,
  };
}

const SOUND = generators(false);
const JUNKY = generators(true);
type Generators = ReturnType<typeof generators>;
/** Half the cases sound, half junky. */
function draw<N extends keyof Generators>(name: N): Generators[N] {
  return fc.oneof(SOUND[name] as fc.Arbitrary<any>, JUNKY[name] as fc.Arbitrary<any>) as Generators[N];
}

// ---------------------------------------------------------------------------------------------
// Invariants of explain results

function checkExplainResult(r: ExplainResult): void {
  const numbers = [r.noHealthyUpstreamPercent, r.noRoutePercent, r.failedPercent, ...r.clusters.flatMap((c) => [c.percent, c.failedPercent]),
    ...r.routes.map((x) => x.percent),
    ...r.priorities.flatMap((p) => [p.healthPercent, p.loadPercent, ...p.localities.flatMap((l) => [l.trafficPercent, l.failedPercent])])];
  const bad = numbers.find((n) => typeof n !== 'number' || !Number.isFinite(n) || n < -1e-9 || n > 100 + 1e-6);
  if (bad !== undefined) throw new PropertyFailure(`explain returned a percentage that is not in 0..100: ${bad}\n${JSON.stringify(r).slice(0, 2000)}`);
  const total = r.clusters.reduce((a, c) => a + c.percent, 0) + r.noHealthyUpstreamPercent + r.noRoutePercent;
  if (Math.abs(total - 100) > 1e-6) throw new PropertyFailure(`explain shares add up to ${total}, not 100\n${JSON.stringify(r).slice(0, 2000)}`);
}

function checkYaml(text: unknown): void {
  const docs = typeof text === 'string' ? parseAllDocuments(text) : undefined;
  const errors = Array.isArray(docs) ? docs.flatMap((d) => d.errors) : ['not YAML text'];
  if (errors.length) throw new PropertyFailure(`invalid YAML (${errors.map(String).join('; ')}):\n${safeString(text).slice(0, 2000)}`);
}

/** Markdown, with no broken number or object in it (names may be "NaN" or "undefined": they are valid strings). */
function checkMarkdown(text: unknown): void {
  if (typeof text !== 'string' || text.length === 0) throw new PropertyFailure(`expected Markdown, got ${safeString(text)}`);
  if (/(NaN|Infinity|undefined|null)%|\[object |P(NaN|Infinity|undefined)\b/.test(text)) throw new PropertyFailure(`Markdown shows a broken value:\n${text.slice(0, 3000)}`);
}

// ---------------------------------------------------------------------------------------------

describe('valid input always synthesizes to schema-valid, deterministic charts', () => {
  /** A random multi-cluster topology: 1–20 clusters on 1–5 networks, 1–4 regions with 0–2 zones. */
  const topology = fc.record({
    clusters: fc.integer({ min: 1, max: 20 }),
    networks: fc.integer({ min: 1, max: 5 }),
    regions: fc.integer({ min: 1, max: 4 }),
    zonesPerRegion: fc.integer({ min: 0, max: 2 }),
    services: fc.array(fc.record({
      placement: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
      intent: fc.constantFrom('failover', 'failoverPriority', 'distribute', 'keepLocal', 'routePerCluster', 'failover+route', 'none'),
      od: fc.boolean(),
    }), { minLength: 0, maxLength: 6 }),
    clusterLocalDefault: fc.boolean(),
  });
  type Topology = typeof topology extends fc.Arbitrary<infer T> ? T : never;

  function buildMesh(t: Topology, app = new App()): MultiClusterMesh {
    const regionOf = (i: number) => `region-${i % t.regions}`;
    const clusters = Array.from({ length: t.clusters }, (_, i) => ({
      name: `cluster-${i}`,
      network: `net-${i % t.networks}`,
      region: regionOf(i),
      zones: Array.from({ length: t.zonesPerRegion }, (_z, z) => `${regionOf(i)}-${String.fromCharCode(97 + z)}`),
      provider: CloudProvider.GKE,
    }));
    const mesh = new MultiClusterMesh(app, 'mesh', { meshId: 'fuzz', clusters });
    t.services.forEach((s, i) => {
      const where = clusters.filter((_c, j) => s.placement[j]).map((c) => c.name);
      const placed = where.length ? where : [clusters[0].name];
      const local = s.intent === 'keepLocal' || s.intent === 'routePerCluster' || s.intent === 'failover+route';
      const svc = mesh.addService({ name: `svc-${i}`, namespace: `ns-${i % 3}`, clusters: placed, clients: local ? placed : undefined });
      const od = s.od ? { consecutive5xxErrors: 1, interval: Duration.seconds(1) } : undefined;
      const regions = [...new Set(clusters.map((c) => c.region))];
      if ((s.intent === 'failover' || s.intent === 'failover+route') && regions.length > 1) {
        svc.failover({ failover: [{ from: regions[0], to: regions[1] }], outlierDetection: od });
      }
      if (s.intent === 'failoverPriority') svc.failover({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'], outlierDetection: od });
      if (s.intent === 'distribute') {
        const to: { [l: string]: number } = {};
        regions.forEach((r, j) => { to[`${r}/*`] = j === 0 ? 100 - (regions.length - 1) : 1; });
        svc.distribute({ distribute: [{ from: `${regions[0]}/*`, to }], outlierDetection: od });
      }
      if (s.intent === 'keepLocal') svc.keepLocal();
      if (s.intent === 'routePerCluster' || s.intent === 'failover+route') svc.routePerCluster();
    });
    if (t.clusterLocalDefault) mesh.clusterLocal(['*.kube-public.svc.cluster.local']);
    return mesh;
  }

  test('random topologies and intents (MultiClusterMesh)', () => {
    fc.assert(fc.property(topology, (t) => {
      cases++;
      const mesh = buildMesh(t);
      const again = buildMesh(t);
      for (const name of mesh.clusterNames) {
        const objects = Testing.synth(mesh.cluster(name));
        const errors = validateManifests(objects);
        if (errors.length) throw new Error(errors.join('\n'));
        // deterministic: a second mesh from the same declaration gives identical bytes
        expect(Yaml.stringify(...Testing.synth(again.cluster(name)))).toEqual(Yaml.stringify(...objects));
        // every rule lands in every client cluster's chart
        for (const svc of mesh.services) {
          if (!svc.clients.includes(name)) continue;
          const model = svc._explainModel(name);
          if (model.localityLb || model.perClusterRouting) {
            expect(objects.some((o) => o.kind === 'DestinationRule' && o.spec.host === svc.host)).toBe(true);
          }
        }
      }
      // explain never throws for a valid mesh, and shares add up to 100
      for (const svc of mesh.services.slice(0, 2)) checkExplainResult(mesh.explain(svc, { from: svc.clients[0] }));
    }), runs(40));
  });

  test('random valid LocalityFailoverRule settings', () => {
    const loc = fc.tuple(label, fc.option(label, { nil: undefined })).map(([r, z]) => (z ? `${r}/${z}` : `${r}/*`));
    const weighted = fc.uniqueArray(loc, { minLength: 1, maxLength: 4, selector: (l) => l.split('/')[0] })
      .chain((ls) => fc.tuple(fc.constant(ls), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: ls.length, maxLength: ls.length })))
      .map(([ls, ws]) => {
        const to: { [l: string]: number } = {};
        let left = 100;
        ls.forEach((l, i) => {
          const w = i === ls.length - 1 ? left : Math.max(1, Math.min(ws[i], left - (ls.length - 1 - i)));
          to[l] = w; left -= w;
        });
        return to;
      })
      .filter((to) => Object.values(to).every((w) => w >= 1 && w <= 100));
    const arb = fc.oneof(
      fc.record({
        failover: fc.uniqueArray(
          fc.tuple(label, label).filter(([a, b]) => a !== b).map(([from, to]) => ({ from, to })),
          { maxLength: 3, selector: (f) => f.from },
        ),
      }),
      fc.record({ failoverPriority: fc.uniqueArray(fc.constantFrom('topology.istio.io/network', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/cluster=c1'), { minLength: 1, selector: (k) => k.split('=')[0] }) }),
      fc.record({ distribute: fc.array(fc.tuple(label, weighted).map(([from, to]) => ({ from: `${from}/*`, to })), { minLength: 1, maxLength: 1 }) }),
    );
    fc.assert(fc.property(arb, fc.option(fc.integer({ min: 1, max: 3_600_000 })), (props, ms) => {
      cases++;
      const chart = new Chart(new App(), 'fuzz');
      new LocalityFailoverRule(chart, 'r', { host: 'svc.ns.svc.cluster.local', ...props, outlierDetection: ms ? { interval: Duration.millis(ms) } : undefined });
      const errors = validateManifests(Testing.synth(chart));
      if (errors.length) throw new Error(errors.join('\n'));
    }), runs(800));
  });
});

describe('any input: the library\'s ValidationError naming construct and field, or valid manifests', () => {
  test('LocalityFailoverRule and addSubset', () => {
    fc.assert(fc.property(draw('rule'), ([ns, p, subsets]) => check('LocalityFailoverRule', () => {
      const chart = new Chart(new App(), 'fuzz', { namespace: ns });
      const rule = new LocalityFailoverRule(chart, 'r', p);
      for (const s of subsets) rule.addSubset(s);
      return [chart];
    })), runs(5000));
  });

  test('PerClusterSubsetRouting (with and without a destinationRule)', () => {
    fc.assert(fc.property(draw('perClusterRouting'), ([ns, p, rp]) => check('PerClusterSubsetRouting', () => {
      const chart = new Chart(new App(), 'fuzz', { namespace: ns });
      // the rule is mostly for the routed host, in its namespace
      const ruleFor = isPlain(rp) && !Array.isArray(rp) && isPlain(p) && !Array.isArray(p) ? { ...rp, host: p.host, namespace: p.namespace } : rp;
      const rule = p?.destinationRule === 'rule' ? new LocalityFailoverRule(chart, 'rule', ruleFor) : undefined;
      new PerClusterSubsetRouting(chart, 'r', rule ? { ...p, destinationRule: rule } : p);
      return [chart];
    })), runs(4000));
  });

  test('ClusterLocalPolicy, addClusterLocal, addException, isClusterLocal and the renderers', () => {
    fc.assert(fc.property(draw('clusterLocalPolicy'), ([p, more, except, query]) => check('ClusterLocalPolicy', () => {
      const chart = new Chart(new App(), 'fuzz');
      const policy = new ClusterLocalPolicy(chart, 'r', p);
      policy.addClusterLocal(...more);
      policy.addException(...except);
      call(() => policy.isClusterLocal(query), (v) => { if (typeof v !== 'boolean') throw new PropertyFailure(`isClusterLocal returned ${safeString(v)}`); });
      for (const text of [policy.meshConfigYaml(), policy.helmValues(), policy.istioOperatorOverlay()]) checkYaml(text);
      return [chart];
    })), runs(3000));
  });

  test('EastWestGateway, addNetworkLabel, CrossNetworkGateway and IstiodGateway', () => {
    const withGateway = (props: any, gateway: unknown) => (isPlain(props) && !Array.isArray(props) ? { ...props, gateway } : props);
    fc.assert(fc.property(draw('eastWestGateway'), ([p, cross, istiod, networkLabel]) => check('EastWestGateway', () => {
      const chart = new Chart(new App(), 'fuzz');
      const gw = new EastWestGateway(chart, 'eastwest', materialize(p));
      if (networkLabel !== undefined) gw.addNetworkLabel(networkLabel);
      if (cross !== undefined) new CrossNetworkGateway(chart, 'cross', withGateway(cross, gw));
      if (istiod !== undefined) new IstiodGateway(chart, 'istiod', withGateway(istiod, gw));
      return [chart];
    })), runs(4000));
  });

  test('GatewayApiEastWestGateway, AmbientEastWestGateway and IstioRemoteGateway', () => {
    fc.assert(fc.property(draw('gatewayApi'), ([sidecar, ambient, remote]) => {
      check('GatewayApiEastWestGateway', () => {
        const chart = new Chart(new App(), 'fuzz');
        new GatewayApiEastWestGateway(chart, 'gw', materialize(sidecar));
        return [chart];
      });
      check('AmbientEastWestGateway', () => {
        const chart = new Chart(new App(), 'fuzz');
        new AmbientEastWestGateway(chart, 'gw', materialize(ambient));
        if (remote !== undefined) new IstioRemoteGateway(chart, 'remote', remote);
        return [chart];
      });
    }), runs(2000));
  });

  test('EastWestGateway.fromAttributes with CrossNetworkGateway, IstiodGateway and NetworkLabel', () => {
    fc.assert(fc.property(draw('importedGateway'), ([attrs, nl, ref]) => check('fromAttributes', () => {
      const chart = new Chart(new App(), 'fuzz');
      const gw = EastWestGateway.fromAttributes(chart, 'imported', attrs);
      const gateway = ref === 'gateway' ? gw : ref;
      new CrossNetworkGateway(chart, 'cross', { gateway });
      new IstiodGateway(chart, 'istiod', { gateway });
      new NetworkLabel(chart, 'network', isPlain(nl) && !Array.isArray(nl) && nl.gateway === 'gateway' ? { ...nl, gateway: gw } : nl);
      return [chart];
    })), runs(3000));
  });

  test('EastWestGatewayOperator and createNamespaceIn', () => {
    fc.assert(fc.property(draw('operator'), ([p, scope, id]) => check('EastWestGatewayOperator', () => {
      const app = new App();
      const cluster = new Chart(app, 'cluster');
      const operator = new EastWestGatewayOperator(app, 'operator', materialize(p));
      operator.createNamespaceIn(scope === 'cluster' ? cluster : scope === 'operator' ? operator : scope === 'app' ? app : scope, id);
      new CrossNetworkGateway(cluster, 'cross', { gateway: operator.gateway });
      return [cluster, operator];
    })), runs(2000));
  });

  test('RemoteSecret (TokenSource from a set variable) and ReaderTokenSecret', () => {
    fc.assert(fc.property(draw('remoteSecret'), ([p, ns]) => check('RemoteSecret', () => {
      const chart = new Chart(new App(), 'fuzz');
      new RemoteSecret(chart, 'remote', materialize(p));
      new ReaderTokenSecret(chart, 'reader', ns);
      return [chart];
    })), runs(2000));
  });

  test('GatewayExposure, GatewayDisruptionBudget and TokenSource factories', () => {
    fc.assert(fc.property(draw('factories'), (made) => check('factories', () => {
      materialize(made);
    })), runs(3000));
  });

  test('ServiceHost.of and ServiceHost.fqdn', () => {
    fc.assert(fc.property(draw('serviceHost'), ([s, domain, [name, namespace, clusterDomain]]) => check('ServiceHost', () => {
      const chart = new Chart(new App(), 'fuzz');
      let target: unknown = s;
      if (isPlain(s) && typeof s.kind === 'string') {
        // made outside the property: cdk8s' own checks of these objects are not under test
        const metadata = { name: s.name as any, namespace: s.namespace as any };
        try {
          if (s.kind === 'KubeService') target = new k8s.KubeService(chart, 'svc', { metadata });
          else if (s.kind === 'KubeConfigMap') target = new k8s.KubeConfigMap(chart, 'cm', { metadata });
          else if (s.kind === 'ApiObject') target = new ApiObject(chart, 'obj', { apiVersion: 'v1', kind: 'Service', metadata });
          else target = new Construct(chart, 'plain');
        } catch {
          return;
        }
      }
      const isHost = (h: unknown) => {
        if (typeof h !== 'string' || /undefined|null|\*/.test(h)) throw new PropertyFailure(`ServiceHost returned ${safeString(h)}`);
      };
      call(() => ServiceHost.of(target as any, domain), isHost);
      call(() => ServiceHost.fqdn(name, namespace, clusterDomain), isHost);
    })), runs(3000));
  });

  type MeshOp = ReturnType<typeof generators>['mesh'] extends fc.Arbitrary<[unknown, Array<infer O>]> ? O : never;

  function apply(mesh: MultiClusterMesh, op: MeshOp): void {
    const svcAt = (i: number): MeshService | undefined => (mesh.services.length ? mesh.services[i % mesh.services.length] : undefined);
    switch (op.op) {
      case 'addService': mesh.addService(op.props); break;
      case 'failover': svcAt(op.svc)?.failover(op.intent); break;
      case 'distribute': svcAt(op.svc)?.distribute(op.intent); break;
      case 'keepLocal': svcAt(op.svc)?.keepLocal(); break;
      case 'trafficDistribution': svcAt(op.svc)?.trafficDistribution(op.distribution as TrafficDistribution); break;
      case 'routePerCluster': svcAt(op.svc)?.routePerCluster(op.intent); break;
      case 'clusterLocal': mesh.clusterLocal(op.hosts, op.exceptions); break;
      case 'explain': {
        const svc = typeof op.svc === 'number' ? svcAt(op.svc) : op.svc.junk;
        if (svc !== undefined) checkExplainResult(mesh.explain(svc, op.query));
        break;
      }
      case 'trafficReport': checkMarkdown(mesh.trafficReport(op.cluster)); break;
      case 'istiodHelmValues': checkYaml(mesh.istiodHelmValues(op.cluster)); break;
      case 'isClusterLocal': if (typeof mesh.isClusterLocal(op.cluster, op.host) !== 'boolean') throw new PropertyFailure('isClusterLocal: not a boolean'); break;
      case 'cluster': mesh.cluster(op.cluster); break;
      case 'diagram': checkMarkdown(mesh.diagram()); break;
    }
  }

  test('MultiClusterMesh: props, clusters[], then addService, intents, clusterLocal, explain and reports', () => {
    fc.assert(fc.property(draw('mesh'), ([p, ops]) => check('MultiClusterMesh', () => {
      const mesh = new MultiClusterMesh(new App(), 'mesh', materialize(p));
      for (const op of ops) apply(mesh, op);
      return mesh.clusterNames.map((n) => mesh.cluster(n));
    })), runs(4000));
  });

  test('TrafficExplainer.explain, TrafficReport.markdown and MeshDiagram.markdown', () => {
    fc.assert(fc.property(draw('explain'), ([clusters, service, query, from, multiNetwork]) => check('explain', () => {
      call(() => TrafficExplainer.explain(clusters, service, query), checkExplainResult);
      call(() => TrafficReport.markdown(clusters, [service], from), checkMarkdown);
      call(() => MeshDiagram.markdown(clusters, [service], multiNetwork), checkMarkdown);
    })), runs(6000));
  });
});

afterAll(() => {
  // Reported so CI logs show how many generated cases ran and how many were accepted.
  const summary = [...outcomes].map(([name, o]) => `${name} ${o.accepted} accepted / ${o.refused} refused`).join('; ');
  // eslint-disable-next-line no-console
  console.log(`fuzz: ${cases} generated cases (${summary})`);
  if (SURVEY) {
    // eslint-disable-next-line no-console
    console.log(`fuzz refusals:\n${[...refusedBy].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join('\n')}`);
  }
  if (survey.size) {
    // eslint-disable-next-line no-console
    console.log(`fuzz survey: ${survey.size} distinct failures\n${[...survey].map(([k, v]) => `== ${v.count}× ${k}\n${v.example}`).join('\n\n')}`);
  }
});
