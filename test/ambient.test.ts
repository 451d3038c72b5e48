/**
 * `MultiClusterMesh({ dataPlaneMode: DataPlaneMode.AMBIENT })`: istio-east-west gateways, service
 * scope on the app's Services, the refusals (each naming its Istio issue or source) and the
 * ztunnel model in explain and the reports.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  CloudProvider, DataPlaneMode, EastWestGateway, ExplainProxy, GatewayApiEastWestGateway, GatewayExposure, IstioVersion, LocalitySettingSource,
  MultiClusterMesh, MultiClusterMeshProps,
  TrafficDistribution, Warnings,
} from '../src';
import { validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

const AMBIENT: MultiClusterMeshProps = {
  meshId: 'mesh1',
  dataPlaneMode: DataPlaneMode.AMBIENT,
  clusters: [
    { name: 'east', network: 'net-east', region: 'us-east1', zones: ['us-east1-b', 'us-east1-c'], provider: CloudProvider.GKE },
    { name: 'west', network: 'net-west', region: 'us-west1', zones: ['us-west1-a'], provider: CloudProvider.GKE },
  ],
};

function setup(props: Partial<MultiClusterMeshProps> = {}) {
  const app = Testing.app();
  const mesh = new MultiClusterMesh(app, 'mesh', { ...AMBIENT, ...props });
  const apps = new Chart(app, 'apps', { namespace: 'shop' });
  const service = (name: string) => new ApiObject(apps, name, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } });
  return { app, mesh, apps, service };
}

describe('ambient mesh objects', () => {
  test('per cluster an istio-east-west Gateway (HBONE 15008) and nothing of the sidecar gateway', () => {
    const { mesh } = setup();
    for (const c of mesh.clusterNames) {
      const objs = synthValidated(mesh.cluster(c));
      expect(objs.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['v1 Namespace', 'gateway.networking.k8s.io/v1 Gateway']);
      // ambient istiod reads the cluster's network only from the Istio namespace's label (ambient/networks.go)
      expect(objs[0].metadata).toMatchObject({ name: 'istio-system', labels: { 'topology.istio.io/network': `net-${c}` } });
      expect(objs[1].spec.gatewayClassName).toBe('istio-east-west');
      expect(objs[1].spec.listeners[0]).toMatchObject({ port: 15008, protocol: 'HBONE', tls: { mode: 'Terminate' } });
      expect(objs[1].metadata.labels['topology.istio.io/network']).toBe(`net-${c}`);
    }
  });

  test('declared services are made global on the app\'s Service (istio.io/global, the ambient profile\'s selector); keepLocal() leaves it off', () => {
    const { mesh, apps, service } = setup();
    const web = service('web');
    const db = service('db');
    mesh.addService({ name: 'web', namespace: 'shop', clusters: ['east', 'west'], kubernetesServices: { east: web, west: web } });
    mesh.addService({ name: 'db', namespace: 'shop', clusters: ['east', 'west'], kubernetesServices: { east: db, west: db } }).keepLocal();
    const objs = synthValidated(apps);
    expect(objs.find((o) => o.metadata.name === 'web').metadata.labels).toEqual({ 'istio.io/global': 'true' });
    expect(objs.find((o) => o.metadata.name === 'db').metadata.labels).toBeUndefined();
    // no mesh-config serviceSettings in ambient: cluster-local is the default there
    expect(synthValidated(mesh.cluster('east')).filter((o) => o.kind === 'ConfigMap')).toEqual([]);
  });

  test('a waypoint: its name on the Service, the DestinationRule emitted for it, and the report says to label the waypoint global', () => {
    const { mesh, apps, service } = setup();
    const api = service('api');
    mesh.addService({ name: 'api', namespace: 'shop', clusters: ['east', 'west'], waypoint: 'waypoint', kubernetesServices: { east: api, west: api } }).failover();
    expect(synthValidated(apps)[0].metadata.labels).toEqual({ 'istio.io/global': 'true', 'istio.io/use-waypoint': 'waypoint' });
    expect(synthValidated(mesh.cluster('east')).filter((o) => o.kind === 'DestinationRule')).toHaveLength(1);
    expect(mesh.trafficReport('east')).toContain('waypoint waypoint in namespace shop, every cluster: label its Service istio.io/global: "true", or remote waypoints are not used (istio/istio#58064)');
  });

  test('without Service objects the report lists the labels to set', () => {
    const { mesh } = setup();
    mesh.addService({ name: 'web', namespace: 'shop', clusters: ['east', 'west'] });
    expect(mesh.trafficReport('west')).toContain('- Service web in namespace shop, clusters east, west: set label istio.io/global: "true" (service scope GLOBAL)');
  });

  test('istiod and ztunnel Helm values carry the flags the mode needs', () => {
    const { mesh } = setup({ revision: 'canary' });
    expect(mesh.istiodHelmValues('east')).toBe([
      'revision: canary', 'global:', '  meshID: mesh1', '  multiCluster:', '    clusterName: east', '  network: net-east', 'profile: ambient', 'pilot:', '  env:',
      '    AMBIENT_ENABLE_MULTI_NETWORK: "true"', '',
    ].join('\n'));
    expect(mesh.ztunnelHelmValues('west')).toBe(['revision: canary', 'profile: ambient', 'multiCluster:', '  clusterName: west', 'global:', '  network: net-west', ''].join('\n'));
    const sidecar = new MultiClusterMesh(Testing.app(), 'mesh', { ...AMBIENT, dataPlaneMode: undefined });
    expect(validationErrorOf(() => sidecar.ztunnelHelmValues('east')).reason).toContain('there is no ztunnel');
  });
});

describe('ambient refusals', () => {
  test('per-cluster subset routing has no ambient equivalent', () => {
    const { mesh } = setup();
    const e = validationErrorOf(() => mesh.addService({ name: 'web', clusters: ['east', 'west'] }).routePerCluster());
    expect(e.reason).toContain('no ambient equivalent');
  });

  test('clusterLocal() is not a ztunnel control', () => {
    const { mesh } = setup();
    expect(validationErrorOf(() => mesh.clusterLocal(['*.shop.svc.cluster.local'])).reason).toContain('ztunnel never reads meshConfig serviceSettings');
  });

  test('failover() without a waypoint would do nothing: ztunnel ignores DestinationRules', () => {
    const { mesh } = setup();
    const e = validationErrorOf(() => mesh.addService({ name: 'web', clusters: ['east', 'west'] }).failover());
    expect(e.reason).toContain('ztunnel balances the connections and ignores DestinationRules');
    expect(e.valid).toContain('addService({ waypoint: "waypoint" })');
  });

  test('more than one east-west gateway per network (istio/istio#56960)', () => {
    const e = validationErrorOf(() => setup({
      clusters: [
        ...AMBIENT.clusters,
        { name: 'east2', network: 'net-east', region: 'us-east1', provider: CloudProvider.GKE },
      ],
    }));
    expect(e.reason).toContain('istio/istio#56960');
  });

  test('a release without ambient multicluster; 1.27/1.28 warn that it is alpha', () => {
    expect(validationErrorOf(() => setup({ istioVersion: IstioVersion.of('1.26') })).reason).toContain('ambient multicluster needs Istio 1.27');
    const { mesh } = setup({ istioVersion: IstioVersion.of('1.28') });
    expect(Warnings.of(mesh).map((w) => w.reason)).toContain('ambient multicluster is alpha in Istio 1.28 (beta for multi-network from 1.29)');
  });

  test('mixing sidecar multi-network with ambient: an existing sidecar gateway, or a classic one added to a chart (istio/istio#60716)', () => {
    const e = validationErrorOf(() => setup({
      clusters: [{ ...AMBIENT.clusters[0], existingGateway: { network: 'net-east', namespace: 'istio-system' } }, AMBIENT.clusters[1]],
    }));
    expect(e.reason).toContain('istio/istio#60716');
    const { app, mesh } = setup();
    new EastWestGateway(mesh.cluster('east'), 'sidecar-gw', { network: 'net-east', provider: CloudProvider.GKE });
    expect(validationErrorOf(() => app.synth()).reason).toContain('istio/istio#60716');
  });

  test('NodePort exposure: remote ztunnels dial 15008 on the load-balancer address', () => {
    const e = validationErrorOf(() => setup({
      clusters: [{ ...AMBIENT.clusters[0], provider: undefined, exposure: GatewayExposure.nodePort({ sourceRanges: ['10.0.0.0/8'] }) }, AMBIENT.clusters[1]],
    }));
    expect(e.reason).toContain('the node-port mapping exists only for sidecar gateways');
  });

  test('keepLocal() with a waypoint: a service whose waypoint is global is global', () => {
    const { mesh } = setup();
    const svc = mesh.addService({ name: 'api', clusters: ['east', 'west'], waypoint: 'waypoint' });
    expect(validationErrorOf(() => svc.keepLocal()).reason).toContain('istio/istio#58064');
  });

  test('a Gateway API sidecar gateway added to an ambient chart is refused; an app Service with the network label is not', () => {
    const { app, mesh } = setup();
    new GatewayApiEastWestGateway(mesh.cluster('west'), 'sidecar-gw', { name: 'sidecar-eastwest', network: 'net-west', provider: CloudProvider.GKE, hosts: ['*.shop.svc.cluster.local'] });
    expect(validationErrorOf(() => app.synth()).reason).toContain('sidecar-mode east-west gateway object (gateway.networking.k8s.io/v1 Gateway)');
    const ok = setup();
    new ApiObject(ok.mesh.cluster('east'), 'app', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', labels: { 'topology.istio.io/network': 'net-east' } }, spec: { ports: [{ port: 80 }] } });
    ok.app.synth();
  });

  test('single-network ambient with several clusters: a warning, and the multicluster flag still set (it gates ambient multicluster as a whole)', () => {
    const { mesh } = setup({ clusters: AMBIENT.clusters.map((c) => ({ ...c, network: 'one' })) });
    expect(Warnings.of(mesh).map((w) => w.reason).join('\n')).toContain('single-network ambient multicluster is alpha');
    expect(mesh.istiodHelmValues('east')).toContain('AMBIENT_ENABLE_MULTI_NETWORK: "true"');
  });

  test('waypoint in a sidecar mesh, exposedHosts and gatewayApi: false in an ambient mesh', () => {
    const sidecar = new MultiClusterMesh(Testing.app(), 'mesh', { ...AMBIENT, dataPlaneMode: DataPlaneMode.SIDECAR });
    expect(validationErrorOf(() => sidecar.addService({ name: 'web', clusters: ['east'], waypoint: 'waypoint' })).reason).toBe('waypoints exist only in ambient meshes');
    expect(validationErrorOf(() => setup({ exposedHosts: ['*.shop.svc.cluster.local'] })).field).toBe('exposedHosts');
    expect(validationErrorOf(() => setup({ gatewayApi: false })).field).toBe('gatewayApi');
  });
});

describe('ambient explain: ztunnel decides where sidecars would differ', () => {
  function both(declare: (mesh: MultiClusterMesh) => any, query: any) {
    const results = [DataPlaneMode.AMBIENT, DataPlaneMode.SIDECAR].map((mode) => {
      const { mesh } = setup({ dataPlaneMode: mode });
      return mesh.explain(declare(mesh), query);
    });
    return { ambient: results[0], sidecar: results[1] };
  }

  test('no setting: ztunnel spreads over every Ready endpoint by capacity (the remote network as one workload), like a sidecar without a DestinationRule', () => {
    const { ambient, sidecar } = both((m) => m.addService({ name: 'web', clusters: ['east', 'west'], replicas: { east: 2, west: 2 } }), { from: 'east' });
    expect(ambient.proxy).toBe(ExplainProxy.ZTUNNEL);
    expect(ambient.localitySetting).toBe(LocalitySettingSource.NONE);
    expect(ambient.clusters.map((c) => [c.cluster, c.percent])).toEqual([['east', 50], ['west', 50]]);
    expect(sidecar.clusters.map((c) => [c.cluster, c.percent])).toEqual([['east', 50], ['west', 50]]);
  });

  test('PreferClose with the local zone not Ready: ztunnel ranks zones of the local network, and the remote network only when none is Ready', () => {
    const declare = (m: MultiClusterMesh) => {
      const s = m.addService({ name: 'web', clusters: ['east', 'west'], replicas: { east: 2, west: 2 } });
      s.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
      return s;
    };
    const { ambient } = both(declare, { from: 'east', zone: 'us-east1-c', notReady: { east: 1 } });
    expect(ambient.clusters.filter((c) => c.percent > 0).map((c) => [c.cluster, c.percent])).toEqual([['east', 100]]);
    expect(ambient.priorities[0].localities.map((l) => l.zone)).toEqual(['us-east1-b']);
    const allDown = both(declare, { from: 'east', notReady: { east: 2 } }).ambient;
    expect(allDown.clusters).toEqual([{ cluster: 'west', percent: 100, failedPercent: 0, viaGateway: true }]);
  });

  test('pods failing while Ready: the sidecar\'s outlier detection (waypoint or sidecar) ejects them, ztunnel cannot', () => {
    const { ambient, sidecar } = both((m) => {
      const s = m.addService({ name: 'web', clusters: ['east', 'west'], replicas: { east: 2, west: 2 } });
      s.trafficDistribution(TrafficDistribution.PREFER_CLOSE);
      return s;
    }, { from: 'east', healthy: { east: 0 } });
    expect(ambient.failedPercent).toBe(100);
    expect(ambient.reasons).toContain('no outlier detection in ztunnel: failing but Ready endpoints keep their share → 100% of requests fail');
    expect(sidecar.failedPercent).toBe(100);
    // with a waypoint and failover(), the DestinationRule's outlier detection moves traffic to west
    const { mesh } = setup();
    const api = mesh.addService({ name: 'api', clusters: ['east', 'west'], replicas: { east: 2, west: 2 }, waypoint: 'waypoint' });
    api.failover();
    const r = mesh.explain(api, { from: 'east', healthy: { east: 0 } });
    expect(r.proxy).toBe(ExplainProxy.WAYPOINT);
    expect(r.clusters.find((c) => c.cluster === 'west')!.percent).toBe(100);
  });

  test('a service kept local (not global) reaches only its own cluster', () => {
    const { mesh } = setup();
    const db = mesh.addService({ name: 'db', clusters: ['east', 'west'] });
    db.keepLocal();
    const r = mesh.explain(db, { from: 'east', notReady: { east: 1 } });
    expect(r.noHealthyUpstreamPercent).toBe(100);
    expect(r.reasons).toContain('service not global (service scope LOCAL) → only endpoints in east');
  });

  test('the traffic reports differ from the sidecar mesh\'s where ztunnel behaves differently', () => {
    const reports = [DataPlaneMode.AMBIENT, DataPlaneMode.SIDECAR].map((mode) => {
      const { mesh } = setup({ dataPlaneMode: mode, exposedHosts: mode === DataPlaneMode.SIDECAR ? ['*.default.svc.cluster.local'] : undefined });
      mesh.addService({ name: 'web', clusters: ['east', 'west'] }).trafficDistribution(TrafficDistribution.PREFER_CLOSE);
      return mesh.trafficReport('east');
    });
    expect(reports[0]).toContain('ztunnel (ambient, no waypoint) balances the connections');
    expect(reports[0]).toContain('no locality (istio/istio#60889)');
    expect(reports[1]).not.toContain('ztunnel');
  });
});
