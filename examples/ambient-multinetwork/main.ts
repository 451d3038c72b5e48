// Ambient mode (beta for multi-network from Istio 1.29; Istio's docs still say "not for
// production") on two GKE clusters in two VPCs: an `istio-east-west` Gateway (HBONE on 15008) per
// cluster, the app's Services made global with `istio.io/global` (cart kept local), web preferring
// its caller's zone through ztunnel (trafficDistribution), and orders failing over through a
// waypoint, which applies the DestinationRule (ztunnel ignores DestinationRules).
//
//   npx cdk8s synth --no-check-upgrade    ->  dist/tokyo.k8s.yaml, dist/osaka.k8s.yaml,
//                                             dist/<cluster>-apps.k8s.yaml, reports
// Install istiod with `mesh.istiodHelmValues(cluster)` (profile ambient, AMBIENT_ENABLE_MULTI_NETWORK)
// and ztunnel with `mesh.ztunnelHelmValues(cluster)`.
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { CloudProvider, DataPlaneMode, GatewayExposure, IstioVersion, MeshApp, MultiClusterMesh, TrafficDistribution } from '../../src';

const globalAccess = GatewayExposure.internal(CloudProvider.GKE, { annotations: { 'networking.gke.io/internal-load-balancer-allow-global-access': 'true' } });

/** Declares the mesh in `app`; also used by the tests. */
export function ambientMultinetwork(app: App): MultiClusterMesh {
  const mesh = new MultiClusterMesh(app, 'mesh', {
    meshId: 'ambient-mesh',
    dataPlaneMode: DataPlaneMode.AMBIENT,
    istioVersion: IstioVersion.V1_31,
    // The two VPCs are in different regions: a GKE internal load balancer takes clients from its
    // own region only, unless global access is on.
    clusters: [
      { name: 'tokyo', network: 'vpc-tokyo', region: 'asia-northeast1', zones: ['asia-northeast1-a', 'asia-northeast1-b'], exposure: globalAccess },
      { name: 'osaka', network: 'vpc-osaka', region: 'asia-northeast2', zones: ['asia-northeast2-a'], exposure: globalAccess },
    ],
  });

  // The app's own Services, one chart per cluster: the mesh labels them (istio.io/global,
  // istio.io/use-waypoint) and sets trafficDistribution; it emits no Service itself.
  const services = (name: string) => Object.fromEntries(mesh.clusterNames.map((cluster) => {
    const apps = (app.node.tryFindChild(`${cluster}-apps`) as Chart | undefined) ?? new Chart(app, `${cluster}-apps`, { namespace: 'shop' });
    const pods = kplus.Pods.select(apps, `${name}-pods`, { labels: { app: name } });
    return [cluster, new kplus.Service(apps, name, { metadata: { name }, ports: [{ port: 80, targetPort: 8080 }], selector: pods })];
  }));

  const web = mesh.addService({ name: 'web', namespace: 'shop', clusters: ['tokyo', 'osaka'], replicas: { tokyo: 2, osaka: 2 }, kubernetesServices: services('web') });
  web.trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);

  const orders = mesh.addService({
    name: 'orders', namespace: 'shop', clusters: ['tokyo', 'osaka'], replicas: { tokyo: 2, osaka: 2 }, waypoint: 'waypoint', kubernetesServices: services('orders'),
  });
  orders.failover({ failoverPriority: ['topology.istio.io/cluster'] });

  const cart = mesh.addService({ name: 'cart', namespace: 'shop', clusters: ['tokyo', 'osaka'], kubernetesServices: services('cart') });
  cart.keepLocal();
  return mesh;
}

if (require.main === module) {
  const app = new MeshApp();
  ambientMultinetwork(app);
  app.synth();
}
