// GatewayExposure.nodePort(): like internetFacing, the node ports are limited to source ranges
// (a NetworkPolicy, with externalTrafficPolicy: Local) or opened with an explicit acknowledgement.
import { ApiObject, Chart, Testing } from 'cdk8s';
import { MultiClusterMesh } from '../src';
import { EastWestGateway, EastWestGatewayProps } from '../src/east-west-gateway';
import { EastWestGatewayOperator } from '../src/east-west-gateway-operator';
import { CloudProvider, GatewayExposure, NodePortExposureOptions } from '../src/gateway-exposure';
import { errorOf } from './support/errors';
import { synthValidated } from './support/schema';

const NET = 'kuchima-demo-vpc01';
const NAME = 'istio-eastwestgateway';
const POLICY = `${NAME}-source-ranges`;
const RANGES = ['198.51.100.0/24', '2001:db8::/32'];

function synthGateway(props: Partial<EastWestGatewayProps>): { gw: EastWestGateway; objs: any[] } {
  const chart = new Chart(Testing.app(), 'test');
  const gw = new EastWestGateway(chart, 'eastwest', { network: NET, ...props });
  return { gw, objs: synthValidated(chart) };
}

function only(objs: any[], kind: string, name: string = NAME): any {
  const matches = objs.filter((o) => o.kind === kind && o.metadata.name === name);
  if (matches.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${matches.length}`);
  return matches[0];
}

const tcp = (port: number) => ({ port, protocol: 'TCP' });

describe('GatewayExposure.nodePort | source ranges or an explicit acknowledgement', () => {
  const missing = '[GatewayExposure.nodePort()] GatewayExposure.sourceRanges: %s is invalid: '
    + 'a NodePort east-west gateway opens its ports on every node and must be limited to the other clusters\' addresses. '
    + 'Valid: sourceRanges such as ["198.51.100.0/24"] (enforced with a NetworkPolicy), '
    + 'or allowFromAnywhere: true to accept any address that reaches a node (mTLS only)';

  test.each<[string, NodePortExposureOptions | undefined, string]>([
    ['no arguments (valid before)', undefined, 'undefined'],
    ['only a node port', { tlsNodePort: 31443 }, 'undefined'],
    ['an empty list', { sourceRanges: [] }, '[]'],
    ['allowFromAnywhere: false', { allowFromAnywhere: false }, 'undefined'],
  ])('nodePort without sourceRanges or allowFromAnywhere is refused: %s', (_name, options, shown) => {
    expect(errorOf(() => GatewayExposure.nodePort(options as NodePortExposureOptions))).toEqual(missing.replace('%s', shown));
  });

  test('sourceRanges emits a schema-valid NetworkPolicy admitting 15021 and 15443 only from those CIDRs, selecting the gateway pods', () => {
    const { gw, objs } = synthGateway({ exposure: GatewayExposure.nodePort({ sourceRanges: RANGES, tlsNodePort: 31443 }) });
    const policy = only(objs, 'NetworkPolicy', POLICY);
    const deployment = only(objs, 'Deployment');
    expect(policy.apiVersion).toEqual('networking.k8s.io/v1');
    expect(policy.metadata).toEqual({
      name: POLICY,
      namespace: 'istio-gateways',
      labels: { 'app': NAME, 'istio': 'eastwestgateway', 'topology.istio.io/network': NET },
    });
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { app: NAME, istio: 'eastwestgateway' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ ipBlock: { cidr: '198.51.100.0/24' } }, { ipBlock: { cidr: '2001:db8::/32' } }], ports: [tcp(15021), tcp(15443)] },
        // the metrics ports are on no Service port: in-cluster scrapers keep reaching them
        { ports: [tcp(15020), tcp(15090)] },
      ],
    });
    // the policy selects exactly the pods the Deployment runs
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect(gw.networkPolicy).toBeInstanceOf(ApiObject);
    expect(gw.exposure.sourceRanges).toEqual(RANGES);
    expect(gw.exposure.loadBalancerSourceRanges).toEqual([]);
  });

  test('sourceRanges: the Service keeps client addresses (externalTrafficPolicy: Local) and is applied after the policy', () => {
    const { objs } = synthGateway({ exposure: GatewayExposure.nodePort({ sourceRanges: RANGES, tlsNodePort: 31443 }) });
    const svc = only(objs, 'Service');
    expect(svc.spec.type).toEqual('NodePort');
    expect(svc.spec.externalTrafficPolicy).toEqual('Local');
    expect(svc.spec.loadBalancerSourceRanges).toBeUndefined();
    expect(svc.spec.ports.find((p: any) => p.name === 'tls').nodePort).toEqual(31443);
    const kinds = objs.map((o) => o.kind);
    expect(kinds.indexOf('NetworkPolicy')).toBeLessThan(kinds.indexOf('Service'));
  });

  test('sourceRanges with exposeIstiod and extraPorts: every target port of the Service is admitted only from the CIDRs, each once', () => {
    const { objs } = synthGateway({
      name: 'eastwest',
      namespace: 'gateway',
      exposeIstiod: true,
      exposure: GatewayExposure.nodePort({ sourceRanges: ['10.0.0.0/8'] }),
      extraPorts: [
        { name: 'tls-hbone', port: 15008 },
        { name: 'hbone-alt', port: 16008, targetPort: 15008 },
        { name: 'metrics', port: 15090 },
      ],
    });
    const policy = only(objs, 'NetworkPolicy', 'eastwest-source-ranges');
    expect(policy.metadata.namespace).toEqual('gateway');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'eastwest', istio: 'eastwest' } });
    expect(policy.spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [tcp(15021), tcp(15443), tcp(15012), tcp(15017), tcp(15008), tcp(15090)] },
      // 15090 is a Service port here, so it is limited like the others
      { ports: [tcp(15020)] },
    ]);
  });

  test('allowFromAnywhere emits no NetworkPolicy and leaves externalTrafficPolicy to Kubernetes', () => {
    const { gw, objs } = synthGateway({ exposure: GatewayExposure.nodePort({ allowFromAnywhere: true }) });
    expect(objs.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    expect(only(objs, 'Service').spec.externalTrafficPolicy).toBeUndefined();
    expect(gw.networkPolicy).toBeUndefined();
    expect(gw.exposure.sourceRanges).toEqual([]);
  });

  test('other exposures emit no NetworkPolicy', () => {
    for (const exposure of [GatewayExposure.onPrem({ loadBalancerSourceRanges: ['10.0.0.0/8'] }), GatewayExposure.internetFacing({ loadBalancerSourceRanges: ['203.0.113.0/24'] })]) {
      const { objs } = synthGateway({ exposure });
      expect(objs.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
      expect(only(objs, 'Service').spec.externalTrafficPolicy).toBeUndefined();
    }
  });

  test.each([
    ['10.0.0.1/8', 'host bits are set; did you mean "10.0.0.0/8"?'],
    ['10.0.0.0', 'CIDR mask is missing; did you mean "10.0.0.0/32"?'],
    ['2001:db8::1/32', 'host bits are set; did you mean "2001:db8::/32"?'],
    ['eth0', 'not a CIDR'],
  ])('an invalid CIDR in sourceRanges is refused: %j', (cidr, reason) => {
    expect(errorOf(() => GatewayExposure.nodePort({ sourceRanges: ['192.0.2.0/24', cidr] })))
      .toEqual(`[GatewayExposure.nodePort()] GatewayExposure.sourceRanges[1]: ${JSON.stringify(cidr)} is invalid: ${reason}. `
        + 'Valid: a canonical IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fd00::/8"');
  });

  test('sourceRanges that match every address, duplicates, a non-list and a contradicting acknowledgement are refused', () => {
    expect(errorOf(() => GatewayExposure.nodePort({ sourceRanges: ['0.0.0.0/0'] })))
      .toContain('GatewayExposure.sourceRanges[0]: "0.0.0.0/0" is invalid: matches every address, which makes the source-range restriction meaningless');
    expect(errorOf(() => GatewayExposure.nodePort({ sourceRanges: ['::/0'] }))).toContain('matches every address');
    expect(errorOf(() => GatewayExposure.nodePort({ sourceRanges: ['10.0.0.0/8', '10.0.0.0/8'] })))
      .toContain('GatewayExposure.sourceRanges[1]: "10.0.0.0/8" is invalid: listed twice');
    expect(errorOf(() => GatewayExposure.nodePort({ sourceRanges: '10.0.0.0/8' as any })))
      .toContain('GatewayExposure.sourceRanges: "10.0.0.0/8" is invalid: must be a list of CIDRs');
    expect(errorOf(() => GatewayExposure.nodePort({ allowFromAnywhere: true, sourceRanges: ['10.0.0.0/8'] })))
      .toContain('GatewayExposure.allowFromAnywhere: true is invalid: contradicts sourceRanges ["10.0.0.0/8"]. Valid: either sourceRanges (recommended) or allowFromAnywhere: true, not both');
    expect(errorOf(() => GatewayExposure.nodePort({ allowFromAnywhere: 'yes' as any }))).toContain('GatewayExposure.allowFromAnywhere: "yes" is invalid: must be a boolean');
    expect(errorOf(() => GatewayExposure.nodePort(null as any))).toContain('GatewayExposure.options: null is invalid: must be an object');
  });

  test('the NetworkPolicy is one object per name like the gateway\'s others: a second one in the chart is refused', () => {
    const chart = new Chart(Testing.app(), 'test');
    new EastWestGateway(chart, 'eastwest', { network: NET, exposure: GatewayExposure.nodePort({ sourceRanges: RANGES }) });
    new ApiObject(chart, 'mine', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: POLICY, namespace: 'istio-gateways' } });
    expect(errorOf(() => Testing.synth(chart))).toContain(`NetworkPolicy.metadata.name: "istio-gateways/${POLICY}" is invalid: test/eastwest/SourceRanges already defines this NetworkPolicy`);
  });

  test('MultiClusterMesh: only the cluster exposed with nodePort({ sourceRanges }) gets the NetworkPolicy, in its own chart', () => {
    const mesh = new MultiClusterMesh(Testing.app(), 'mesh', {
      meshId: 'mesh1',
      clusters: [
        { name: 'gke', network: 'net-a', region: 'asia-northeast1', provider: CloudProvider.GKE },
        { name: 'onprem', network: 'net-b', region: 'tokyo-onprem', exposure: GatewayExposure.nodePort({ sourceRanges: ['10.128.0.0/9'], tlsNodePort: 31443 }) },
      ],
    });
    const policies = (cluster: string) => synthValidated(mesh.cluster(cluster)).filter((o) => o.kind === 'NetworkPolicy');
    expect(policies('gke')).toEqual([]);
    expect(policies('onprem').map((o) => [o.metadata.namespace, o.metadata.name, o.spec.ingress[0].from])).toEqual([
      ['istio-gateways', POLICY, [{ ipBlock: { cidr: '10.128.0.0/9' } }]],
    ]);
  });

  test('EastWestGatewayOperator refuses sourceRanges (an IstioOperator cannot carry the NetworkPolicy) and accepts allowFromAnywhere', () => {
    expect(errorOf(() => new EastWestGatewayOperator(Testing.app(), 'op', { network: NET, exposure: GatewayExposure.nodePort({ sourceRanges: RANGES }) })))
      .toContain('EastWestGatewayOperator.exposure.sourceRanges: ["198.51.100.0/24","2001:db8::/32"] is invalid: an IstioOperator cannot carry the NetworkPolicy');
    const op = new EastWestGatewayOperator(Testing.app(), 'op', { network: NET, exposure: GatewayExposure.nodePort({ allowFromAnywhere: true }) });
    const [iop] = synthValidated(op);
    expect(iop.spec.components.ingressGateways[0].k8s.service.type).toEqual('NodePort');
    expect(iop.spec.components.ingressGateways[0].k8s.service.externalTrafficPolicy).toBeUndefined();
  });
});
