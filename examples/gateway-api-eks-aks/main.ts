// Sidecar mode across two clouds (EKS and AKS, one network each) with the east-west gateways as
// Gateway API objects: istiod deploys and updates each gateway itself (class `istio`), so the
// charts hold one Gateway per cluster instead of a Deployment, Service, ServiceAccount, HPA and
// PDB. Needs the Gateway API CRDs (v1.2+) in both clusters.
//
//   npx cdk8s synth --no-check-upgrade    ->  dist/eks.k8s.yaml, dist/aks.k8s.yaml,
//                                             dist/<cluster>.traffic.md, dist/mesh.md
import { App } from 'cdk8s';
import { CloudProvider, MeshApp, MultiClusterMesh } from '../../src';

/** Declares the mesh in `app`; also used by the tests. */
export function gatewayApiEksAks(app: App): MultiClusterMesh {
  const mesh = new MultiClusterMesh(app, 'mesh', {
    meshId: 'shop-mesh',
    gatewayApi: true,
    // one TLS listener per exposed host on each gateway
    exposedHosts: ['*.payments.svc.cluster.local'],
    strict: true,
    clusters: [
      { name: 'eks', network: 'aws-vpc', region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b'], provider: CloudProvider.EKS },
      { name: 'aks', network: 'azure-vnet', region: 'eastus', zones: ['eastus-1'], provider: CloudProvider.AKS },
    ],
  });
  const checkout = mesh.addService({ name: 'checkout', namespace: 'payments', clusters: ['eks', 'aks'], replicas: { eks: 3, aks: 3 } });
  checkout.failover({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] });
  return mesh;
}

if (require.main === module) {
  const app = new MeshApp();
  gatewayApiEksAks(app);
  app.synth();
}
