import { validationErrorOf } from './support/errors';
import { TrafficExplainer } from '../src/explain/engine';
import { ExplainCluster, ExplainLocalityLb, ExplainQuery, ExplainResult, ExplainService } from '../src/explain/model';
import { IstioVersion } from '../src/versions';

// Write-up 2 of the field notes: a GKE cluster and an on-prem cluster on two networks.
const GKE: ExplainCluster = { name: 'gke', network: 'kuchima-demo-vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-a'] };
const ONPREM: ExplainCluster = { name: 'onprem', network: 'default', region: 'tokyo-onprem', zones: [] };
const HYBRID = [GKE, ONPREM];
// Write-up 1: two GKE clusters in one VPC.
const TOKYO: ExplainCluster = { name: 'tokyo', network: 'vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-a'] };
const OSAKA: ExplainCluster = { name: 'osaka', network: 'vpc01', region: 'asia-northeast2', zones: ['asia-northeast2-a'] };
const TOKYO_OSAKA = [TOKYO, OSAKA];

const ECHO = 'echo-svc.default.svc.cluster.local';

/** A rule; with outlier detection it ejects up to 100% as the library's default outlier detection does, unless the test says otherwise. */
function lb(settings: Partial<ExplainLocalityLb>): ExplainLocalityLb {
  const ejection = settings.outlierDetection ? { maxEjectionPercent: 100 } : {};
  return { enabled: true, failover: [], failoverPriority: [], distribute: [], outlierDetection: false, ...ejection, ...settings };
}

function explain(clusters: ExplainCluster[], service: Partial<ExplainService>, query: ExplainQuery): ExplainResult {
  return TrafficExplainer.explain(clusters, { host: ECHO, replicas: {}, ...service }, query);
}

function share(result: ExplainResult, cluster: string): number {
  return result.clusters.find((c) => c.cluster === cluster)?.percent ?? 0;
}

/** Cluster shares, 503 UH and 404 NR must account for every request. */
function expectAccountedFor(result: ExplainResult): void {
  const total = result.clusters.reduce((s, c) => s + c.percent, 0) + result.noHealthyUpstreamPercent + result.noRoutePercent;
  expect(total).toBeCloseTo(100, 6);
}

const ONPREM_FAILOVER = lb({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }], outlierDetection: true });

describe('field notes (observed behaviour)', () => {
  test('field notes 1: no DestinationRule spreads requests across both clusters', () => {
    // GIVEN 2 + 2 replicas and no DestinationRule
    const result = explain(HYBRID, { replicas: { gke: 2, onprem: 2 } }, { from: 'onprem' });
    // THEN the on-prem client sees its 2 pods and gke's gateway with weight 2: 50/50
    expect(share(result, 'onprem')).toBeCloseTo(50);
    expect(share(result, 'gke')).toBeCloseTo(50);
    expect(result.clusters.find((c) => c.cluster === 'gke')?.viaGateway).toBe(true);
    expect(result.priorities).toHaveLength(1);
    const gateway = result.priorities[0].localities.find((l) => l.cluster === 'gke')!;
    expect(gateway).toMatchObject({ viaGateway: true, hosts: 1, hostWeight: 2, endpoints: 2 });
    expect(result.reasons).toContain('remote network kuchima-demo-vpc01 → via east-west gateway of gke, weight 2');
    expect(result.reasons).toContain('no DestinationRule: mesh default locality LB without outlier detection → all endpoints at priority 0, locality ignored');
    expectAccountedFor(result);
  });

  test('field notes 2: on-prem client stays local with failover rule; one of two local pods drained → still local; both drained → 100% to gke via its east-west gateway', () => {
    const service = { replicas: { gke: 2, onprem: 2 }, localityLb: ONPREM_FAILOVER };
    // steady state: P0 on-prem, P1 gke
    const steady = explain(HYBRID, service, { from: 'onprem' });
    expect(share(steady, 'onprem')).toBeCloseTo(100);
    expect(share(steady, 'gke')).toBeCloseTo(0);
    expect(steady.priorities.map((p) => [p.priority, p.localities.map((l) => l.cluster)])).toEqual([[0, ['onprem']], [1, ['gke']]]);
    expect(steady.reasons).toContain('outlier detection set → locality priorities on');
    expect(steady.reasons).toContain('failover tokyo-onprem → asia-northeast1: other regions demoted');

    // one of two local pods drained: the remaining one is 100% of P0
    const oneDrained = explain(HYBRID, service, { from: 'onprem', drained: { onprem: 1 } });
    expect(share(oneDrained, 'onprem')).toBeCloseTo(100);
    expect(oneDrained.assumptions.join('\n')).toContain('drained endpoints (terminating or deleted pods) have left EDS');

    // both drained: the on-prem locality is gone, gke's gateway is compacted to P0
    const bothDrained = explain(HYBRID, service, { from: 'onprem', drained: { onprem: 2 } });
    expect(share(bothDrained, 'gke')).toBeCloseTo(100);
    expect(bothDrained.clusters).toEqual([{ cluster: 'gke', percent: 100, failedPercent: 0, viaGateway: true }]);
    expect(bothDrained.priorities.map((p) => p.priority)).toEqual([0]);
    expect(bothDrained.noHealthyUpstreamPercent).toBe(0);
    expectAccountedFor(bothDrained);
  });

  test('field notes 2, failing instead of drained: one of two local pods failing → 30% spills to gke (overprovisioning 1.4)', () => {
    // GIVEN the pod is still Ready but fails: outlier detection ejects it, it still counts for P0 health
    const result = explain(HYBRID, { replicas: { gke: 2, onprem: 2 }, localityLb: ONPREM_FAILOVER }, { from: 'onprem', healthy: { onprem: 0.5 } });
    // THEN health(P0) = 140 × 1/2 = 70
    expect(share(result, 'onprem')).toBeCloseTo(70);
    expect(share(result, 'gke')).toBeCloseTo(30);
    expect(result.failedPercent).toBe(0);
    expect(result.reasons).toContain('P0 1/2 hosts healthy → health 70% → 70%; P1 1/1 hosts healthy → health 100% → 30%');
    expect(result.assumptions.join('\n')).toContain('outlier detection has ejected as many failing hosts as maxEjectionPercent allows');
  });

  test('field notes 2 with the seed\'s outlier detection as written (no maxEjectionPercent → 10%): a failing pod is never ejected from 3 hosts', () => {
    // GIVEN the seed rule: maxEjectionPercent left out, so Envoy's 10% applies; 2 onprem pods + 1 gateway = 3 hosts
    const seedRule = { ...ONPREM_FAILOVER, maxEjectionPercent: undefined };
    // WHEN one local pod fails: floor(10 × 3 / 100) = 0 hosts may be ejected
    const one = explain(HYBRID, { replicas: { gke: 2, onprem: 2 }, localityLb: seedRule }, { from: 'onprem', healthy: { onprem: 0.5 } });
    // THEN P0 still looks 100% healthy: everything stays local and half of it fails
    expect(share(one, 'onprem')).toBeCloseTo(100);
    expect(one.failedPercent).toBeCloseTo(50);
    expect(one.reasons).toContain('maxEjectionPercent 10 (default) of 3 hosts → Envoy ejects at most 0: 1 of 1 failing host(s) stay in use and answer errors (set maxEjectionPercent: 100)');
    // AND with both failing, nothing fails over: every request fails locally
    const both = explain(HYBRID, { replicas: { gke: 2, onprem: 2 }, localityLb: seedRule }, { from: 'onprem', healthy: { onprem: 0 } });
    expect(share(both, 'gke')).toBe(0);
    expect(both.failedPercent).toBeCloseTo(100);
    // AND drained pods (gone from EDS, as in the field notes) need no ejection: 100% to gke
    const drained = explain(HYBRID, { replicas: { gke: 2, onprem: 2 }, localityLb: seedRule }, { from: 'onprem', drained: { onprem: 2 } });
    expect(share(drained, 'gke')).toBeCloseTo(100);
    expect(drained.failedPercent).toBe(0);
  });

  test('the remote gateway\'s own outlier detection is capped too: 25% of 4 gke pods ejects 1 of 2 failing', () => {
    const rule = { ...ONPREM_FAILOVER, maxEjectionPercent: 25 };
    const result = explain(HYBRID, { replicas: { gke: 4, onprem: 1 }, localityLb: rule }, { from: 'onprem', drained: { onprem: 1 }, healthy: { gke: 0.5 } });
    // THEN all requests cross to gke; its gateway still uses 3 pods, 1 failing → a third fail
    expect(share(result, 'gke')).toBeCloseTo(100);
    expect(result.failedPercent).toBeCloseTo(100 / 3);
  });

  test('maxEjectionPercent is counted over every host of the destination: 50% of 4 hosts ejects 2, the third failing pod stays in use', () => {
    // GIVEN 3 local pods + 1 gateway = 4 hosts, maxEjectionPercent 50 → floor(50 × 4 / 100) = 2
    const rule = { ...ONPREM_FAILOVER, maxEjectionPercent: 50 };
    const result = explain(HYBRID, { replicas: { gke: 2, onprem: 3 }, localityLb: rule }, { from: 'onprem', healthy: { onprem: 0 } });
    // THEN P0 keeps 1 of 3 hosts (health floor(140/3) = 46): 46% to the failing pod, 54% over the gateway
    expect(share(result, 'onprem')).toBeCloseTo(46);
    expect(share(result, 'gke')).toBeCloseTo(54);
    expect(result.failedPercent).toBeCloseTo(46);
  });

  test('field notes 2, both local pods failing: the gateway at P1 takes everything', () => {
    const result = explain(HYBRID, { replicas: { gke: 2, onprem: 2 }, localityLb: ONPREM_FAILOVER }, { from: 'onprem', healthy: { onprem: 0 } });
    expect(share(result, 'gke')).toBeCloseTo(100);
    expect(result.priorities[0]).toMatchObject({ priority: 0, healthPercent: 0, loadPercent: 0 });
    expect(result.reasons).toContain('P0 0/2 hosts healthy → health 0% → 0%; P1 1/1 hosts healthy → health 100% → 100%');
  });

  test('field notes 5: 50/50 distribute splits traffic', () => {
    const service = {
      replicas: { tokyo: 2, osaka: 2 },
      localityLb: lb({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 50, 'asia-northeast2/*': 50 } }] }),
    };
    const result = explain(TOKYO_OSAKA, service, { from: 'tokyo' });
    expect(share(result, 'tokyo')).toBeCloseTo(50);
    expect(share(result, 'osaka')).toBeCloseTo(50);
    expect(result.priorities).toHaveLength(1);
    expect(result.priorities[0].localities.map((l) => l.lbWeight)).toEqual([50, 50]);
    expect(result.reasons).toContain('distribute asia-northeast1/* → {asia-northeast1/*: 50, asia-northeast2/*: 50}: unlisted localities get nothing');
    // the receiving side drained: the listed tokyo locality takes everything
    const osakaDrained = explain(TOKYO_OSAKA, service, { from: 'tokyo', drained: { osaka: 2 } });
    expect(share(osakaDrained, 'tokyo')).toBeCloseTo(100);
    // osaka clients match no `from`: weights stay the endpoint counts
    const fromOsaka = explain(TOKYO_OSAKA, service, { from: 'osaka' });
    expect(share(fromOsaka, 'osaka')).toBeCloseTo(50);
    expect(fromOsaka.reasons).toContain('distribute: no entry\'s from matches asia-northeast2/asia-northeast2-a → locality weights unchanged');
  });

  // The field note says "0:100 with the receiving side down fails over". Istio cannot express a 0
  // weight (istiod rejects it) and strips the endpoints of every locality `to` does not list
  // (loadbalancer.go applyLocalityWeights, semantics doc 7.4), so listing only the other side
  // gives 503 when that side is down. The observed failover needs the local side listed too.
  test('field notes 5: 0:100 distribute (to lists only the other side) with the receiving side down gives 503, not failover: istiod strips unlisted localities', () => {
    const service = { replicas: { tokyo: 2, osaka: 2 }, localityLb: lb({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast2/*': 100 } }] }) };
    const steady = explain(TOKYO_OSAKA, service, { from: 'tokyo' });
    expect(share(steady, 'osaka')).toBeCloseTo(100);
    expect(steady.clusters.map((c) => c.cluster)).toEqual(['osaka']);
    expect(steady.reasons).toContain('istiod strips the endpoints of unlisted asia-northeast1/asia-northeast1-a (tokyo): no traffic even when every listed locality is down');

    const osakaDrained = explain(TOKYO_OSAKA, service, { from: 'tokyo', drained: { osaka: 2 } });
    expect(osakaDrained.noHealthyUpstreamPercent).toBeCloseTo(100);
    expect(osakaDrained.reasons).toContain('no endpoints → empty ClusterLoadAssignment → 503 no healthy upstream');
  });

  test('field notes 5: 1:99 distribute (the nearest legal 0:100) with the receiving side down fails over', () => {
    const service = {
      replicas: { tokyo: 2, osaka: 2 },
      localityLb: lb({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 1, 'asia-northeast2/*': 99 } }] }),
    };
    const steady = explain(TOKYO_OSAKA, service, { from: 'tokyo' });
    expect(share(steady, 'osaka')).toBeCloseTo(99);
    expect(share(steady, 'tokyo')).toBeCloseTo(1);
    const osakaDrained = explain(TOKYO_OSAKA, service, { from: 'tokyo', drained: { osaka: 2 } });
    expect(share(osakaDrained, 'tokyo')).toBeCloseTo(100);
    // with outlier detection, failing (not drained) osaka pods are ejected: locality availability 0
    const withOd = { ...service, localityLb: { ...service.localityLb, outlierDetection: true, maxEjectionPercent: 100 } };
    const osakaFailing = explain(TOKYO_OSAKA, withOd, { from: 'tokyo', healthy: { osaka: 0 } });
    expect(share(osakaFailing, 'tokyo')).toBeCloseTo(100);
    expect(osakaFailing.reasons).toContain('distribute set → locality weights, no priorities (failover is not applied with distribute)');
  });

  test('a distribute weight of 0 (istiod\'s webhook rejects it) would keep the locality\'s original weight, not zero it', () => {
    const service = { replicas: { tokyo: 2, osaka: 2 }, localityLb: lb({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 0, 'asia-northeast2/*': 100 } }] }) };
    const result = explain(TOKYO_OSAKA, service, { from: 'tokyo' });
    // loadbalancer.go sets the weight only `if destWeight > 0`: tokyo keeps 2, osaka gets 100
    expect(result.priorities[0].localities.map((l) => l.lbWeight)).toEqual([2, 100]);
    expect(share(result, 'tokyo')).toBeCloseTo((100 * 2) / 102);
    expect(result.reasons).toContain('distribute weight 0 for asia-northeast1/* keeps its original weight (istiod sets weights only when > 0)');
  });

  // The write-up's literal 0:100 (a 0 weight, which istiod 1.30's webhook rejects, applied on the
  // mesh the notes come from): the 0-weight locality keeps its original weight, so it takes
  // ~2% in steady state and everything when the receiving side is down: the observed failover.
  test('field notes 5: 0:100 distribute (the 0 listed, as the write-up applied it) with the receiving side down fails over', () => {
    const service = { replicas: { tokyo: 2, osaka: 2 }, localityLb: lb({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 0, 'asia-northeast2/*': 100 } }] }) };
    const steady = explain(TOKYO_OSAKA, service, { from: 'tokyo' });
    expect(share(steady, 'osaka')).toBeCloseTo((100 * 100) / 102);
    const osakaDrained = explain(TOKYO_OSAKA, service, { from: 'tokyo', drained: { osaka: 2 } });
    expect(share(osakaDrained, 'tokyo')).toBeCloseTo(100);
    expect(osakaDrained.noHealthyUpstreamPercent).toBeCloseTo(0);
    expect(osakaDrained.reasons).toContain('distribute weight 0 for asia-northeast1/* keeps its original weight (istiod sets weights only when > 0)');
  });

  test('field notes 6: clusterLocal keeps traffic in the client\'s cluster; other namespaces still see the gateway endpoint', () => {
    const local = explain(HYBRID, { host: 'echo.default.svc.cluster.local', replicas: { gke: 2, onprem: 2 }, clusterLocal: true }, { from: 'onprem' });
    expect(share(local, 'onprem')).toBeCloseTo(100);
    expect(local.clusters.map((c) => c.cluster)).toEqual(['onprem']);
    expect(local.reasons).toContain('cluster-local host → only endpoints in onprem');
    // a service in another namespace is not covered by `*.default.svc.cluster.local`
    const other = explain(HYBRID, { host: 'echo.other.svc.cluster.local', replicas: { gke: 2, onprem: 2 }, clusterLocal: false }, { from: 'onprem' });
    expect(share(other, 'gke')).toBeCloseTo(50);
    expect(other.reasons).toContain('remote network kuchima-demo-vpc01 → via east-west gateway of gke, weight 2');
    // cluster-local with the local pods gone: nothing to fail over to
    const localDown = explain(HYBRID, { replicas: { gke: 2, onprem: 2 }, clusterLocal: true }, { from: 'onprem', drained: { onprem: 2 } });
    expect(localDown.noHealthyUpstreamPercent).toBeCloseTo(100);
  });

  const PER_CLUSTER = { replicas: { tokyo: 2, osaka: 2 }, perClusterRouting: { clusters: ['tokyo', 'osaka'], fallbackToAllClusters: false } };

  test('field notes 7: per-cluster subset routing keeps each caller local', () => {
    const fromTokyo = explain(TOKYO_OSAKA, PER_CLUSTER, { from: 'tokyo' });
    const fromOsaka = explain(TOKYO_OSAKA, PER_CLUSTER, { from: 'osaka' });
    expect(share(fromTokyo, 'tokyo')).toBeCloseTo(100);
    expect(share(fromOsaka, 'osaka')).toBeCloseTo(100);
    expect(fromTokyo.routes).toEqual([{ subset: 'tokyo', percent: 100 }]);
    expect(fromTokyo.priorities[0].subset).toBe('tokyo');
    expect(fromTokyo.reasons).toContain('per-cluster routing: the caller matches sourceLabels topology.istio.io/cluster=tokyo → 100% to subset tokyo (no failover across subsets)');
  });

  test('field notes 7: per-cluster subset routing with the local subset down → 503 no healthy upstream', () => {
    // pods gone (not Ready): the subset's ClusterLoadAssignment is empty
    const drained = explain(TOKYO_OSAKA, PER_CLUSTER, { from: 'tokyo', drained: { tokyo: 2 } });
    expect(drained.noHealthyUpstreamPercent).toBeCloseTo(100);
    expect(share(drained, 'osaka')).toBe(0);
    expect(drained.reasons).toContain('no endpoints → empty ClusterLoadAssignment → 503 no healthy upstream');
    // pods failing with outlier detection: all ejected, panic threshold 0 → 503 UH
    const failing = explain(TOKYO_OSAKA, { ...PER_CLUSTER, localityLb: lb({ outlierDetection: true }) }, { from: 'tokyo', healthy: { tokyo: 0 } });
    expect(failing.noHealthyUpstreamPercent).toBeCloseTo(100);
    expect(failing.reasons).toContain('no healthy host and panic mode disabled (minHealthPercent 0) → 503 no healthy upstream');
    // pods failing without outlier detection: Envoy keeps sending to them, every request fails
    const noOd = explain(TOKYO_OSAKA, PER_CLUSTER, { from: 'tokyo', healthy: { tokyo: 0 } });
    expect(noOd.noHealthyUpstreamPercent).toBe(0);
    expect(noOd.failedPercent).toBeCloseTo(100);
    expect(noOd.reasons).toContain('no outlier detection: Envoy cannot tell failing endpoints apart → 100% of requests fail');
  });

  test('field notes 7: a caller in a cluster without a route gets 404, or the catch-all', () => {
    const NAGOYA: ExplainCluster = { name: 'nagoya', network: 'vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-b'] };
    const noRoute = explain([...TOKYO_OSAKA, NAGOYA], PER_CLUSTER, { from: 'nagoya' });
    expect(noRoute.noRoutePercent).toBe(100);
    expect(noRoute.clusters).toEqual([]);
    expectAccountedFor(noRoute);
    const catchAll = explain([...TOKYO_OSAKA, NAGOYA], { ...PER_CLUSTER, perClusterRouting: { clusters: ['tokyo', 'osaka'], fallbackToAllClusters: true } }, { from: 'nagoya' });
    expect(share(catchAll, 'tokyo') + share(catchAll, 'osaka')).toBeCloseTo(100);
    expect(catchAll.reasons).toContain('per-cluster routing: no route for callers in nagoya → catch-all route to the whole host');
    // the catch-all names no subset, but the host's DestinationRule (with the subsets) is there
    expect(catchAll.reasons.join('\n')).toContain('DestinationRule with subsets only: mesh default locality LB');
  });

  test('field notes 8: VS weight 100/0 with v1 down → 503; weight 0 gets nothing', () => {
    const service = {
      replicas: { gke: 4 },
      localityLb: lb({ outlierDetection: true }),
      weightedSubsets: [
        { name: 'v1', weight: 100, replicas: { gke: 2 } },
        { name: 'v2', weight: 0, replicas: { gke: 2 } },
      ],
    };
    const steady = explain([GKE], service, { from: 'gke' });
    expect(steady.routes).toEqual([{ subset: 'v1', percent: 100 }, { subset: 'v2', percent: 0 }]);
    expect(share(steady, 'gke')).toBeCloseTo(100);
    expect(steady.priorities.map((p) => p.subset)).toEqual(['v1']);
    expect(steady.reasons).toContain('weight 0 → subset v2 gets nothing');

    const v1Down = explain([GKE], { ...service, weightedSubsets: [{ ...service.weightedSubsets[0], healthyOverride: 0 }, service.weightedSubsets[1]] }, { from: 'gke' });
    expect(v1Down.noHealthyUpstreamPercent).toBeCloseTo(100);
    expect(share(v1Down, 'gke')).toBe(0);
    expect(v1Down.reasons).toContain('VirtualService weights v1 100, v2 0: each subset keeps its share, subsets never fail over to each other');
    expectAccountedFor(v1Down);
  });
});

describe('Envoy priority arithmetic', () => {
  // 10 endpoints in P0 (tokyo, the client's zone), 10 at P1 (osaka)
  const service = { replicas: { tokyo: 10, osaka: 10 }, localityLb: lb({ outlierDetection: true }) };

  test('P0 with 50% healthy endpoints keeps 70%', () => {
    const result = explain(TOKYO_OSAKA, service, { from: 'tokyo', healthy: { tokyo: 0.5 } });
    expect(result.priorities[0]).toMatchObject({ priority: 0, healthPercent: 70, loadPercent: 70, panic: false });
    expect(result.priorities[1]).toMatchObject({ priority: 1, healthPercent: 100, loadPercent: 30 });
    expect(share(result, 'tokyo')).toBeCloseTo(70);
    expect(share(result, 'osaka')).toBeCloseTo(30);
    expect(result.reasons).toContain('P0 5/10 hosts healthy → health 70% → 70%; P1 10/10 hosts healthy → health 100% → 30%');
  });

  test('P0 with 80% healthy keeps 100%', () => {
    const result = explain(TOKYO_OSAKA, service, { from: 'tokyo', healthy: { tokyo: 0.8 } });
    expect(result.priorities[0]).toMatchObject({ healthPercent: 100, loadPercent: 100 });
    expect(share(result, 'tokyo')).toBeCloseTo(100);
    expect(share(result, 'osaka')).toBeCloseTo(0);
    expect(result.reasons).toContain('P0 8/10 hosts healthy → health 100% → 100%; P1 10/10 hosts healthy → health 100% → 0%');
  });

  test('total health under 100% is normalized', () => {
    // P0 2/10 → 28, P1 3/10 → 42: total 70 → P0 floor(28×100/70) = 40, P1 60
    const result = explain(TOKYO_OSAKA, service, { from: 'tokyo', healthy: { tokyo: 0.2, osaka: 0.3 } });
    expect(result.priorities.map((p) => [p.healthPercent, p.loadPercent])).toEqual([[28, 40], [42, 60]]);
    expect(result.reasons).toContain('total health 70% < 100% → priority loads normalized');
    expect(result.failedPercent).toBe(0);
  });

  test('minHealthPercent sets the panic threshold: a priority in panic uses its failing hosts too', () => {
    // P0 2/10 (20% < 50%) and P1 3/10: every priority in panic → load by host count, 50/50
    const result = explain(TOKYO_OSAKA, { ...service, localityLb: lb({ outlierDetection: true, minHealthPercent: 50 }) }, { from: 'tokyo', healthy: { tokyo: 0.2, osaka: 0.3 } });
    expect(result.priorities.map((p) => [p.panic, p.loadPercent])).toEqual([[true, 50], [true, 50]]);
    expect(result.failedPercent).toBeCloseTo(50 * 0.8 + 50 * 0.7);
    expect(result.reasons).toContain('P0 in panic (20% healthy < threshold 50%) → all its hosts used, failing ones included');
  });

  test('without outlier detection Envoy has no health signal: failing endpoints keep their share', () => {
    const result = explain(TOKYO_OSAKA, { replicas: { tokyo: 10, osaka: 10 } }, { from: 'tokyo', healthy: { tokyo: 0.5 } });
    expect(result.priorities).toHaveLength(1);
    expect(share(result, 'tokyo')).toBeCloseTo(50);
    expect(result.failedPercent).toBeCloseTo(25);
    expect(result.reasons).toContain('no outlier detection: Envoy cannot tell failing endpoints apart → 25% of requests fail');
  });
});

describe('istiod priorities', () => {
  test('failoverPriority network-first: in Istio 1.30 another network always ranks lowest', () => {
    const V1_30 = { istioVersion: IstioVersion.V1_30 };
    const A: ExplainCluster = { name: 'a', network: 'net1', region: 'r1', zones: ['r1-a'], ...V1_30 };
    const B: ExplainCluster = { name: 'b', network: 'net1', region: 'r2', zones: ['r2-a'], ...V1_30 };
    const C: ExplainCluster = { name: 'c', network: 'net2', region: 'r1', zones: ['r1-a'], ...V1_30 };
    const result = explain([A, B, C], {
      replicas: { a: 1, b: 1, c: 1 },
      localityLb: lb({ outlierDetection: true, failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] }),
    }, { from: 'a' });
    // c shares a's region but not its network: the network mismatch ends the match → lowest
    expect(result.priorities.map((p) => [p.priority, p.localities.map((l) => l.cluster)])).toEqual([[0, ['a']], [1, ['b']], [2, ['c']]]);
    expect(result.reasons).toContain('Istio 1.30: a network mismatch ends the match → endpoints on other networks get the lowest priority');
    expect(result.reasons).toContain('failoverPriority [topology.istio.io/network, topology.kubernetes.io/region] → priority = 2 − leading labels matched');
    // a and c down: b takes everything
    const down = explain([A, B, C], {
      replicas: { a: 1, b: 1, c: 1 },
      localityLb: lb({ outlierDetection: true, failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] }),
    }, { from: 'a', healthy: { a: 0 } });
    expect(share(down, 'b')).toBeCloseTo(100);
  });

  test('failoverPriority key=value compares with the fixed value; the client need not match', () => {
    const result = explain(TOKYO_OSAKA, {
      replicas: { tokyo: 2, osaka: 2 },
      localityLb: lb({ outlierDetection: true, failoverPriority: ['topology.istio.io/cluster=osaka'] }),
    }, { from: 'tokyo' });
    expect(result.priorities.map((p) => [p.priority, p.localities.map((l) => l.cluster)])).toEqual([[0, ['osaka']], [1, ['tokyo']]]);
    expect(share(result, 'osaka')).toBeCloseTo(100);
    expect(result.priorities[0].localities[0].lbWeight).toBe(2);
  });

  test('failoverPriority on a label the model does not know: every endpoint mismatches, said in the assumptions', () => {
    const result = explain(TOKYO_OSAKA, {
      replicas: { tokyo: 2, osaka: 2 },
      localityLb: lb({ outlierDetection: true, failoverPriority: ['app.kubernetes.io/version'] }),
    }, { from: 'tokyo' });
    expect(result.priorities).toHaveLength(1);
    expect(result.assumptions).toContain('failoverPriority label app.kubernetes.io/version is not modelled: every endpoint counts as a mismatch');
  });

  test('failover remapping: other regions not named in `to` get priority 4', () => {
    const US: ExplainCluster = { name: 'us', network: 'vpc01', region: 'us-east1', zones: ['us-east1-b'] };
    const service = {
      replicas: { tokyo: 2, osaka: 2, us: 2 },
      localityLb: lb({ outlierDetection: true, failover: [{ from: 'asia-northeast1', to: 'us-east1' }] }),
    };
    const result = explain([TOKYO, OSAKA, US], service, { from: 'tokyo' });
    // raw: tokyo 0, us 3 (the `to` region), osaka 4 → compacted 0, 1, 2
    expect(result.priorities.map((p) => [p.priority, p.localities.map((l) => l.cluster)])).toEqual([[0, ['tokyo']], [1, ['us']], [2, ['osaka']]]);
    expect(result.reasons).toContain('failover asia-northeast1 → us-east1: other regions demoted');
    const tokyoDown = explain([TOKYO, OSAKA, US], service, { from: 'tokyo', healthy: { tokyo: 0 } });
    expect(share(tokyoDown, 'us')).toBeCloseTo(100);
    // an osaka client has no failover entry: default priorities
    const fromOsaka = explain([TOKYO, OSAKA, US], service, { from: 'osaka' });
    expect(fromOsaka.priorities.map((p) => p.localities.map((l) => l.cluster))).toEqual([['osaka'], ['tokyo', 'us']]);
    expect(fromOsaka.reasons).toContain('no failover entry starts from asia-northeast2 → default priorities (same zone, same region, elsewhere)');
  });

  test('priorities are compacted with no gaps: with no same-zone endpoints, same-region ones are P0', () => {
    const TOKYO3: ExplainCluster = { ...TOKYO, zones: ['asia-northeast1-a', 'asia-northeast1-b', 'asia-northeast1-c'] };
    // 2 replicas → zones a and b; the client is in zone c
    const result = explain([TOKYO3, OSAKA], { replicas: { tokyo: 2, osaka: 2 }, localityLb: lb({ outlierDetection: true }) }, { from: 'tokyo', zone: 'asia-northeast1-c' });
    expect(result.clientLocality).toBe('asia-northeast1/asia-northeast1-c');
    expect(result.priorities.map((p) => p.priority)).toEqual([0, 1]);
    expect(result.priorities[0].localities.map((l) => l.zone)).toEqual(['asia-northeast1-a', 'asia-northeast1-b']);
    expect(result.priorities[1].localities.map((l) => l.cluster)).toEqual(['osaka']);
    expect(result.reasons).toContain('priorities (compacted, no gaps): P0 tokyo; P1 osaka');
    // default failover sets no LocalityWeightedLbConfig
    expect(result.priorities[0].localities[0].lbWeight).toBeUndefined();
  });

  test('no outlier detection → everything at P0 with locality ignored', () => {
    const result = explain(TOKYO_OSAKA, {
      replicas: { tokyo: 2, osaka: 2 },
      localityLb: lb({ failover: [{ from: 'asia-northeast1', to: 'asia-northeast2' }] }),
    }, { from: 'tokyo' });
    expect(result.priorities).toHaveLength(1);
    expect(share(result, 'tokyo')).toBeCloseTo(50);
    expect(share(result, 'osaka')).toBeCloseTo(50);
    expect(result.reasons).toContain('no outlier detection → all endpoints at priority 0, locality ignored');
    expect(result.reasons).toContain('failover/failoverPriority have no effect without outlier detection');
  });

  test('gateway endpoints carry no region label: failoverPriority on region puts remote networks last', () => {
    const SAME_REGION: ExplainCluster = { name: 'gke2', network: 'other-vpc', region: 'tokyo-onprem', zones: [] };
    const result = explain([ONPREM, SAME_REGION], {
      replicas: { onprem: 1, gke2: 1 },
      localityLb: lb({ outlierDetection: true, failoverPriority: ['topology.kubernetes.io/region'] }),
    }, { from: 'onprem' });
    expect(result.priorities.map((p) => p.localities.map((l) => l.cluster))).toEqual([['onprem'], ['gke2']]);
    expect(result.reasons).toContain('gateway endpoints carry only cluster and network labels (ep_filters.go) → region/zone/subzone keys never match them');
  });

  test('a gateway host is ejected only when its whole cluster fails', () => {
    const service = { replicas: { gke: 2, onprem: 2 }, localityLb: ONPREM_FAILOVER };
    // gke client: onprem is remote (gateway, weight 2) at P1; one failing on-prem pod does not eject the gateway
    const partial = explain(HYBRID, service, { from: 'gke', healthy: { gke: 0, onprem: 0.5 } });
    expect(share(partial, 'onprem')).toBeCloseTo(100);
    expect(partial.failedPercent).toBe(0);
    const all = explain(HYBRID, service, { from: 'gke', healthy: { gke: 0, onprem: 0 } });
    expect(all.noHealthyUpstreamPercent).toBeCloseTo(100);
    expect(all.reasons).toContain("no healthy endpoint in onprem's network → its gateway host is ejected");
  });

  test('a gateway serves its whole network: with its own cluster down it still answers from the other cluster there', () => {
    // GIVEN c1 alone on n1; c3 and c4 share n2 (c3 in the client's region, c4 elsewhere)
    const clusters: ExplainCluster[] = [
      { name: 'c1', network: 'n1', region: 'r1', zones: ['a'] },
      { name: 'c3', network: 'n2', region: 'r1', zones: ['a'] },
      { name: 'c4', network: 'n2', region: 'r2', zones: [] },
    ];
    // WHEN every c3 pod fails
    const result = explain(clusters, { replicas: { c1: 1, c3: 3, c4: 2 }, localityLb: lb({ outlierDetection: true }) }, { from: 'c1', healthy: { c3: 0 } });
    // THEN c3's gateway is not ejected (it forwards to c4's pods on n2): P0 keeps c1 and c3's gateway at weights 1:3
    expect(share(result, 'c1')).toBeCloseTo(25);
    expect(share(result, 'c3')).toBeCloseTo(75);
    expect(result.failedPercent).toBe(0);
  });
});

describe('what outlier detection can eject (consecutive5xxErrors, consecutiveGatewayErrors, maxEjectionPercent, minHealthPercent)', () => {
  const service = (settings: Partial<ExplainLocalityLb>) => ({ replicas: { gke: 2, onprem: 2 }, localityLb: { ...ONPREM_FAILOVER, ...settings } });
  const SPREAD = [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 50, 'asia-northeast2/*': 50 } }];

  test('explain: consecutive5xxErrors 0 without gateway errors never ejects failing endpoints, so nothing fails over', () => {
    const off = service({ consecutive5xxErrors: 0 });
    // WHEN both on-prem pods fail (they stay Ready and answer 503)
    const down = explain(HYBRID, off, { from: 'onprem', healthy: { onprem: 0 } });
    // THEN priorities still exist (outlier detection is set), but P0 never looks unhealthy: every request stays and fails
    expect(down.priorities.map((p) => [p.priority, p.healthPercent, p.loadPercent])).toEqual([[0, 100, 100], [1, 100, 0]]);
    expect(share(down, 'onprem')).toBeCloseTo(100);
    expect(share(down, 'gke')).toBe(0);
    expect(down.failedPercent).toBeCloseTo(100);
    expect(down.reasons).toContain('5xx ejection off (consecutive5xxErrors: 0) and no gateway-error ejection (consecutiveGatewayErrors not set) → failing endpoints are never ejected: '
      + 'they keep their share and nothing fails over because of them (only drained endpoints leave)');
    expect(down.reasons).toContain('outlier detection ejects no failing endpoint (5xx ejection off) → 100% of requests fail');
    expect(down.assumptions.join('\n')).toContain('failing endpoints answer HTTP 503');
    expect(down.assumptions.join('\n')).not.toContain('outlier detection has ejected as many failing hosts');
    // one of two failing: 50% of the requests fail instead of 30% moving to gke
    const half = explain(HYBRID, off, { from: 'onprem', healthy: { onprem: 0.5 } });
    expect(share(half, 'onprem')).toBeCloseTo(100);
    expect(half.failedPercent).toBeCloseTo(50);
    // drained pods leave EDS, which needs no ejection: that still fails over
    const drained = explain(HYBRID, off, { from: 'onprem', drained: { onprem: 2 } });
    expect(share(drained, 'gke')).toBeCloseTo(100);
    expect(drained.failedPercent).toBe(0);
  });

  test('explain: consecutive5xxErrors 0 with gateway errors still ejects failing endpoints (their 503 is a gateway error)', () => {
    const gatewayOnly = service({ consecutive5xxErrors: 0, consecutiveGatewayErrors: 1 });
    const down = explain(HYBRID, gatewayOnly, { from: 'onprem', healthy: { onprem: 0 } });
    expect(share(down, 'gke')).toBeCloseTo(100);
    expect(down.failedPercent).toBe(0);
    expect(down.reasons).toContain('5xx ejection off (consecutive5xxErrors: 0), gateway-error ejection on (consecutiveGatewayErrors: 1) → failing endpoints (503, a gateway error) are still ejected');
    expect(down.assumptions.join('\n')).toContain('failing endpoints answer HTTP 503, an external 5xx and gateway error');
    // the same numbers as with 5xx ejection on: 70/30 with one of two pods failing
    const half = explain(HYBRID, gatewayOnly, { from: 'onprem', healthy: { onprem: 0.5 } });
    expect([share(half, 'onprem'), share(half, 'gke'), half.failedPercent]).toEqual([70, 30, 0]);
  });

  test('explain: local-origin ejection (splitExternalLocalOriginErrors) does not eject endpoints that answer 503', () => {
    const localOrigin = service({ consecutive5xxErrors: 0, splitExternalLocalOriginErrors: true });
    const down = explain(HYBRID, localOrigin, { from: 'onprem', healthy: { onprem: 0 } });
    expect(share(down, 'onprem')).toBeCloseTo(100);
    expect(down.failedPercent).toBeCloseTo(100);
    expect(down.reasons).toContain('splitExternalLocalOriginErrors → local-origin failures (connect failures, timeouts, resets) eject on their own count; failing endpoints here answer 503, so it ejects none of them');
    expect(down.assumptions.join('\n')).toContain('unreachable endpoints (connect failures, timeouts, resets: local-origin ejection) are not modelled');
  });

  test('explain: distribute with 5xx ejection off keeps failing endpoints in rotation', () => {
    const spread = (settings: Partial<ExplainLocalityLb>) => ({
      replicas: { tokyo: 2, osaka: 2 }, localityLb: lb({ distribute: SPREAD, outlierDetection: true, ...settings }),
    });
    // 5xx ejection on: tokyo's failing pods are ejected, its locality weight drops to 0, osaka takes everything
    const on = explain(TOKYO_OSAKA, spread({}), { from: 'tokyo', healthy: { tokyo: 0 } });
    expect([share(on, 'tokyo'), share(on, 'osaka'), on.failedPercent]).toEqual([0, 100, 0]);
    // 5xx ejection off: tokyo keeps its 50% and all of it fails
    const off = explain(TOKYO_OSAKA, spread({ consecutive5xxErrors: 0 }), { from: 'tokyo', healthy: { tokyo: 0 } });
    expect(share(off, 'tokyo')).toBeCloseTo(50);
    expect(share(off, 'osaka')).toBeCloseTo(50);
    expect(off.failedPercent).toBeCloseTo(50);
    expect(off.clusters.find((c) => c.cluster === 'tokyo')?.failedPercent).toBeCloseTo(50);
    expect(off.reasons).toContain('5xx ejection off (consecutive5xxErrors: 0) and no gateway-error ejection (consecutiveGatewayErrors not set) → failing endpoints are never ejected: they keep their share');
  });

  test('explain: a gateway host is never ejected when 5xx ejection is off: requests through it fail instead of 503 no healthy upstream', () => {
    const off = service({ consecutive5xxErrors: 0 });
    const result = explain(HYBRID, off, { from: 'onprem', drained: { onprem: 2 }, healthy: { gke: 0 } });
    expect(share(result, 'gke')).toBeCloseTo(100);
    expect(result.failedPercent).toBeCloseTo(100);
    expect(result.noHealthyUpstreamPercent).toBe(0);
    expect(result.assumptions).toContain('a gateway endpoint is never ejected (its DestinationRule ejects nothing): requests through it fail in the proportion of its network\'s failing endpoints');
    // with 5xx ejection on the gateway host is ejected and panic mode is off (minHealthPercent 0): 503 no healthy upstream
    const on = explain(HYBRID, service({}), { from: 'onprem', drained: { onprem: 2 }, healthy: { gke: 0 } });
    expect(on.noHealthyUpstreamPercent).toBeCloseTo(100);
  });

  test('explain: maxEjectionPercent 0 is Envoy\'s default 10%, not "eject nothing" (istiod passes only values above 0)', () => {
    // 10 + 10 hosts: 10% ejects 2 of tokyo's 5 failing pods, 3 stay in use: P0 has 8 of 10 eligible (health 100), 3 of them failing
    const base = { replicas: { tokyo: 10, osaka: 10 } };
    const zero = explain(TOKYO_OSAKA, { ...base, localityLb: lb({ outlierDetection: true, maxEjectionPercent: 0 }) }, { from: 'tokyo', healthy: { tokyo: 0.5 } });
    expect(share(zero, 'tokyo')).toBeCloseTo(100);
    expect(zero.failedPercent).toBeCloseTo(37.5);
    expect(zero.reasons).toContain('maxEjectionPercent 0 is not passed on (istiod sets it only above 0) → Envoy\'s default 10%');
    expect(zero.reasons).toContain('maxEjectionPercent 10 (0 = Envoy\'s default) of 20 hosts → Envoy ejects at most 2: 3 of 5 failing host(s) stay in use and answer errors (set maxEjectionPercent: 100)');
    // the same shares as leaving it out
    const unset = explain(TOKYO_OSAKA, { ...base, localityLb: lb({ outlierDetection: true, maxEjectionPercent: undefined }) }, { from: 'tokyo', healthy: { tokyo: 0.5 } });
    expect(unset.clusters).toEqual(zero.clusters);
    // the numbers that decide ejection are stated, defaults named as such
    expect(unset.reasons).toContain('outlier detection ejects a host after 5 consecutive 5xx (Envoy\'s default), at most 10% of the hosts at once (Envoy\'s default)');
    const set = explain(TOKYO_OSAKA, { ...base, localityLb: lb({ outlierDetection: true, consecutive5xxErrors: 1, maxEjectionPercent: 100 }) }, { from: 'tokyo' });
    expect(set.reasons).toContain('outlier detection ejects a host after 1 consecutive 5xx, at most 100% of the hosts at once');
  });

  test('explain: minHealthPercent is decided per priority, and only while the priorities\' total health is under 100%', () => {
    const base = { replicas: { tokyo: 10, osaka: 10 } };
    const threshold = (minHealthPercent: number) => ({ ...base, localityLb: lb({ outlierDetection: true, minHealthPercent }) });
    // 10 of 20 hosts healthy (50% < 60%), but osaka's P1 is fully healthy: total health 100, no panic, no failure
    const pool = explain(TOKYO_OSAKA, threshold(60), { from: 'tokyo', healthy: { tokyo: 0 } });
    expect(pool.priorities.map((p) => [p.panic, p.loadPercent])).toEqual([[false, 0], [false, 100]]);
    expect([share(pool, 'tokyo'), share(pool, 'osaka'), pool.failedPercent]).toEqual([0, 100, 0]);
    // 3 of 10 healthy in each priority: health 42 + 42 = 84 < 100
    const low = { from: 'tokyo', healthy: { tokyo: 0.3, osaka: 0.3 } };
    // below a 60% threshold both priorities panic: load by host count, failing hosts included → 70% of requests fail
    const panic = explain(TOKYO_OSAKA, threshold(60), low);
    expect(panic.priorities.map((p) => [p.panic, p.loadPercent])).toEqual([[true, 50], [true, 50]]);
    expect(panic.failedPercent).toBeCloseTo(70);
    expect(panic.assumptions.join('\n')).toContain('minHealthPercent 60 is Envoy\'s healthy_panic_threshold');
    // with Istio's 0 the same health keeps the ejections: loads normalized 50/50 over healthy hosts, nothing fails
    const noPanic = explain(TOKYO_OSAKA, threshold(0), low);
    expect(noPanic.priorities.map((p) => [p.panic, p.loadPercent])).toEqual([[false, 50], [false, 50]]);
    expect(noPanic.failedPercent).toBe(0);
  });

  test('explain: minHealthPercent with 5xx ejection off never panics: nothing is ejected, every host counts as healthy', () => {
    const localityLb = lb({ outlierDetection: true, minHealthPercent: 50, consecutive5xxErrors: 0 });
    const result = explain(TOKYO_OSAKA, { replicas: { tokyo: 10, osaka: 10 }, localityLb }, { from: 'tokyo', healthy: { tokyo: 0.2, osaka: 0.3 } });
    expect(result.priorities.map((p) => [p.panic, p.healthPercent, p.loadPercent])).toEqual([[false, 100, 100], [false, 100, 0]]);
    expect(share(result, 'tokyo')).toBeCloseTo(100);
    expect(result.failedPercent).toBeCloseTo(80);
  });
});

describe('input validation', () => {
  test('fails on an unknown client cluster, naming the valid ones', () => {
    expect(() => explain(HYBRID, { replicas: { gke: 1 } }, { from: 'aws' }))
      .toThrow('[explain] TrafficExplainer.query.from: "aws" is invalid: unknown cluster. Valid: one of "gke", "onprem"');
  });

  test('fails on a zone that is not the client cluster\'s', () => {
    expect(() => explain(HYBRID, { replicas: { gke: 1 } }, { from: 'gke', zone: 'asia-northeast1-z' }))
      .toThrow('TrafficExplainer.query.zone: "asia-northeast1-z" is invalid: not a zone of gke');
  });

  test('fails on a health fraction outside 0..1 and on replicas of an unknown cluster', () => {
    expect(() => explain(HYBRID, { replicas: { gke: 1 } }, { from: 'gke', healthy: { gke: 1.5 } })).toThrow('TrafficExplainer.query.healthy.gke: 1.5 is invalid: must be a fraction');
    expect(() => explain(HYBRID, { replicas: { aws: 1 } }, { from: 'gke' })).toThrow('TrafficExplainer.service.replicas key: "aws" is invalid: unknown cluster');
  });

  test('fails when every route weight is 0', () => {
    expect(() => explain(HYBRID, { replicas: { gke: 1 }, weightedSubsets: [{ name: 'v1', weight: 0 }, { name: 'v2', weight: 0 }] }, { from: 'gke' }))
      .toThrow('TrafficExplainer.service.weightedSubsets: [0,0] is invalid: every weight is 0');
  });

  test('fails on a consecutive error count that is not a whole number ≥ 0', () => {
    expect(() => explain(HYBRID, { replicas: { gke: 1 }, localityLb: lb({ outlierDetection: true, consecutive5xxErrors: -1 }) }, { from: 'gke' }))
      .toThrow('TrafficExplainer.service.localityLb.consecutive5xxErrors: -1 is invalid: must be a whole number ≥ 0');
    expect(() => explain(HYBRID, { replicas: { gke: 1 }, localityLb: lb({ outlierDetection: true, consecutiveGatewayErrors: 1.5 }) }, { from: 'gke' }))
      .toThrow('TrafficExplainer.service.localityLb.consecutiveGatewayErrors: 1.5 is invalid');
  });

  test('fails when perClusterRouting and weightedSubsets both describe the VirtualService', () => {
    expect(() => explain(HYBRID, {
      replicas: { gke: 1 },
      perClusterRouting: { clusters: ['gke'], fallbackToAllClusters: false },
      weightedSubsets: [{ name: 'v1', weight: 1 }],
    }, { from: 'gke' })).toThrow('perClusterRouting and weightedSubsets both describe the VirtualService');
  });
});

describe('declared cluster labels and kubernetes.io/hostname in failoverPriority (istiod applyFailoverPriorityPerLocality)', () => {
  // three clusters on one network (no gateways): a and b are gold, c is silver; a and c share a region
  const A: ExplainCluster = { name: 'a', network: 'vpc', region: 'r1', zones: ['r1-a'], labels: { 'example.com/tier': 'gold' } };
  const B: ExplainCluster = { name: 'b', network: 'vpc', region: 'r2', zones: ['r2-a'], labels: { 'example.com/tier': 'gold' } };
  const C: ExplainCluster = { name: 'c', network: 'vpc', region: 'r1', zones: ['r1-b'], labels: { 'example.com/tier': 'silver' } };
  // d declares no tier: its pods (and a client there) do not carry the label
  const D: ExplainCluster = { name: 'd', network: 'vpc', region: 'r3', zones: [] };
  const TIERS = [A, B, C, D];
  const replicas = { a: 2, b: 2, c: 2, d: 2 };
  const levels = (r: ExplainResult) => r.priorities.map((p) => [p.priority, p.localities.map((l) => l.cluster)]);
  const byTier = (failoverPriority: string[]) => lb({ outlierDetection: true, failoverPriority });

  test('explain: a declared cluster label in failoverPriority orders clusters by that label', () => {
    const result = explain(TIERS, { replicas, localityLb: byTier(['example.com/tier']) }, { from: 'a' });
    // gold client: the gold endpoints (a, b) match → P0; silver (c) and absent ("" in d) do not → P1
    expect(levels(result)).toEqual([[0, ['a', 'b']], [1, ['c', 'd']]]);
    expect(share(result, 'a')).toBeCloseTo(50);
    expect(share(result, 'b')).toBeCloseTo(50);
    expect(share(result, 'c')).toBe(0);
    expect(share(result, 'd')).toBe(0);
    expect(result.assumptions.join('\n')).not.toContain('not modelled');
    expect(result.assumptions).toContain('declared pod labels: each endpoint carries the labels declared for its cluster and the client pod those of a '
      + '(example.com/tier=gold); a label its cluster does not declare is absent (reads "")');
    // both gold clusters down: the silver and unlabelled endpoints share P1 by weight, 2 + 2
    const goldDown = explain(TIERS, { replicas, localityLb: byTier(['example.com/tier']) }, { from: 'a', healthy: { a: 0, b: 0 } });
    expect(share(goldDown, 'c')).toBeCloseTo(50);
    expect(share(goldDown, 'd')).toBeCloseTo(50);
    expect(goldDown.failedPercent).toBe(0);
    // the label first, then the region: gold in the client's region, gold elsewhere, then the rest
    const thenRegion = explain(TIERS, { replicas, localityLb: byTier(['example.com/tier', 'topology.kubernetes.io/region']) }, { from: 'a' });
    expect(levels(thenRegion)).toEqual([[0, ['a']], [1, ['b']], [2, ['c', 'd']]]);
    expect(share(thenRegion, 'a')).toBeCloseTo(100);
    const aDown = explain(TIERS, { replicas, localityLb: byTier(['example.com/tier', 'topology.kubernetes.io/region']) }, { from: 'a', healthy: { a: 0 } });
    expect(share(aDown, 'b')).toBeCloseTo(100);
    // a client without the label (d) matches the endpoints that lack it too: missing on both sides reads "" = ""
    const fromD = explain(TIERS, { replicas, localityLb: byTier(['example.com/tier']) }, { from: 'd' });
    expect(levels(fromD)).toEqual([[0, ['d']], [1, ['a', 'b', 'c']]]);
    expect(share(fromD, 'd')).toBeCloseTo(100);
    expect(fromD.assumptions.join('\n')).toContain('the client pod those of d (none)');
  });

  test('explain: key=value on a declared label compares every endpoint with the value, not with the client', () => {
    const result = explain(TIERS, { replicas, localityLb: byTier(['example.com/tier=silver']) }, { from: 'a' });
    // a gold client still prefers the silver endpoints
    expect(levels(result)).toEqual([[0, ['c']], [1, ['a', 'b', 'd']]]);
    expect(share(result, 'c')).toBeCloseTo(100);
    expect(result.priorities[0].localities[0].lbWeight).toBe(2);
    // silver down: the rest share P1 by weight, 2 + 2 + 2
    const silverDown = explain(TIERS, { replicas, localityLb: byTier(['example.com/tier=silver']) }, { from: 'a', healthy: { c: 0 } });
    for (const c of ['a', 'b', 'd']) expect(share(silverDown, c)).toBeCloseTo(100 / 3);
    expect(share(silverDown, 'c')).toBe(0);
  });

  test('explain: gateway endpoints carry no pod labels (ep_filters.go): a declared label never matches a remote network unless the client lacks it', () => {
    // e is gold like the client, but on another network: istiod replaces its endpoints by the
    // east-west gateway, labelled with cluster and network only, before the locality pass
    const E: ExplainCluster = { name: 'e', network: 'other', region: 'r1', zones: ['r1-a'], labels: { 'example.com/tier': 'gold' } };
    const clusters = [A, C, E];
    const service = { replicas: { a: 2, c: 2, e: 2 }, localityLb: byTier(['example.com/tier']) };
    const result = explain(clusters, service, { from: 'a' });
    expect(levels(result)).toEqual([[0, ['a']], [1, ['c', 'e']]]);
    expect(result.priorities[1].localities.find((l) => l.cluster === 'e')).toMatchObject({ viaGateway: true, hosts: 1, hostWeight: 2 });
    expect(share(result, 'a')).toBeCloseTo(100);
    expect(result.reasons).toContain('gateway endpoints carry no pod labels (ep_filters.go) → example.com/tier (gold on the client) never matches them');
    // a down: the silver pods (weight 2) and the gold cluster's gateway (weight 2) share P1 50/50
    const aDown = explain(clusters, service, { from: 'a', healthy: { a: 0 } });
    expect(share(aDown, 'c')).toBeCloseTo(50);
    expect(share(aDown, 'e')).toBeCloseTo(50);
    // key=value: the gateway's "" is not gold either
    const fixed = explain(clusters, { ...service, localityLb: byTier(['example.com/tier=gold']) }, { from: 'c' });
    expect(levels(fixed)).toEqual([[0, ['a']], [1, ['c', 'e']]]);
    expect(fixed.reasons).toContain('gateway endpoints carry no pod labels (ep_filters.go) → example.com/tier=gold never matches them');
    // a client without the label (d's pods) matches the gateway: "" = ""
    const fromD = explain([A, D, E], { replicas: { a: 2, d: 2, e: 2 }, localityLb: byTier(['example.com/tier']) }, { from: 'd' });
    expect(levels(fromD)).toEqual([[0, ['d', 'e']], [1, ['a']]]);
    expect(share(fromD, 'd')).toBeCloseTo(50);
    expect(share(fromD, 'e')).toBeCloseTo(50);
    expect(fromD.reasons).toContain('gateway endpoints carry no pod labels (ep_filters.go) → example.com/tier (absent on the client) matches them (absent reads "")');
  });

  test('explain: kubernetes.io/hostname puts every endpoint at the same priority (assumption stated)', () => {
    const hostnameFirst = explain(TIERS, { replicas, localityLb: byTier(['kubernetes.io/hostname', 'example.com/tier']) }, { from: 'a' });
    // no endpoint shares the client's node: everything mismatches on the first key → one priority,
    // and the tier after it never counts
    expect(levels(hostnameFirst)).toEqual([[0, ['a', 'b', 'c', 'd']]]);
    for (const c of ['a', 'b', 'c', 'd']) expect(share(hostnameFirst, c)).toBeCloseTo(25);
    expect(hostnameFirst.assumptions).toContain('kubernetes.io/hostname: the engine has no nodes, so every endpoint is assumed to run on another node than the client '
      + '(and on none that a kubernetes.io/hostname=<node> entry names): it matches no endpoint; gateway endpoints carry no hostname label (it reads "")');
    expect(hostnameFirst.assumptions.join('\n')).not.toContain('not modelled');
    // last, it only merges what the earlier keys separated: region then hostname = region alone
    const hostnameLast = explain(TIERS, { replicas, localityLb: byTier(['topology.kubernetes.io/region', 'kubernetes.io/hostname']) }, { from: 'a' });
    expect(levels(hostnameLast)).toEqual([[0, ['a', 'c']], [1, ['b', 'd']]]);
    expect(share(hostnameLast, 'a')).toBeCloseTo(50);
    expect(share(hostnameLast, 'c')).toBeCloseTo(50);
    // key=value on a node: no endpoint runs there
    const onNode = explain(TIERS, { replicas, localityLb: byTier(['kubernetes.io/hostname=node-1', 'example.com/tier']) }, { from: 'a' });
    expect(levels(onNode)).toEqual([[0, ['a', 'b', 'c', 'd']]]);
  });

  test('explain: a label no cluster declares is still not modelled (direct callers), and topology labels in labels are ignored', () => {
    const result = explain(TIERS, { replicas, localityLb: byTier(['app.kubernetes.io/version', 'topology.kubernetes.io/region']) }, { from: 'a' });
    expect(levels(result)).toEqual([[0, ['a', 'b', 'c', 'd']]]);
    expect(result.assumptions).toContain('failoverPriority label app.kubernetes.io/version is not modelled: every endpoint counts as a mismatch');
    // a topology label among the declared labels does not override the cluster's region
    const odd: ExplainCluster = { ...B, labels: { 'topology.kubernetes.io/region': 'r1' } };
    const region = explain([A, odd], { replicas: { a: 1, b: 1 }, localityLb: byTier(['topology.kubernetes.io/region']) }, { from: 'a' });
    expect(levels(region)).toEqual([[0, ['a']], [1, ['b']]]);
  });

  test('explain: cluster labels must be a map of strings', () => {
    expect(() => explain([{ ...A, labels: ['example.com/tier'] as any }], { replicas: { a: 1 } }, { from: 'a' }))
      .toThrow('TrafficExplainer.clusters[0].labels: ["example.com/tier"] is invalid: must be a map of label key to value');
    expect(() => explain([{ ...A, labels: { 'example.com/tier': 1 } as any }], { replicas: { a: 1 } }, { from: 'a' }))
      .toThrow('TrafficExplainer.clusters[0].labels["example.com/tier"]: 1 is invalid: label values are strings');
  });
});

describe('found by fuzzing: the engine\'s input from JavaScript is refused with a ValidationError, never a TypeError', () => {
  const SERVICE: ExplainService = { host: ECHO, replicas: { gke: 1 } };
  const refused = (clusters: unknown, service: unknown, query: unknown) =>
    validationErrorOf(() => TrafficExplainer.explain(clusters as any, service as any, query as any));

  test.each<[string, unknown, unknown, unknown, string]>([
    ['a cluster whose network is not a string', [{ ...GKE, network: 5 }], SERVICE, { from: 'gke' }, 'clusters[0].network'],
    ['a cluster whose zones are not strings', [{ ...GKE, zones: [null] }], SERVICE, { from: 'gke' }, 'clusters[0].zones[0]'],
    ['a cluster with an unknown key', [{ ...GKE, zone: 'a' }], SERVICE, { from: 'gke' }, 'clusters[0].zone'],
    ['a service that is not an object', HYBRID, null, { from: 'gke' }, 'service'],
    ['a service without replicas', HYBRID, { host: ECHO }, { from: 'gke' }, 'service.replicas'],
    ['a service whose host is not a string', HYBRID, { host: 5, replicas: {} }, { from: 'gke' }, 'service.host'],
    ['localityLb whose failover is not a list', HYBRID, { ...SERVICE, localityLb: lb({ failover: {} as any }) }, { from: 'gke' }, 'service.localityLb.failover'],
    ['localityLb whose distribute weights are not numbers', HYBRID,
      { ...SERVICE, localityLb: lb({ distribute: [{ from: 'a/*', to: { 'b/*': '100' as any } }] }) }, { from: 'gke' }, 'service.localityLb.distribute[0].to["b/*"]'],
    ['localityLb whose enabled flag is missing', HYBRID, { ...SERVICE, localityLb: { ...lb({}), enabled: undefined } }, { from: 'gke' }, 'service.localityLb.enabled'],
    ['perClusterRouting whose clusters are not a list', HYBRID, { ...SERVICE, perClusterRouting: { clusters: 'gke', fallbackToAllClusters: false } }, { from: 'gke' },
      'service.perClusterRouting.clusters'],
    ['weightedSubsets that are not a list', HYBRID, { ...SERVICE, weightedSubsets: {} }, { from: 'gke' }, 'service.weightedSubsets'],
    ['a query with an unknown key', HYBRID, SERVICE, { from: 'gke', healty: {} }, 'query.healty'],
    ['a query whose drained counts are not a map', HYBRID, SERVICE, { from: 'gke', drained: [1] }, 'query.drained'],
  ])('%s', (_what, clusters, service, query, field) => {
    const e = refused(clusters, service, query);
    expect([e.construct, e.field]).toEqual(['TrafficExplainer', field]);
  });

  test('an endpoint count no cluster can run (1e308) is refused instead of giving NaN shares', () => {
    const e = refused(HYBRID, { host: ECHO, replicas: { gke: 1e308 } }, { from: 'gke' });
    expect([e.field, e.reason]).toEqual(['service.replicas.gke', 'must be a whole number from 0 to 1000000']);
    expect(explain(HYBRID, { replicas: { gke: 1_000_000 } }, { from: 'gke' }).clusters).toEqual([{ cluster: 'gke', percent: 100, failedPercent: 0, viaGateway: false }]);
  });
});
