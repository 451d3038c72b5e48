// A consumer of the packed library: the newest cdk8s, constructs and cdk8s-plus-33, nothing else.
// scripts/consumer-smoke.sh copies this folder to a temp dir, installs the tarball, runs tsc and
// `cdk8s synth`, then checks dist/.
import { ApiObject, Chart } from 'cdk8s';
import { CloudProvider, GatewayExposure, KubernetesVersion, LocalityFailoverRule, MeshApp, MultiClusterMesh, ServiceHost, TrafficDistribution } from 'cdk8s-istio-multicluster';
import * as kplus from 'cdk8s-plus-33';

const app = new MeshApp();

// Two clusters on two networks: dist/east.k8s.yaml and dist/west.k8s.yaml, each with an
// east-west gateway, the cross-network-gateway and the echo DestinationRule.
const mesh = new MultiClusterMesh(app, 'mesh', {
  meshId: 'smoke',
  // internal load balancers reached from the other region: GKE global access (strict mode refuses it missing)
  clusters: ['east', 'west'].map((name) => ({
    name,
    network: `net-${name}`,
    region: `us-${name}1`,
    exposure: GatewayExposure.internal(CloudProvider.GKE, { annotations: { 'networking.gke.io/internal-load-balancer-allow-global-access': 'true' } }),
  })),
  exposedHosts: ['echo.default.svc.cluster.local'],
  strict: true,
});
const echo = mesh.addService({ name: 'echo', namespace: 'default', clusters: ['east', 'west'], replicas: { east: 2, west: 2 } });
echo.failover({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] });

// The user's own chart (dist/apps.k8s.yaml): a cdk8s-plus-33 Service and a plain ApiObject of
// kind Service, both turned into hosts by ServiceHost.of (which must accept any cdk8s-plus Service
// and an ApiObject of kind Service, not only the library's own cdk8s-plus-27 Service).
const chart = new Chart(app, 'apps');
const web = new kplus.Service(chart, 'svc', {
  metadata: { name: 'web', namespace: 'shop' },
  ports: [{ port: 80 }],
});
const raw = new ApiObject(chart, 'raw', {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'raw', namespace: 'shop' },
  spec: { selector: { app: 'raw' }, ports: [{ port: 80, targetPort: 8080 }] },
});
new LocalityFailoverRule(chart, 'web-failover', { host: ServiceHost.of(web), namespace: 'shop' });
new LocalityFailoverRule(chart, 'raw-failover', { host: ServiceHost.of(raw), namespace: 'shop' });

// A second mesh-level service whose traffic distribution lives on the app's own cdk8s-plus-33
// Service (another cdk8s-plus than the library's): the mesh patches spec.trafficDistribution in.
const zonal = new kplus.Service(chart, 'zonal', { metadata: { name: 'zonal', namespace: 'shop' }, ports: [{ port: 80 }] });
const zonalMesh = new MultiClusterMesh(app, 'zonal-mesh', {
  meshId: 'smoke-zonal',
  clusters: [{ name: 'solo', network: 'net', region: 'us-east1', zones: ['us-east1-b'], provider: CloudProvider.GKE }],
  kubernetesVersion: KubernetesVersion.V1_34,
  strict: true,
});
zonalMesh.addService({ name: 'zonal', namespace: 'shop', clusters: ['solo'], kubernetesServices: { solo: zonal } })
  .trafficDistribution(TrafficDistribution.PREFER_SAME_ZONE);

app.synth();
