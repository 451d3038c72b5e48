import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LoadBalancerAlgorithm, LocalityFailoverRule, LocalityFailoverRuleProps, PerClusterSubsetRouting, ServiceHost, Warnings } from '../src';
import { errorOf as libraryError, validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

const HOST = 'echo-svc.default.svc.cluster.local';

function synthRule(props: Partial<LocalityFailoverRuleProps>): any {
  const chart = new Chart(Testing.app(), 'test');
  new LocalityFailoverRule(chart, 'echo', { host: HOST, ...props });
  const objects = synthValidated(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

function errorOf(props: Partial<LocalityFailoverRuleProps>): string {
  return libraryError(() => {
    const chart = new Chart(Testing.app(), 'test');
    new LocalityFailoverRule(chart, 'echo', { host: HOST, ...props } as LocalityFailoverRuleProps);
    Testing.synth(chart);
  });
}

describe('LocalityFailoverRule output', () => {
  test('field notes item 2: the seed DestinationRule, field for field', () => {
    // GIVEN the write-up's on-prem failover rule
    const dr = synthRule({
      loadBalancer: LoadBalancerAlgorithm.ROUND_ROBIN,
      failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }],
      outlierDetection: { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(1) },
    });
    // THEN
    expect(dr.apiVersion).toEqual('networking.istio.io/v1');
    expect(dr.kind).toEqual('DestinationRule');
    expect(dr.metadata).toEqual({ name: 'echo-svc' });
    expect(dr.spec).toEqual({
      host: HOST,
      trafficPolicy: {
        loadBalancer: {
          simple: 'ROUND_ROBIN',
          localityLbSetting: { enabled: true, failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }] },
        },
        outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '1m' },
      },
    });
  });

  test('field notes item 5: 50/50 distribute between two regions, no outlier detection added', () => {
    const dr = synthRule({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 50, 'asia-northeast2/*': 50 } }] });
    expect(dr.spec.trafficPolicy).toEqual({
      loadBalancer: {
        localityLbSetting: {
          enabled: true,
          distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 50, 'asia-northeast2/*': 50 } }],
        },
      },
    });
  });

  test('failover without outlier detection gets the documented default', () => {
    const chart = new Chart(Testing.app(), 'test');
    const rule = new LocalityFailoverRule(chart, 'echo', { host: HOST, failover: [{ from: 'us-east', to: 'eu-west' }] });
    const [dr] = synthValidated(chart);
    expect(rule.outlierDetectionDefaulted).toBe(true);
    expect(rule.hasOutlierDetection).toBe(true);
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({
      consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100,
    });
  });

  test('failoverPriority without outlier detection gets the default too', () => {
    const dr = synthRule({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] });
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority)
      .toEqual(['topology.istio.io/network', 'topology.kubernetes.io/region']);
    expect(dr.spec.trafficPolicy.outlierDetection.maxEjectionPercent).toEqual(100);
  });

  test('default failover (no explicit settings) still gets outlier detection, which is what turns priorities on', () => {
    const dr = synthRule({});
    expect(dr.spec.trafficPolicy.loadBalancer).toEqual({ localityLbSetting: { enabled: true } });
    expect(dr.spec.trafficPolicy.outlierDetection).toBeDefined();
  });

  test('an empty outlierDetection block is written as {} (istiod accepts it: Envoy defaults, priorities on), not dropped', () => {
    const dr = synthRule({ failover: [{ from: 'a', to: 'b' }], outlierDetection: {} });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({});
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failover).toEqual([{ from: 'a', to: 'b' }]);
  });

  test('explicit opt-out leaves outlier detection out, with a warning where failover is requested (it never happens)', () => {
    const chart = new Chart(Testing.app(), 'test');
    const rule = new LocalityFailoverRule(chart, 'echo', { host: HOST, failover: [{ from: 'a', to: 'b' }], defaultOutlierDetection: false });
    const [dr] = synthValidated(chart);
    expect(rule.hasOutlierDetection).toBe(false);
    expect(dr.spec.trafficPolicy.outlierDetection).toBeUndefined();
    const [warning] = Warnings.of(chart);
    expect([warning.field, warning.value]).toEqual(['defaultOutlierDetection', 'false']);
    expect(warning.reason).toMatch(/^without outlier detection istiod assigns no locality priorities .* nothing fails over \(istiod's webhook warns: "outlier detection policy must be provided for failover"\)$/);
    // default failover (no entries) is just as dead, but istiod says nothing; no failover wanted: no warning
    const quiet = new Chart(Testing.app(), 'quiet');
    new LocalityFailoverRule(quiet, 'a', { host: HOST, defaultOutlierDetection: false });
    expect(Warnings.of(quiet).map((w) => w.reason)).toEqual([expect.not.stringContaining('webhook')]);
    const none = new Chart(Testing.app(), 'none');
    new LocalityFailoverRule(none, 'a', { host: HOST, enabled: false, defaultOutlierDetection: false });
    new LocalityFailoverRule(none, 'b', { host: 'b.default.svc.cluster.local', distribute: [{ from: 'a/*', to: { 'a/*': 100 } }], defaultOutlierDetection: false });
    expect(Warnings.of(none)).toEqual([]);
  });

  test('outlier detection without locality behaviour emits enabled: false', () => {
    const dr = synthRule({ enabled: false, outlierDetection: { consecutive5xxErrors: 3 } });
    expect(dr.spec.trafficPolicy).toEqual({
      loadBalancer: { localityLbSetting: { enabled: false } },
      outlierDetection: { consecutive5xxErrors: 3 },
    });
  });

  test('connection pool and every outlier field render with Istio names; durations in ms precision', () => {
    const dr = synthRule({
      connectionPool: { maxRequestsPerConnection: 1, maxConnections: 100, connectTimeout: Duration.millis(250), idleTimeout: Duration.hours(1) },
      outlierDetection: {
        consecutive5xxErrors: 1,
        consecutiveGatewayErrors: 2,
        consecutiveLocalOriginFailures: 3,
        splitExternalLocalOriginErrors: true,
        interval: Duration.millis(1500),
        baseEjectionTime: Duration.minutes(1),
        maxEjectionPercent: 100,
        minHealthPercent: 0,
      },
    });
    expect(dr.spec.trafficPolicy.connectionPool).toEqual({
      tcp: { maxConnections: 100, connectTimeout: '250ms' },
      http: { maxRequestsPerConnection: 1, idleTimeout: '1h' },
    });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({
      consecutive5xxErrors: 1,
      consecutiveGatewayErrors: 2,
      consecutiveLocalOriginFailures: 3,
      splitExternalLocalOriginErrors: true,
      interval: '1500ms',
      baseEjectionTime: '1m',
      maxEjectionPercent: 100,
      minHealthPercent: 0,
    });
  });

  test('name, namespace and exportTo are explicit and independent of the chart id', () => {
    for (const chartId of ['gke', 'onprem']) {
      const chart = new Chart(Testing.app(), chartId);
      new LocalityFailoverRule(chart, 'echo', { host: HOST, name: 'echo', namespace: 'default', exportTo: ['*'] });
      const [dr] = synthValidated(chart);
      expect(dr.metadata).toEqual({ name: 'echo', namespace: 'default' });
      expect(dr.spec.exportTo).toEqual(['*']);
    }
  });

  test('ServiceHost.of gives the FQDN of a cdk8s-plus Service', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'cart' }, ports: [{ port: 80 }] });
    expect(ServiceHost.of(svc)).toEqual('cart.shop.svc.cluster.local');
    expect(ServiceHost.of(svc, 'corp.local')).toEqual('cart.shop.svc.corp.local');
  });

  test('subsets added later render, inherit the policy and are validated', () => {
    const chart = new Chart(Testing.app(), 'test');
    const rule = new LocalityFailoverRule(chart, 'echo', { host: HOST });
    rule.addSubset({ name: 'v1', labels: { version: 'v1' } });
    const [dr] = synthValidated(chart);
    expect(dr.spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }]);
    expect(() => rule.addSubset({ name: 'v1', labels: { version: 'v2' } })).toThrow('duplicate subset names: v1');
    expect(() => rule.addSubset({ name: 'v_2', labels: { version: 'v2' } })).toThrow('subset name is invalid: v_2');
    expect(() => rule.addSubset({ name: 'v3', labels: { 'bad key!': 'x' } })).toThrow('invalid tag key: "bad key!"');
    expect(() => rule.addSubset({ name: 'v4', labels: { version: 'bad value!' } })).toThrow('invalid tag value: "bad value!"');
  });

  test('a subset with no labels selects every endpoint and is emitted without an empty labels block', () => {
    const chart = new Chart(Testing.app(), 'test');
    const rule = new LocalityFailoverRule(chart, 'echo', { host: HOST });
    rule.addSubset({ name: 'all', labels: {} });
    const [dr] = synthValidated(chart);
    expect(dr.spec.subsets).toEqual([{ name: 'all' }]);
  });
});

describe('failoverPriority keys: labels some endpoint carries (stricter than istiod)', () => {
  const WELL_KNOWN = 'topology.istio.io/network, topology.istio.io/cluster, topology.kubernetes.io/region, topology.kubernetes.io/zone, topology.istio.io/subzone, kubernetes.io/hostname';

  test('failoverPriority: a typo of a topology label is refused with the valid keys', () => {
    expect(errorOf({ failoverPriority: ['topology.istio.io/netwrok', 'topology.kubernetes.io/region'] })).toEqual(
      '[test/echo] LocalityFailoverRule.failoverPriority[0]: "topology.istio.io/netwrok" is invalid: no endpoint carries label topology.istio.io/netwrok '
      + '(it is neither a topology label istiod adds to endpoints nor declared in endpointLabels), so the entry would behave as "no priority" '
      + '(did you mean "topology.istio.io/network"?). '
      + `Valid: a label istiod adds to endpoints (${WELL_KNOWN}), a label declared in endpointLabels (none declared), or "key=value" for any other pod label`);
  });

  test('failoverPriority: a bare pod label that is not declared is refused, without a far-fetched suggestion', () => {
    const err = errorOf({ failoverPriority: ['topology.istio.io/network', 'version'] });
    expect(err).toContain('LocalityFailoverRule.failoverPriority[1]: "version" is invalid: no endpoint carries label version');
    expect(err).not.toContain('did you mean');
  });

  test.each([
    ['zone', 'topology.kubernetes.io/zone'],
    ['failure-domain.beta.kubernetes.io/region', 'topology.kubernetes.io/region'],
    ['hostname', 'kubernetes.io/hostname'],
    ['topology.istio.io/Cluster', 'topology.istio.io/cluster'],
  ])('failoverPriority: %s suggests %s', (key, suggestion) => {
    expect(errorOf({ failoverPriority: [key] })).toContain(`did you mean ${JSON.stringify(suggestion)}?`);
  });

  test('failoverPriority: every label istiod adds to endpoints is a valid bare key, kubernetes.io/hostname included', () => {
    const keys = WELL_KNOWN.split(', ');
    const dr = synthRule({ failoverPriority: keys });
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority).toEqual(keys);
  });

  test('failoverPriority: key=value entries are accepted for any pod label (Istio ≥1.20 syntax)', () => {
    const dr = synthRule({ failoverPriority: ['app=echo', 'topology.istio.io/network', 'example.com/tier=gold'] });
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority).toEqual(['app=echo', 'topology.istio.io/network', 'example.com/tier=gold']);
  });

  test('failoverPriority: a label declared on the rule (endpointLabels) is accepted, and endpointLabels is not written out', () => {
    const dr = synthRule({ endpointLabels: ['version', 'example.com/tier'], failoverPriority: ['example.com/tier', 'topology.istio.io/network', 'version'] });
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting).toEqual({
      enabled: true,
      failoverPriority: ['example.com/tier', 'topology.istio.io/network', 'version'],
    });
    expect(JSON.stringify(dr)).not.toContain('endpointLabels');
  });

  test('failoverPriority: a typo of a declared label suggests it and lists the declared labels', () => {
    const err = errorOf({ endpointLabels: ['example.com/tier'], failoverPriority: ['example.com/teir'] });
    expect(err).toContain('did you mean "example.com/tier"?');
    expect(err).toContain('a label declared in endpointLabels (example.com/tier)');
  });

  test.each<[string, Partial<LocalityFailoverRuleProps>, string]>([
    ['endpointLabels that is not a list', { endpointLabels: 'app' as any }, 'LocalityFailoverRule.endpointLabels: "app" is invalid: must be a list'],
    ['an endpointLabels entry that is not a string', { endpointLabels: [7 as any] }, 'LocalityFailoverRule.endpointLabels[0]: 7 is invalid'],
    ['an endpointLabels entry that is not a label key', { endpointLabels: ['not a label'] }, 'LocalityFailoverRule.endpointLabels[0]: "not a label" is invalid: invalid tag key: "not a label"'],
    ['an endpointLabels entry listed twice', { endpointLabels: ['app', 'app'] }, 'LocalityFailoverRule.endpointLabels[1]: "app" is invalid: label app is listed twice'],
  ])('endpointLabels: rejects %s', (_name, props, message) => {
    expect(errorOf(props)).toContain(message);
  });
});

describe('LocalityFailoverRule validation (istiod ValidateLocalityLbSetting, then stricter)', () => {
  test.each<[string, Partial<LocalityFailoverRuleProps>, string]>([
    ['distribute with failover', {
      failover: [{ from: 'a', to: 'b' }], distribute: [{ from: 'a/*', to: { 'b/*': 100 } }],
    }, "LocalityFailoverRule.distribute: 1 is invalid: can not simultaneously specify 'distribute' and 'failover'"],
    ['failover with a region label in failoverPriority', {
      failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.kubernetes.io/region'],
    }, "LocalityFailoverRule.failoverPriority: \"topology.kubernetes.io/region\" is invalid: can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/region' in 'failover_priority'"],
    ['failover with a zone label in failoverPriority', {
      failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/zone'],
    }, "can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/zone' in 'failover_priority'"],
    ['failover with a subzone label in failoverPriority', {
      failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.istio.io/subzone'],
    }, "topology label 'topology.istio.io/subzone'"],
    ['a weight of 0', { distribute: [{ from: 'a/*', to: { 'a/*': 0, 'b/*': 100 } }] },
      'LocalityFailoverRule.distribute[0].to["a/*"]: 0 is invalid: locality weight must be in range [1, 100]'],
    ['a weight above 100', { distribute: [{ from: 'a/*', to: { 'a/*': 101 } }] }, 'locality weight must be in range [1, 100]'],
    ['a weight given as a string', { distribute: [{ from: 'a/*', to: { 'a/*': '100' as unknown as number } }] },
      'LocalityFailoverRule.distribute[0].to["a/*"]: "100" is invalid: locality weight must be in range [1, 100]'],
    ['a fractional weight', { distribute: [{ from: 'a/*', to: { 'a/*': 50.5, 'b/*': 49.5 } }] }, 'locality weight must be in range [1, 100]'],
    ['weights that do not add up to 100', { distribute: [{ from: 'a/*', to: { 'a/*': 50, 'b/*': 55 } }] },
      'LocalityFailoverRule.distribute[0].to: {"a/*":50,"b/*":55} is invalid: total locality weight 105 != 100'],
    ['an empty to map', { distribute: [{ from: 'a/*', to: {} }] }, 'total locality weight 0 != 100'],
    ['overlapping to localities', { distribute: [{ from: 'a/*', to: { 'a': 50, 'a/b/c': 50 } }] }, 'locality a/b/c overlap with previous specified ones'],
    ['overlapping from localities', { distribute: [{ from: 'a/*', to: { 'a/*': 100 } }, { from: 'a/b', to: { 'b/*': 100 } }] },
      'LocalityFailoverRule.distribute[].from: ["a/*","a/b"] is invalid: locality a/b overlap with previous specified ones'],
    ['to localities overlapping in the order Istio misses (a Go map has no order)', { distribute: [{ from: 'a/*', to: { 'a/b': 50, 'a/*': 50 } }] },
      'locality a/* overlap with previous specified ones'],
    ['a failover region with a trailing space', { failover: [{ from: 'us-east1', to: 'us-east1 ' }] },
      'LocalityFailoverRule.failover[0].to: "us-east1 " is invalid: invalid tag value: "us-east1 "'],
    ['a distribute locality with a space', { distribute: [{ from: 'asia northeast1/*', to: { 'a/*': 100 } }] },
      'LocalityFailoverRule.distribute[0].from: "asia northeast1/*" is invalid'],
    ['a locality with four segments (sub-zone "c/d" can never match a node label)', { distribute: [{ from: 'a/b/c/d', to: { 'a/*': 100 } }] },
      'locality a/b/c/d has more than three segments'],
    ['a duration beyond Go\'s time.Duration', { outlierDetection: { interval: Duration.days(1e6) } }, 'duration exceeds the largest Go duration'],
    ['exportTo "~" (only ServiceEntries may hide)', { exportTo: ['~'] }, 'LocalityFailoverRule.exportTo[0]: "~" is invalid: exportTo ~ (none) is not allowed for Istio configuration objects'],
    ['exportTo "*" with namespaces', { exportTo: ['*', 'istio-gateways'] }, 'cannot have both public (*) and non-public exportTo values for a resource'],
    ['exportTo "." and its own namespace', { namespace: 'b', exportTo: ['.', 'b'] }, 'duplicate entries in exportTo: . and current namespace b'],
    ['a wildcard in the middle', { distribute: [{ from: 'a/*/c', to: { 'a/*': 100 } }] },
      "locality a/*/c wildcard '*' number can not exceed 1 and must be in the end"],
    ['two wildcards', { distribute: [{ from: '*/*', to: { 'a/*': 100 } }] }, "locality */* wildcard '*' number can not exceed 1 and must be in the end"],
    ['a partial wildcard (Istio accepts it, it never matches)', { distribute: [{ from: 'us-east*', to: { 'a/*': 100 } }] },
      'locality us-east* has a partial wildcard'],
    ['an empty from locality', { distribute: [{ from: '', to: { 'a/*': 100 } }] }, 'locality  must not contain empty region/zone/subzone info'],
    ['an empty zone', { distribute: [{ from: 'a//c', to: { 'a/*': 100 } }] }, 'locality a//c must not contain empty region/zone/subzone info'],
    ['a trailing slash', { distribute: [{ from: 'a/*', to: { 'b/': 100 } }] }, 'locality b/ must not contain empty region/zone/subzone info'],
    ['distribute with failoverPriority (istiod silently ignores the priority)', {
      distribute: [{ from: 'a/*', to: { 'a/*': 100 } }], failoverPriority: ['topology.istio.io/network'],
    }, 'istiod ignores failoverPriority when distribute is set'],
    ['failover to the same region', { failover: [{ from: 'a', to: 'a' }] },
      'LocalityFailoverRule.failover[0]: {"from":"a","to":"a"} is invalid: locality lb failover settings must specify different regions'],
    ['failover with a zone', { failover: [{ from: 'us-east/1', to: 'eu-west' }] },
      'LocalityFailoverRule.failover[0].from: "us-east/1" is invalid: locality lb failover only specify region. Valid: a bare region such as "us-east"'],
    ['failover with a wildcard', { failover: [{ from: 'us-east', to: 'eu-*' }] }, "locality lb failover region should not contain '*' wildcard"],
    ['failover with an empty region', { failover: [{ from: '', to: 'eu-west' }] }, 'LocalityFailoverRule.failover[0].from: "" is invalid: must not be empty'],
    ['a failoverPriority that is not a label', { failoverPriority: ['not a label'] }, 'invalid tag key: "not a label"'],
    ['a failoverPriority key=value with a bad value', { failoverPriority: ['topology.istio.io/cluster=bad value'] }, 'invalid tag value: "bad value"'],
    ['a duplicate failoverPriority label', { failoverPriority: ['topology.istio.io/network', 'topology.istio.io/network'] }, 'label topology.istio.io/network is listed twice'],
    ['enabled: false with failover', { enabled: false, failover: [{ from: 'a', to: 'b' }] }, 'locality load balancing is disabled'],
    ['a zero duration', { outlierDetection: { interval: Duration.seconds(0) } },
      'LocalityFailoverRule.outlierDetection.interval: "0ms" is invalid: duration must be greater than 1ms'],
    ['a sub-millisecond duration', { outlierDetection: { baseEjectionTime: Duration.millis(1.5) } }, 'only durations to ms precision are supported'],
    ['a duration that is not a Duration', { outlierDetection: { interval: '1s' as unknown as Duration } }, 'LocalityFailoverRule.outlierDetection.interval: "1s" is invalid: must be a cdk8s Duration'],
    ['maxEjectionPercent above 100', { outlierDetection: { maxEjectionPercent: 105 } }, 'percentage 105 is not in range 0..100'],
    ['minHealthPercent below 0', { outlierDetection: { minHealthPercent: -1 } }, 'percentage -1 is not in range 0..100'],
    ['local origin failures without split', { outlierDetection: { consecutiveLocalOriginFailures: 10 } },
      'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false'],
    ['an empty connection pool', { connectionPool: {} }, 'connection pool must have at least one field'],
    ['a negative connection-pool value', { connectionPool: { maxConnections: -1 } }, 'LocalityFailoverRule.connectionPool.maxConnections: -1 is invalid: must be a whole number'],
    ['an unknown load balancer', { loadBalancer: 'FASTEST' as LoadBalancerAlgorithm }, 'LocalityFailoverRule.loadBalancer: "FASTEST" is invalid: unknown load-balancing algorithm'],
    ['an empty host', { host: '' }, 'LocalityFailoverRule.host: "" is invalid: must not be empty'],
    ['a host with a partial wildcard label in the middle', { host: 'echo.*.svc.cluster.local' }, 'domain name "*.svc.cluster.local" invalid (label "*" invalid)'],
    ['a host with a wildcard suffix', { host: 'foo.bar.*' }, 'invalid (label "*" invalid)'],
    ['a host with a numeric TLD', { host: 'echo.10' }, 'top level domain "10" cannot be all-numeric'],
    ['a host that is too long', { host: 'a'.repeat(256) }, 'too long (max 255)'],
    ['an invalid name', { name: 'Echo_Svc' }, 'LocalityFailoverRule.name: "Echo_Svc" is invalid: not a DNS-1123 label'],
    ['a wildcard host without a name', { host: '*.default.svc.cluster.local' }, 'cannot be derived from host'],
    ['an invalid namespace', { namespace: 'Default' }, 'LocalityFailoverRule.namespace: "Default" is invalid'],
    ['an empty exportTo', { exportTo: [] }, 'an empty list is the same as leaving it out'],
    ['a duplicate exportTo entry', { exportTo: ['.', '.'] }, 'duplicate entries in exportTo for entry .'],
    ['failover that is not a list', { failover: { from: 'a', to: 'b' } as any }, 'LocalityFailoverRule.failover: {"from":"a","to":"b"} is invalid: must be a list'],
  ])('rejects %s', (_name, props, message) => {
    const err = errorOf(props);
    expect(err).toContain(message);
    expect(err).toMatch(/^\[test\/echo\] LocalityFailoverRule\./);
  });

  test('accepts distribute[].from specific before general (istiod uses the first match)', () => {
    const dr = synthRule({ distribute: [{ from: 'a/b', to: { 'a/b': 100 } }, { from: 'a/*', to: { 'a/*': 100 } }] });
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute.map((d: { from: string }) => d.from)).toEqual(['a/b', 'a/*']);
  });

  test('accepts failover with a key=value topology entry in failoverPriority (istiod compares the whole entry)', () => {
    const dr = synthRule({ failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.kubernetes.io/region=a'] });
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority).toEqual(['topology.kubernetes.io/region=a']);
  });

  test('accepts failover with non-topology failoverPriority labels (network, cluster)', () => {
    const dr = synthRule({ failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.istio.io/network', 'topology.istio.io/cluster'] });
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failover).toEqual([{ from: 'a', to: 'b' }]);
  });

  test('accepts a wildcard host with an explicit name and exactly 1ms', () => {
    const dr = synthRule({ host: '*.default.svc.cluster.local', name: 'all-default', outlierDetection: { interval: Duration.millis(1) } });
    expect(dr.spec.host).toEqual('*.default.svc.cluster.local');
    expect(dr.spec.trafficPolicy.outlierDetection.interval).toEqual('1ms');
  });
});

describe('one object per kind, namespace and name in a chart', () => {
  test('two rules for one host are refused when the second is declared, naming both', () => {
    const chart = new Chart(Testing.app(), 'gke');
    new LocalityFailoverRule(chart, 'a', { host: HOST, namespace: 'default' });
    expect(() => new LocalityFailoverRule(chart, 'b', { host: HOST, namespace: 'default' })).toThrow('[gke/b] LocalityFailoverRule.metadata.name: "default/echo-svc" is invalid: gke/a/Resource already defines this DestinationRule in the same chart');
  });

  test('a clash with the user\'s own object is caught at synth', () => {
    const chart = new Chart(Testing.app(), 'gke');
    new ApiObject(chart, 'mine', { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'echo-svc', namespace: 'default' }, spec: { host: HOST } });
    new LocalityFailoverRule(chart, 'a', { host: HOST, namespace: 'default' });
    expect(() => Testing.synth(chart)).toThrow('[gke/a/Resource] DestinationRule.metadata.name: "default/echo-svc" is invalid: gke/mine already defines this DestinationRule');
  });

  test('the same name in another namespace or kind is fine', () => {
    const chart = new Chart(Testing.app(), 'gke');
    new LocalityFailoverRule(chart, 'a', { host: HOST, namespace: 'default' });
    new LocalityFailoverRule(chart, 'b', { host: HOST, namespace: 'other' });
    expect(Testing.synth(chart)).toHaveLength(2);
  });
});

describe('the namespace an object is written with is its chart\'s when it has none', () => {
  test('exportTo [".", <chart namespace>] is a duplicate, as istiod says', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    expect(libraryError(() => new LocalityFailoverRule(chart, 'r', { host: 'web.shop.svc.cluster.local', exportTo: ['.', 'shop'] })))
      .toContain('LocalityFailoverRule.exportTo[1]: "shop" is invalid: duplicate entries in exportTo: . and current namespace shop');
    expect(libraryError(() => new PerClusterSubsetRouting(chart, 'p', { host: 'web.shop.svc.cluster.local', clusters: ['c1'], exportTo: ['shop', '.'] })))
      .toContain('PerClusterSubsetRouting.exportTo[1]: "." is invalid: duplicate entries in exportTo: . and current namespace shop');
  });

  test.each(['*', 'UPPER', 'ns_1', '.'])('a chart namespace %j that is not a namespace name is refused', (namespace) => {
    const chart = new Chart(Testing.app(), 'c', { namespace });
    expect(libraryError(() => new LocalityFailoverRule(chart, 'r', { host: 'web.shop.svc.cluster.local' })))
      .toContain(`LocalityFailoverRule.namespace: ${JSON.stringify(namespace)} is invalid: is the namespace of the enclosing chart "c", which the object would be written with, and it is not a DNS-1123 label`);
    expect(libraryError(() => new PerClusterSubsetRouting(chart, 'p', { host: 'web.shop.svc.cluster.local', clusters: ['c1'] })))
      .toContain('PerClusterSubsetRouting.namespace');
    // the construct's own namespace wins over the chart's
    new LocalityFailoverRule(chart, 'ok', { host: 'web.shop.svc.cluster.local', namespace: 'shop' });
  });

  test('a rule and a routing in the same chart namespace share one DestinationRule', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const rule = new LocalityFailoverRule(chart, 'r', { host: 'web.shop.svc.cluster.local', exportTo: ['.'] });
    new PerClusterSubsetRouting(chart, 'p', { host: 'web.shop.svc.cluster.local', clusters: ['c1'], destinationRule: rule, exportTo: ['shop'] });
    const objs = synthValidated(chart);
    expect(objs.filter((o) => o.kind === 'DestinationRule')).toHaveLength(1);
    expect(objs.find((o) => o.kind === 'VirtualService').metadata.namespace).toBe('shop');
  });
});

describe('failover needs outlier detection that can eject (stricter than istiod)', () => {
  const FAILOVER = [{ from: 'tokyo-onprem', to: 'asia-northeast1' }];
  const SPREAD = [{ from: 'tokyo-onprem/*', to: { 'tokyo-onprem/*': 50, 'asia-northeast1/*': 50 } }];

  test('consecutive5xxErrors: 0 with failover is refused, naming the construct, field, value and the fix', () => {
    const err = errorOf({ failover: FAILOVER, outlierDetection: { consecutive5xxErrors: 0, maxEjectionPercent: 100 } });
    expect(err).toMatch(/^\[test\/echo\] LocalityFailoverRule\.outlierDetection\.consecutive5xxErrors: 0 is invalid: Istio accepts it, but 0 turns 5xx ejection off/);
    expect(err).toContain('consecutiveGatewayErrors is not set and local-origin ejection (splitExternalLocalOriginErrors) is off');
    expect(err).toContain('no endpoint is ever ejected, so the failover requested here');
    expect(err).toContain('Valid: consecutive5xxErrors: 1 or more (e.g. 1)');
  });

  test.each<[string, Partial<LocalityFailoverRuleProps>]>([
    ['failoverPriority', { failoverPriority: ['topology.istio.io/network'] }],
    ['the default failover (no locality settings, locality LB on)', {}],
  ])('consecutive5xxErrors: 0 with %s is refused too', (_name, props) => {
    expect(errorOf({ ...props, outlierDetection: { consecutive5xxErrors: 0 } })).toContain('LocalityFailoverRule.outlierDetection.consecutive5xxErrors: 0 is invalid');
  });

  test('consecutive5xxErrors: 0 with consecutiveGatewayErrors: 0 and failover is refused, saying the gateway errors are off too', () => {
    const err = errorOf({ failover: FAILOVER, outlierDetection: { consecutive5xxErrors: 0, consecutiveGatewayErrors: 0 } });
    expect(err).toContain('outlierDetection.consecutive5xxErrors: 0 is invalid');
    expect(err).toContain('consecutiveGatewayErrors is 0');
  });

  test('maxEjectionPercent: 0 with failover is refused: istiod drops 0, so Envoy\'s 10% applies', () => {
    const err = errorOf({ failover: FAILOVER, outlierDetection: { consecutive5xxErrors: 1, maxEjectionPercent: 0 } });
    expect(err).toMatch(/^\[test\/echo\] LocalityFailoverRule\.outlierDetection\.maxEjectionPercent: 0 is invalid: Istio accepts it, but istiod passes maxEjectionPercent to Envoy only when it is above 0/);
    expect(err).toContain('Envoy applies its default 10%');
    expect(err).toContain('with fewer than 10 hosts');
    expect(err).toContain('Valid: maxEjectionPercent: 100');
  });

  test('consecutive5xxErrors: 0 with gateway-error ejection and failover is accepted (a failing endpoint\'s 503 is a gateway error)', () => {
    const dr = synthRule({ failover: FAILOVER, outlierDetection: { consecutive5xxErrors: 0, consecutiveGatewayErrors: 1, maxEjectionPercent: 100 } });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 0, consecutiveGatewayErrors: 1, maxEjectionPercent: 100 });
  });

  test('consecutive5xxErrors: 0 with local-origin ejection and failover is accepted (unreachable endpoints are still ejected)', () => {
    const outlierDetection = { consecutive5xxErrors: 0, splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 1 };
    const dr = synthRule({ failover: FAILOVER, outlierDetection });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual(outlierDetection);
  });

  test('without failover (distribute, or locality LB off) outlier detection that ejects nothing is accepted as Istio accepts it', () => {
    const spread = synthRule({ distribute: SPREAD, outlierDetection: { consecutive5xxErrors: 0, maxEjectionPercent: 0 } });
    expect(spread.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 0, maxEjectionPercent: 0 });
    const off = synthRule({ enabled: false, outlierDetection: { consecutive5xxErrors: 0 } });
    expect(off.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 0 });
  });
});

describe('found by fuzzing: refused with a ValidationError, never a TypeError or a plain Error', () => {
  const rule = (props: object) => () => new LocalityFailoverRule(new Chart(Testing.app(), 'test'), 'echo', { host: HOST, ...props } as LocalityFailoverRuleProps);

  test('an unknown property with the empty name is refused with a field that names it', () => {
    const e = validationErrorOf(rule({ '': 1 }));
    expect([e.construct, e.field]).toEqual(['LocalityFailoverRule', '""']);
    expect(e.message).toContain('LocalityFailoverRule."": <a number> is invalid: unknown property ""');
    expect(validationErrorOf(rule({ outlierDetection: { '': 1 } })).field).toBe('outlierDetection.""');
  });

  test('a label key or locality "constructor" is refused: cdk8s cannot render an object with that key', () => {
    const chart = new Chart(Testing.app(), 'test');
    const r = new LocalityFailoverRule(chart, 'echo', { host: HOST });
    const subset = validationErrorOf(() => r.addSubset({ name: 'v1', labels: { constructor: 'x' } }));
    expect([subset.field, subset.reason]).toEqual(['subsets[0].labels', 'invalid tag key: "constructor" (cdk8s cannot render an object with this key)']);
    const weights = validationErrorOf(rule({ distribute: [{ from: 'constructor/*', to: { constructor: 100 } }] }));
    expect([weights.field, weights.reason]).toEqual(['distribute[0].to["constructor"]', 'cdk8s cannot render an object with this key']);
    expect(Testing.synth(chart)).toHaveLength(1); // the refused subset left nothing behind
  });

  test('a percentage that is an object without a prototype is refused, not a TypeError', () => {
    const e = validationErrorOf(rule({ outlierDetection: { maxEjectionPercent: Object.create(null) } }));
    expect([e.field, e.reason]).toEqual(['outlierDetection.maxEjectionPercent', 'percentage {} is not in range 0..100']);
  });

  test('ServiceHost.fqdn refuses what is not a name, a namespace or a DNS domain', () => {
    expect(ServiceHost.fqdn('echo', 'default')).toBe('echo.default.svc.cluster.local');
    expect(validationErrorOf(() => ServiceHost.fqdn(Symbol('x') as any, 'default')).field).toBe('name');
    expect(validationErrorOf(() => ServiceHost.fqdn('echo', undefined as any)).field).toBe('namespace');
    const domain = validationErrorOf(() => ServiceHost.fqdn('echo', 'default', '*.local'));
    expect([domain.constructPath, domain.construct, domain.field, domain.value]).toEqual(['ServiceHost.fqdn', 'ServiceHost', 'clusterDomain', '"*.local"']);
  });
});
