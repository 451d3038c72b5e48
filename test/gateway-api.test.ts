/**
 * Gateway API east-west gateways (sidecar `istio`, ambient `istio-east-west`, `istio-remote`) and
 * the mesh's `gatewayApi` option. Every synthesized object is validated against the vendored
 * Gateway API v1.5.1 CRDs (OpenAPI + CEL) by `synthValidated`.
 */
import { Chart, Testing } from 'cdk8s';
import {
  AmbientEastWestGateway, CloudProvider, GatewayAddress, GatewayApiEastWestGateway, GatewayExposure, IstioRemoteGateway, IstioVersion,
  MultiClusterMesh, MultiClusterMeshProps, Warnings,
} from '../src';
import { validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

function chart(): Chart {
  return new Chart(Testing.app(), 'c');
}
const of = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);

describe('GatewayApiEastWestGateway', () => {
  test('one Gateway: class istio, network label, a TLS Passthrough listener per host with the auto-passthrough option', () => {
    const c = chart();
    const gw = new GatewayApiEastWestGateway(c, 'gw', { network: 'net1', provider: CloudProvider.GKE, hosts: ['*.payments.svc.cluster.local', 'echo.default.svc.cluster.local'], revision: 'canary' });
    const objs = synthValidated(c);
    expect(objs.map((o) => `${o.apiVersion}/${o.kind}`)).toEqual(['gateway.networking.k8s.io/v1/Gateway']);
    const [g] = objs;
    expect(g.metadata).toEqual({ name: 'istio-eastwestgateway', namespace: 'istio-system', labels: { 'topology.istio.io/network': 'net1', 'istio.io/rev': 'canary' } });
    expect(g.spec.gatewayClassName).toBe('istio');
    expect(g.spec.listeners).toEqual([
      { name: 'cross-network', hostname: '*.payments.svc.cluster.local', port: 15443, protocol: 'TLS', tls: { mode: 'Passthrough', options: { 'gateway.istio.io/listener-protocol': 'auto-passthrough' } } },
      { name: 'cross-network-2', hostname: 'echo.default.svc.cluster.local', port: 15443, protocol: 'TLS', tls: { mode: 'Passthrough', options: { 'gateway.istio.io/listener-protocol': 'auto-passthrough' } } },
    ]);
    // internal load balancer: the provider's Service annotations reach the managed Service through spec.infrastructure
    expect(g.spec.infrastructure).toEqual({ annotations: { 'networking.gke.io/load-balancer-type': 'Internal' } });
    expect(gw.serviceName).toBe('istio-eastwestgateway-istio');
  });

  test('internal exposure per provider (GKE, EKS, AKS) in spec.infrastructure.annotations', () => {
    const expected: Array<[CloudProvider, string]> = [
      [CloudProvider.GKE, 'networking.gke.io/load-balancer-type'],
      [CloudProvider.EKS, 'service.beta.kubernetes.io/aws-load-balancer-scheme'],
      [CloudProvider.AKS, 'service.beta.kubernetes.io/azure-load-balancer-internal'],
    ];
    for (const [provider, key] of expected) {
      const c = chart();
      new GatewayApiEastWestGateway(c, 'gw', { network: 'net1', provider, hosts: ['*.default.svc.cluster.local'] });
      expect(Object.keys(synthValidated(c)[0].spec.infrastructure.annotations)).toContain(key);
    }
  });

  test('infrastructure labels replace the Gateway\'s labels on the managed objects, so the network label is repeated there', () => {
    const c = chart();
    new GatewayApiEastWestGateway(c, 'gw', { network: 'net1', provider: CloudProvider.GKE, hosts: ['*'], infrastructureLabels: { team: 'platform' } });
    const [g] = synthValidated(c);
    expect(g.spec.infrastructure.labels).toEqual({ 'team': 'platform', 'topology.istio.io/network': 'net1' });
    // "*" is a listener without hostname
    expect(g.spec.listeners[0].hostname).toBeUndefined();
  });

  test('NodePort: the service-type annotation, node selector on the Service, source ranges as overlay + NetworkPolicy', () => {
    const c = chart();
    new GatewayApiEastWestGateway(c, 'gw', {
      network: 'net1',
      hosts: ['*.default.svc.cluster.local'],
      exposure: GatewayExposure.nodePort({ sourceRanges: ['10.0.0.0/8'], tlsNodePort: 32443, nodeSelector: { 'node-role': 'edge' } }),
    });
    const objs = synthValidated(c);
    const [g] = of(objs, 'Gateway');
    expect(g.metadata.annotations).toEqual({ 'networking.istio.io/service-type': 'NodePort' });
    expect(g.spec.infrastructure.annotations['traffic.istio.io/nodeSelector']).toBe('{"node-role":"edge"}');
    expect(g.spec.infrastructure.parametersRef).toEqual({ group: '', kind: 'ConfigMap', name: 'istio-eastwestgateway-service-overlay' });
    const [cm] = of(objs, 'ConfigMap');
    expect(cm.data.service).toBe('spec:\n  externalTrafficPolicy: Local\n  ports:\n    - port: 15443\n      nodePort: 32443\n');
    const [np] = of(objs, 'NetworkPolicy');
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'istio-eastwestgateway' } });
    expect(np.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '10.0.0.0/8' } }]);
  });

  test('load balancer source ranges go to the Service overlay; one static IP is an explicit IPAddress address', () => {
    const c = chart();
    new GatewayApiEastWestGateway(c, 'gw', {
      network: 'net1',
      hosts: ['*.default.svc.cluster.local'],
      exposure: GatewayExposure.internal(CloudProvider.GKE, { loadBalancerSourceRanges: ['10.8.0.0/16'] }),
      addresses: [GatewayAddress.ipAddress('10.0.0.10')],
    });
    const objs = synthValidated(c);
    expect(of(objs, 'Gateway')[0].spec.addresses).toEqual([{ type: 'IPAddress', value: '10.0.0.10' }]);
    expect(of(objs, 'ConfigMap')[0].data.service).toContain('loadBalancerSourceRanges:\n    - 10.8.0.0/16');
  });

  test('the default host "*.local" exposes everything: a warning, as for the classic gateway', () => {
    const c = chart();
    new GatewayApiEastWestGateway(c, 'gw', { network: 'net1', provider: CloudProvider.GKE });
    expect(Warnings.of(c.node.findChild('gw')).map((w) => w.field)).toEqual(['hosts (default)']);
  });

  test('mistakes are refused with the field and what is valid', () => {
    const cases: Array<[any, string, string]> = [
      [{ network: 'net1' }, 'provider', 'one of provider and exposure is required'],
      [{ network: 'net1', provider: CloudProvider.GKE, hosts: ['istio-system/*.local'] }, 'hosts[0]', 'not a Gateway API listener hostname'],
      [{ network: 'net1', provider: CloudProvider.GKE, hosts: ['*.local', '*.local'] }, 'hosts[1]', 'listed twice'],
      [{ network: 'net1', provider: CloudProvider.GKE, infrastructureLabels: { 'topology.istio.io/network': 'other' } }, 'infrastructureLabels["topology.istio.io/network"]', 'contradicts network'],
      [{ network: 'net1', provider: CloudProvider.GKE, addresses: [GatewayAddress.hostname('gw.example.com')] }, 'addresses', 'makes istiod bind to an existing Service'],
      [{ network: 'net1', provider: CloudProvider.GKE, exposeIstiod: true }, 'exposeIstiod', 'unknown property'],
      [{ network: 'net1', provider: CloudProvider.GKE, hosts: ['*.payments.svc.cluster.local', 'checkout.payments.svc.cluster.local'] }, 'hosts[1]', 'already covers it'],
      [{ network: 'net1', provider: CloudProvider.GKE, hosts: ['*', '*.local'] }, 'hosts[1]', 'two listeners would give its services two filter chains with the same SNI'],
      [{ network: 'net1', provider: CloudProvider.GKE, addresses: [{ type: 'IPAddress', value: 'not-an-ip' }] }, 'addresses[0]', 'not an IP address'],
    ];
    for (const [props, field, reason] of cases) {
      const e = validationErrorOf(() => new GatewayApiEastWestGateway(chart(), 'gw', props));
      expect([e.field, e.reason]).toEqual([field, expect.stringContaining(reason)]);
    }
    expect(validationErrorOf(() => GatewayAddress.ipAddress('10.0.0.300')).reason).toBe('not an IP address');
  });
});

describe('AmbientEastWestGateway', () => {
  test('class istio-east-west, listener mesh on 15008 HBONE, Terminate with ISTIO_MUTUAL (what gen-eastwest-gateway.sh --ambient writes)', () => {
    const c = chart();
    new AmbientEastWestGateway(c, 'gw', { network: 'network1', provider: CloudProvider.AKS });
    const [g] = synthValidated(c);
    expect(g.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(g.metadata).toEqual({ name: 'istio-eastwestgateway', namespace: 'istio-system', labels: { 'topology.istio.io/network': 'network1' } });
    expect(g.spec.gatewayClassName).toBe('istio-east-west');
    expect(g.spec.listeners).toEqual([{ name: 'mesh', port: 15008, protocol: 'HBONE', tls: { mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } } }]);
  });

  test('needs Istio 1.27', () => {
    const e = validationErrorOf(() => new AmbientEastWestGateway(chart(), 'gw', { network: 'n', provider: CloudProvider.GKE, istioVersion: IstioVersion.of('1.26') }));
    expect(e.reason).toBe('ambient multi-network (class istio-east-west) needs Istio 1.27 (Istio 1.27 release notes); the target is Istio 1.26');
  });
});

describe('IstioRemoteGateway', () => {
  test('class istio-remote with explicit address types and the AUTO_PASSTHROUGH listener', () => {
    const c = chart();
    new IstioRemoteGateway(c, 'r', { network: 'network2', addresses: [GatewayAddress.ipAddress('203.0.113.10'), GatewayAddress.hostname('eastwest.example.com')] });
    const [g] = synthValidated(c);
    expect(g.metadata.name).toBe('network2-eastwest');
    expect(g.spec.gatewayClassName).toBe('istio-remote');
    expect(g.spec.addresses).toEqual([{ type: 'IPAddress', value: '203.0.113.10' }, { type: 'Hostname', value: 'eastwest.example.com' }]);
    expect(g.spec.listeners[0].tls.options).toEqual({ 'gateway.istio.io/listener-protocol': 'auto-passthrough' });
  });

  test('an address is required', () => {
    expect(validationErrorOf(() => new IstioRemoteGateway(chart(), 'r', { network: 'n', addresses: [] })).field).toBe('addresses');
  });
});

describe('MultiClusterMesh gatewayApi', () => {
  const PROPS: MultiClusterMeshProps = {
    meshId: 'mesh1',
    gatewayApi: true,
    exposedHosts: ['*.default.svc.cluster.local'],
    clusters: [
      { name: 'gke', network: 'net-gke', region: 'us-east1', provider: CloudProvider.GKE },
      { name: 'eks', network: 'net-eks', region: 'us-west-2', provider: CloudProvider.EKS },
      { name: 'aks', network: 'net-aks', region: 'eastus', provider: CloudProvider.AKS },
    ],
  };

  test('per cluster: a Gateway API east-west gateway with internal exposure, and no networking.istio.io Gateway or gateway Deployment', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', PROPS);
    mesh.addService({ name: 'echo', clusters: ['gke', 'eks', 'aks'] }).failover();
    for (const [name, annotation] of [['gke', 'networking.gke.io/load-balancer-type'], ['eks', 'service.beta.kubernetes.io/aws-load-balancer-scheme'], ['aks', 'service.beta.kubernetes.io/azure-load-balancer-internal']]) {
      const objs = synthValidated(mesh.cluster(name));
      expect(objs.filter((o) => o.apiVersion === 'networking.istio.io/v1' && o.kind === 'Gateway')).toEqual([]);
      expect(of(objs, 'Deployment')).toEqual([]);
      const [g] = objs.filter((o) => o.apiVersion === 'gateway.networking.k8s.io/v1');
      expect(g.metadata.labels['topology.istio.io/network']).toBe(`net-${name}`);
      expect(g.spec.listeners.map((l: any) => l.hostname)).toEqual(['*.default.svc.cluster.local']);
      expect(Object.keys(g.spec.infrastructure.annotations)).toContain(annotation);
      expect(of(objs, 'DestinationRule')).toHaveLength(1);
    }
  });

  test('gatewayApi in a single-network mesh would be ignored: refused', () => {
    const e = validationErrorOf(() => new MultiClusterMesh(Testing.app(), 'mesh', { ...PROPS, clusters: PROPS.clusters.map((c) => ({ ...c, network: 'one' })) }));
    expect([e.field, e.reason]).toEqual(['gatewayApi', 'every cluster is on the same network, so the mesh has no east-west gateway and this setting would be ignored']);
  });

  test('a gateway namespace other than Istio\'s gets its Namespace object', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', { ...PROPS, gatewayNamespace: 'istio-gateways' });
    const objs = synthValidated(mesh.cluster('gke'));
    expect(objs.map((o) => o.kind)).toEqual(['Namespace', 'Gateway']);
    expect(objs[1].metadata.namespace).toBe('istio-gateways');
  });

  test('explain is unchanged: the Gateway API gateway behaves like the classic one', () => {
    const a = new MultiClusterMesh(Testing.app(), 'mesh', PROPS);
    const b = new MultiClusterMesh(Testing.app(), 'mesh', { ...PROPS, gatewayApi: false });
    const q = { from: 'gke', healthy: { gke: 0 } };
    const [ea, eb] = [a, b].map((m) => { const s = m.addService({ name: 'echo', clusters: ['gke', 'eks'] }); s.failover(); return m.explain(s, q); });
    expect(ea).toEqual(eb);
  });
});
