// The typed validation API (ValidationError, Errors.isValidationError), unknown keys in props
// objects, and the warning channel (Warnings, mesh.warnings, strict, printed once at synth,
// listed in the traffic report).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import {
  CloudProvider, CrossNetworkGateway, EastWestGateway, Errors, GatewayExposure, LocalityFailoverRule, MultiClusterMesh,
  MultiClusterMeshProps, PerClusterSubsetRouting, TokenSource, Warnings,
} from '../src';
import { ValidationError } from '../src/errors';
import { errorOf, validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

const TWO_NETWORKS: MultiClusterMeshProps = {
  meshId: 'mesh1',
  clusters: [
    { name: 'gke', network: 'net-a', region: 'asia-northeast1', zones: ['asia-northeast1-a'], provider: CloudProvider.GKE },
    { name: 'onprem', network: 'net-b', region: 'tokyo-onprem', provider: CloudProvider.ON_PREM },
  ],
};

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('ValidationError and Errors.isValidationError', () => {
  test('a validation error carries construct path, construct, field, value, reason and what is valid', () => {
    const chart = new Chart(Testing.app(), 'c');
    const e = thrown(() => new LocalityFailoverRule(chart, 'echo', { host: 'echo.default.svc.cluster.local', failover: [{ from: 'a', to: 'a' }] }));
    expect(Errors.isValidationError(e)).toBe(true);
    if (!Errors.isValidationError(e)) return;
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ValidationError');
    expect(e.constructPath).toBe('c/echo');
    expect(e.construct).toBe('LocalityFailoverRule');
    expect(e.field).toBe('failover[0]');
    expect(e.value).toBe('{"from":"a","to":"a"}');
    expect(e.reason).toBe('locality lb failover settings must specify different regions');
    expect(e.valid).toBe('two different regions');
    expect(e.message).toBe(`[c/echo] LocalityFailoverRule.failover[0]: ${e.value} is invalid: ${e.reason}. Valid: ${e.valid}`);
  });

  test('bugs and other errors are not validation errors', () => {
    expect(Errors.isValidationError(new TypeError('x'))).toBe(false);
    expect(Errors.isValidationError(new Error('[a] B.c: 1 is invalid: looks like ours'))).toBe(false);
    expect(Errors.isValidationError(undefined)).toBe(false);
    expect(Errors.isValidationError(null)).toBe(false);
    expect(Errors.isValidationError('[a] B.c: 1 is invalid')).toBe(false);
  });

  test('an error thrown by another copy of the package is recognised (Symbol.for brand, not instanceof)', () => {
    let other: any;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require('../src/errors');
    });
    const { Errors: OtherErrors, ValidationError: OtherValidationError } = other;
    const foreign = new OtherValidationError({ constructPath: 'p', construct: 'C', field: 'f', value: '1', reason: 'r', message: 'm' });
    expect(foreign).not.toBeInstanceOf(ValidationError);
    expect(Errors.isValidationError(foreign)).toBe(true);
    const ours = thrown(() => new MultiClusterMesh(Testing.app(), 'mesh', { meshId: '', clusters: [] }));
    expect(OtherErrors.isValidationError(ours)).toBe(true);
  });

  test('values made by another copy of the package are recognised by their brand (GatewayExposure, GatewayDisruptionBudget, LocalityFailoverRule)', () => {
    let other: any;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require('../src');
    });
    expect(other.GatewayExposure).not.toBe(GatewayExposure);
    const chart = new Chart(Testing.app(), 'c');
    const gw = new EastWestGateway(chart, 'ew', {
      network: 'n', exposure: other.GatewayExposure.internal(other.CloudProvider.GKE), podDisruptionBudget: other.GatewayDisruptionBudget.minAvailable(1),
    });
    expect(gw.service.toJson().spec.type).toBe('LoadBalancer');
    const rule = new other.LocalityFailoverRule(chart, 'rule', { host: 'echo.default.svc.cluster.local' });
    expect(() => new PerClusterSubsetRouting(chart, 'route', { host: 'echo.default.svc.cluster.local', clusters: ['a'], destinationRule: rule })).not.toThrow();
    expect(errorOf(() => new PerClusterSubsetRouting(chart, 'route2', { host: 'echo.default.svc.cluster.local', clusters: ['a'], destinationRule: {} as any })))
      .toContain('PerClusterSubsetRouting.destinationRule: {} is invalid: must be a LocalityFailoverRule');
  });

  test('checks that run at synth (duplicate objects) throw a ValidationError too, not cdk8s\' string summary', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new LocalityFailoverRule(chart, 'one', { host: 'echo.default.svc.cluster.local' });
    new LocalityFailoverRule(chart, 'two', { host: 'echo.default.svc.cluster.local', name: 'other' });
    new ApiObject(chart, 'user', { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'echo' } });
    const e = thrown(() => app.synth());
    expect(Errors.isValidationError(e)).toBe(true);
    expect((e as Error).message).toContain('DestinationRule.metadata.name: "echo" is invalid: c/one/Resource already defines this DestinationRule');
  });
});

describe('unknown keys are refused in every props object, never ignored', () => {
  const chart = () => new Chart(Testing.app(), 'c');
  const host = 'echo.default.svc.cluster.local';

  test('a typo in construct props names the key, suggests the real one and lists the valid ones', () => {
    const message = errorOf(() => new LocalityFailoverRule(chart(), 'r', { host, outlierDetecton: {} } as any));
    expect(message).toContain('[c/r] LocalityFailoverRule.outlierDetecton: <an object> is invalid: unknown property "outlierDetecton" (did you mean "outlierDetection"?): it would be ignored');
    expect(message).toContain('Valid: the properties of LocalityFailoverRule: istioVersion, host, namespace, name, exportTo, enabled, failover, failoverPriority');
  });

  test('nested objects: outlierDetection, connectionPool, failover and distribute entries, subsets', () => {
    expect(errorOf(() => new LocalityFailoverRule(chart(), 'r', { host, outlierDetection: { consecutiveErrors: 1 } as any })))
      .toContain('LocalityFailoverRule.outlierDetection.consecutiveErrors: <a number> is invalid: unknown property "consecutiveErrors"');
    expect(errorOf(() => new LocalityFailoverRule(chart(), 'r', { host, connectionPool: { maxConnection: 1 } as any })))
      .toContain('LocalityFailoverRule.connectionPool.maxConnection: <a number> is invalid: unknown property "maxConnection" (did you mean "maxConnections"?)');
    expect(errorOf(() => new LocalityFailoverRule(chart(), 'r', { host, failover: [{ from: 'a', to: 'b', weight: 1 } as any] })))
      .toContain('LocalityFailoverRule.failover[0].weight: <a number> is invalid: unknown property "weight"');
    expect(errorOf(() => new LocalityFailoverRule(chart(), 'r', { host, distribute: [{ from: 'a/*', too: { 'b/*': 100 } } as any] })))
      .toContain('LocalityFailoverRule.distribute[0].too: <an object> is invalid: unknown property "too" (did you mean "to"?)');
    const rule = new LocalityFailoverRule(chart(), 'r', { host });
    expect(errorOf(() => rule.addSubset({ name: 'v1', labels: {}, label: {} } as any))).toContain('LocalityFailoverRule.subsets[0].label: <an object> is invalid: unknown property "label"');
  });

  test('mesh intents: failover({ distribute }) and distribute({ failoverPriority }) are refused, not half-applied', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
    const svc = mesh.addService({ name: 'echo', clusters: ['gke', 'onprem'] });
    expect(errorOf(() => svc.failover({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 100 } }] } as any)))
      .toContain('MeshService.addService("echo").failover.distribute: <a list of 1> is invalid: unknown property "distribute"');
    expect(errorOf(() => svc.distribute({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 100 } }], failoverPriority: ['x'] } as any)))
      .toContain('MeshService.addService("echo").distribute.failoverPriority: <a list of 1> is invalid: unknown property "failoverPriority"');
    expect(errorOf(() => svc.routePerCluster({ fallback: true } as any))).toContain('routePerCluster.fallback: <a boolean> is invalid: unknown property "fallback"');
  });

  test('mesh, cluster, service, registration, gateway and exposure props', () => {
    expect(errorOf(() => new MultiClusterMesh(Testing.app(), 'm', { ...TWO_NETWORKS, meshID: 'x' } as any)))
      .toContain('MultiClusterMesh.meshID: <a string of 1 character, not shown> is invalid: unknown property "meshID" (did you mean "meshId"?)');
    expect(errorOf(() => new MultiClusterMesh(Testing.app(), 'm', { ...TWO_NETWORKS, clusters: [{ ...TWO_NETWORKS.clusters[0], zone: 'a' }] } as any)))
      .toContain('MultiClusterMesh.clusters[0].zone: <a string of 1 character, not shown> is invalid: unknown property "zone" (did you mean "zones"?)');
    const mesh = new MultiClusterMesh(Testing.app(), 'm', TWO_NETWORKS);
    expect(errorOf(() => mesh.addService({ name: 'echo', clusters: ['gke'], replica: 2 } as any))).toContain('addService[0].replica: <a number> is invalid: unknown property "replica" (did you mean "replicas"?)');
    expect(errorOf(() => mesh.explain(mesh.addService({ name: 'echo', clusters: ['gke'] }), { from: 'gke', healty: {} } as any)))
      .toContain('MultiClusterMesh.explain.query.healty: <an object> is invalid: unknown property "healty" (did you mean "healthy"?)');
    expect(errorOf(() => new EastWestGateway(chart(), 'ew', { network: 'n', provider: CloudProvider.GKE, replicas: 3 } as any)))
      .toContain('EastWestGateway.replicas: <a number> is invalid: unknown property "replicas"');
    expect(errorOf(() => GatewayExposure.internal(CloudProvider.GKE, { sourceRanges: ['10.0.0.0/8'] } as any)))
      .toContain('GatewayExposure.options.sourceRanges: <a list of 1> is invalid: unknown property "sourceRanges"');
  });

  test('a revision longer than 56 characters is refused: istiod-<revision> would not be a valid Service name', () => {
    const ok = 'r'.repeat(56);
    expect(() => new MultiClusterMesh(Testing.app(), 'm', { ...TWO_NETWORKS, revision: ok })).not.toThrow();
    expect(errorOf(() => new MultiClusterMesh(Testing.app(), 'm', { ...TWO_NETWORKS, revision: ok + 'r' })))
      .toContain('MultiClusterMesh.revision: "' + ok + 'r" is invalid: longer than 56 characters: the istiod Service istiod-<revision> would exceed');
  });

  test('an unknown key\'s value is described, never shown: a mistyped registration key may hold a token', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.SECRET-TOKEN-VALUE';
    const message = errorOf(() => new MultiClusterMesh(Testing.app(), 'm', {
      ...TWO_NETWORKS,
      clusters: [{ ...TWO_NETWORKS.clusters[0], registration: { server: 'https://10.0.0.1', certificateAuthorityData: 'Q0E=', tokn: token } as any }, TWO_NETWORKS.clusters[1]],
    }));
    expect(message).toContain('MultiClusterMesh.clusters[0].registration.tokn: <a string of 39 characters, not shown> is invalid: unknown property "tokn" (did you mean "token"?)');
    expect(message).not.toContain('SECRET');
  });

  test('mistakes made through the mesh name the mesh\'s intent or cluster, not the rule or secret it builds', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', { ...TWO_NETWORKS, exposedHosts: ['*.default.svc.cluster.local'] });
    const svc = mesh.addService({ name: 'echo', clusters: ['gke', 'onprem'] });
    const e = validationErrorOf(() => svc.failover({ outlierDetection: { consecutive5xxErrors: 0 } }));
    expect([e.constructPath, e.construct, e.field]).toEqual(['mesh', 'MeshService', 'addService("echo").failover.outlierDetection.consecutive5xxErrors']);
    expect(e.message).toContain('[mesh] MeshService.addService("echo").failover.outlierDetection.consecutive5xxErrors: 0 is invalid: Istio accepts it');
    const registration = (server: string) => ({ server, certificateAuthorityData: 'not base64!', token: TokenSource.fromEnv('X') });
    const bad = validationErrorOf(() => new MultiClusterMesh(Testing.app(), 'm2', {
      meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r', registration: registration('https://10.0.0.1') }, { name: 'b', network: 'n', region: 'r', registration: registration('https://10.0.0.2') }],
    }));
    expect([bad.constructPath, bad.construct, bad.field]).toEqual(['m2', 'MultiClusterMesh', 'clusters[0].registration.certificateAuthorityData']);
  });

  test('a key set to undefined counts as absent (spread defaults from JavaScript)', () => {
    expect(() => new LocalityFailoverRule(chart(), 'r', { host, failover: undefined, somethingElse: undefined } as any)).not.toThrow();
  });
});

describe('warnings: valid for Istio, almost certainly wrong', () => {
  function captureStderr(fn: () => void): string {
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      fn();
      return spy.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      spy.mockRestore();
    }
  }

  test('a zone of another region (GKE form) is a warning, listed on the mesh and in the traffic report', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', {
      meshId: 'm',
      clusters: [{ name: 'a', network: 'n', region: 'asia-northeast1', zones: ['asia-northeast2-a'] }],
    });
    expect(mesh.warnings.map((w) => w.message)).toEqual([
      '[mesh] MultiClusterMesh.clusters[0].zones[0]: "asia-northeast2-a": the zone follows the cloud form of region "asia-northeast2", not of the cluster\'s region "asia-northeast1": '
      + 'nodes carry a zone of their own region, so no endpoint would be in this locality. Suggestion: a zone of "asia-northeast1", or the cluster\'s real region',
    ]);
    expect(mesh.warnings[0]).toMatchObject({ constructPath: 'mesh', construct: 'MultiClusterMesh', field: 'clusters[0].zones[0]', value: '"asia-northeast2-a"' });
    expect(mesh.trafficReport('a')).toContain('## Warnings\n\n- [mesh] MultiClusterMesh.clusters[0].zones[0]: "asia-northeast2-a"');
  });

  test.each([
    ['EKS form, other region', 'us-east-1', 'us-west-2a', 1],
    ['EKS form, own region', 'us-east-1', 'us-east-1a', 0],
    ['GKE form, own region', 'europe-west4', 'europe-west4-b', 0],
    ['on-prem names', 'tokyo-onprem', 'rack-1', 0],
    ['Azure zones', 'eastus', '1', 0],
  ])('zone check: %s', (_name, region, zone, count) => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region, zones: [zone] }] });
    expect(mesh.warnings).toHaveLength(count);
  });

  test('strict turns the warning into a ValidationError at the line that declares it', () => {
    const message = errorOf(() => new MultiClusterMesh(Testing.app(), 'mesh', {
      meshId: 'm', strict: true, clusters: [{ name: 'a', network: 'n', region: 'us-east-1', zones: ['us-west-2a'] }],
    }));
    expect(message).toContain('MultiClusterMesh.clusters[0].zones[0]: "us-west-2a" is invalid: the zone follows the cloud form of region "us-west-2"');
    expect(message).toContain('(a warning, an error because strict mode is on)');
  });

  test('a cross-network gateway exposing *.local warns in every cluster; exposedHosts narrows every gateway and silences it', () => {
    const wide = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
    expect(wide.warnings.map((w) => `${w.constructPath} ${w.field} ${w.value}`)).toEqual([
      'gke/cross-network hosts (default) "*.local"',
      'onprem/cross-network hosts (default) "*.local"',
    ]);
    expect(wide.warnings[0].suggestion).toContain('MultiClusterMesh: exposedHosts');
    expect(wide.trafficReport('gke')).toContain('- [gke/cross-network] CrossNetworkGateway.hosts (default): "*.local": every service of every namespace is reachable');
    expect(wide.trafficReport('gke')).not.toContain('[onprem/cross-network]');

    const narrow = new MultiClusterMesh(Testing.app(), 'mesh', { ...TWO_NETWORKS, exposedHosts: ['*.shop.svc.cluster.local'] });
    narrow.addService({ name: 'cart', namespace: 'shop', clusters: ['gke', 'onprem'] }).failover();
    expect(narrow.warnings).toEqual([]);
    for (const c of narrow.clusterNames) {
      const gw = synthValidated(narrow.cluster(c)).find((o) => o.kind === 'Gateway');
      expect(gw.spec.servers[0].hosts).toEqual(['*.shop.svc.cluster.local']);
    }
  });

  test.each([['*'], ['*.local'], ['*.cluster.local'], ['*.svc.cluster.local']])('CrossNetworkGateway host %s exposes every namespace: warning', (h) => {
    const chart = new Chart(Testing.app(), 'c');
    const gateway = new EastWestGateway(chart, 'ew', { network: 'n', provider: CloudProvider.GKE });
    new CrossNetworkGateway(chart, 'x', { gateway, hosts: [h] });
    expect(Warnings.of(chart).map((w) => w.field)).toEqual(['hosts']);
  });

  test('CrossNetworkGateway exposing one namespace: no warning', () => {
    const chart = new Chart(Testing.app(), 'c');
    const gateway = new EastWestGateway(chart, 'ew', { network: 'n', provider: CloudProvider.GKE });
    new CrossNetworkGateway(chart, 'x', { gateway, exposedNamespaces: ['shop'] });
    expect(Warnings.of(chart)).toEqual([]);
  });

  test('exposedHosts must cover every service called across networks (a ValidationError at synth); a kept-local service need not be', () => {
    const app = Testing.app();
    const mesh = new MultiClusterMesh(app, 'mesh', { ...TWO_NETWORKS, exposedHosts: ['*.shop.svc.cluster.local'] });
    mesh.addService({ name: 'echo', clusters: ['gke'] }).failover();
    const message = errorOf(() => app.synth());
    expect(message).toContain('MultiClusterMesh.exposedHosts: ["*.shop.svc.cluster.local"] is invalid: no entry covers "echo.default.svc.cluster.local", which clients on other networks call '
      + '(addService("echo")): the cross-network-gateway would not accept its SNI, so those requests fail');
    expect(message).toContain('Valid: add "echo.default.svc.cluster.local" or a wildcard such as "*.default.svc.cluster.local"');

    const local = new MultiClusterMesh(Testing.app(), 'mesh', { ...TWO_NETWORKS, exposedHosts: ['*.shop.svc.cluster.local'] });
    local.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).keepLocal();
    expect(() => Testing.synth(local.cluster('gke'))).not.toThrow();
    expect(errorOf(() => new MultiClusterMesh(Testing.app(), 'mesh', { ...TWO_NETWORKS, exposedHosts: [] }))).toContain('MultiClusterMesh.exposedHosts: [] is invalid: an empty list would expose nothing');
  });

  test('failover with Envoy\'s default maxEjectionPercent and fewer than 10 hosts in a client\'s view warns; maxEjectionPercent: 100 does not', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', { ...TWO_NETWORKS, exposedHosts: ['*.default.svc.cluster.local'] });
    mesh.addService({ name: 'echo', clusters: ['gke', 'onprem'], replicas: { gke: 3, onprem: 3 } })
      .failover({ outlierDetection: { consecutive5xxErrors: 1, interval: Duration.seconds(1) } });
    // gke's client sees its 3 pods + 1 gateway host for onprem's network (and vice versa)
    expect(mesh.warnings.map((w) => w.message)).toEqual([
      '[mesh] MeshService.addService("echo").failover.outlierDetection.maxEjectionPercent: undefined: Envoy\'s default of 10% ejects no host out of fewer than 10, '
      + 'and clients see 4 in gke, 4 in onprem: failing pods are never ejected, so they never fail over. Suggestion: maxEjectionPercent: 100 (as LocalityFailoverRule.DEFAULT_OUTLIER_DETECTION does)',
    ]);

    const fine = new MultiClusterMesh(Testing.app(), 'mesh', { ...TWO_NETWORKS, exposedHosts: ['*.default.svc.cluster.local'] });
    fine.addService({ name: 'echo', clusters: ['gke', 'onprem'], replicas: { gke: 3, onprem: 3 } })
      .failover({ outlierDetection: { consecutive5xxErrors: 1, maxEjectionPercent: 100 } });
    fine.addService({ name: 'big', clusters: ['gke'], clients: ['gke'], replicas: { gke: 12 } }).failover({ outlierDetection: { consecutive5xxErrors: 1 } });
    expect(fine.warnings).toEqual([]);
  });

  test('printed once to stderr when the App synthesizes, however many charts cdk8s validates', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'warnings-'));
    const app = new App({ outdir });
    new MultiClusterMesh(app, 'mesh', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'asia-northeast1', zones: ['asia-northeast2-a'] }, { name: 'b', network: 'n', region: 'asia-northeast1' }] });
    const stderr = captureStderr(() => app.synth());
    expect(stderr.match(/\[WARNING\]/g)).toHaveLength(1);
    expect(stderr).toContain('[WARNING] [mesh] MultiClusterMesh.clusters[0].zones[0]: "asia-northeast2-a"');
    expect(captureStderr(() => app.synth())).toBe('');
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('Warnings.STRICT_CONTEXT on the App makes standalone constructs strict too', () => {
    const app = Testing.app();
    app.node.setContext(Warnings.STRICT_CONTEXT, true);
    const chart = new Chart(app, 'c');
    const gateway = new EastWestGateway(chart, 'ew', { network: 'n', provider: CloudProvider.GKE });
    expect(errorOf(() => new CrossNetworkGateway(chart, 'x', { gateway }))).toContain('CrossNetworkGateway.hosts (default): "*.local" is invalid: every service of every namespace');
  });

  test('the nodePort exposure example stays warning-free with sourceRanges', () => {
    const chart = new Chart(Testing.app(), 'c');
    const gateway = new EastWestGateway(chart, 'ew', { network: 'n', exposure: GatewayExposure.nodePort({ sourceRanges: ['10.0.0.0/8'] }) });
    new CrossNetworkGateway(chart, 'x', { gateway, exposedNamespaces: ['default'] });
    expect(Warnings.of(chart)).toEqual([]);
  });
});
