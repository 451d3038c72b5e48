// Two GKE clusters in one VPC (Tokyo and Osaka), multi-primary
// on a single network: no east-west gateways. helloworld fails over between regions, echo is
// split 50/50 from Tokyo, mysvc keeps every caller on its own cluster's endpoints, and web prefers
// its caller's zone through Kubernetes' own spec.trafficDistribution on the app's Service.
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { CloudProvider, IstioVersion, MeshApp, MultiClusterMesh, TrafficDistribution } from '../../src';

/** Declares the mesh in `app`; also used by the tests. */
export function tokyoOsaka(app: App): MultiClusterMesh {
  const mesh = new MultiClusterMesh(app, 'mesh', {
    meshId: 'proj-123456',
    revision: 'asm-1310-1',
    istioVersion: IstioVersion.V1_31,
    clusters: [
      { name: 'gke-tokyo', network: 'vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-a'], provider: CloudProvider.GKE },
      { name: 'gke-osaka', network: 'vpc01', region: 'asia-northeast2', zones: ['asia-northeast2-a'], provider: CloudProvider.GKE },
    ],
  });

  const helloworld = mesh.addService({ name: 'helloworld', namespace: 'sample', clusters: ['gke-tokyo', 'gke-osaka'], replicas: { 'gke-tokyo': 2, 'gke-osaka': 2 } });
  helloworld.failover({
    failover: [{ from: 'asia-northeast1', to: 'asia-northeast2' }, { from: 'asia-northeast2', to: 'asia-northeast1' }],
    // maxEjectionPercent 100: Envoy's default 10% ejects nothing out of fewer than 10 hosts
    outlierDetection: { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(1), maxEjectionPercent: 100 },
    connectionPool: { maxRequestsPerConnection: 1 },
  });

  const echo = mesh.addService({ name: 'echo', namespace: 'sample', clusters: ['gke-tokyo', 'gke-osaka'] });
  echo.distribute({
    distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 50, 'asia-northeast2/*': 50 } }],
  });

  const mysvc = mesh.addService({ name: 'mysvc', namespace: 'myns', clusters: ['gke-tokyo', 'gke-osaka'] });
  mysvc.routePerCluster();

  // The app's own Service, one chart per cluster (dist/<cluster>-apps.k8s.yaml). The mesh sets
  // spec.trafficDistribution on it (PreferClose below Kubernetes 1.34) and emits no Service itself.
  const webServices = Object.fromEntries(mesh.clusterNames.map((cluster) => {
    const apps = new Chart(app, `${cluster}-apps`, { namespace: 'sample' });
    return [cluster, new kplus.Service(apps, 'web', {
      metadata: { name: 'web' },
      ports: [{ port: 80, targetPort: 8080 }],
      selector: kplus.Pods.select(apps, 'web-pods', { labels: { app: 'web' } }),
    })];
  }));
  const web = mesh.addService({ name: 'web', namespace: 'sample', clusters: ['gke-tokyo', 'gke-osaka'], kubernetesServices: webServices });
  web.trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);

  return mesh;
}

if (require.main === module) {
  const app = new MeshApp();
  tokyoOsaka(app);
  app.synth();
}
