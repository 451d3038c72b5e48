// Property-based tests (fast-check). Two properties across every construct:
//  1. valid input (random topologies and intents) always synthesizes, deterministically, to
//     objects that pass the Istio/Kubernetes schemas, with every rule in every client cluster;
//  2. any input either fails with the library's own validation error (construct + field named),
//     never a TypeError/RangeError, or yields manifests the schemas accept.
//
// Runs: FUZZ_SCALE multiplies every numRuns (default 1; the suite then generates > 10,000 cases).
// A longer campaign: `FUZZ_SCALE=20 npx jest test/fuzz.test.ts`. A failure prints its seed; replay
// it with FUZZ_SEED=<seed>.
import { Chart, Duration, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import {
  CloudProvider, ClusterLocalPolicy, CrossNetworkGateway, EastWestGateway, GatewayExposure, LocalityFailoverRule,
  MultiClusterMesh, PerClusterSubsetRouting,
} from '../src';
import { validateManifests } from './support/schema';

const SCALE = Number(process.env.FUZZ_SCALE ?? '1');
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)), seed: SEED });
let cases = 0;

/** The library's error: `[path] Construct.field: value is invalid: reason`, or cdk8s' validation summary of those. */
const LIBRARY_ERROR = /(^\[[^\]]*\] [A-Za-z]+\.[^\n]*? is invalid: )|(^Validation failed with the following errors:\n {2}\[[^\]]+\] [A-Za-z]+)/;

function expectLibraryErrorOrValid(build: (chart: Chart) => void): void {
  cases++;
  const chart = new Chart(Testing.app(), 'fuzz');
  let objects: any[];
  try {
    build(chart);
    objects = Testing.synth(chart);
  } catch (e) {
    if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError || !LIBRARY_ERROR.test(e.message)) {
      throw new Error(`not a library validation error: ${e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e)}`);
    }
    return;
  }
  const errors = validateManifests(objects);
  if (errors.length) throw new Error(`accepted input produced manifests the schemas reject:\n${errors.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// Generators

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const junk = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.constant(''), fc.string(), fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer(), fc.double(), fc.constant(-1), fc.constant(1e12), fc.constant(NaN), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }), fc.constant('*'), fc.constant('a/*/c'), fc.constant('us-east*'), fc.constant('a//b'),
  fc.constant('x'.repeat(300)), fc.constant('Upper_Case'), fc.constant('ns/*.local'),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, junk as fc.Arbitrary<any>);
const duration = fc.oneof(
  fc.integer({ min: 1, max: 3_600_000 }).map((ms) => Duration.millis(ms)),
  fc.constantFrom(Duration.millis(0), Duration.millis(0.5), Duration.seconds(1.0005)),
  junk,
);

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

function buildMesh(t: Topology, app = Testing.app()): MultiClusterMesh {
  const region = (i: number) => `region-${i % t.regions}`;
  const clusters = Array.from({ length: t.clusters }, (_, i) => ({
    name: `cluster-${i}`,
    network: `net-${i % t.networks}`,
    region: region(i),
    zones: Array.from({ length: t.zonesPerRegion }, (_z, z) => `${region(i)}-${String.fromCharCode(97 + z)}`),
    provider: CloudProvider.GKE,
  }));
  const mesh = new MultiClusterMesh(app, 'mesh', { meshId: 'fuzz', clusters });
  t.services.forEach((s: any, i: number) => {
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

// ---------------------------------------------------------------------------------------------

describe('valid input always synthesizes to schema-valid, deterministic charts', () => {
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
      for (const svc of mesh.services.slice(0, 2)) {
        const r = mesh.explain(svc, { from: svc.clients[0] });
        const total = r.clusters.reduce((a, c) => a + c.percent, 0) + r.noHealthyUpstreamPercent + r.noRoutePercent;
        expect(total).toBeCloseTo(100, 0);
      }
    }), runs(60));
  });

  test('random valid LocalityFailoverRule settings', () => {
    const locality = fc.tuple(label, fc.option(label, { nil: undefined })).map(([r, z]) => (z ? `${r}/${z}` : `${r}/*`));
    const weights = fc.uniqueArray(locality, { minLength: 1, maxLength: 4, selector: (l) => l.split('/')[0] })
      .chain((ls) => fc.tuple(fc.constant(ls), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: ls.length, maxLength: ls.length })))
      .filter(([ls, ws]) => ls.length === 1 || ws.slice(0, -1).reduce((a, b) => a + b, 0) < 100 - 0)
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
      fc.record({ distribute: fc.array(fc.tuple(label, weights).map(([from, to]) => ({ from: `${from}/*`, to })), { minLength: 1, maxLength: 1 }) }),
    );
    fc.assert(fc.property(arb, fc.option(fc.integer({ min: 1, max: 3_600_000 })), (props, ms) => {
      cases++;
      const chart = new Chart(Testing.app(), 'fuzz');
      new LocalityFailoverRule(chart, 'r', { host: 'svc.ns.svc.cluster.local', ...props, outlierDetection: ms ? { interval: Duration.millis(ms) } : undefined });
      const errors = validateManifests(Testing.synth(chart));
      if (errors.length) throw new Error(errors.join('\n'));
    }), runs(1500));
  });
});

describe('any input: a library validation error naming construct and field, or valid manifests', () => {
  test('LocalityFailoverRule', () => {
    const props = fc.record({
      host: maybe(fc.constantFrom('a.b.svc.cluster.local', '*.b.svc.cluster.local', 'x')),
      name: maybe(label),
      namespace: maybe(label),
      enabled: maybe(fc.boolean()),
      failover: maybe(fc.array(fc.record({ from: maybe(label), to: maybe(label) }), { maxLength: 3 })),
      failoverPriority: maybe(fc.array(maybe(fc.constantFrom('topology.istio.io/network', 'topology.kubernetes.io/region', 'k=v')), { maxLength: 3 })),
      distribute: maybe(fc.array(fc.record({
        from: maybe(label),
        to: maybe(fc.dictionary(maybe(label) as fc.Arbitrary<string>, maybe(fc.integer({ min: -5, max: 120 })))),
      }), { maxLength: 2 })),
      outlierDetection: maybe(fc.record({
        consecutive5xxErrors: maybe(fc.integer()),
        interval: duration,
        baseEjectionTime: duration,
        maxEjectionPercent: maybe(fc.integer({ min: -10, max: 110 })),
        consecutiveLocalOriginFailures: maybe(fc.nat()),
        splitExternalLocalOriginErrors: maybe(fc.boolean()),
      }, { requiredKeys: [] })),
      loadBalancer: maybe(fc.constantFrom('ROUND_ROBIN', 'LEAST_REQUEST', 'FASTEST')),
      connectionPool: maybe(fc.record({ maxRequestsPerConnection: maybe(fc.integer()), connectTimeout: duration }, { requiredKeys: [] })),
      exportTo: maybe(fc.array(maybe(fc.constantFrom('.', '*', 'ns1')), { maxLength: 3 })),
    }, { requiredKeys: [] });
    fc.assert(fc.property(props, (p) => expectLibraryErrorOrValid((chart) => new LocalityFailoverRule(chart, 'r', p as any))), runs(3000));
  });

  test('PerClusterSubsetRouting', () => {
    const props = fc.record({
      host: maybe(fc.constantFrom('a.b.svc.cluster.local', '*.b.svc.cluster.local')),
      clusters: maybe(fc.array(maybe(fc.stringMatching(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,8}$/)), { maxLength: 4 })),
      name: maybe(label),
      namespace: maybe(label),
      fallbackToAllClusters: maybe(fc.boolean()),
      exportTo: maybe(fc.array(junk, { maxLength: 2 })),
    }, { requiredKeys: [] });
    fc.assert(fc.property(props, (p) => expectLibraryErrorOrValid((chart) => new PerClusterSubsetRouting(chart, 'r', p as any))), runs(1500));
  });

  test('ClusterLocalPolicy', () => {
    const host = maybe(fc.constantFrom('*.default.svc.cluster.local', 'a.b.svc.cluster.local', '*', 'foo.bar.*', '*.*'));
    const props = fc.record({
      hosts: maybe(fc.array(host, { maxLength: 3 })),
      exceptions: maybe(fc.array(host, { maxLength: 2 })),
      istioNamespace: maybe(label),
      configMapName: maybe(label),
      emitConfigMap: maybe(fc.boolean()),
    }, { requiredKeys: [] });
    fc.assert(fc.property(props, (p) => expectLibraryErrorOrValid((chart) => new ClusterLocalPolicy(chart, 'r', p as any))), runs(1500));
  });

  test('EastWestGateway and CrossNetworkGateway', () => {
    const exposure = fc.oneof(
      fc.constantFrom(CloudProvider.GKE, CloudProvider.EKS, CloudProvider.AKS, CloudProvider.ON_PREM).map((p) => GatewayExposure.internal(p)),
      fc.constant(GatewayExposure.onPrem()),
      junk,
    );
    const props = fc.record({
      network: maybe(label),
      revision: maybe(label),
      namespace: maybe(label),
      name: maybe(label),
      provider: maybe(fc.constantFrom(CloudProvider.GKE, CloudProvider.ON_PREM)),
      exposure,
      exposeIstiod: maybe(fc.boolean()),
      minReplicas: maybe(fc.integer({ min: -1, max: 6 })),
      maxReplicas: maybe(fc.integer({ min: -1, max: 6 })),
      targetCpuUtilizationPercentage: maybe(fc.integer({ min: -1, max: 120 })),
    }, { requiredKeys: [] });
    const hosts = maybe(fc.array(maybe(fc.constantFrom('*.local', '*/*.ns.svc.cluster.local', 'default/*.local', 'short', '*.*', 'a.b.c')), { maxLength: 3 }));
    fc.assert(fc.property(props, hosts, (p, h) => expectLibraryErrorOrValid((chart) => {
      const gw = new EastWestGateway(chart, 'eastwest', p as any);
      new CrossNetworkGateway(chart, 'cross', { gateway: gw, hosts: h as any });
    })), runs(1500));
  });

  test('MultiClusterMesh', () => {
    const cluster = fc.record({
      name: maybe(label),
      network: maybe(label),
      region: maybe(label),
      zones: maybe(fc.array(maybe(label), { maxLength: 2 })),
      provider: maybe(fc.constantFrom(CloudProvider.GKE, CloudProvider.ON_PREM)),
    }, { requiredKeys: [] });
    const props = fc.record(
      { meshId: maybe(label), revision: maybe(label), clusters: maybe(fc.array(cluster, { maxLength: 4 })) },
      { requiredKeys: [] },
    );
    const service = fc.record({
      name: maybe(label),
      namespace: maybe(label),
      clusters: maybe(fc.array(maybe(label), { maxLength: 3 })),
      replicas: maybe(fc.dictionary(label, maybe(fc.integer({ min: -1, max: 5 })))),
    }, { requiredKeys: [] });
    fc.assert(fc.property(props, fc.array(service, { maxLength: 2 }), (p, services) => {
      cases++;
      try {
        const mesh = new MultiClusterMesh(Testing.app(), 'mesh', p as any);
        services.forEach((s) => mesh.addService(s as any).failover());
        for (const n of mesh.clusterNames) {
          const errors = validateManifests(Testing.synth(mesh.cluster(n)));
          if (errors.length) throw new Error(`schema errors: ${errors.join('\n')}`);
        }
      } catch (e) {
        if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError || !LIBRARY_ERROR.test(e.message)) {
          throw new Error(`not a library validation error: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
        }
      }
    }), runs(1000));
  });
});

afterAll(() => {
  // Reported so CI logs show how many generated cases ran.
  // eslint-disable-next-line no-console
  console.log(`fuzz: ${cases} generated cases`);
});
