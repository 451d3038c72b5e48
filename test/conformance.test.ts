// Conformance: every example and a matrix of option combinations per construct, each object
// validated against the vendored schemas (the CRDs, with CEL rules, of every Istio release in
// ISTIO_RELEASES — 1.29, 1.30, 1.31 —, Kubernetes 1.34, unknown fields rejected). The count of
// objects checked, and of Istio objects checked per release, is printed at the end.
import { App, Chart, Duration, Testing } from 'cdk8s';
import { hybridGkeOnprem } from '../examples/hybrid-gke-onprem/main';
import { tokyoOsaka } from '../examples/tokyo-osaka/main';
import {
  CloudProvider, ClusterLocalPolicy, CrossNetworkGateway, EastWestGateway, EastWestGatewayOperator, GatewayExposure,
  LoadBalancerAlgorithm, LocalityFailoverRule, LocalityFailoverRuleProps, NetworkLabel, PerClusterSubsetRouting,
} from '../src';
import { expectIstioNetworkingV1, ISTIO_RELEASES, istioReleaseCheckCounts, synthValidated, validatedObjectCount } from './support/schema';

function check(build: (chart: Chart) => void): any[] {
  const chart = new Chart(Testing.app(), 'conformance');
  build(chart);
  const objects = synthValidated(chart);
  expectIstioNetworkingV1(objects);
  return objects;
}

const HOST = 'echo.default.svc.cluster.local';
const od = { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(1) };
const localityVariants: Array<Partial<LocalityFailoverRuleProps>> = [
  {},
  { failover: [{ from: 'a', to: 'b' }] },
  { failover: [{ from: 'a', to: 'b' }], failoverPriority: ['topology.istio.io/network'] },
  { failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone'] },
  { failoverPriority: ['topology.istio.io/cluster=c1'] },
  { distribute: [{ from: 'a/*', to: { 'a/*': 80, 'b/*': 20 } }, { from: 'b/z1', to: { 'b/z1/s1': 100 } }] },
  { enabled: false },
];

describe('conformance', () => {
  test('both examples, every cluster', () => {
    for (const build of [hybridGkeOnprem, tokyoOsaka]) {
      const mesh = build(Testing.app());
      for (const name of mesh.clusterNames) expectIstioNetworkingV1(synthValidated(mesh.cluster(name)));
    }
  });

  test('LocalityFailoverRule: locality settings × load balancer × outlier detection × connection pool', () => {
    for (const locality of localityVariants) {
      for (const loadBalancer of [undefined, ...Object.values(LoadBalancerAlgorithm)]) {
        for (const outlierDetection of [undefined, od]) {
          for (const connectionPool of [undefined, { maxRequestsPerConnection: 1, connectTimeout: Duration.millis(500) }]) {
            check((c) => {
              const rule = new LocalityFailoverRule(c, 'r', { host: HOST, namespace: 'default', exportTo: ['.'], ...locality, loadBalancer, outlierDetection, connectionPool });
              rule.addSubset({ name: 'v1', labels: { version: 'v1' } });
            });
          }
        }
      }
    }
  });

  test('PerClusterSubsetRouting: fallback × own or shared DestinationRule', () => {
    for (const fallbackToAllClusters of [false, true]) {
      for (const shared of [false, true]) {
        check((c) => {
          const destinationRule = shared ? new LocalityFailoverRule(c, 'dr', { host: HOST }) : undefined;
          new PerClusterSubsetRouting(c, 'r', { host: HOST, clusters: ['c1', 'c2', 'C_3'], fallbackToAllClusters, destinationRule });
        });
      }
    }
  });

  test('ClusterLocalPolicy: hosts × exceptions', () => {
    for (const hosts of [['*'], ['*.default.svc.cluster.local', 'a.b.svc.cluster.local']]) {
      for (const exceptions of [undefined, ['echo.default.svc.cluster.local']]) {
        check((c) => new ClusterLocalPolicy(c, 'p', { hosts, exceptions, istioNamespace: 'istio-system' }));
      }
    }
  });

  test('EastWestGateway + CrossNetworkGateway + NetworkLabel: exposure × revision × istiod × namespace', () => {
    const exposures = [
      ...[CloudProvider.GKE, CloudProvider.EKS, CloudProvider.AKS, CloudProvider.ON_PREM].map((p) => GatewayExposure.internal(p)),
      GatewayExposure.onPrem(),
      GatewayExposure.nodePort({ allowFromAnywhere: true, tlsNodePort: 31443 }),
      GatewayExposure.nodePort({ sourceRanges: ['198.51.100.0/24', '2001:db8::/32'], tlsNodePort: 31443 }),
      GatewayExposure.internetFacing({ loadBalancerSourceRanges: ['10.0.0.0/8'] }),
    ];
    for (const exposure of exposures) {
      for (const revision of [undefined, 'asm-1132-2']) {
        for (const exposeIstiod of [false, true]) {
          for (const namespace of [undefined, 'gateway']) {
            check((c) => {
              const gw = new EastWestGateway(c, 'ew', { network: 'net1', exposure, revision, exposeIstiod, namespace });
              new CrossNetworkGateway(c, 'cn', { gateway: gw, exposedNamespaces: ['default', 'shop'] });
              new NetworkLabel(c, 'nl', { gateway: gw });
            });
          }
        }
      }
    }
  });

  test('IstioOperator output for istioctl users (its own chart)', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const op = new EastWestGatewayOperator(app, 'eastwest-operator', { network: 'net1', revision: 'asm-1132-2', provider: CloudProvider.GKE });
    synthValidated(op);
  });

  test('every Istio release was checked (runs last)', () => {
    expect(istioReleaseCheckCounts().map(([release]) => release)).toEqual([...ISTIO_RELEASES]);
  });

  afterAll(() => {
    const perRelease = istioReleaseCheckCounts().map(([release, n]) => `Istio ${release}: ${n}`).join(', ');
    // eslint-disable-next-line no-console
    console.log(`conformance: ${validatedObjectCount()} objects validated against the vendored schemas; Istio objects per release checked: ${perRelease}`);
  });
});
