// A GKE cluster and an on-prem bare-metal cluster on two
// networks joined by VPN. Multi-primary, multi-network: an east-west gateway in each cluster
// (internal load balancer on GKE, MetalLB's private address on premises), on-prem clients fail
// over to asia-northeast1, and services in `default` stay cluster-local except echo-svc.
//
//   npx cdk8s synth --no-check-upgrade    ->  dist/gke.k8s.yaml, dist/onprem.k8s.yaml,
//                                             dist/<cluster>.traffic.md, dist/mesh.md
import { App, Duration } from 'cdk8s';
import { CloudProvider, LoadBalancerAlgorithm, MeshApp, MultiClusterMesh } from '../../src';

/** Declares the mesh in `app`; also used by the tests. */
export function hybridGkeOnprem(app: App): MultiClusterMesh {
  const mesh = new MultiClusterMesh(app, 'mesh', {
    meshId: 'proj-123456',
    revision: 'asm-1132-2',
    gatewayNamespace: 'gateway',
    // Only echo-svc is called across networks: the east-west gateways expose nothing else.
    exposedHosts: ['echo-svc.default.svc.cluster.local'],
    // Warnings (valid but almost certainly wrong settings) fail the synth.
    strict: true,
    clusters: [
      { name: 'gke', network: 'kuchima-demo-vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-a'], provider: CloudProvider.GKE },
      { name: 'onprem', network: 'default', region: 'tokyo-onprem', provider: CloudProvider.ON_PREM },
    ],
  });

  const echo = mesh.addService({ name: 'echo-svc', namespace: 'default', clusters: ['gke', 'onprem'], replicas: { gke: 2, onprem: 2 } });
  echo.failover({
    failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }],
    loadBalancer: LoadBalancerAlgorithm.ROUND_ROBIN,
    // Fast ejection, and maxEjectionPercent: 100. Left at Envoy's default of 10%, no host out of
    // fewer than 10 (2 pods + 1 gateway here) is ever ejected, so failover would work for drained
    // pods but never for failing ones. `npx projen explain` shows both.
    outlierDetection: { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(1), maxEjectionPercent: 100 },
  });

  // Everything else in `default` stays in the caller's cluster.
  mesh.clusterLocal(['*.default.svc.cluster.local'], ['echo-svc.default.svc.cluster.local']);

  return mesh;
}

if (require.main === module) {
  const app = new MeshApp();
  hybridGkeOnprem(app);
  app.synth();
}
