/**
 * `MeshService.trafficDistribution`, the Service objects it patches, and the Istio/Kubernetes
 * release gates (`istioVersion`, `kubernetesVersion`).
 */
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  CloudProvider, Errors, IstioVersion, KubernetesVersion, LocalitySettingSource, MultiClusterMesh, MultiClusterMeshProps,
  TrafficDistribution, Warnings,
} from '../src';
import { validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

const PROPS: MultiClusterMeshProps = {
  meshId: 'mesh1',
  clusters: [
    { name: 'east', network: 'net', region: 'us-east1', zones: ['us-east1-b', 'us-east1-c'], provider: CloudProvider.GKE },
    { name: 'west', network: 'net', region: 'us-west1', zones: ['us-west1-a'], provider: CloudProvider.GKE },
  ],
};

/** A mesh and one app chart per cluster, each with the app's Service `echo` in `default`. */
function setup(props: Partial<MultiClusterMeshProps> = {}) {
  const app = Testing.app();
  const mesh = new MultiClusterMesh(app, 'mesh', { ...PROPS, ...props });
  const eastApps = new Chart(app, 'east-apps', { namespace: 'default' });
  const westApps = new Chart(app, 'west-apps', { namespace: 'default' });
  // cdk8s-plus in one cluster, a raw ApiObject in the other
  const east = new kplus.Service(eastApps, 'echo', { metadata: { name: 'echo' }, ports: [{ port: 80 }], selector: kplus.Pods.select(eastApps, 'p', { labels: { app: 'echo' } }) });
  const west = new ApiObject(westApps, 'echo', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo' }, spec: { ports: [{ port: 80 }], selector: { app: 'echo' } } });
  return { app, mesh, eastApps, westApps, east, west };
}

function serviceOf(chart: Chart): any {
  return synthValidated(chart).find((o) => o.kind === 'Service' && o.metadata.name === 'echo');
}

describe('trafficDistribution on the app\'s Service objects', () => {
  test('Kubernetes 1.32 (default): PREFER_SAME_ZONE is written as spec.trafficDistribution PreferClose, which Kubernetes and Istio read the same', () => {
    const { mesh, eastApps, westApps, east, west } = setup();
    const svc = mesh.addService({ name: 'echo', clusters: ['east', 'west'], kubernetesServices: { east, west } });
    svc.trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);
    for (const chart of [eastApps, westApps]) {
      const s = serviceOf(chart);
      expect(s.spec.trafficDistribution).toBe('PreferClose');
      expect(s.metadata.annotations?.['networking.istio.io/traffic-distribution']).toBeUndefined();
      // the rest of the user's Service is untouched
      expect(s.spec.ports[0].port).toBe(80);
    }
    // the mesh's own charts hold no Service named echo
    for (const c of mesh.clusterNames) expect(synthValidated(mesh.cluster(c)).filter((o) => o.kind === 'Service' && o.metadata.name === 'echo')).toEqual([]);
  });

  test('Kubernetes 1.34: the value itself', () => {
    const { mesh, westApps, west } = setup({ kubernetesVersion: KubernetesVersion.V1_34 });
    mesh.addService({ name: 'echo', clusters: ['west'], kubernetesServices: { west } }).trafficDistribution(TrafficDistribution.PREFER_SAME_NODE);
    expect(serviceOf(westApps).spec.trafficDistribution).toBe('PreferSameNode');
  });

  test('PREFER_SAME_NODE below Kubernetes 1.34, or anything below 1.31: Istio\'s annotation (only Istio reads it)', () => {
    const { mesh, westApps, west } = setup();
    mesh.addService({ name: 'echo', clusters: ['west'], kubernetesServices: { west } }).trafficDistribution(TrafficDistribution.PREFER_SAME_NODE);
    const s = serviceOf(westApps);
    expect(s.spec.trafficDistribution).toBeUndefined();
    expect(s.metadata.annotations['networking.istio.io/traffic-distribution']).toBe('PreferSameNode');

    const old = setup({ kubernetesVersion: KubernetesVersion.of('1.30') });
    old.mesh.addService({ name: 'echo', clusters: ['east'], kubernetesServices: { east: old.east } }).trafficDistribution(TrafficDistribution.PREFER_CLOSE);
    expect(serviceOf(old.eastApps).metadata.annotations['networking.istio.io/traffic-distribution']).toBe('PreferClose');
  });

  test('a Service that already says something else is refused, and so is a later change', () => {
    const { mesh, west } = setup();
    west.addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferSameNode'));
    const e = validationErrorOf(() => mesh.addService({ name: 'echo', clusters: ['west'], kubernetesServices: { west } }).trafficDistribution(TrafficDistribution.PREFER_CLOSE));
    expect(e.field).toBe('addService("echo").trafficDistribution (kubernetesServices["west"])');
    expect(e.reason).toContain('already sets another traffic distribution: its spec.trafficDistribution is "PreferSameNode"');

    const later = setup();
    later.mesh.addService({ name: 'echo', clusters: ['west'], kubernetesServices: { west: later.west } }).trafficDistribution(TrafficDistribution.PREFER_CLOSE);
    later.west.addJsonPatch(JsonPatch.replace('/spec/trafficDistribution', 'PreferSameNode'));
    const e2 = validationErrorOf(() => later.app.synth());
    expect(e2.reason).toContain('was changed after the mesh set its traffic distribution');
  });

  test('objects must be the Service of the mesh service, in one of its clusters', () => {
    const { mesh, east, eastApps } = setup();
    const other = new ApiObject(eastApps, 'other', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other' } });
    let e = validationErrorOf(() => mesh.addService({ name: 'echo', clusters: ['east'], kubernetesServices: { east: other } }));
    expect(e.reason).toBe('is the Service of "other.default.svc.cluster.local", not of "echo.default.svc.cluster.local"');
    const cm = new ApiObject(eastApps, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'echo' } });
    e = validationErrorOf(() => mesh.addService({ name: 'echo2', clusters: ['east'], kubernetesServices: { east: cm } }));
    expect(e.reason).toBe('is not a Kubernetes Service object');
    e = validationErrorOf(() => mesh.addService({ name: 'echo3', clusters: ['east'], kubernetesServices: { west: east } }));
    expect(e.field).toBe('addService("echo3").kubernetesServices["west"]');
  });

  test('without Service objects nothing is emitted and the traffic report says what to set', () => {
    const { mesh } = setup();
    mesh.addService({ name: 'echo', clusters: ['east', 'west'] }).trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);
    const report = mesh.trafficReport('east');
    expect(report).toContain('## To set on your Services');
    expect(report).toContain('- Service echo in namespace default, clusters east, west: set spec.trafficDistribution: PreferClose (Kubernetes 1.32; no object was given in kubernetesServices)');
    expect(report).toContain('Service trafficDistribution PreferSameZone → forced failoverPriority');
    // it fails over on readiness, so the report shows that scenario; pods failing while Ready are not seen
    expect(report).toMatch(/\| east not Ready \(local\) \| west 100%/);
    expect(report).toMatch(/\| east down \(local\) \| east 100% \| errors 100%/);
  });

  test('explain through the mesh: the client\'s zone first, and the result names the deciding setting', () => {
    const { mesh } = setup();
    const svc = mesh.addService({ name: 'echo', clusters: ['east', 'west'], replicas: { east: 2, west: 2 } });
    svc.trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);
    const r = mesh.explain(svc, { from: 'east', zone: 'us-east1-c' });
    expect(r.localitySetting).toBe(LocalitySettingSource.TRAFFIC_DISTRIBUTION);
    expect(r.istioVersion).toBe('1.31');
    expect(r.priorities[0].localities.map((l) => l.zone)).toEqual(['us-east1-c']);
    expect(r.priorities[0].loadPercent).toBe(100);
  });
});

describe('what the review found', () => {
  test('a cdk8s-plus-27 Service (generated before the field existed) drops spec.trafficDistribution: the annotation is used, with a warning', () => {
    const app = Testing.app();
    const mesh = new MultiClusterMesh(app, 'mesh', { ...PROPS, kubernetesVersion: KubernetesVersion.V1_34 });
    const apps = new Chart(app, 'apps', { namespace: 'default' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kplus27 = require('cdk8s-plus-27');
    const svc = new kplus27.Service(apps, 'echo', { metadata: { name: 'echo' }, ports: [{ port: 80 }] });
    mesh.addService({ name: 'echo', clusters: ['east'], kubernetesServices: { east: svc } }).trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);
    const s = serviceOf(apps);
    expect(s.spec.trafficDistribution).toBeUndefined();
    expect(s.metadata.annotations['networking.istio.io/traffic-distribution']).toBe('PreferSameZone');
    expect(Warnings.of(mesh).map((w) => w.reason).join('\n')).toContain('drops spec.trafficDistribution');
    app.synth();
  });

  test('client-only clusters: their Service object may be given (their istiod reads it first) and the report lists them', () => {
    const { mesh, west } = setup();
    const svc = mesh.addService({ name: 'echo', clusters: ['east'], kubernetesServices: { west } });
    svc.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
    expect(mesh.trafficReport('west')).toContain('- Service echo in namespace default, clusters east: set spec.trafficDistribution: PreferClose');
  });

  test('equivalent values are no conflict: PreferClose vs PreferSameZone, the annotation in lower case', () => {
    const { mesh, west } = setup({ kubernetesVersion: KubernetesVersion.V1_34 });
    west.addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferClose'));
    west.metadata.addAnnotation('networking.istio.io/traffic-distribution', 'preferclose');
    mesh.addService({ name: 'echo', clusters: ['west'], kubernetesServices: { west } }).trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);
  });

  test('a remote network whose endpoints are all not Ready: the gateway still takes the traffic and the remote gateway answers 503 (no NaN)', () => {
    const { mesh } = setup({
      clusters: [
        { name: 'east', network: 'net-a', region: 'us-east1', zones: ['us-east1-b'], provider: CloudProvider.GKE },
        { name: 'west', network: 'net-b', region: 'us-west1', zones: ['us-west1-a'], provider: CloudProvider.GKE },
      ],
    });
    const web = mesh.addService({ name: 'web', clusters: ['east', 'west'] });
    web.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
    const r = mesh.explain(web, { from: 'west', notReady: { west: 1, east: 1 } });
    expect(r.failedPercent).toBe(100);
    expect(r.clusters.find((c) => c.cluster === 'east')).toEqual({ cluster: 'east', percent: 100, failedPercent: 100, viaGateway: true });
  });

  test('drained and not-Ready together cannot exceed the endpoints', () => {
    const { mesh } = setup();
    const svc = mesh.addService({ name: 'echo', clusters: ['east'], replicas: { east: 2 } });
    const e = validationErrorOf(() => mesh.explain(svc, { from: 'east', drained: { east: 2 }, notReady: { east: 2 } }));
    expect(e.reason).toBe('with 2 drained, the service has only 0 endpoint(s) left in east');
  });
});

describe('combinations', () => {
  test('with failover() or distribute() for the same host it would never apply: refused in either order', () => {
    const { mesh } = setup();
    const a = mesh.addService({ name: 'a', clusters: ['east'] });
    a.failover();
    let e = validationErrorOf(() => a.trafficDistribution(TrafficDistribution.PREFER_CLOSE));
    expect(e.reason).toContain('whose DestinationRule localityLbSetting overrides the Service\'s traffic distribution');
    const b = mesh.addService({ name: 'b', clusters: ['east'] });
    b.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
    e = validationErrorOf(() => b.distribute({ distribute: [{ from: 'us-east1/*', to: { 'us-east1/*': 100 } }] }));
    expect(e.field).toBe('addService("b").distribute');
    expect(e.reason).toContain('would override it (GetEffectiveLbSetting)');
  });

  test('keepLocal or routePerCluster only narrow it: a warning (an error in strict mode)', () => {
    const { mesh } = setup();
    const svc = mesh.addService({ name: 'echo', clusters: ['east', 'west'] });
    svc.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
    svc.routePerCluster();
    expect(Warnings.of(mesh).map((w) => w.reason)).toContain('the service has trafficDistribution(PreferClose), which then only ranks zones inside each client\'s own cluster and never fails over to another');

    const strict = setup({ strict: true });
    const s2 = strict.mesh.addService({ name: 'echo', clusters: ['east', 'west'] });
    s2.keepLocal();
    expect(Errors.isValidationError(validationErrorOf(() => s2.trafficDistribution(TrafficDistribution.PREFER_CLOSE)))).toBe(true);
  });

  test('declared twice, or an unknown value: refused', () => {
    const { mesh } = setup();
    const svc = mesh.addService({ name: 'echo', clusters: ['east'] });
    expect(validationErrorOf(() => svc.trafficDistribution('Nearby' as TrafficDistribution)).valid).toBe('TrafficDistribution.PREFER_CLOSE, PREFER_SAME_ZONE or PREFER_SAME_NODE');
    svc.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
    expect(validationErrorOf(() => svc.trafficDistribution(TrafficDistribution.PREFER_CLOSE)).reason).toBe('already declared (PreferClose)');
  });
});

describe('istioVersion', () => {
  test('traffic distribution needs Istio 1.25 (sidecars), PreferSameNode 1.27; before 1.27 PreferSameZone is written as PreferClose', () => {
    const old = setup({ istioVersion: IstioVersion.of('1.24') });
    let e = validationErrorOf(() => old.mesh.addService({ name: 'echo', clusters: ['east'] }).trafficDistribution(TrafficDistribution.PREFER_CLOSE));
    expect(e.reason).toBe('Service traffic distribution in sidecars needs Istio 1.25 (istio/istio#54715); the target is Istio 1.24');
    const mid = setup({ istioVersion: IstioVersion.of('1.26.4'), kubernetesVersion: KubernetesVersion.V1_34 });
    e = validationErrorOf(() => mid.mesh.addService({ name: 'echo', clusters: ['east'] }).trafficDistribution(TrafficDistribution.PREFER_SAME_NODE));
    expect(e.reason).toBe('PreferSameNode needs Istio 1.27 (istio/istio#56042); the target is Istio 1.26');
    // Istio 1.26 knows only PreferClose (and ranks the sub-zone with it: GetLocalityLbSetting)
    mid.mesh.addService({ name: 'echo2', clusters: ['east'] });
    mid.mesh.services[1].trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);
    const linked = setup({ istioVersion: IstioVersion.of('1.26'), kubernetesVersion: KubernetesVersion.V1_34 });
    linked.mesh.addService({ name: 'echo', clusters: ['east'], kubernetesServices: { east: linked.east } }).trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);
    expect(serviceOf(linked.eastApps).spec.trafficDistribution).toBe('PreferClose');
    const r = mid.mesh.explain(mid.mesh.services[1], { from: 'east' });
    expect(r.reasons.join('\n')).toContain('forced failoverPriority [topology.istio.io/network, topology.kubernetes.io/region, topology.kubernetes.io/zone, topology.istio.io/subzone]');
    expect(Warnings.of(mid.mesh).map((w) => w.reason)[0]).toContain('Istio 1.26 is older than the releases this library models (1.29–1.31)');
    // said once, by the mesh, not again by every rule and gateway it creates with that release
    expect(mid.mesh.warnings.filter((w) => w.reason.startsWith('Istio 1.26 is older'))).toHaveLength(1);
  });

  test('releases before 1.22 (no networking.istio.io/v1) are refused; newer than 1.31 are modelled as 1.31 with a warning', () => {
    const e = validationErrorOf(() => IstioVersion.of('1.21.6'));
    expect(e.message).toBe('[IstioVersion.of] IstioVersion.version: "1.21.6" is invalid: Istio 1.21.6 does not serve networking.istio.io/v1 (served from 1.22), which every object of this library uses. '
      + 'Valid: Istio 1.22 or newer (IstioVersion.V1_29, V1_30, V1_31); upgrade Istio first');
    expect(validationErrorOf(() => IstioVersion.of('2')).valid).toBe('"major.minor" or "major.minor.patch" (a "-suffix" is allowed), e.g. "1.30"');
    expect(IstioVersion.of('1.31.0-rc.0').version).toBe('1.31');
    expect(IstioVersion.of('1.23.2-asm.2').version).toBe('1.23');
    expect(Errors.isValidationError(validationErrorOf(() => IstioVersion.of('1.099')))).toBe(true);
    const { mesh } = setup({ istioVersion: IstioVersion.of('1.33') });
    expect(Warnings.of(mesh).map((w) => w.reason)).toEqual(['Istio 1.33 is newer than the newest release this library models (1.31): validation and explain follow 1.31']);
  });

  test('the mesh\'s release reaches explain: 1.30 keeps not-Ready endpoints out, 1.31 counts them', () => {
    const props = {
      clusters: [
        { name: 'east', network: 'net', region: 'us-east1', provider: CloudProvider.GKE },
        { name: 'west', network: 'net', region: 'us-west1', provider: CloudProvider.GKE },
      ],
    };
    for (const [version, local] of [[IstioVersion.V1_30, 100], [IstioVersion.V1_31, 46]] as const) {
      const { mesh } = setup({ ...props, istioVersion: version });
      const svc = mesh.addService({ name: 'echo', clusters: ['east', 'west'], replicas: { east: 3, west: 3 } });
      svc.failover();
      expect(mesh.explain(svc, { from: 'east', notReady: { east: 2 } }).clusters.find((c) => c.cluster === 'east')!.percent).toBeCloseTo(local);
    }
  });

  test('a string instead of an IstioVersion is refused with the factory to use', () => {
    const e = validationErrorOf(() => setup({ istioVersion: '1.30' as unknown as IstioVersion }));
    expect(e.field).toBe('istioVersion');
    expect(e.valid).toBe('IstioVersion.V1_29, V1_30, V1_31 or IstioVersion.of("1.MINOR")');
  });
});

describe('sub-zones in the mesh', () => {
  test('declared sub-zones are valid localities and reach explain', () => {
    const { mesh } = setup({
      clusters: [
        { name: 'east', network: 'net', region: 'us-east1', zones: ['us-east1-b'], subzones: { 'us-east1-b': ['rack-1', 'rack-2'] }, provider: CloudProvider.GKE },
        { name: 'west', network: 'net', region: 'us-west1', zones: ['us-west1-a'], provider: CloudProvider.GKE },
      ],
    });
    const svc = mesh.addService({ name: 'echo', clusters: ['east'], replicas: { east: 2 } });
    svc.distribute({ distribute: [{ from: 'us-east1/*', to: { 'us-east1/us-east1-b/rack-1': 75, 'us-east1/us-east1-b/rack-2': 25 } }] });
    const r = mesh.explain(svc, { from: 'east' });
    expect(r.clientLocality).toBe('us-east1/us-east1-b/rack-1');
    expect(r.priorities[0].localities.map((l) => [l.subzone, l.trafficPercent])).toEqual([['rack-1', 75], ['rack-2', 25]]);
    const e = validationErrorOf(() => setup({ clusters: [{ ...PROPS.clusters[0], subzones: { 'us-east1-z': ['rack-1'] } }] }));
    expect(e.field).toBe('clusters[0].subzones["us-east1-z"]');
    const other = mesh.addService({ name: 'other', clusters: ['east'] });
    const e2 = validationErrorOf(() => other.failover({ failoverPriority: ['topology.istio.io/subzone=rack-9'] }));
    expect(e2.valid).toBe('one of "topology.istio.io/subzone=rack-1", "topology.istio.io/subzone=rack-2"');
    other.failover({ failoverPriority: ['topology.istio.io/subzone=rack-2'] });
  });
});

describe('intents on a Service istiod does not load-balance', () => {
  test('a headless Service warns for trafficDistribution, failover and routePerCluster; an ExternalName one too; a ClusterIP one does not', () => {
    const { mesh, westApps } = setup();
    const service = (name: string, spec: object) => new ApiObject(westApps, name, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });
    const headless = mesh.addService({ name: 'db', clusters: ['west'], kubernetesServices: { west: service('db', { clusterIP: 'None', selector: { app: 'db' } }) } });
    headless.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
    const routed = mesh.addService({ name: 'cache', clusters: ['east', 'west'], kubernetesServices: { west: service('cache', { clusterIP: 'None' }) } });
    routed.failover();
    routed.routePerCluster();
    mesh.addService({ name: 'ext', clusters: ['west'], kubernetesServices: { west: service('ext', { type: 'ExternalName', externalName: 'db.example.com' }) } }).failover();
    mesh.addService({ name: 'plain', clusters: ['west'], kubernetesServices: { west: service('plain', { selector: { app: 'plain' } }) } }).failover();
    const warnings = Warnings.of(mesh).filter((w) => /does not load-balance/.test(w.reason));
    expect(warnings.map((w) => `${w.field} ${w.value}`)).toEqual([
      'addService("db").trafficDistribution "db"',
      'addService("cache").failover "cache"',
      'addService("cache").routePerCluster "cache"',
      'addService("ext").failover "ext"',
    ]);
    expect(warnings[0].reason).toMatch(/its Service in west is headless \(clusterIP: None\)/);
    expect(warnings[0].suggestion).toMatch(/a ClusterIP Service/);
    expect(warnings[3].reason).toMatch(/is of type ExternalName/);
  });
});
