import { Chart, Testing } from 'cdk8s';
import { LocalityFailoverRule, PerClusterSubsetRouting, PerClusterSubsetRoutingProps } from '../src';
import { errorOf as libraryError } from './support/errors';
import { synthValidated } from './support/schema';

const HOST = 'mysvc.myns.svc.cluster.local';

function errorOf(props: Partial<PerClusterSubsetRoutingProps>): string {
  return libraryError(() => {
    const chart = new Chart(Testing.app(), 'test');
    new PerClusterSubsetRouting(chart, 'mysvc', { host: HOST, clusters: ['cluster-1'], ...props } as PerClusterSubsetRoutingProps);
    Testing.synth(chart);
  });
}

describe('PerClusterSubsetRouting', () => {
  test('field notes item 7: subsets per cluster and sourceLabels routes, field for field', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    new PerClusterSubsetRouting(chart, 'mysvc', { host: HOST, clusters: ['cluster-1', 'cluster-2'] });
    // WHEN
    const objects = synthValidated(chart);
    // THEN
    const dr = objects.find((o) => o.kind === 'DestinationRule');
    const vs = objects.find((o) => o.kind === 'VirtualService');
    expect(dr.apiVersion).toEqual('networking.istio.io/v1');
    expect(vs.apiVersion).toEqual('networking.istio.io/v1');
    expect(dr.spec).toEqual({
      host: HOST,
      subsets: [
        { name: 'cluster-1', labels: { 'topology.istio.io/cluster': 'cluster-1' } },
        { name: 'cluster-2', labels: { 'topology.istio.io/cluster': 'cluster-2' } },
      ],
    });
    expect(vs.spec).toEqual({
      hosts: [HOST],
      http: [
        {
          name: 'cluster-1-local',
          match: [{ sourceLabels: { 'topology.istio.io/cluster': 'cluster-1' } }],
          route: [{ destination: { host: HOST, subset: 'cluster-1' } }],
        },
        {
          name: 'cluster-2-local',
          match: [{ sourceLabels: { 'topology.istio.io/cluster': 'cluster-2' } }],
          route: [{ destination: { host: HOST, subset: 'cluster-2' } }],
        },
      ],
    });
    expect(dr.metadata.name).toEqual('mysvc');
    expect(vs.metadata.name).toEqual('mysvc');
  });

  test('field notes item 8 consequence: each matched caller routes 100% to its own subset; no route falls through to another subset', () => {
    const chart = new Chart(Testing.app(), 'test');
    new PerClusterSubsetRouting(chart, 'mysvc', { host: HOST, clusters: ['c1', 'c2'] });
    const vs = synthValidated(chart).find((o) => o.kind === 'VirtualService');
    for (const rule of vs.spec.http) {
      expect(rule.route).toHaveLength(1);
      expect(rule.route[0].destination.subset).toEqual(rule.match[0].sourceLabels['topology.istio.io/cluster']);
    }
  });

  test('the explicit fallback is a final catch-all to the whole host, after every per-cluster rule', () => {
    const chart = new Chart(Testing.app(), 'test');
    new PerClusterSubsetRouting(chart, 'mysvc', { host: HOST, clusters: ['c1', 'c2'], fallbackToAllClusters: true });
    const vs = synthValidated(chart).find((o) => o.kind === 'VirtualService');
    expect(vs.spec.http).toHaveLength(3);
    expect(vs.spec.http[2]).toEqual({ name: 'all-clusters', route: [{ destination: { host: HOST } }] });
    expect(vs.spec.http.slice(0, 2).every((r: any) => r.match)).toBe(true);
  });

  test('subset names are derived deterministically as DNS-1123 labels', () => {
    expect(PerClusterSubsetRouting.subsetName('GKE_Tokyo.1')).toEqual('gke-tokyo-1');
    const chart = new Chart(Testing.app(), 'test');
    new PerClusterSubsetRouting(chart, 'mysvc', { host: HOST, clusters: ['GKE_Tokyo.1'] });
    const objects = synthValidated(chart);
    const dr = objects.find((o) => o.kind === 'DestinationRule');
    expect(dr.spec.subsets).toEqual([{ name: 'gke-tokyo-1', labels: { 'topology.istio.io/cluster': 'GKE_Tokyo.1' } }]);
  });

  test('subsets go onto an existing LocalityFailoverRule, so the host has one DestinationRule', () => {
    const chart = new Chart(Testing.app(), 'test');
    const rule = new LocalityFailoverRule(chart, 'rule', { host: HOST, namespace: 'myns' });
    new PerClusterSubsetRouting(chart, 'mysvc', { host: HOST, namespace: 'myns', clusters: ['c1'], destinationRule: rule });
    const objects = synthValidated(chart);
    const drs = objects.filter((o) => o.kind === 'DestinationRule');
    expect(drs).toHaveLength(1);
    expect(drs[0].spec.subsets).toEqual([{ name: 'c1', labels: { 'topology.istio.io/cluster': 'c1' } }]);
    expect(drs[0].spec.trafficPolicy.outlierDetection).toBeDefined();
  });

  test.each<[string, Partial<PerClusterSubsetRoutingProps>, string]>([
    ['no clusters', { clusters: [] }, 'PerClusterSubsetRouting.clusters: [] is invalid: at least one cluster is required'],
    ['a duplicate cluster', { clusters: ['c1', 'c1'] }, 'PerClusterSubsetRouting.clusters[1]: "c1" is invalid: duplicate cluster'],
    ['clusters that collide as subset names', { clusters: ['a.b', 'a_b'] }, 'PerClusterSubsetRouting.clusters[1]: "a_b" is invalid: maps to subset "a-b" like "a.b"'],
    ['an invalid cluster name', { clusters: ['-bad'] }, 'PerClusterSubsetRouting.clusters[0]: "-bad" is invalid: invalid tag value: "-bad"'],
    ['an empty cluster name', { clusters: [''] }, 'a cluster ID must be a non-empty string'],
    ['a too-long cluster name', { clusters: ['c'.repeat(64)] }, 'longer than 63 characters'],
    ['a wildcard host', { host: '*.myns.svc.cluster.local', name: 'x' }, 'a per-cluster route needs one concrete destination host'],
    ['clusters that are not a list', { clusters: 'c1' as any }, 'PerClusterSubsetRouting.clusters: "c1" is invalid: must be a list'],
  ])('rejects %s', (_name, props, message) => {
    expect(errorOf(props)).toContain(message);
  });

  test('rejects a destination rule for another host', () => {
    const chart = new Chart(Testing.app(), 'test');
    const rule = new LocalityFailoverRule(chart, 'rule', { host: 'other.myns.svc.cluster.local' });
    expect(() => new PerClusterSubsetRouting(chart, 'mysvc', { host: HOST, clusters: ['c1'], destinationRule: rule }))
      .toThrow('PerClusterSubsetRouting.destinationRule: "other.myns.svc.cluster.local" is invalid');
  });

  test('rejects a VirtualService visible where the passed rule and its subsets are not (503 there)', () => {
    const chart = new Chart(Testing.app(), 'test');
    const rule = new LocalityFailoverRule(chart, 'rule', { host: HOST, namespace: 'myns', exportTo: ['.'] });
    expect(() => new PerClusterSubsetRouting(chart, 'mysvc', { host: HOST, namespace: 'myns', clusters: ['c1'], destinationRule: rule, exportTo: ['*'] }))
      .toThrow('PerClusterSubsetRouting.exportTo: ["*"] is invalid: the VirtualService would be visible where destinationRule (exportTo ["."]) and its subsets are not');
    // within the rule's visibility is fine: "." and the namespace itself are the same
    const ok = new LocalityFailoverRule(chart, 'ok', { host: HOST, namespace: 'myns', name: 'ok', exportTo: ['myns', 'istio-gateways'] });
    new PerClusterSubsetRouting(chart, 'routed', { host: HOST, namespace: 'myns', name: 'routed', clusters: ['c1'], destinationRule: ok, exportTo: ['.'] });
    expect(synthValidated(chart).filter((o) => o.kind === 'VirtualService')[0].spec.exportTo).toEqual(['.']);
  });
});

describe('a rule and its routing copied into other charts (how a mesh declares them once for every client cluster)', () => {
  const rule = (chart: Chart, namespace?: string) => new LocalityFailoverRule(chart, 'rule', { host: HOST, namespace, failoverPriority: ['topology.istio.io/network'] });
  const routing = (chart: Chart, destinationRule: LocalityFailoverRule) => new PerClusterSubsetRouting(chart, 'routing', {
    host: HOST, namespace: destinationRule.namespace, clusters: ['cluster-1', 'cluster-2'], destinationRule,
  });

  test('write what the originals write, and stay independent of each other', () => {
    const app = Testing.app();
    const [a, b] = [new Chart(app, 'a'), new Chart(app, 'b')];
    const first = rule(a, 'myns');
    const copy = LocalityFailoverRule._like(first, b, 'rule');
    const routed = routing(a, first);
    PerClusterSubsetRouting._like(routed, b, 'routing', copy);
    expect(synthValidated(b)).toEqual(synthValidated(a));
    expect(copy.failoverPriority).toEqual(first.failoverPriority);
    expect(copy.failoverPriority).not.toBe(first.failoverPriority);
    // a subset added to one copy only: the other keeps the shared list
    copy.addSubset({ name: 'extra', labels: { tier: 'b' } });
    const subsetsOf = (chart: Chart) => synthValidated(chart).find((o) => o.kind === 'DestinationRule').spec.subsets.map((s: { name: string }) => s.name);
    expect(subsetsOf(a)).toEqual(['cluster-1', 'cluster-2']);
    expect(subsetsOf(b)).toEqual(['cluster-1', 'cluster-2', 'extra']);
  });

  test('copied rules share no entry: a distribute map changed in one is not changed in the other', () => {
    const app = Testing.app();
    const first = new LocalityFailoverRule(new Chart(app, 'a'), 'rule', {
      host: HOST, namespace: 'myns', distribute: [{ from: 'r1/*', to: { 'r1/*': 50, 'r2/*': 50 } }], failover: undefined,
    });
    const copy = LocalityFailoverRule._like(first, new Chart(app, 'b'), 'rule');
    copy.distribute[0].to['r1/*'] = 100;
    expect(first.distribute[0].to['r1/*']).toBe(50);
    const failing = new LocalityFailoverRule(new Chart(app, 'c'), 'rule', { host: HOST, namespace: 'myns', failover: [{ from: 'r1', to: 'r2' }] });
    const failingCopy = LocalityFailoverRule._like(failing, new Chart(app, 'd'), 'rule');
    (failingCopy.failover[0] as { to: string }).to = 'r3';
    expect(failing.failover[0].to).toBe('r2');
  });

  test('a template without a namespace is validated again in its new chart (the chart\'s namespace takes part)', () => {
    const app = Testing.app();
    const first = rule(new Chart(app, 'a'));
    expect(libraryError(() => LocalityFailoverRule._like(first, new Chart(app, 'b', { namespace: 'Not_A_Namespace' }), 'rule')))
      .toMatch(/\[b\/rule\] LocalityFailoverRule\.namespace: "Not_A_Namespace" is invalid: is the namespace of the enclosing chart/);
  });

  test('the copy\'s own rule is still checked', () => {
    const app = Testing.app();
    const [a, b] = [new Chart(app, 'a'), new Chart(app, 'b')];
    const routed = routing(a, rule(a, 'myns'));
    expect(libraryError(() => PerClusterSubsetRouting._like(routed, b, 'routing', rule(b, 'otherns'))))
      .toMatch(/\[b\/routing\] PerClusterSubsetRouting\.destinationRule: "otherns" is invalid: the rule is in namespace "otherns", not "myns"/);
  });

  test('subsets added to a rule that already has some are validated one by one (duplicates named as before)', () => {
    const app = Testing.app();
    const [a, b] = [new Chart(app, 'a'), new Chart(app, 'b')];
    const routed = routing(a, rule(a, 'myns'));
    const other = rule(b, 'myns');
    other.addSubset({ name: 'cluster-2', labels: { tier: 'x' } });
    expect(libraryError(() => PerClusterSubsetRouting._like(routed, b, 'routing', other))).toMatch(/\[b\/rule\] LocalityFailoverRule\.subsets\[2\]\.name: "cluster-2" is invalid: duplicate subset names: cluster-2/);
  });
});
