import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Testing, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { hybridGkeOnprem } from '../examples/hybrid-gke-onprem/main';
import { tokyoOsaka } from '../examples/tokyo-osaka/main';
import { CloudProvider, GatewayExposure, LocalityFailoverRule, MeshApp, MultiClusterMesh, MultiClusterMeshProps, OutlierDetection, TokenSource, Warnings } from '../src';
import { errorOf, validationErrorOf } from './support/errors';
import { synthValidated, validateManifests } from './support/schema';

type Objects = { [cluster: string]: any[] };

function synthMesh(mesh: MultiClusterMesh): Objects {
  const out: Objects = {};
  for (const name of mesh.clusterNames) out[name] = synthValidated(mesh.cluster(name));
  return out;
}

const find = (objs: any[], kind: string, name: string) => objs.filter((o) => o.kind === kind && o.metadata.name === name);
const kinds = (objs: any[]) => objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();

const TWO_NETWORKS: MultiClusterMeshProps = {
  meshId: 'mesh1',
  clusters: [
    { name: 'gke', network: 'net-a', region: 'asia-northeast1', zones: ['asia-northeast1-a'], provider: CloudProvider.GKE },
    { name: 'onprem', network: 'net-b', region: 'tokyo-onprem', provider: CloudProvider.ON_PREM },
  ],
};

function meshError(props: MultiClusterMeshProps, declare: (mesh: MultiClusterMesh) => void = () => {}): string {
  return errorOf(() => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', props);
    declare(mesh);
    for (const n of mesh.clusterNames) Testing.synth(mesh.cluster(n));
  });
}

describe('example hybrid-gke-onprem (write-up 2)', () => {
  const mesh = hybridGkeOnprem(Testing.app());
  const objects = synthMesh(mesh);

  test('one chart per cluster, named after the cluster', () => {
    expect(mesh.clusterNames).toEqual(['gke', 'onprem']);
    expect(mesh.cluster('gke').node.id).toEqual('gke');
    expect(mesh.multiNetwork).toBe(true);
  });

  test('every cluster gets its east-west gateway and the cross-network gateway', () => {
    for (const [cluster, network] of [['gke', 'kuchima-demo-vpc01'], ['onprem', 'default']]) {
      const [svc] = find(objects[cluster], 'Service', 'istio-eastwestgateway');
      expect(svc.metadata.labels['topology.istio.io/network']).toEqual(network);
      expect(svc.metadata.namespace).toEqual('gateway');
      const [gw] = find(objects[cluster], 'Gateway', 'cross-network-gateway');
      expect(gw.spec.servers[0].tls.mode).toEqual('AUTO_PASSTHROUGH');
      expect(gw.spec.servers[0].port).toEqual({ number: 15443, name: 'tls', protocol: 'TLS' });
    }
    // GKE's gateway is internal; on premises the load balancer already hands out private addresses.
    const [gke] = find(objects.gke, 'Service', 'istio-eastwestgateway');
    expect(JSON.stringify(gke.metadata.annotations)).toMatch(/[Ii]nternal/);
  });

  test('the failover rule lands in every client cluster, with the seed outlier detection plus maxEjectionPercent 100', () => {
    for (const cluster of ['gke', 'onprem']) {
      const [dr] = find(objects[cluster], 'DestinationRule', 'echo-svc');
      expect(dr.metadata.namespace).toEqual('default');
      expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failover).toEqual([{ from: 'tokyo-onprem', to: 'asia-northeast1' }]);
      expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '1m', maxEjectionPercent: 100 });
    }
  });

  test('explain uses the declared outlier-detection limits: the seed as written (10% default) never fails over from failing pods', () => {
    const build = (outlierDetection: OutlierDetection, replicas = { gke: 2, onprem: 2 }) => {
      const m = new MultiClusterMesh(Testing.app(), 'mesh', {
        meshId: 'm',
        clusters: [
          { name: 'gke', network: 'vpc', region: 'asia-northeast1', zones: ['asia-northeast1-a'], provider: CloudProvider.GKE },
          { name: 'onprem', network: 'default', region: 'tokyo-onprem', provider: CloudProvider.ON_PREM },
        ],
      });
      const echo = m.addService({ name: 'echo-svc', clusters: ['gke', 'onprem'], replicas });
      echo.failover({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }], outlierDetection });
      return { mesh: m, echo };
    };
    const seed = { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(1) };
    const asWritten = build(seed);
    const stuck = asWritten.mesh.explain(asWritten.echo, { from: 'onprem', healthy: { onprem: 0 } });
    expect(stuck.failedPercent).toBeCloseTo(100);
    expect(stuck.reasons.join('\n')).toContain('maxEjectionPercent 10 (default) of 3 hosts → Envoy ejects at most 0');
    const fixed = build({ ...seed, maxEjectionPercent: 100 });
    const moved = fixed.mesh.explain(fixed.echo, { from: 'onprem', healthy: { onprem: 0 } });
    expect(moved.clusters.find((c) => c.cluster === 'gke')?.percent).toBeCloseTo(100);
    expect(moved.failedPercent).toBe(0);
    // minHealthPercent reaches Envoy's panic threshold: 1 of 4 local pods healthy (25% < 50%), gke down
    const panic = build({ ...seed, maxEjectionPercent: 100, minHealthPercent: 50 }, { gke: 4, onprem: 4 });
    const r = panic.mesh.explain(panic.echo, { from: 'onprem', healthy: { onprem: 0.25, gke: 0 } });
    expect(r.reasons.join('\n')).toContain('P0 in panic (25% healthy < threshold 50%)');
    // every priority in panic → load by host count: P0 4/5 (3 of 4 pods fail), P1 the dead gateway 1/5
    expect(r.failedPercent).toBeCloseTo(80);
  });

  test('cluster-local default namespace, with echo-svc as the exception, in both clusters', () => {
    for (const cluster of ['gke', 'onprem']) {
      const [cm] = find(objects[cluster], 'ConfigMap', 'istio-shared-mesh-config');
      expect(YAML.parse(cm.data.mesh).serviceSettings).toEqual([
        { settings: { clusterLocal: true }, hosts: ['*.default.svc.cluster.local'] },
        { settings: { clusterLocal: false }, hosts: ['echo-svc.default.svc.cluster.local'] },
      ]);
    }
    expect(mesh.isClusterLocal('gke', 'other.default.svc.cluster.local')).toBe(true);
    expect(mesh.isClusterLocal('gke', 'echo-svc.default.svc.cluster.local')).toBe(false);
  });

  test('both clusters hold the same kinds of objects with the same names (no hash suffixes)', () => {
    const names = (c: string) => kinds(objects[c]).filter((k) => !k.startsWith('Namespace/'));
    expect(names('gke')).toEqual(names('onprem'));
    for (const o of [...objects.gke, ...objects.onprem]) expect(o.metadata.name).not.toMatch(/-[0-9a-f]{8}$/);
  });
});

describe('example tokyo-osaka (write-up 1)', () => {
  const app = Testing.app();
  const mesh = tokyoOsaka(app);
  const objects = synthMesh(mesh);

  test('web: the app\'s own Service in each cluster gets spec.trafficDistribution (Kubernetes 1.32: PreferClose); the mesh emits no Service web', () => {
    for (const c of mesh.clusterNames) {
      const apps = app.node.findChild(`${c}-apps`) as Chart;
      const [svc] = find(synthValidated(apps), 'Service', 'web');
      expect(svc.metadata.namespace).toBe('sample');
      expect(svc.spec.trafficDistribution).toBe('PreferClose');
      expect(find(objects[c], 'Service', 'web')).toEqual([]);
      expect(find(objects[c], 'DestinationRule', 'web')).toEqual([]);
    }
    expect(mesh.explain(mesh.services.find((s) => s.name === 'web')!, { from: 'gke-tokyo' }).localitySetting).toBe('TrafficDistribution');
  });

  test('a single network gets no gateways', () => {
    expect(mesh.multiNetwork).toBe(false);
    for (const c of mesh.clusterNames) {
      expect(objects[c].filter((o) => o.kind === 'Gateway' || o.kind === 'Deployment')).toEqual([]);
    }
  });

  test('failover, 50/50 distribute and per-cluster subsets land in both clusters', () => {
    for (const c of mesh.clusterNames) {
      const [hello] = find(objects[c], 'DestinationRule', 'helloworld');
      expect(hello.spec.trafficPolicy.connectionPool).toEqual({ http: { maxRequestsPerConnection: 1 } });
      const [echo] = find(objects[c], 'DestinationRule', 'echo');
      expect(echo.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute).toEqual([
        { from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 50, 'asia-northeast2/*': 50 } },
      ]);
      const [dr] = find(objects[c], 'DestinationRule', 'mysvc');
      expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['gke-tokyo', 'gke-osaka']);
      const [vs] = find(objects[c], 'VirtualService', 'mysvc');
      expect(vs.spec.http.map((r: any) => r.match[0].sourceLabels['topology.istio.io/cluster'])).toEqual(['gke-tokyo', 'gke-osaka']);
    }
  });
});

describe('determinism', () => {
  test('synthesizing twice gives identical bytes, files named after the clusters', () => {
    const outputs = [0, 1].map(() => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-'));
      const app = new MeshApp({ outdir });
      hybridGkeOnprem(app);
      app.synth();
      return Object.fromEntries(fs.readdirSync(outdir).sort().map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
    });
    expect(Object.keys(outputs[0])).toEqual(['gke.k8s.yaml', 'gke.traffic.md', 'mesh.md', 'onprem.k8s.yaml', 'onprem.traffic.md']);
    expect(outputs[1]).toEqual(outputs[0]);
    // what was written is what the schemas accept
    for (const f of ['gke.k8s.yaml', 'onprem.k8s.yaml']) {
      expect(validateManifests(YAML.parseAllDocuments(outputs[0][f]).map((d) => d.toJSON()))).toEqual([]);
    }
  });
});

describe('MeshApp', () => {
  const synthInto = (app: App) => {
    app.synth();
    return Object.fromEntries(fs.readdirSync(app.outdir).sort().map((f) => [f, fs.readFileSync(path.join(app.outdir, f), 'utf8')]));
  };
  const withUserChart = (app: App) => {
    hybridGkeOnprem(app);
    const user = new Chart(app, 'user-stuff');
    new ApiObject(user, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { 'a.yaml': 'x: 1\ny: "2"\n' } });
    return app;
  };

  test('writes the same YAML bytes as cdk8s\' App, plus the reports; a plain App writes the YAML only', () => {
    const plain = synthInto(withUserChart(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'plain-')) })));
    const mesh = synthInto(withUserChart(new MeshApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'meshapp-')) })));
    expect(Object.keys(plain)).toEqual(['gke.k8s.yaml', 'onprem.k8s.yaml', 'user-stuff.k8s.yaml']);
    expect(Object.keys(mesh)).toEqual(['gke.k8s.yaml', 'gke.traffic.md', 'mesh.md', 'onprem.k8s.yaml', 'onprem.traffic.md', 'user-stuff.k8s.yaml']);
    for (const f of Object.keys(plain)) expect(mesh[f]).toEqual(plain[f]);
  });

  test('chart dependencies keep cdk8s\' indexed file names', () => {
    const build = (app: App) => {
      const mesh = hybridGkeOnprem(app);
      new Chart(app, 'user').addDependency(mesh.cluster('gke'));
      return app;
    };
    const plain = synthInto(build(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'plain-')) })));
    const mesh = synthInto(build(new MeshApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'meshapp-')) })));
    const yamlFiles = (o: { [f: string]: string }) => Object.keys(o).filter((f) => f.endsWith('.k8s.yaml'));
    expect(yamlFiles(mesh)).toEqual(yamlFiles(plain));
    expect(yamlFiles(mesh).every((f) => /^\d{4}-/.test(f))).toBe(true);
    for (const f of yamlFiles(plain)) expect(mesh[f]).toEqual(plain[f]);
  });

  test('validation errors stop the synth before any file, with the library\'s ValidationError', () => {
    const app = new MeshApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'meshapp-')) });
    const mesh = hybridGkeOnprem(app);
    new ApiObject(mesh.cluster('gke'), 'dup', { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'cross-network-gateway', namespace: 'gateway' } });
    expect(errorOf(() => app.synth())).toContain('Gateway.metadata.name: "gateway/cross-network-gateway" is invalid');
    expect(fs.readdirSync(app.outdir)).toEqual([]);
  });
});

describe('cluster registration (opt-in remote secrets)', () => {
  test('each chart gets the other clusters\' remote secrets and its own reader token secret', () => {
    process.env.TEST_TOKEN_GKE = 'token-gke';
    process.env.TEST_TOKEN_ONPREM = 'token-onprem';
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', {
      meshId: 'mesh1',
      clusters: [
        { name: 'gke', network: 'n', region: 'r1', registration: { server: 'https://10.0.0.1', certificateAuthorityData: 'Q0E=', token: TokenSource.fromEnv('TEST_TOKEN_GKE') } },
        { name: 'onprem', network: 'n', region: 'r2', registration: { server: 'https://10.0.0.2', certificateAuthorityData: 'Q0E=', token: TokenSource.fromEnv('TEST_TOKEN_ONPREM') } },
      ],
    });
    const objects = synthMesh(mesh);
    const [secret] = find(objects.onprem, 'Secret', 'istio-remote-secret-gke');
    expect(secret.metadata).toEqual({
      name: 'istio-remote-secret-gke',
      namespace: 'istio-system',
      labels: { 'istio/multiCluster': 'true' },
      annotations: { 'networking.istio.io/cluster': 'gke' },
    });
    const kubeconfig = YAML.parse(secret.stringData.gke);
    expect(kubeconfig.clusters[0].cluster.server).toEqual('https://10.0.0.1');
    expect(kubeconfig.users[0].user.token).toEqual('token-gke');
    expect(find(objects.gke, 'Secret', 'istio-remote-secret-gke')).toEqual([]);
    const [reader] = find(objects.gke, 'Secret', 'istio-reader-service-account-istio-remote-secret-token');
    expect(reader.type).toEqual('kubernetes.io/service-account-token');
  });

  test('a missing token fails at synth time naming where it was looked for', () => {
    delete process.env.TEST_TOKEN_MISSING;
    expect(meshError({
      meshId: 'm',
      clusters: [
        { name: 'a', network: 'n', region: 'r1', registration: { server: 'https://a', certificateAuthorityData: 'Q0E=', token: TokenSource.fromEnv('TEST_TOKEN_MISSING') } },
        { name: 'b', network: 'n', region: 'r2', registration: { server: 'https://b', certificateAuthorityData: 'Q0E=', token: TokenSource.fromEnv('TEST_TOKEN_MISSING') } },
      ],
    })).toContain('RemoteSecret.registration.token: "environment variable TEST_TOKEN_MISSING" is invalid: no token found there at synth time');
  });
});

describe('cross-cluster validation', () => {
  test.each<[string, MultiClusterMeshProps, (m: MultiClusterMesh) => void, string]>([
    ['duplicate cluster names', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r' }, { name: 'a', network: 'n', region: 'r' }] }, () => {},
      'MultiClusterMesh.clusters[1].name: "a" is invalid: duplicate cluster name'],
    ['an invalid cluster name', { meshId: 'm', clusters: [{ name: 'GKE', network: 'n', region: 'r' }] }, () => {}, 'MultiClusterMesh.clusters[0].name: "GKE" is invalid'],
    ['an empty network', { meshId: 'm', clusters: [{ name: 'a', network: '', region: 'r' }] }, () => {}, 'MultiClusterMesh.clusters[0].network: "" is invalid'],
    ['a multi-network cluster without provider or exposure (its gateway would be internet-facing)',
      { meshId: 'm', clusters: [{ name: 'a', network: 'n1', region: 'r', provider: CloudProvider.GKE }, { name: 'b', network: 'n2', region: 'r' }] }, () => {},
      'MultiClusterMesh.clusters[1].provider: undefined is invalid: a multi-network mesh exposes an east-west gateway in every cluster'],
    ['no clusters', { meshId: 'm', clusters: [] }, () => {}, 'MultiClusterMesh.clusters: [] is invalid: at least one cluster is required'],
    ['a service on an unknown cluster', TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke', 'aws'] }),
      'MultiClusterMesh.addService("echo").clusters[1]: "aws" is invalid: unknown cluster. Valid: one of "gke", "onprem"'],
    ['a failover region that matches no cluster', TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke'] }).failover({ failover: [{ from: 'tokyo-onprem', to: 'us-east1' }] }),
      'MeshService.addService("echo").failover[0].to: "us-east1" is invalid: matches no cluster\'s region'],
    ['a distribute locality that matches no cluster', TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke'] }).distribute({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/asia-northeast1-b': 100 } }] }),
      'matches no cluster\'s region/zone'],
    ['keep-local with cross-cluster failover', TWO_NETWORKS, (m) => { const s = m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }); s.keepLocal(); s.failover({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }] }); },
      'cross-cluster failover can never happen'],
    ['cluster-local host with a failover rule', TWO_NETWORKS, (m) => { m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).failover({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }] }); m.clusterLocal(['*.default.svc.cluster.local']); },
      'the host is cluster-local in gke'],
    ['per-cluster routing for clients where the service is not deployed', TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke'] }).routePerCluster(),
      'clients in onprem have no route (the service does not run there)'],
    ['registration on some clusters only', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r', registration: { server: 'https://a', certificateAuthorityData: 'Q0E=', token: TokenSource.fromEnv('X') } }, { name: 'b', network: 'n', region: 'r' }] }, () => {},
      'registration is set for some clusters only'],
    ['replicas for a cluster the service does not run in', TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke'], replicas: { onprem: 2 } }), 'the service does not run in onprem'],
    ['the same service twice', TWO_NETWORKS, (m) => { m.addService({ name: 'echo', clusters: ['gke'] }); m.addService({ name: 'echo', clusters: ['gke'] }); }, 'this service was already added'],
    ['two rules for one service', TWO_NETWORKS, (m) => { const s = m.addService({ name: 'echo', clusters: ['gke'] }); s.failover(); s.failover(); }, 'a failover or distribute intent was already declared'],
    ['failover with network priority, then keepLocal()', TWO_NETWORKS,
      (m) => { const s = m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }); s.failover({ failoverPriority: ['topology.istio.io/network'] }); s.keepLocal(); },
      'MeshService.addService("echo").keepLocal: "echo" is invalid: the service already has cross-cluster failover or distribution'],
    ['a distribute to another cluster on a kept-local service', TWO_NETWORKS,
      (m) => { const s = m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }); s.keepLocal(); s.distribute({ distribute: [{ from: 'tokyo-onprem/*', to: { 'asia-northeast1/*': 100 } }] }); },
      'the service is kept local, so it cannot be spread across clusters'],
    ['failoverPriority-only failover on a host made cluster-local later', TWO_NETWORKS,
      (m) => { m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).failover({ failoverPriority: ['topology.istio.io/network'] }); m.clusterLocal(['*.default.svc.cluster.local']); },
      'the host is cluster-local in gke'],
    ['failover for a host Istio keeps cluster-local by default (kube-system)', TWO_NETWORKS,
      (m) => m.addService({ name: 'dns', namespace: 'kube-system', clusters: ['gke', 'onprem'] }).failover({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }] }),
      'MeshService.addService("dns"): "dns.kube-system.svc.cluster.local" is invalid: the host is cluster-local in gke'],
    ['a distribute zone on a cluster that declares no zones', TWO_NETWORKS,
      (m) => m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).distribute({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 50, 'tokyo-onprem/zone-x': 50 } }] }),
      'MeshService.addService("echo").distribute[0].to: "tokyo-onprem/zone-x" is invalid: matches no cluster\'s region/zone'],
    ['a distribute sub-zone no cluster declares', TWO_NETWORKS,
      (m) => m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).distribute({ distribute: [{ from: 'asia-northeast1/asia-northeast1-a/rack1', to: { 'asia-northeast1/*': 100 } }] }),
      'matches no cluster\'s region/zone/subzone (declare sub-zones with clusters[].subzones)'],
    ['a failoverPriority value no cluster has (a typo)', TWO_NETWORKS,
      (m) => m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).failover({ failoverPriority: ['topology.istio.io/cluster=gkee'] }),
      'MeshService.addService("echo").failoverPriority[0]: "topology.istio.io/cluster=gkee" is invalid: no cluster of the mesh has topology.istio.io/cluster=gkee. Valid: one of "topology.istio.io/cluster=gke", "topology.istio.io/cluster=onprem"'],
    ['a duplicate client cluster', TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke'], clients: ['gke', 'gke'] }),
      'MeshService.addService("echo").clients[1]: "gke" is invalid: a cluster is listed twice'],
    ['an empty clusterDomain', TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke'], clusterDomain: '' }),
      'MeshService.addService("echo").clusterDomain: "" is invalid: not a DNS domain'],
    ['distribute() without an intent', TWO_NETWORKS, (m) => (m.addService({ name: 'echo', clusters: ['gke'] }) as any).distribute(),
      'MeshService.addService("echo").distribute: undefined is invalid: a value is required'],
    ['distribute() with no entries (it would silently become failover)', TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke'] }).distribute({ distribute: [] }),
      'at least one { from, to } entry is required'],
    ['a zone listed twice', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r', zones: ['z', 'z'] }] }, () => {}, 'MultiClusterMesh.clusters[0].zones[1]: "z" is invalid: zone listed twice'],
    ['a cluster named like the mesh construct', { meshId: 'm', clusters: [{ name: 'mesh', network: 'n', region: 'r' }] }, () => {},
      'MultiClusterMesh.clusters[0].name: "mesh" is invalid: the App already has a construct with this id'],
    ['an exposure in a single-network mesh (there is no gateway)', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r', exposure: GatewayExposure.onPrem() }] }, () => {},
      'is invalid: every cluster is on the same network ("n")'],
    ['an exposure next to an existing gateway', { meshId: 'm', clusters: [TWO_NETWORKS.clusters[0], { ...TWO_NETWORKS.clusters[1], existingGateway: { network: 'net-b', namespace: 'gw' }, exposure: GatewayExposure.onPrem() }] }, () => {},
      'MultiClusterMesh.clusters[1].exposure: '],
    ['an exposure next to an existing gateway (reason)', { meshId: 'm', clusters: [TWO_NETWORKS.clusters[0], { ...TWO_NETWORKS.clusters[1], existingGateway: { network: 'net-b', namespace: 'gw' }, exposure: GatewayExposure.onPrem() }] }, () => {},
      'is invalid: the cluster uses existingGateway'],
  ])('rejects %s', (_name, props, declare, message) => {
    expect(meshError(props, declare)).toContain(message);
  });

  test('explain only applies rules that exist in the caller\'s chart (rules are honoured in the client\'s cluster)', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
    const echo = mesh.addService({ name: 'echo', clusters: ['gke', 'onprem'], clients: ['gke'], replicas: { gke: 1, onprem: 1 } });
    echo.failover({ failover: [{ from: 'asia-northeast1', to: 'tokyo-onprem' }] });
    echo.routePerCluster();
    // gke has the per-cluster route: 100% local
    expect(mesh.explain(echo, { from: 'gke' }).clusters).toEqual([expect.objectContaining({ cluster: 'gke', percent: 100 })]);
    // onprem has no rule for echo: Envoy spreads over both clusters (no outlier detection, no subsets)
    const fromOnprem = mesh.explain(echo, { from: 'onprem' });
    expect(fromOnprem.routes.every((r) => r.subset === undefined)).toBe(true);
    expect(fromOnprem.clusters.map((c) => c.cluster).sort()).toEqual(['gke', 'onprem']);
  });

  test('an explain query from an unknown cluster names the valid ones', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
    const echo = mesh.addService({ name: 'echo', clusters: ['gke'] });
    expect(() => mesh.explain(echo, { from: 'aws' })).toThrow('MultiClusterMesh.explain.from: "aws" is invalid: unknown cluster');
  });

  test('an existing (Helm-installed) gateway: only the cross-network Gateway is emitted, with its selector', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', {
      meshId: 'm',
      clusters: [
        { name: 'gke', network: 'net-a', region: 'r1', provider: CloudProvider.GKE },
        { name: 'onprem', network: 'net-b', region: 'r2', existingGateway: { network: 'net-b', namespace: 'istio-gateways', name: 'istio-eastwestgateway' } },
      ],
    });
    const objects = synthMesh(mesh);
    expect(objects.onprem.filter((o) => o.kind === 'Deployment' || o.kind === 'Service')).toEqual([]);
    const [gw] = find(objects.onprem, 'Gateway', 'cross-network-gateway');
    expect(gw.metadata.namespace).toEqual('istio-gateways');
    expect(gw.spec.selector).toEqual({ istio: 'eastwestgateway' });
    expect(find(objects.gke, 'Deployment', 'istio-eastwestgateway')).toHaveLength(1);
  });

  test('an existing gateway on another network is rejected', () => {
    expect(meshError({
      meshId: 'm',
      clusters: [
        { name: 'gke', network: 'net-a', region: 'r1', provider: CloudProvider.GKE },
        { name: 'onprem', network: 'net-b', region: 'r2', existingGateway: { network: 'net-a', namespace: 'istio-gateways' } },
      ],
    })).toContain('MultiClusterMesh.clusters[1].existingGateway.network: "net-a" is invalid: the gateway serves network "net-a" but the cluster is on "net-b"');
  });

  test('services whose namespace-name pairs would share a construct id both land (x-y in ns, y in ns-x)', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
    mesh.addService({ name: 'x-y', namespace: 'ns', clusters: ['gke', 'onprem'] }).failover();
    mesh.addService({ name: 'y', namespace: 'ns-x', clusters: ['gke', 'onprem'] }).failover();
    expect(synthMesh(mesh).gke.filter((o) => o.kind === 'DestinationRule').map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(['ns-x/y', 'ns/x-y']);
  });

  test('zone failover inside each cluster works with a cluster-local host, in either order', () => {
    const zoned: MultiClusterMeshProps = {
      meshId: 'm',
      clusters: [{ name: 'a', network: 'n', region: 'r1', zones: ['r1-a', 'r1-b'] }, { name: 'b', network: 'n', region: 'r2', zones: ['r2-a', 'r2-b'] }],
    };
    const first = new MultiClusterMesh(Testing.app(), 'mesh', zoned);
    first.clusterLocal(['*.default.svc.cluster.local']);
    first.addService({ name: 'echo', clusters: ['a', 'b'] }).failover({ failoverPriority: ['topology.kubernetes.io/zone'] });
    const then = new MultiClusterMesh(Testing.app(), 'mesh', zoned);
    const s = then.addService({ name: 'echo', clusters: ['a', 'b'], replicas: { a: 2, b: 2 } });
    s.failover();
    s.keepLocal();
    // a client in a/r1-b whose zone's pod fails (the healthy one is the first, in r1-a) fails over to r1-a, never to b
    const r = then.explain(s, { from: 'a', zone: 'r1-b', healthy: { a: 0.5 } });
    expect(r.priorities.map((p) => p.localities.map((l) => `${l.cluster}/${l.zone}`))).toEqual([['a/r1-b'], ['a/r1-a']]);
    expect(r.clusters).toEqual([expect.objectContaining({ cluster: 'a', percent: 100 })]);
    expect(r.failedPercent).toBe(0);
  });

  test('failover() with outlier detection that can never eject is refused, named after the intent; distribute() with it is explained', () => {
    // failover with 5xx ejection off and no gateway-error ejection: Istio accepts it, the library refuses it
    const refused = meshError(TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke', 'onprem'] })
      .failover({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }], outlierDetection: { consecutive5xxErrors: 0, maxEjectionPercent: 100 } }));
    expect(refused).toMatch(/^\[mesh\] MeshService\.addService\("echo"\)\.failover\.outlierDetection\.consecutive5xxErrors: 0 is invalid: Istio accepts it, but 0 turns 5xx ejection off/);
    expect(meshError(TWO_NETWORKS, (m) => m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).failover({ outlierDetection: { maxEjectionPercent: 0 } })))
      .toContain('MeshService.addService("echo").failover.outlierDetection.maxEjectionPercent: 0 is invalid');
    // gateway-error ejection instead: accepted, and explain fails over from failing on-prem pods
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
    const echo = mesh.addService({ name: 'echo', clusters: ['gke', 'onprem'], replicas: { gke: 2, onprem: 2 } });
    echo.failover({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }], outlierDetection: { consecutive5xxErrors: 0, consecutiveGatewayErrors: 1, maxEjectionPercent: 100 } });
    const moved = mesh.explain(echo, { from: 'onprem', healthy: { onprem: 0 } });
    expect(moved.clusters.map((c) => [c.cluster, c.percent, c.failedPercent])).toEqual([['gke', 100, 0], ['onprem', 0, 0]]);
    // distribute with 5xx ejection off: no failover requested, so accepted; the failing on-prem pods keep their 50%
    const spreadMesh = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
    const spread = spreadMesh.addService({ name: 'echo', clusters: ['gke', 'onprem'], replicas: { gke: 2, onprem: 2 } });
    spread.distribute({ distribute: [{ from: 'tokyo-onprem/*', to: { 'tokyo-onprem/*': 50, 'asia-northeast1/*': 50 } }], outlierDetection: { consecutive5xxErrors: 0 } });
    const r = spreadMesh.explain(spread, { from: 'onprem', healthy: { onprem: 0 } });
    expect(r.clusters.map((c) => [c.cluster, c.percent, c.failedPercent])).toEqual([['gke', 50, 0], ['onprem', 50, 50]]);
    expect(r.reasons.join('\n')).toContain('5xx ejection off (consecutive5xxErrors: 0)');
  });

  test('a revisioned istiod host is cluster-local by default', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', { ...TWO_NETWORKS, revision: '1-24' });
    expect(mesh.isClusterLocal('gke', 'istiod-1-24.istio-system.svc.cluster.local')).toBe(true);
    expect(mesh.isClusterLocal('gke', 'istiod.istio-system.svc.cluster.local')).toBe(false);
  });

  test('istiodHelmValues: the install-time values each cluster needs, from the same model', () => {
    const mesh = hybridGkeOnprem(Testing.app());
    expect(YAML.parse(mesh.istiodHelmValues('onprem'))).toEqual({
      revision: 'asm-1132-2',
      global: { meshID: 'proj-123456', multiCluster: { clusterName: 'onprem' }, network: 'default' },
      pilot: { env: { SHARED_MESH_CONFIG: 'istio-shared-mesh-config' } },
    });
    expect(() => mesh.istiodHelmValues('aws')).toThrow('MultiClusterMesh.istiodHelmValues: "aws" is invalid: unknown cluster');
  });

  test('a gateway namespace equal to the Istio namespace is not emitted (deleting the chart must not delete istiod\'s namespace)', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', { ...TWO_NETWORKS, revision: 'r1', istioNamespace: 'istio-control', gatewayNamespace: 'istio-control' });
    expect(synthMesh(mesh).gke.filter((o) => o.kind === 'Namespace')).toEqual([]);
  });

  test('mesh.md draws each client from its own chart: cluster-local hosts have no arrows, clients without a rule spread', () => {
    const three: MultiClusterMeshProps = {
      meshId: 'm',
      clusters: [{ name: 'a', network: 'n', region: 'r1' }, { name: 'b', network: 'n', region: 'r2' }, { name: 'c', network: 'n', region: 'r3' }],
    };
    const local = new MultiClusterMesh(Testing.app(), 'mesh', three);
    local.addService({ name: 'e', clusters: ['a', 'b'] });
    local.clusterLocal(['*.default.svc.cluster.local']);
    expect(local.diagram()).not.toMatch(/c\d -/);
    expect(local.diagram()).toContain('cluster-local, no cross-cluster traffic');

    const partial = new MultiClusterMesh(Testing.app(), 'mesh', three);
    partial.addService({ name: 'e', clusters: ['a', 'b', 'c'], clients: ['a'] }).failover({ failover: [{ from: 'r1', to: 'r3' }] });
    const diagram = partial.diagram();
    // a has the rule: c is its first failover target, b the last
    expect(diagram).toContain('c0 -.->|"e.default: P1 failover"| c2');
    // b has no DestinationRule: it spreads over all three clusters, no priorities
    expect(diagram).toContain('c1 -->|"e.default: 33.3%"| c0');
    expect(diagram).toContain('c1 -->|"e.default: 33.3%"| c2');
  });

  test('the rule for a service called only from some clusters lands only there', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
    mesh.addService({ name: 'echo', clusters: ['gke', 'onprem'], clients: ['onprem'] })
      .failover({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }], outlierDetection: { consecutive5xxErrors: 1, interval: Duration.seconds(1) } });
    const objects = synthMesh(mesh);
    expect(find(objects.onprem, 'DestinationRule', 'echo')).toHaveLength(1);
    expect(find(objects.gke, 'DestinationRule', 'echo')).toHaveLength(0);
  });
});

describe('mesh: failoverPriority keys must be labels the endpoints carry', () => {
  const LABELLED: MultiClusterMeshProps = {
    meshId: 'mesh1',
    clusters: [
      { ...TWO_NETWORKS.clusters[0], labels: { 'example.com/tier': 'gold', 'team': 'shop' } },
      { ...TWO_NETWORKS.clusters[1], labels: { 'example.com/tier': 'silver' } },
    ],
  };
  const failover = (failoverPriority: string[]) => (m: MultiClusterMesh) =>
    m.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).failover({ failoverPriority });

  test('mesh: a typo of a topology label is refused with the valid keys, declared cluster labels included', () => {
    expect(meshError(LABELLED, failover(['topology.istio.io/netwrok']))).toContain(
      'MeshService.addService("echo").failoverPriority[0]: "topology.istio.io/netwrok" is invalid: no endpoint carries label topology.istio.io/netwrok '
      + '(it is neither a topology label istiod adds to endpoints nor declared in clusters[].labels), so the entry would behave as "no priority" '
      + '(did you mean "topology.istio.io/network"?). Valid: a label istiod adds to endpoints (topology.istio.io/network, topology.istio.io/cluster, '
      + 'topology.kubernetes.io/region, topology.kubernetes.io/zone, topology.istio.io/subzone, kubernetes.io/hostname), '
      + 'a label declared in clusters[].labels (example.com/tier, team), or "key=value" for any other pod label');
  });

  test('mesh: a bare key no cluster declares is refused', () => {
    expect(meshError(TWO_NETWORKS, failover(['topology.istio.io/network', 'example.com/tier'])))
      .toContain('MeshService.addService("echo").failoverPriority[1]: "example.com/tier" is invalid: no endpoint carries label example.com/tier');
  });

  test('mesh: cluster labels — a declared key is a valid bare failoverPriority key, in every client cluster\'s rule', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', LABELLED);
    mesh.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).failover({ failoverPriority: ['example.com/tier', 'topology.istio.io/network'] });
    const objects = synthMesh(mesh);
    for (const cluster of ['gke', 'onprem']) {
      const [dr] = find(objects[cluster], 'DestinationRule', 'echo');
      expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority).toEqual(['example.com/tier', 'topology.istio.io/network']);
      // the declaration is a fact about the endpoints, not something the chart writes
      expect(objects[cluster].filter((o) => JSON.stringify(o).includes('"team"'))).toEqual([]);
    }
  });

  test('mesh: cluster labels — key=value with a declared value is accepted', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', LABELLED);
    mesh.addService({ name: 'echo', clusters: ['gke', 'onprem'] }).failover({ failoverPriority: ['example.com/tier=silver', 'app=echo'] });
    const [dr] = find(synthMesh(mesh).gke, 'DestinationRule', 'echo');
    expect(dr.spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority).toEqual(['example.com/tier=silver', 'app=echo']);
  });

  test('mesh: cluster labels — key=value with an undeclared value is refused', () => {
    expect(meshError(LABELLED, failover(['example.com/tier=bronze']))).toContain(
      'MeshService.addService("echo").failoverPriority[0]: "example.com/tier=bronze" is invalid: no cluster of the mesh has example.com/tier=bronze. '
      + 'Valid: one of "example.com/tier=gold", "example.com/tier=silver"');
  });

  const withLabels = (labels: unknown): MultiClusterMeshProps => ({ meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r', labels: labels as { [key: string]: string } }] });
  test.each<[string, unknown, string]>([
    ['not a map', ['example.com/tier'], 'MultiClusterMesh.clusters[0].labels: ["example.com/tier"] is invalid: must be a map of label key to value'],
    ['an invalid key', { 'not a label': 'x' }, 'MultiClusterMesh.clusters[0].labels: "not a label" is invalid: invalid tag key: "not a label"'],
    ['an invalid value', { 'example.com/tier': 'gold class' }, 'MultiClusterMesh.clusters[0].labels["example.com/tier"]: "gold class" is invalid: invalid tag value: "gold class"'],
    ['a value that is not a string', { 'example.com/tier': 1 }, 'MultiClusterMesh.clusters[0].labels["example.com/tier"]: 1 is invalid: label values are strings'],
    ['a topology label (it comes from name, network, region, zones)', { 'topology.istio.io/network': 'n2' },
      'MultiClusterMesh.clusters[0].labels["topology.istio.io/network"]: "n2" is invalid: a topology label istiod sets itself'],
  ])('mesh: cluster labels — rejects %s', (_name, labels, message) => {
    expect(meshError(withLabels(labels))).toContain(message);
  });
});

describe('MultiClusterMesh refuses App output modes that mix clusters', () => {
  const clusters = [{ name: 'a', network: 'n', region: 'r' }, { name: 'b', network: 'n', region: 'r' }];
  test.each([
    [YamlOutputType.FILE_PER_RESOURCE, 'YamlOutputType.FILE_PER_RESOURCE" is invalid: files are named Kind.name.k8s.yaml, so one cluster\'s objects would overwrite another\'s'],
    [YamlOutputType.FILE_PER_APP, 'YamlOutputType.FILE_PER_APP" is invalid: every cluster would be written into one file'],
  ])('%s', (yamlOutputType, message) => {
    const error = errorOf(() => new MultiClusterMesh(new App({ yamlOutputType }), 'mesh', { meshId: 'm', clusters }));
    expect(error).toContain(`MultiClusterMesh.app.yamlOutputType: "${message}`);
    expect(error).toContain('Valid: YamlOutputType.FILE_PER_CHART (the default: dist/<cluster>.k8s.yaml) or YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE');
  });

  test.each([YamlOutputType.FILE_PER_CHART, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE])('%s is accepted and writes per cluster', (yamlOutputType) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-out-'));
    const app = new App({ yamlOutputType, outdir });
    const mesh = new MultiClusterMesh(app, 'mesh', { meshId: 'm', clusters });
    mesh.addService({ name: 'echo', clusters: ['a', 'b'] }).failover({ failoverPriority: ['topology.kubernetes.io/region'] });
    app.synth();
    const files = fs.readdirSync(outdir, { recursive: true }).map(String);
    expect(files.some((f) => f.startsWith('a'))).toBe(true);
    expect(files.some((f) => f.startsWith('b'))).toBe(true);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

describe('mesh.explain from JavaScript callers never gives a TypeError', () => {
  const build = () => {
    const mesh = new MultiClusterMesh(new App(), 'mesh', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r' }, { name: 'b', network: 'n', region: 'r' }] });
    return { mesh, svc: mesh.addService({ name: 'echo', clusters: ['a', 'b'] }) };
  };
  test('a service name instead of the service', () => {
    const { mesh } = build();
    expect(errorOf(() => mesh.explain('echo' as any, { from: 'a' })))
      .toContain('MultiClusterMesh.explain.service: "echo" is invalid: not a service of this mesh. Valid: what addService() returned: echo.default');
  });
  test('no query, or an undefined one', () => {
    const { mesh, svc } = build();
    expect(errorOf(() => (mesh.explain as any)(svc))).toContain('MultiClusterMesh.explain.query: undefined is invalid: a value is required. Valid: { from: one of a, b }');
    expect(errorOf(() => mesh.explain(svc, undefined as any))).toContain('MultiClusterMesh.explain.query: undefined is invalid');
    expect(errorOf(() => mesh.explain(svc, {} as any))).toContain('MultiClusterMesh.explain.from: undefined is invalid: unknown cluster');
  });
  test('a service of another mesh', () => {
    const { mesh } = build();
    const other = build();
    expect(errorOf(() => mesh.explain(other.svc, { from: 'a' }))).toContain('"echo.default.svc.cluster.local" is invalid: the service belongs to another mesh');
  });
});

describe('mesh: explain models the declared cluster labels in failoverPriority', () => {
  const TIERED: MultiClusterMeshProps = {
    meshId: 'm',
    clusters: [
      { name: 'gke-a', network: 'vpc', region: 'asia-northeast1', zones: ['asia-northeast1-a'], provider: CloudProvider.GKE, labels: { 'example.com/tier': 'gold' } },
      { name: 'gke-b', network: 'vpc', region: 'asia-northeast1', zones: ['asia-northeast1-b'], provider: CloudProvider.GKE, labels: { 'example.com/tier': 'silver' } },
      { name: 'onprem', network: 'default', region: 'tokyo-onprem', provider: CloudProvider.ON_PREM, labels: { 'example.com/tier': 'gold' } },
    ],
  };
  const build = () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', TIERED);
    const echo = mesh.addService({ name: 'echo', clusters: ['gke-a', 'gke-b', 'onprem'], replicas: { 'gke-a': 2, 'gke-b': 2, 'onprem': 2 } });
    echo.failover({ failoverPriority: ['example.com/tier'] });
    return { mesh, echo };
  };
  const shares = (r: { clusters: Array<{ cluster: string; percent: number }> }) =>
    Object.fromEntries(r.clusters.map((c) => [c.cluster, Math.round(c.percent)]));

  test('mesh.explain: a declared cluster label orders the clusters (onprem is gold too, but its gateway endpoint carries no pod labels)', () => {
    const { mesh, echo } = build();
    const fromGold = mesh.explain(echo, { from: 'gke-a' });
    expect(fromGold.priorities.map((p) => [p.priority, p.localities.map((l) => l.cluster)])).toEqual([[0, ['gke-a']], [1, ['gke-b', 'onprem']]]);
    expect(shares(fromGold)).toEqual({ 'gke-a': 100, 'gke-b': 0, 'onprem': 0 });
    expect(fromGold.assumptions.join('\n')).not.toContain('is not modelled');
    // gold down: the silver pods and onprem's gateway (weight 2 each) share P1
    expect(shares(mesh.explain(echo, { from: 'gke-a', healthy: { 'gke-a': 0 } }))).toEqual({ 'gke-a': 0, 'gke-b': 50, 'onprem': 50 });
    // a silver client prefers silver
    const fromSilver = mesh.explain(echo, { from: 'gke-b' });
    expect(fromSilver.priorities.map((p) => p.localities.map((l) => l.cluster))).toEqual([['gke-b'], ['gke-a', 'onprem']]);
    expect(shares(fromSilver)).toEqual({ 'gke-a': 0, 'gke-b': 100, 'onprem': 0 });
  });

  test('mesh.trafficReport: the client\'s pod labels, the gateway reason and the labels assumption', () => {
    const report = build().mesh.trafficReport('gke-a');
    expect(report).toContain('Client: cluster `gke-a`, network `vpc`, locality `asia-northeast1/asia-northeast1-a`, pod labels `example.com/tier=gold`.');
    expect(report).toContain('- failoverPriority [example.com/tier] → priority = 1 − leading labels matched');
    expect(report).toContain('- gateway endpoints carry no pod labels (ep_filters.go) → example.com/tier (gold on the client) never matches them');
    expect(report).toContain('- priorities (compacted, no gaps): P0 gke-a; P1 gke-b + onprem (gateway)');
    expect(report).toContain('| steady state | gke-a 100% | — |  |');
    expect(report).toContain('| gke-a down (local) | gke-b 50%, onprem 50% via gateway | — |');
    expect(report).toContain('| gke-b down | gke-a 100% | — |');
    expect(report).toContain('- declared pod labels: each endpoint carries the labels declared for its cluster and the client pod those of gke-a '
      + '(example.com/tier=gold); a label its cluster does not declare is absent (reads "")');
    expect(report).not.toContain('is not modelled');
  });
});

describe('found by fuzzing: refused with a ValidationError, never a TypeError', () => {
  test('isClusterLocal with a host that is not a string, in a cluster without cluster-local settings', () => {
    const mesh = new MultiClusterMesh(new App(), 'mesh', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r' }] });
    const e = validationErrorOf(() => mesh.isClusterLocal('a', 42 as any));
    expect([e.construct, e.field]).toEqual(['MultiClusterMesh', 'isClusterLocal.host']);
    expect(mesh.isClusterLocal('a', 'kubernetes.default.svc.cluster.local')).toBe(true);
  });

  test('a service added twice with another clusterDomain is refused, not a duplicate construct id', () => {
    const mesh = new MultiClusterMesh(new App(), 'mesh', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r' }] });
    mesh.addService({ name: 'echo', clusters: ['a'] }).failover();
    const e = validationErrorOf(() => mesh.addService({ name: 'echo', clusters: ['a'], clusterDomain: 'example.org' }));
    expect([e.field, e.value, e.reason]).toEqual(['addService("echo")', '"echo.default.svc.example.org"', 'this service was already added']);
  });
});

test('clients that see a service alike (_explainVariant) get equal explain models, so the reports share one per variant', () => {
  const mesh = new MultiClusterMesh(Testing.app(), 'mesh', {
    ...TWO_NETWORKS,
    clusters: [
      { name: 'a', network: 'n1', region: 'r1', provider: CloudProvider.GKE },
      { name: 'b', network: 'n1', region: 'r2', provider: CloudProvider.GKE },
      { name: 'c', network: 'n2', region: 'r3', provider: CloudProvider.GKE },
      { name: 'd', network: 'n2', region: 'r3', provider: CloudProvider.GKE },
    ],
  });
  mesh.clusterLocal(['*.local-ns.svc.cluster.local'], ['kept-global.local-ns.svc.cluster.local']);
  const failover = mesh.addService({ name: 'failover', namespace: 'app', clusters: ['a', 'c'], clients: ['a', 'b', 'c'] });
  failover.failover({ failoverPriority: ['topology.istio.io/network'] });
  const routed = mesh.addService({ name: 'routed', namespace: 'app', clusters: ['a', 'b'], clients: ['a', 'b', 'd'] });
  routed.failover();
  routed.routePerCluster({ fallbackToAllClusters: true });
  mesh.addService({ name: 'local', namespace: 'app', clusters: ['a', 'c'], clients: ['a', 'c'] }).keepLocal();
  mesh.addService({ name: 'x', namespace: 'local-ns', clusters: ['a', 'b', 'c', 'd'] });
  mesh.addService({ name: 'kept-global', namespace: 'local-ns', clusters: ['a', 'b', 'c', 'd'] }).failover();
  const variantsAgree = () => {
    for (const service of mesh.services) {
      const byVariant = new Map<string, string>();
      for (const client of mesh.clusterNames) {
        const variant = service._explainVariant(client);
        const model = JSON.stringify(service._explainModel(client));
        expect([service.name, client, byVariant.get(variant) ?? model]).toEqual([service.name, client, model]);
        byVariant.set(variant, model);
      }
    }
  };
  variantsAgree();
  // one client's rule changed after the fact (a public field): that client is a variant of its own
  const ruleIn = (cluster: string) => mesh.cluster(cluster).node.findAll().find((c): c is LocalityFailoverRule => LocalityFailoverRule._isRule(c) && c.host.startsWith('failover.'))!;
  ruleIn('b').failoverPriority.length = 0;
  variantsAgree();
  expect(failover._explainVariant('b')).not.toEqual(failover._explainVariant('a'));
  // and variants tell apart what differs (clients with and without a rule, cluster-local or not, routed or not)
  expect(new Set(mesh.clusterNames.map((c) => routed._explainVariant(c))).size).toBeGreaterThan(1);
  expect(new Set(mesh.clusterNames.map((c) => failover._explainVariant(c))).size).toBeGreaterThan(1);
});

test('Warnings.of finds warnings recorded as metadata by any copy of this package', () => {
  const chart = new Chart(Testing.app(), 'c');
  const inner = new Chart(chart, 'inner');
  const warning = { constructPath: 'c/x', construct: 'X', field: 'f', value: 'v', reason: 'r', suggestion: 's', message: 'm' };
  new Construct(inner, 'x').node.addMetadata('cdk8s-istio-multicluster/warning', warning);
  expect(Warnings.of(chart)).toEqual([warning]);
});

test('a GKE internal east-west gateway warns when GKE clusters on other networks are in other regions (global access off)', () => {
  const gkeWarnings = (clusters: MultiClusterMeshProps['clusters']) => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', { meshId: 'm', clusters });
    return Warnings.of(mesh).filter((w) => /global access/.test(w.reason)).map((w) => `${w.field}: ${w.reason}`);
  };
  const tokyo = { name: 'tokyo', network: 'vpc-a', region: 'asia-northeast1', provider: CloudProvider.GKE };
  const osaka = { name: 'osaka', network: 'vpc-b', region: 'asia-northeast2', provider: CloudProvider.GKE };
  expect(gkeWarnings([tokyo, osaka, { ...osaka, name: 'osaka2', network: 'vpc-a' }])).toEqual([
    'clusters[].exposure: a GKE internal load balancer accepts clients from its own region only unless global access is on, and GKE clusters on other networks in other regions would reach these east-west gateways (e.g. osaka in asia-northeast2 → tokyo in asia-northeast1)',
  ]);
  const mesh = new MultiClusterMesh(Testing.app(), 'mesh', { meshId: 'm', clusters: [tokyo, osaka] });
  expect(Warnings.of(mesh).find((w) => /global access/.test(w.reason))?.value).toBe('["tokyo","osaka"]');
  // the annotation (either value) is the user's decision
  const decided = (value: string) => GatewayExposure.internal(CloudProvider.GKE, { annotations: { 'networking.gke.io/internal-load-balancer-allow-global-access': value } });
  expect(gkeWarnings([{ ...tokyo, exposure: decided('true') }, { ...osaka, exposure: decided('false') }])).toEqual([]);
  // same region, same network, or a peer whose region is not a Google Cloud one (on-prem over a VPN): nothing to judge
  expect(gkeWarnings([tokyo, { ...osaka, region: 'asia-northeast1' }])).toEqual([]);
  expect(gkeWarnings([tokyo, { name: 'onprem', network: 'dc', region: 'tokyo-onprem', provider: CloudProvider.ON_PREM }])).toEqual([]);
});

test('a client cluster where the service does not run is told to create its Service (DNS), unless one was given', () => {
  const app = Testing.app();
  const mesh = new MultiClusterMesh(app, 'mesh', TWO_NETWORKS);
  mesh.addService({ name: 'echo', clusters: ['gke'], clients: ['gke', 'onprem'] }).failover();
  const line = 'Service echo in namespace default, clusters onprem: create it there (it may select no pods), or the name does not resolve and requests never reach the sidecar';
  expect(mesh.trafficReport('onprem')).toContain(`## To set on your Services\n\nThe explanations below assume these settings, which no object of this chart makes:\n\n- ${line}`);
  expect(mesh.trafficReport('gke')).toContain(line);
  // with the client cluster's Service object given, nothing to say
  const other = new MultiClusterMesh(Testing.app(), 'mesh', TWO_NETWORKS);
  const chart = new Chart(other.node.root as App, 'onprem-apps', { namespace: 'default' });
  const svc = new ApiObject(chart, 'echo', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo' }, spec: { ports: [{ port: 80 }] } });
  other.addService({ name: 'echo', clusters: ['gke'], clients: ['gke', 'onprem'], kubernetesServices: { onprem: svc } }).failover();
  expect(other.trafficReport('onprem')).not.toContain('create it there');
});
