/**
 * Clusters on different releases (an upgrade in progress): `MeshClusterProps.istioVersion` and
 * `kubernetesVersion` override the mesh's for one cluster's objects, checks and explanations.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import {
  CloudProvider, DataPlaneMode, IstioVersion, KubernetesVersion, LocalityFailoverRule, MeshApp, MultiClusterMesh, MultiClusterMeshProps,
  TrafficDistribution,
} from '../src';
import { validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

const PROPS: MultiClusterMeshProps = {
  meshId: 'mesh1',
  istioVersion: IstioVersion.V1_31,
  clusters: [
    { name: 'old', network: 'n', region: 'r1', zones: ['r1-a'], provider: CloudProvider.GKE, istioVersion: IstioVersion.V1_30 },
    { name: 'new', network: 'n', region: 'r2', zones: ['r2-a'], provider: CloudProvider.GKE },
  ],
};

test('each cluster is explained with its own release: 1.30 drops not-Ready endpoints, 1.31 sends them as unhealthy', () => {
  const mesh = new MultiClusterMesh(Testing.app(), 'mesh', PROPS);
  const svc = mesh.addService({ name: 'echo', namespace: 'default', clusters: ['old', 'new'], replicas: { old: 3, new: 3 } });
  svc.failover();
  expect([mesh.istioVersionOf('old').version, mesh.istioVersionOf('new').version]).toEqual(['1.30', '1.31']);
  const fromOld = mesh.explain(svc, { from: 'old', notReady: { old: 2 } });
  const fromNew = mesh.explain(svc, { from: 'new', notReady: { new: 2 } });
  expect([fromOld.istioVersion, fromNew.istioVersion]).toEqual(['1.30', '1.31']);
  expect(fromOld.clusters.find((c) => c.cluster === 'old')?.percent).toBeCloseTo(100);
  expect(fromNew.clusters.find((c) => c.cluster === 'new')?.percent).toBeCloseTo(46);
  expect(mesh.trafficReport('old')).toContain('(Istio 1.30 + Envoy load balancing');
  expect(mesh.trafficReport('new')).toContain('(Istio 1.31 + Envoy load balancing');
  // the rules in each chart carry their cluster's release, and are the same objects
  const ruleIn = (cluster: string) => mesh.cluster(cluster).node.findAll().find((c): c is LocalityFailoverRule => LocalityFailoverRule._isRule(c))!;
  expect([ruleIn('old').istioVersion.version, ruleIn('new').istioVersion.version]).toEqual(['1.30', '1.31']);
  const rule = (cluster: string) => synthValidated(mesh.cluster(cluster)).find((o) => o.kind === 'DestinationRule');
  expect(rule('old')).toEqual(rule('new'));
});

test('a traffic distribution needs the release in every cluster whose istiod reads the Service, and names the cluster that lacks it', () => {
  const props = (version: IstioVersion): MultiClusterMeshProps => ({
    ...PROPS, clusters: [{ ...PROPS.clusters[0], istioVersion: version }, PROPS.clusters[1]],
  });
  const refused = validationErrorOf(() => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', props(IstioVersion.of('1.24')));
    mesh.addService({ name: 'echo', clusters: ['new'], clients: ['old', 'new'] }).trafficDistribution(TrafficDistribution.PREFER_CLOSE);
  });
  expect(refused.field).toBe('addService("echo").trafficDistribution');
  expect(refused.reason).toBe('Service traffic distribution in sidecars in cluster old (its istiod reads the Service) needs Istio 1.25 (istio/istio#54715); the target is Istio 1.24');
  // a cluster that neither runs nor calls the service does not matter
  const mesh = new MultiClusterMesh(Testing.app(), 'mesh', props(IstioVersion.of('1.24')));
  expect(() => mesh.addService({ name: 'echo', clusters: ['new'], clients: ['new'] }).trafficDistribution(TrafficDistribution.PREFER_CLOSE)).not.toThrow();
  // PreferSameNode needs 1.27 there
  expect(validationErrorOf(() => {
    const m = new MultiClusterMesh(Testing.app(), 'mesh', props(IstioVersion.of('1.26')));
    m.addService({ name: 'echo', clusters: ['old', 'new'] }).trafficDistribution(TrafficDistribution.PREFER_SAME_NODE);
  }).reason).toMatch(/^PreferSameNode in cluster old \(its istiod reads the Service\) needs Istio 1\.27/);
});

test('each cluster\'s Service object gets the traffic distribution its Kubernetes release accepts, and the report groups clusters without one', () => {
  const app = Testing.app();
  const mesh = new MultiClusterMesh(app, 'mesh', {
    ...PROPS,
    kubernetesVersion: KubernetesVersion.V1_34,
    clusters: [{ ...PROPS.clusters[0], kubernetesVersion: KubernetesVersion.of('1.30') }, PROPS.clusters[1], { name: 'third', network: 'n', region: 'r3', provider: CloudProvider.GKE }],
  });
  const apps = (cluster: string) => new Chart(app, `${cluster}-apps`, { namespace: 'default' });
  const service = (chart: Chart) => new ApiObject(chart, 'echo', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo' }, spec: { ports: [{ port: 80 }], selector: { app: 'echo' } } });
  const [oldApps, newApps] = [apps('old'), apps('new')];
  mesh.addService({ name: 'echo', clusters: ['old', 'new', 'third'], kubernetesServices: { old: service(oldApps), new: service(newApps) } })
    .trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);
  const echo = (chart: Chart) => synthValidated(chart).find((o) => o.kind === 'Service');
  // Kubernetes 1.30 has no field: Istio's annotation; 1.34 takes PreferSameZone itself
  expect(echo(oldApps).spec.trafficDistribution).toBeUndefined();
  expect(echo(oldApps).metadata.annotations).toEqual({ 'networking.istio.io/traffic-distribution': 'PreferSameZone' });
  expect(echo(newApps).spec.trafficDistribution).toBe('PreferSameZone');
  // without a Service object, the report says what to set, with the cluster's release
  expect(mesh.trafficReport('third')).toContain('- Service echo in namespace default, clusters third: set spec.trafficDistribution: PreferSameZone (Kubernetes 1.34; no object was given in kubernetesServices)');
});

test('every ambient cluster needs 1.27; a cluster\'s release is checked like the mesh\'s', () => {
  const ambient = (version: unknown) => validationErrorOf(() => new MultiClusterMesh(Testing.app(), 'mesh', {
    meshId: 'mesh1',
    dataPlaneMode: DataPlaneMode.AMBIENT,
    clusters: [
      { name: 'a', network: 'na', region: 'r1', provider: CloudProvider.GKE, istioVersion: version as IstioVersion },
      { name: 'b', network: 'nb', region: 'r2', provider: CloudProvider.GKE },
    ],
  }));
  const old = ambient(IstioVersion.of('1.26'));
  expect([old.field, old.reason]).toEqual(['clusters[0].istioVersion',
    'ambient multicluster (dataPlaneMode AMBIENT) in this cluster needs Istio 1.27 (alpha in Istio 1.27, beta for multi-network in 1.29); the target is Istio 1.26']);
  expect(ambient('1.30').field).toBe('clusters[0].istioVersion');
  expect(validationErrorOf(() => new MultiClusterMesh(Testing.app(), 'mesh', {
    ...PROPS, clusters: [{ ...PROPS.clusters[0], kubernetesVersion: '1.30' as unknown as KubernetesVersion }, PROPS.clusters[1]],
  })).field).toBe('clusters[0].kubernetesVersion');
});

test('MeshApp writes a mixed-release mesh as cdk8s does, and the gateways carry their cluster\'s release', () => {
  const declare = (app: App) => {
    const mesh = new MultiClusterMesh(app, 'mesh', {
      ...PROPS, clusters: [{ ...PROPS.clusters[0], network: 'n1' }, { ...PROPS.clusters[1], network: 'n2' }],
    });
    for (let i = 0; i < 3; i++) {
      const svc = mesh.addService({ name: `s${i}`, namespace: 'default', clusters: ['old', 'new'] });
      svc.failover({ failoverPriority: ['topology.istio.io/network'] });
      svc.routePerCluster();
    }
    return mesh;
  };
  const files = (app: App) => {
    app.synth();
    return Object.fromEntries(fs.readdirSync(app.outdir).filter((f) => f.endsWith('.yaml')).sort().map((f) => [f, fs.readFileSync(path.join(app.outdir, f), 'utf8')]));
  };
  const meshApp = new MeshApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mixed-')) });
  const mesh = declare(meshApp);
  const gateway = (cluster: string) => mesh.cluster(cluster).node.findChild('eastwest') as unknown as { istioVersion: IstioVersion };
  expect([gateway('old').istioVersion.version, gateway('new').istioVersion.version]).toEqual(['1.30', '1.31']);
  const plain = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mixed-plain-')) });
  declare(plain);
  expect(files(meshApp)).toEqual(files(plain));
  expect(fs.readFileSync(path.join(meshApp.outdir, 'old.traffic.md'), 'utf8')).toContain('Istio 1.30');
});
