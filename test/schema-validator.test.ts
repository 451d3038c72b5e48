import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { SampleSchema, sampleOf } from './support/samples';
import {
  compileCelRule, evaluateCelRule, expectIstioNetworkingV1, expectValidManifests, ISTIO_RELEASES, istioCelRules,
  istioReleaseCheckCounts, synthValidated, validatedObjectCount, validateManifest, validateManifests,
} from './support/schema';

// ---------------------------------------------------------------------------------------------------------------
// fixtures (fresh objects per call, so tests can mutate them)
// ---------------------------------------------------------------------------------------------------------------

function destinationRule(): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'echo-svc', namespace: 'default' },
    spec: {
      host: 'echo-svc.default.svc.cluster.local',
      trafficPolicy: {
        loadBalancer: {
          simple: 'ROUND_ROBIN',
          localityLbSetting: { enabled: true, failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }] },
        },
        outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '1m' },
      },
    },
  };
}

function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'echo', labels: { 'app.kubernetes.io/name': 'echo' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'echo' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'echo' } },
        spec: {
          containers: [{
            name: 'echo',
            image: 'ealen/echo-server:0.9.2',
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 'http' } },
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1 } },
          }],
        },
      },
    },
  };
}

function service(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'echo-svc' },
    spec: { selector: { 'app.kubernetes.io/name': 'echo' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

function configMap(): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mesh-settings' }, data: { network: 'network1' } };
}

function eastWestGateway(): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'cross-network-gateway', namespace: 'istio-system' },
    spec: {
      selector: { istio: 'eastwestgateway' },
      servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }],
    },
  };
}

function virtualService(): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'echo-split' },
    spec: {
      hosts: ['echo-svc.default.svc.cluster.local'],
      http: [{
        route: [
          { destination: { host: 'echo-svc.default.svc.cluster.local', subset: 'tokyo' }, weight: 50 },
          { destination: { host: 'echo-svc.default.svc.cluster.local', subset: 'osaka' }, weight: 50 },
        ],
        timeout: '5s',
      }],
    },
  };
}

function istioOperator(): any {
  return {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    metadata: { name: 'eastwest' },
    spec: {
      revision: '',
      profile: 'empty',
      components: {
        ingressGateways: [{
          name: 'istio-eastwestgateway',
          label: { istio: 'eastwestgateway', topology_istio_io_network: 'network1' },
          enabled: true,
          k8s: {
            env: [{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: 'network1' }],
            service: { ports: [{ name: 'tls', port: 15443, targetPort: 15443 }] },
            resources: { requests: { cpu: '100m' } },
          },
        }],
      },
      values: { gateways: { 'istio-ingressgateway': { injectionTemplate: 'gateway' } }, global: { network: 'network1' } },
    },
  };
}

/** The single error of `obj`, failing the test if there is not exactly one. */
function onlyError(obj: any): string {
  const errors = validateManifest(obj);
  expect(errors).toHaveLength(1);
  return errors[0];
}

/**
 * The single error every Istio release reports for `obj` (without its `[istio <release>] ` prefix), failing the test
 * unless each release in ISTIO_RELEASES reports exactly that one error.
 */
function onlyErrorInEveryRelease(obj: any): string {
  const errors = validateManifest(obj);
  expect(errors).toHaveLength(ISTIO_RELEASES.length);
  const unprefixed = errors.map((e, i) => {
    expect(e.startsWith(`[istio ${ISTIO_RELEASES[i]}] `)).toBe(true);
    return e.slice(`[istio ${ISTIO_RELEASES[i]}] `.length);
  });
  expect(new Set(unprefixed).size).toBe(1);
  return unprefixed[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Istio custom resources
// ---------------------------------------------------------------------------------------------------------------

describe('Istio custom resources', () => {
  test('a locality-failover DestinationRule with outlier detection is valid', () => {
    // GIVEN
    const dr = destinationRule();
    // WHEN
    const errors = validateManifest(dr);
    // THEN
    expect(errors).toEqual([]);
  });

  test('a misspelled field is rejected as an unknown field, naming it', () => {
    // GIVEN outlierDetection misspelled
    const dr = destinationRule();
    dr.spec.trafficPolicy.outlierDetecton = dr.spec.trafficPolicy.outlierDetection;
    delete dr.spec.trafficPolicy.outlierDetection;
    // WHEN
    const error = onlyErrorInEveryRelease(dr);
    // THEN
    expect(error).toEqual('DestinationRule/echo-svc: spec.trafficPolicy.outlierDetecton: unknown field "outlierDetecton"');
  });

  test('a 0s outlier-detection interval is rejected by the CRD CEL rule', () => {
    // GIVEN
    const dr = destinationRule();
    dr.spec.trafficPolicy.outlierDetection.interval = '0s';
    // WHEN
    const error = onlyErrorInEveryRelease(dr);
    // THEN
    expect(error).toContain('DestinationRule/echo-svc: spec.trafficPolicy.outlierDetection.interval: must be a valid duration greater than 1ms');
    expect(error).toContain("duration(self) >= duration('1ms')");
  });

  test('a duration that does not parse is rejected with the rule message and the evaluation error', () => {
    // GIVEN
    const dr = destinationRule();
    dr.spec.trafficPolicy.outlierDetection.baseEjectionTime = 'one minute';
    // WHEN
    const error = onlyErrorInEveryRelease(dr);
    // THEN
    expect(error).toMatch(/spec\.trafficPolicy\.outlierDetection\.baseEjectionTime: must be a valid duration greater than 1ms .*failed to evaluate/);
  });

  test('a locality weight given as a string is rejected', () => {
    // GIVEN a distribute rule whose weight is "50" instead of 50
    const dr = destinationRule();
    dr.spec.trafficPolicy.loadBalancer.localityLbSetting = {
      distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': '50', 'asia-northeast2/*': 50 } }],
    };
    // WHEN
    const error = onlyErrorInEveryRelease(dr);
    // THEN the map key is quoted in the path
    expect(error).toEqual(
      'DestinationRule/echo-svc: spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to["asia-northeast1/*"]: must be integer, got string "50"',
    );
  });

  test('a VirtualService with integer weights is valid; a string weight is rejected', () => {
    // GIVEN
    const good = virtualService();
    const bad = virtualService();
    bad.spec.http[0].route[1].weight = '50';
    // WHEN / THEN
    expect(validateManifest(good)).toEqual([]);
    expect(onlyErrorInEveryRelease(bad)).toEqual('VirtualService/echo-split: spec.http[0].route[1].weight: must be integer, got string "50"');
  });

  test('mutually exclusive load balancer settings are reported as such', () => {
    // GIVEN both `simple` and `consistentHash` (a protobuf oneof)
    const dr = destinationRule();
    dr.spec.trafficPolicy.loadBalancer.consistentHash = { httpHeaderName: 'x-user' };
    // WHEN
    const error = onlyErrorInEveryRelease(dr);
    // THEN
    expect(error).toEqual('DestinationRule/echo-svc: spec.trafficPolicy.loadBalancer: fields "simple", "consistentHash" are mutually exclusive (set at most one)');
  });

  test('an enum violation lists the allowed values', () => {
    // GIVEN
    const dr = destinationRule();
    dr.spec.trafficPolicy.loadBalancer.simple = 'ROUND_ROBBIN';
    // WHEN
    const error = onlyErrorInEveryRelease(dr);
    // THEN
    expect(error).toMatch(/^DestinationRule\/echo-svc: spec\.trafficPolicy\.loadBalancer\.simple: must be one of .*"ROUND_ROBIN".*, got string "ROUND_ROBBIN"$/);
  });

  test('an east-west Gateway is valid; setting credentialName and credentialNames trips the CEL rule', () => {
    // GIVEN
    const good = eastWestGateway();
    const bad = eastWestGateway();
    bad.spec.servers[0].tls = { mode: 'SIMPLE', credentialName: 'a', credentialNames: ['b'] };
    // WHEN / THEN
    expect(validateManifest(good)).toEqual([]);
    expect(onlyErrorInEveryRelease(bad)).toContain('Gateway/cross-network-gateway: spec.servers[0].tls: only one of credentialName or credentialNames can be set');
  });

  test('a missing required field is reported', () => {
    // GIVEN a DestinationRule without host
    const dr = destinationRule();
    delete dr.spec.host;
    // WHEN / THEN
    expect(onlyErrorInEveryRelease(dr)).toEqual('DestinationRule/echo-svc: spec.host: Required value');
  });

  test('unknown metadata fields are rejected for custom resources too (ObjectMeta, not `type: object`)', () => {
    // GIVEN
    const dr = destinationRule();
    dr.metadata.label = { app: 'echo' };
    // WHEN / THEN
    expect(onlyErrorInEveryRelease(dr)).toEqual('DestinationRule/echo-svc: metadata.label: unknown field "label"');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Istio releases: every Istio object is checked against the CRDs of each release the library targets
// ---------------------------------------------------------------------------------------------------------------

describe('Istio releases', () => {
  const [v129, v130, v131] = ISTIO_RELEASES;

  /** A DestinationRule using `zoneAwareLbSetting`, a load balancer field the 1.31 CRDs added. */
  function zoneAwareDestinationRule(): any {
    const dr = destinationRule();
    delete dr.spec.trafficPolicy.loadBalancer.localityLbSetting;
    dr.spec.trafficPolicy.loadBalancer.zoneAwareLbSetting = { enabled: true, minClusterSize: 3 };
    return dr;
  }

  test('ISTIO_RELEASES is every vendored Istio CRD bundle: one 1.29, 1.30 and 1.31 release, oldest first', () => {
    const dir = path.resolve(__dirname, '../schemas/istio');
    const vendored = fs.readdirSync(dir).filter(r => fs.existsSync(path.join(dir, r, 'crd-all.gen.yaml')));
    expect([...ISTIO_RELEASES].sort()).toEqual(vendored.sort());
    expect(ISTIO_RELEASES.map(r => r.split('.').slice(0, 2).join('.'))).toEqual(['1.29', '1.30', '1.31']);
  });

  test('an object valid in every release passes, and is checked against each of them', () => {
    // GIVEN
    const before = new Map(istioReleaseCheckCounts());
    // WHEN
    const errors = validateManifests([destinationRule(), virtualService(), eastWestGateway()]);
    // THEN
    expect(errors).toEqual([]);
    expect(istioReleaseCheckCounts().map(([r, n]) => [r, n - (before.get(r) ?? 0)])).toEqual(ISTIO_RELEASES.map(r => [r, 3]));
  });

  test('a 1.31-only field (zoneAwareLbSetting) fails for 1.29 and 1.30, naming the release, and passes for 1.31', () => {
    // GIVEN
    const dr = zoneAwareDestinationRule();
    // WHEN
    const errors = validateManifest(dr);
    // THEN
    expect(errors).toEqual([v129, v130].map(r =>
      `[istio ${r}] DestinationRule/echo-svc: spec.trafficPolicy.loadBalancer.zoneAwareLbSetting: unknown field "zoneAwareLbSetting"`));
    expect(validateManifest(dr, { istio: [v131] })).toEqual([]);
    expect(validateManifest(dr, { istio: [v130] })).toEqual([errors[1]]);
    expect(() => expectValidManifests([dr], { istio: [v131] })).not.toThrow();
    expect(() => expectValidManifests([dr])).toThrow(`[istio ${v129}] DestinationRule/echo-svc`);
  });

  test('a 1.31 field is still checked against the 1.31 schema', () => {
    // GIVEN minClusterSize below its minimum of 1
    const dr = zoneAwareDestinationRule();
    dr.spec.trafficPolicy.loadBalancer.zoneAwareLbSetting.minClusterSize = 0;
    // WHEN / THEN
    expect(validateManifest(dr, { istio: [v131] })).toEqual([
      `[istio ${v131}] DestinationRule/echo-svc: spec.trafficPolicy.loadBalancer.zoneAwareLbSetting.minClusterSize: must be >= 1, got number 0`,
    ]);
  });

  test('an unknown field fails in every release, once per release', () => {
    // GIVEN
    const dr = destinationRule();
    dr.spec.trafficPolicy.loadBalancer.zoneAwareLbSettings = { enabled: true };
    // WHEN
    const errors = validateManifest(dr);
    // THEN
    expect(errors).toEqual(ISTIO_RELEASES.map(r =>
      `[istio ${r}] DestinationRule/echo-svc: spec.trafficPolicy.loadBalancer.zoneAwareLbSettings: unknown field "zoneAwareLbSettings"`));
    for (const r of ISTIO_RELEASES) expect(validateManifest(dr, { istio: [r] })).toEqual([errors[ISTIO_RELEASES.indexOf(r)]]);
  });

  test('a kind a release lacks is an error for that release only', () => {
    // GIVEN TrafficExtension (extensions.istio.io, new in 1.30), without its required wasm or lua
    const ext = { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'TrafficExtension', metadata: { name: 'ext' }, spec: {} };
    // WHEN
    const errors = validateManifest(ext);
    // THEN
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/unknown apiVersion\/kind: .*\(group "extensions.istio.io" has WasmPlugin\)$/);
    expect(errors.map(e => e.slice(0, e.indexOf(']') + 1))).toEqual(ISTIO_RELEASES.map(r => `[istio ${r}]`));
    for (const e of errors.slice(1)) expect(e).toContain('TrafficExtension/ext: spec: exactly one of wasm or lua must be set');
  });

  test('built-in kinds, IstioOperator and metadata syntax are release-independent (no prefix, restriction or not)', () => {
    const svc = service();
    svc.spec.ports[0].port = '80';
    const dr = destinationRule();
    dr.metadata.name = 'Foo_Bar';
    for (const options of [undefined, { istio: [v131] }]) {
      expect(validateManifest(svc, options)).toEqual(['Service/echo-svc: spec.ports[0].port: must be integer, got string "80"']);
      expect(validateManifest(istioOperator(), options)).toEqual([]);
      expect(validateManifest(dr, options)).toEqual([expect.stringMatching(/^DestinationRule\/Foo_Bar: metadata\.name: Invalid value/)]);
    }
  });

  test('restricting to a release that is not vendored is a test bug, not a pass', () => {
    expect(() => validateManifest(destinationRule(), { istio: ['1.28.0'] })).toThrow('options.istio must name some of');
    expect(() => validateManifest(destinationRule(), { istio: [] })).toThrow('options.istio must name some of');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes built-in kinds
// ---------------------------------------------------------------------------------------------------------------

describe('Kubernetes built-in kinds', () => {
  test('a Deployment, Service and ConfigMap are valid', () => {
    // GIVEN
    const objs = [deployment(), service(), configMap()];
    // WHEN
    const errors = validateManifests(objs);
    // THEN
    expect(errors).toEqual([]);
  });

  test('a Service port given as a string is rejected; targetPort is int-or-string', () => {
    // GIVEN
    const svc = service();
    svc.spec.ports[0].port = '80';
    // WHEN / THEN
    expect(onlyError(svc)).toEqual('Service/echo-svc: spec.ports[0].port: must be integer, got string "80"');
  });

  test('an int-or-string field given an object says both accepted types', () => {
    // GIVEN
    const svc = service();
    svc.spec.ports[0].targetPort = { name: 'http' };
    // WHEN / THEN
    expect(onlyError(svc)).toEqual('Service/echo-svc: spec.ports[0].targetPort: must be string or integer, got an object');
  });

  test('a ConfigMap with an unknown top-level field is rejected', () => {
    // GIVEN
    const cm = configMap();
    cm.date = { network: 'network1' };
    // WHEN / THEN
    expect(onlyError(cm)).toEqual('ConfigMap/mesh-settings: date: unknown field "date"');
  });

  test('a Deployment with a misplaced field and a container without a name is rejected for both', () => {
    // GIVEN
    const dep = deployment();
    dep.spec.template.spec.containers[0].replicas = 3;
    delete dep.spec.template.spec.containers[0].name;
    // WHEN
    const errors = validateManifest(dep);
    // THEN
    expect(errors).toEqual([
      'Deployment/echo: spec.template.spec.containers[0].name: Required value',
      'Deployment/echo: spec.template.spec.containers[0].replicas: unknown field "replicas"',
    ]);
  });

  test('an out-of-range int32 is rejected for built-in types', () => {
    // GIVEN
    const dep = deployment();
    dep.spec.replicas = 2 ** 31;
    // WHEN / THEN
    expect(onlyError(dep)).toEqual('Deployment/echo: spec.replicas: must match format "int32", got number 2147483648');
  });

  test('null fields are dropped before validation, as the API server does', () => {
    // GIVEN kubectl-style output with creationTimestamp: null
    const cm = configMap();
    cm.metadata.creationTimestamp = null;
    // WHEN / THEN
    expect(validateManifest(cm)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// IstioOperator (pseudo-CRD whose $refs resolve against the Kubernetes definitions)
// ---------------------------------------------------------------------------------------------------------------

describe('IstioOperator', () => {
  test('an east-west gateway install is valid', () => {
    expect(validateManifest(istioOperator())).toEqual([]);
  });

  test('typos and wrong types are rejected, including inside the embedded Kubernetes types', () => {
    // GIVEN
    const iop = istioOperator();
    const gateway = iop.spec.components.ingressGateways[0];
    gateway.k8s.replicaCount = -1;
    gateway.k8s.service.ports[0].port = '15443';
    iop.spec.components.ingresGateways = [];
    // WHEN
    const errors = validateManifest(iop);
    // THEN
    expect(errors).toEqual([
      'IstioOperator/eastwest: spec.components.ingresGateways: unknown field "ingresGateways"',
      'IstioOperator/eastwest: spec.components.ingressGateways[0].k8s.replicaCount: must be >= 0, got number -1',
      'IstioOperator/eastwest: spec.components.ingressGateways[0].k8s.service.ports[0].port: must be integer, got string "15443"',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// routing and metadata
// ---------------------------------------------------------------------------------------------------------------

describe('apiVersion/kind routing', () => {
  test('an unknown API group is an error, not skipped', () => {
    // GIVEN
    const widget = { apiVersion: 'widgets.example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    // WHEN / THEN
    expect(onlyError(widget)).toMatch(/^Widget\/w: unknown apiVersion\/kind: no matches for kind "Widget" in version "widgets.example.com\/v1"/);
  });

  test('an unknown kind in a known group is an error', () => {
    // GIVEN
    const obj = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRules', metadata: { name: 'x' } };
    // WHEN / THEN
    expect(onlyErrorInEveryRelease(obj)).toMatch(/unknown apiVersion\/kind: no matches for kind "DestinationRules" .*has DestinationRule, /);
  });

  test('a version the CRD does not serve is an error', () => {
    // GIVEN
    const dr = { ...destinationRule(), apiVersion: 'networking.istio.io/v1alpha2' };
    // WHEN / THEN
    expect(onlyErrorInEveryRelease(dr)).toContain('DestinationRule v1alpha2 is not defined; served versions: v1, v1alpha3, v1beta1');
  });

  test('a missing apiVersion is an error', () => {
    // GIVEN
    const cm = configMap();
    delete cm.apiVersion;
    // WHEN / THEN
    expect(onlyError(cm)).toContain('ConfigMap/mesh-settings: apiVersion and kind must be non-empty strings');
  });

  test('expectIstioNetworkingV1 rejects served-but-older networking versions, except kinds without v1', () => {
    // GIVEN a v1beta1 DestinationRule (valid for the API server) and a v1alpha3 EnvoyFilter (its only version)
    const old = { ...destinationRule(), apiVersion: 'networking.istio.io/v1beta1' };
    const envoyFilter = { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'ef' }, spec: {} };
    // WHEN / THEN
    expect(validateManifests([old, envoyFilter])).toEqual([]);
    expect(() => expectIstioNetworkingV1([destinationRule(), envoyFilter, deployment()])).not.toThrow();
    expect(() => expectIstioNetworkingV1([old])).toThrow('DestinationRule/echo-svc uses networking.istio.io/v1beta1');
  });
});

describe('metadata', () => {
  test('a missing metadata.name is reported', () => {
    // GIVEN
    const dr = destinationRule();
    delete dr.metadata.name;
    // WHEN / THEN
    expect(onlyError(dr)).toEqual('DestinationRule/<no name>: metadata.name: Required value (kubectl apply needs a name)');
  });

  test('an invalid metadata.name is reported', () => {
    // GIVEN
    const dr = destinationRule();
    dr.metadata.name = 'Foo_Bar';
    // WHEN / THEN
    expect(onlyError(dr)).toMatch(/^DestinationRule\/Foo_Bar: metadata\.name: Invalid value "Foo_Bar": a lowercase RFC 1123 subdomain must consist of/);
  });

  test('Service names must be DNS-1035 labels; dotted names are fine for other kinds', () => {
    // GIVEN
    const svc = service();
    svc.metadata.name = 'echo.svc';
    const cm = configMap();
    cm.metadata.name = 'mesh.settings';
    // WHEN / THEN
    expect(onlyError(svc)).toContain('Service/echo.svc: metadata.name: Invalid value "echo.svc": a DNS-1035 label');
    expect(validateManifest(cm)).toEqual([]);
  });

  test('label keys and values are checked', () => {
    // GIVEN
    const cm = configMap();
    cm.metadata.labels = { 'topology.istio.io/network': 'x'.repeat(64), 'bad key': 'ok' };
    // WHEN
    const errors = validateManifest(cm);
    // THEN
    expect(errors).toEqual([
      `ConfigMap/mesh-settings: metadata.labels["topology.istio.io/network"]: Invalid value "${'x'.repeat(64)}": must be no more than 63 characters`,
      expect.stringContaining('ConfigMap/mesh-settings: metadata.labels["bad key"]: Invalid value "bad key": invalid label key: name part must consist of'),
    ]);
  });

  test('a label value of the wrong type is a schema error', () => {
    // GIVEN
    const cm = configMap();
    cm.metadata.labels = { replicas: 3 };
    // WHEN / THEN
    expect(onlyError(cm)).toEqual('ConfigMap/mesh-settings: metadata.labels.replicas: must be string, got number 3');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// CEL
// ---------------------------------------------------------------------------------------------------------------

/** The parts of a raw schema node the sample generator looks at. */

describe('CEL rules', () => {
  const rules = istioCelRules();

  test('the Istio bundle has CEL rules to check', () => {
    expect(rules.length).toBeGreaterThanOrEqual(30);
    expect(rules.map(r => r.rule)).toContain("duration(self) >= duration('1ms')");
  });

  test.each(rules.map(r => [`${r.where} (${r.message})`, r]))('rule at %s compiles and evaluates with bound functions', (_name, r) => {
    // GIVEN the rule (parse + plan + every called function bound)
    expect(() => compileCelRule(r.rule)).not.toThrow();
    // WHEN evaluated on a minimal and a fully populated value of its schema node
    const results = [false, true].map(full => evaluateCelRule(r.rule, sampleOf(r.schema as SampleSchema, full, 'unix:///a'), r.schema));
    // THEN it yields booleans or data-dependent errors, never a missing function or overload
    for (const result of results) {
      if (typeof result === 'string') expect(result).not.toMatch(/unbound function|no matching overload|unsupported/);
    }
  });

  test('the Kubernetes URL library stand-in follows url.ParseRequestURI', () => {
    // GIVEN Istio's WasmPlugin url rule
    const rule = rules.find(r => r.rule.startsWith('isURL(self)') && r.rule.includes('"oci", "file"'));
    expect(rule).toBeDefined();
    const check = (url: string): boolean | string => evaluateCelRule(rule!.rule, url);
    // WHEN / THEN
    expect(check('oci://ghcr.io/istio-ecosystem/wasm-extensions/basic_auth:1.12.0')).toBe(true);
    expect(check('ghcr.io/istio-ecosystem/wasm-extensions/basic_auth:1.12.0')).toBe(true); // no scheme: retried with http://
    expect(check('file:///opt/filters/filter.wasm')).toBe(true);
    expect(check('ftp://example.com/filter.wasm')).toBe(false);
    expect(evaluateCelRule('url(self).getHostname() == "::1" && url(self).getPort() == "8443"', 'https://[::1]:8443/p')).toBe(true);
    expect(evaluateCelRule('isURL(self)', 'http://host:port/')).toBe(false);
  });

  test('integers are CEL ints and map keys iterate', () => {
    expect(evaluateCelRule('self.all(key, 0 < int(key) && int(key) <= 65535)', { 8080: {}, 70000: {} })).toBe(false);
    expect(evaluateCelRule('self + 1 == 81', 80, { type: 'integer' })).toBe(true);
    expect(evaluateCelRule('self + 1.0 == 81.5', 80.5, { type: 'number' })).toBe(true);
  });

  test('a rule calling an unknown function does not compile', () => {
    expect(() => compileCelRule('quantity(self).isGreaterThan(quantity("1"))')).toThrow('calls unsupported function(s): isGreaterThan, quantity');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// cdk8s integration
// ---------------------------------------------------------------------------------------------------------------

describe('synthValidated', () => {
  test('synthesizes a chart and returns its objects when they are valid', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    const { apiVersion, kind, metadata, spec } = destinationRule();
    new ApiObject(chart, 'dr', { apiVersion, kind, metadata, spec });
    const before = validatedObjectCount();
    // WHEN
    const objs = synthValidated(chart);
    // THEN
    expect(objs).toHaveLength(1);
    expect(objs[0].spec.trafficPolicy.outlierDetection.interval).toEqual('1s');
    expect(validatedObjectCount()).toEqual(before + 1);
  });

  test('throws listing every error', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    new ApiObject(chart, 'dr', { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'Bad_Name' }, spec: { hots: 'x' } });
    // WHEN / THEN
    expect(() => synthValidated(chart)).toThrow([
      '7 schema error(s) in 1 manifest(s):',
      ...ISTIO_RELEASES.flatMap(r => [
        `  - [istio ${r}] DestinationRule/Bad_Name: spec.host: Required value`,
        `  - [istio ${r}] DestinationRule/Bad_Name: spec.hots: unknown field "hots"`,
      ]),
      '  - DestinationRule/Bad_Name: metadata.name: Invalid value "Bad_Name": ',
    ].join('\n'));
  });

  test('expectValidManifests accepts a valid mixed set', () => {
    const objs = [destinationRule(), deployment(), service(), eastWestGateway(), virtualService(), istioOperator()];
    expect(() => expectValidManifests(objs)).not.toThrow();
  });
});
