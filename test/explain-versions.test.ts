/**
 * What changes between Istio releases, Service traffic distribution and sub-zones, in the explain
 * engine. Each expectation names the istiod code it follows.
 */
import { validationErrorOf } from './support/errors';
import { TrafficExplainer } from '../src/explain/engine';
import { ExplainCluster, ExplainLocalityLb, ExplainQuery, ExplainResult, ExplainService, LocalitySettingSource } from '../src/explain/model';
import { IstioVersion, TrafficDistribution } from '../src/versions';

const HOST = 'echo.default.svc.cluster.local';

function lb(settings: Partial<ExplainLocalityLb>): ExplainLocalityLb {
  return { enabled: true, failover: [], failoverPriority: [], distribute: [], outlierDetection: true, maxEjectionPercent: 100, ...settings };
}
function at(version: IstioVersion, clusters: ExplainCluster[]): ExplainCluster[] {
  return clusters.map((c) => ({ ...c, istioVersion: version }));
}
function explain(clusters: ExplainCluster[], service: Partial<ExplainService>, query: ExplainQuery): ExplainResult {
  return TrafficExplainer.explain(clusters, { host: HOST, replicas: {}, ...service }, query);
}
function share(result: ExplainResult, cluster: string): number {
  return result.clusters.find((c) => c.cluster === cluster)?.percent ?? 0;
}
function levels(result: ExplainResult): Array<[number, string[]]> {
  return result.priorities.map((p) => [p.priority, p.localities.map((l) => l.cluster + (l.zone ? `/${l.zone}` : '') + (l.subzone ? `/${l.subzone}` : ''))]);
}

const NETWORK_REGION_ZONE = ['topology.istio.io/network', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone'];

describe('Istio 1.31 failoverPriority: the network is preferred, not required (istio/istio#60829)', () => {
  // A client on network A; the service runs only on network B, in the client's region and in another.
  const CLUSTERS: ExplainCluster[] = [
    { name: 'a', network: 'net-a', region: 'r1', zones: ['r1-a'] },
    { name: 'b-near', network: 'net-b', region: 'r1', zones: ['r1-b'] },
    { name: 'b-far', network: 'net-b', region: 'r2', zones: ['r2-a'] },
  ];
  const service = { replicas: { 'b-near': 2, 'b-far': 2 }, localityLb: lb({ failoverPriority: NETWORK_REGION_ZONE }) };

  test('client on network A, endpoints only on network B in two regions: through east-west gateways 1.30 and 1.31 both rank them at one priority', () => {
    const v130 = explain(at(IstioVersion.V1_30, CLUSTERS), service, { from: 'a' });
    const v131 = explain(at(IstioVersion.V1_31, CLUSTERS), service, { from: 'a' });
    // istiod replaces remote-network endpoints by gateway endpoints BEFORE the locality pass, and a
    // gateway endpoint's labels are AugmentLabels(nil, cluster, "", "", network)
    // (pilot/pkg/xds/endpoints/ep_filters.go, 1.31.0-rc.0): no region, so 1.31's region key cannot
    // prefer b-near; the two gateways share the lowest priority in both releases.
    expect(levels(v130)).toEqual([[0, ['b-near/r1-b', 'b-far/r2-a']]]);
    expect(levels(v131)).toEqual(levels(v130));
    expect(share(v131, 'b-near')).toBeCloseTo(50);
    expect(v131.reasons).toContain('gateway endpoints carry only cluster and network labels (ep_filters.go) → region/zone/subzone keys never match them');
    expect(v131.reasons.join('\n')).toContain('Istio 1.31: the network is preferred, not required (istio/istio#60829)');
    expect(v130.reasons.join('\n')).toContain('Istio 1.30: a network mismatch ends the match');
    expect([v130.istioVersion, v131.istioVersion]).toEqual(['1.30', '1.31']);
  });

  test('where the remote endpoints differ in a label they carry (cluster), 1.31 ranks them and 1.30 does not', () => {
    // "stay on my network; across networks prefer the DR cluster": [network, topology.istio.io/cluster=dr]
    const clusters: ExplainCluster[] = [
      { name: 'a', network: 'net-a', region: 'r1', zones: [] },
      { name: 'c3', network: 'net-b', region: 'r2', zones: [] },
      { name: 'dr', network: 'net-b', region: 'r3', zones: [] },
    ];
    const svc = { replicas: { a: 2, c3: 2, dr: 2 }, localityLb: lb({ failoverPriority: ['topology.istio.io/network', 'topology.istio.io/cluster=dr'] }) };
    const v130 = explain(at(IstioVersion.V1_30, clusters), svc, { from: 'a', healthy: { a: 0 } });
    const v131 = explain(at(IstioVersion.V1_31, clusters), svc, { from: 'a', healthy: { a: 0 } });
    // 1.30: both gateways get N = 2 → one priority, split by weight
    expect(levels(v130)).toEqual([[0, ['a']], [1, ['c3', 'dr']]]);
    expect(share(v130, 'dr')).toBeCloseTo(50);
    // 1.31: dr's gateway matches cluster=dr after the network mismatch (2 + 0); c3's does not (2 + 1)
    expect(levels(v131)).toEqual([[0, ['a']], [1, ['dr']], [2, ['c3']]]);
    expect(share(v131, 'dr')).toBeCloseTo(100);
  });

  test('the rule needs the bare network key first: topology.istio.io/network=x does not count (loadbalancer.go includesNetwork)', () => {
    const clusters: ExplainCluster[] = [
      { name: 'a', network: 'net-a', region: 'r1', zones: [] },
      { name: 'c3', network: 'net-b', region: 'r2', zones: [] },
      { name: 'dr', network: 'net-b', region: 'r3', zones: [] },
    ];
    const svc = { replicas: { a: 2, c3: 2, dr: 2 }, localityLb: lb({ failoverPriority: ['topology.istio.io/network=net-a', 'topology.istio.io/cluster=dr'] }) };
    const v131 = explain(at(IstioVersion.V1_31, clusters), svc, { from: 'a', healthy: { a: 0 } });
    expect(levels(v131)).toEqual([[0, ['a']], [1, ['c3', 'dr']]]);
  });
});

describe('Istio 1.31 sends not-Ready endpoints as unhealthy (PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS, istio/istio#60690)', () => {
  const CLUSTERS: ExplainCluster[] = [
    { name: 'a', network: 'n', region: 'r1', zones: [] },
    { name: 'b', network: 'n', region: 'r2', zones: [] },
  ];
  const failover = (extra: Partial<ExplainLocalityLb> = {}) => ({ replicas: { a: 3, b: 3 }, localityLb: lb(extra) });

  test('two of three local pods not Ready: 1.30 drops them and keeps 100% local; 1.31 counts them against the priority and spills over', () => {
    const v130 = explain(at(IstioVersion.V1_30, CLUSTERS), failover(), { from: 'a', notReady: { a: 2 } });
    expect(share(v130, 'a')).toBeCloseTo(100);
    expect(v130.priorities[0].localities[0].endpoints).toBe(1);
    const v131 = explain(at(IstioVersion.V1_31, CLUSTERS), failover(), { from: 'a', notReady: { a: 2 } });
    // Envoy: health = min(100, floor(140 × 1/3)) = 46
    expect(v131.priorities[0]).toMatchObject({ healthPercent: 46, loadPercent: 46 });
    expect(v131.priorities[0].localities[0].endpoints).toBe(3);
    expect(share(v131, 'b')).toBeCloseTo(54);
    expect(v131.assumptions.join('\n')).toContain('not-Ready endpoints are in EDS as unhealthy hosts');
  });

  test('1.31 with outlierDetection.minHealthPercent above 0 leaves them out again (supportsUnhealthyEndpoints)', () => {
    const v131 = explain(at(IstioVersion.V1_31, CLUSTERS), failover({ minHealthPercent: 30 }), { from: 'a', notReady: { a: 2 } });
    expect(share(v131, 'a')).toBeCloseTo(100);
  });

  test('drained (terminating or deleted) endpoints leave EDS in every release', () => {
    const v131 = explain(at(IstioVersion.V1_31, CLUSTERS), failover(), { from: 'a', drained: { a: 2 } });
    expect(share(v131, 'a')).toBeCloseTo(100);
  });

  test('not-Ready counts are checked like drained ones', () => {
    const e = validationErrorOf(() => explain(CLUSTERS, failover(), { from: 'a', notReady: { a: 4 } }));
    expect(e.field).toBe('query.notReady.a');
    expect(e.message).toContain('the service has 3 endpoint(s) in a');
  });
});

describe('Service trafficDistribution (GetEffectiveLbSetting)', () => {
  // one cluster, two zones, one endpoint per zone; a second cluster in another region
  const CLUSTERS: ExplainCluster[] = [
    { name: 'a', network: 'n', region: 'r1', zones: ['r1-a', 'r1-b'] },
    { name: 'b', network: 'n', region: 'r2', zones: ['r2-a'] },
  ];
  const td = { replicas: { a: 2, b: 2 }, trafficDistribution: TrafficDistribution.PREFER_SAME_ZONE };

  test('PreferSameZone with no DestinationRule keeps traffic in the client\'s zone, without outlier detection', () => {
    const r = explain(CLUSTERS, td, { from: 'a', zone: 'r1-b' });
    expect(r.localitySetting).toBe(LocalitySettingSource.TRAFFIC_DISTRIBUTION);
    expect(levels(r)).toEqual([[0, ['a/r1-b']], [1, ['a/r1-a']], [2, ['b/r2-a']]]);
    expect(share(r, 'a')).toBe(100);
    expect(r.priorities[0].loadPercent).toBe(100);
    expect(r.reasons.join('\n')).toContain('forced failoverPriority [topology.istio.io/network, topology.kubernetes.io/region, topology.kubernetes.io/zone]');
  });

  test('it fails over on readiness: the zone\'s only endpoint not Ready → the other zone of the region', () => {
    // round-robin: Ready endpoints first, so the not-Ready one is the r1-b one
    const r = explain(CLUSTERS, td, { from: 'a', zone: 'r1-b', notReady: { a: 1 } });
    expect(r.priorities[0]).toMatchObject({ healthPercent: 0, loadPercent: 0 });
    expect(r.priorities[1].localities[0].zone).toBe('r1-a');
    expect(r.priorities[1].loadPercent).toBe(100);
    expect(r.noHealthyUpstreamPercent).toBe(0);
  });

  test('it does not see failing but Ready endpoints (no outlier detection): they keep their share', () => {
    const r = explain(CLUSTERS, td, { from: 'a', zone: 'r1-a', healthy: { a: 0 } });
    expect(share(r, 'a')).toBeCloseTo(100);
    expect(r.failedPercent).toBeCloseTo(100);
  });

  test('same in 1.30: a traffic distribution forces unhealthy endpoints in every release (ForcesSupportUnhealthyEndpoints)', () => {
    const r = explain(at(IstioVersion.V1_30, CLUSTERS), td, { from: 'a', zone: 'r1-b', notReady: { a: 1 } });
    expect(r.priorities[1].loadPercent).toBe(100);
  });

  test('a failover rule for the same host wins', () => {
    const r = explain(CLUSTERS, { ...td, localityLb: lb({}) }, { from: 'a', zone: 'r1-b' });
    expect(r.localitySetting).toBe(LocalitySettingSource.DESTINATION_RULE);
    expect(r.reasons[0]).toBe('DestinationRule localityLbSetting wins over the Service\'s trafficDistribution PreferSameZone (GetEffectiveLbSetting: DestinationRule > Service > mesh)');
  });

  test('localityLbSetting.enabled false turns the traffic distribution off too', () => {
    const r = explain(CLUSTERS, { ...td, localityLb: lb({ enabled: false }) }, { from: 'a', zone: 'r1-b' });
    expect(r.priorities).toHaveLength(1);
    expect(share(r, 'b')).toBeCloseTo(50);
    expect(r.reasons[0]).toContain('also turns the Service\'s trafficDistribution PreferSameZone off');
  });

  test('a DestinationRule with outlier detection but no localityLbSetting leaves it in effect and adds ejection', () => {
    const r = explain(CLUSTERS, { ...td, localityLb: lb({ hasLocalityLbSetting: false }) }, { from: 'a', zone: 'r1-b', healthy: { a: 0.5 } });
    expect(r.localitySetting).toBe(LocalitySettingSource.TRAFFIC_DISTRIBUTION);
    // the failing r1-b endpoint is ejected: r1-a takes over
    expect(r.failedPercent).toBe(0);
    expect(r.priorities.find((p) => p.loadPercent === 100)!.localities[0].zone).toBe('r1-a');
  });

  test('no setting at all: the mesh default', () => {
    const r = explain(CLUSTERS, { replicas: { a: 2, b: 2 } }, { from: 'a' });
    expect(r.localitySetting).toBe(LocalitySettingSource.MESH_DEFAULT);
  });

  test('an unknown value is refused', () => {
    const e = validationErrorOf(() => explain(CLUSTERS, { replicas: { a: 1 }, trafficDistribution: 'Nearby' as TrafficDistribution }, { from: 'a' }));
    expect(e.field).toBe('service.trafficDistribution');
  });
});

describe('sub-zones', () => {
  const CLUSTERS: ExplainCluster[] = [
    { name: 'a', network: 'n', region: 'r1', zones: ['r1-a'], subzones: { 'r1-a': ['rack-1', 'rack-2'] } },
    { name: 'b', network: 'n', region: 'r2', zones: ['r2-a'] },
  ];

  test('default failover ranks the client\'s sub-zone first (util.LbPriority: 0 sub-zone, 1 zone, 2 region, 3 elsewhere)', () => {
    const r = explain(CLUSTERS, { replicas: { a: 4, b: 2 }, localityLb: lb({}) }, { from: 'a', subzone: 'rack-2' });
    expect(r.clientLocality).toBe('r1/r1-a/rack-2');
    expect(levels(r)).toEqual([[0, ['a/r1-a/rack-2']], [1, ['a/r1-a/rack-1']], [2, ['b/r2-a']]]);
    const down = explain(CLUSTERS, { replicas: { a: 4, b: 2 }, localityLb: lb({}) }, { from: 'a', subzone: 'rack-2', drained: { a: 2 } });
    // 2 endpoints left: round-robin puts one in each rack
    expect(levels(down)[0]).toEqual([0, ['a/r1-a/rack-2']]);
  });

  test('distribute can weight sub-zones', () => {
    const r = explain(CLUSTERS, {
      replicas: { a: 4 },
      localityLb: lb({ outlierDetection: false, distribute: [{ from: 'r1/*', to: { 'r1/r1-a/rack-1': 80, 'r1/r1-a/rack-2': 20 } }] }),
    }, { from: 'a' });
    const weights = Object.fromEntries(r.priorities[0].localities.map((l) => [l.subzone, l.trafficPercent]));
    expect(weights).toEqual({ 'rack-1': 80, 'rack-2': 20 });
  });

  test('PreferSameNode ranks by sub-zone after zone', () => {
    const r = explain(CLUSTERS, { replicas: { a: 4, b: 2 }, trafficDistribution: TrafficDistribution.PREFER_SAME_NODE }, { from: 'a', subzone: 'rack-1' });
    expect(levels(r).map(([, l]) => l)).toEqual([['a/r1-a/rack-1'], ['a/r1-a/rack-2'], ['b/r2-a']]);
  });

  test('a sub-zone the client\'s zone does not have is refused', () => {
    const e = validationErrorOf(() => explain(CLUSTERS, { replicas: { a: 1 } }, { from: 'a', subzone: 'rack-9' }));
    expect(e.field).toBe('query.subzone');
    expect(e.valid).toBe('one of "rack-1", "rack-2"');
  });

  test('sub-zones of an undeclared zone are refused', () => {
    const bad: ExplainCluster[] = [{ name: 'a', network: 'n', region: 'r1', zones: ['r1-a'], subzones: { 'r1-b': ['rack-1'] } }];
    const e = validationErrorOf(() => explain(bad, { replicas: { a: 1 } }, { from: 'a' }));
    expect(e.field).toBe('clusters[0].subzones["r1-b"]');
  });
});
