import { Chart, Testing } from 'cdk8s';
import { CrossNetworkGateway, CrossNetworkGatewayProps, gatewayHostError, IstiodGateway } from '../src/cross-network-gateway';
import { EastWestGateway } from '../src/east-west-gateway';
import { CloudProvider } from '../src/gateway-exposure';
import { IEastWestGateway } from '../src/gateway-reference';
import { errorOf } from './support/errors';
import { synthValidated } from './support/schema';

function newChart(id = 'test'): Chart {
  return new Chart(Testing.app(), id);
}

/** The seeds' gateway: namespace `gateway`, installed by this library. */
function seedGateway(chart: Chart): EastWestGateway {
  return new EastWestGateway(chart, 'eastwest', { network: 'kuchima-demo-vpc01', revision: 'asm-1132-2', namespace: 'gateway', provider: CloudProvider.GKE });
}

function synthCrossNetwork(props: Partial<CrossNetworkGatewayProps> = {}, chartId = 'test'): { cng: CrossNetworkGateway; gateway: any } {
  const chart = newChart(chartId);
  const cng = new CrossNetworkGateway(chart, 'cross-network', { gateway: seedGateway(chart), ...props });
  const gateway = synthValidated(chart).find((o) => o.kind === 'Gateway');
  return { cng, gateway };
}

function hostError(props: Partial<CrossNetworkGatewayProps> | any): string {
  return errorOf(() => {
    const chart = newChart();
    new CrossNetworkGateway(chart, 'cross-network', { gateway: seedGateway(chart), ...props });
  });
}

describe('CrossNetworkGateway | output', () => {
  test('field notes: the cross-network Gateway applied in both clusters, in the gateway namespace', () => {
    // GIVEN the seeds' east-west gateway in namespace `gateway`
    const { cng, gateway } = synthCrossNetwork();
    // THEN expose-services.yaml, served version v1
    expect(gateway).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'cross-network-gateway', namespace: 'gateway' },
      spec: {
        selector: { istio: 'eastwestgateway' },
        servers: [{
          port: { number: 15443, name: 'tls', protocol: 'TLS' },
          tls: { mode: 'AUTO_PASSTHROUGH' },
          hosts: ['*.local'],
        }],
      },
    });
    expect([cng.name, cng.namespace, cng.hosts]).toEqual(['cross-network-gateway', 'gateway', ['*.local']]);
  });

  test('exposedNamespaces restrict exposure to those namespaces\' services (the dnsName does the restricting)', () => {
    const { cng, gateway } = synthCrossNetwork({ exposedNamespaces: ['default', 'payments'] });
    expect(gateway.spec.servers[0].hosts).toEqual(['*.default.svc.cluster.local', '*.payments.svc.cluster.local']);
    cng.hosts.push('*');
    expect(cng.hosts).toEqual(['*.default.svc.cluster.local', '*.payments.svc.cluster.local']);
  });

  test('explicit hosts, plus exposedNamespaces under a custom cluster domain', () => {
    const { gateway } = synthCrossNetwork({ hosts: ['echo-svc.default.svc.cluster.local', '*/*.shop.svc.corp.example'], exposedNamespaces: ['payments'], clusterDomain: 'corp.example' });
    expect(gateway.spec.servers[0].hosts).toEqual(['echo-svc.default.svc.cluster.local', '*/*.shop.svc.corp.example', '*.payments.svc.corp.example']);
  });

  test('binds to a gateway installed by Helm (istio-system, selector istio: eastwestgateway)', () => {
    const chart = newChart();
    const helm = EastWestGateway.fromAttributes(chart, 'helm', { network: 'network1', namespace: 'istio-system' });
    new CrossNetworkGateway(chart, 'cross-network', { gateway: helm, name: 'expose-services' });
    const [gw] = synthValidated(chart);
    expect(gw.metadata).toEqual({ name: 'expose-services', namespace: 'istio-system' });
    expect(gw.spec.selector).toEqual({ istio: 'eastwestgateway' });
  });

  test('the name is identical whatever the chart id', () => {
    const a = synthCrossNetwork({}, 'cluster-a').gateway;
    const b = synthCrossNetwork({}, 'osaka').gateway;
    expect(a).toEqual(b);
    expect(a.metadata.name).toEqual('cross-network-gateway');
  });
});

describe('CrossNetworkGateway | hosts are validated like istiod\'s validateServer', () => {
  test.each([
    ['*', undefined],
    ['*.local', undefined],
    ['ns/*.local', undefined],
    ['*/foo.example.com', undefined],
    ['./foo.example.com', undefined],
    ['10.0.0.1', undefined],
    ['svc', 'short names (non FQDN) are not allowed'],
    ['ns/svc', 'short names (non FQDN) are not allowed'],
    ['*foo.local', 'partial wildcard "*foo.local" not allowed'],
    ['foo.*.local', 'domain name "*.local" invalid (label "*" invalid)'],
    ['foo_bar.local', 'domain name "foo_bar.local" invalid (label "foo_bar" invalid)'],
    ['bad_ns/*.local', 'invalid namespace value "bad_ns" in gateway'],
    ['~/*.local', 'invalid namespace value "~" in gateway'],
    ['/*.local', 'config namespace and dnsName in host entry cannot be empty'],
    ['ns/', 'config namespace and dnsName in host entry cannot be empty'],
    ['x.123', 'domain name "123" invalid (top level domain "123" cannot be all-numeric)'],
  ])('gatewayHostError(%j) = %j', (host, error) => {
    expect(gatewayHostError(host)).toEqual(error);
  });

  test('istiod\'s messages reach the user with construct, field and value', () => {
    expect(hostError({ hosts: ['svc'] }))
      .toMatch(/^\[test\/cross-network\] CrossNetworkGateway\.hosts\[0\]: "svc" is invalid: short names \(non FQDN\) are not allowed\. Valid: /);
    expect(hostError({ hosts: ['*.local', '*foo.local'] })).toContain('CrossNetworkGateway.hosts[1]: "*foo.local" is invalid: partial wildcard "*foo.local" not allowed');
    expect(hostError({ hosts: [] })).toContain('CrossNetworkGateway.hosts: [] is invalid: server config must contain at least one host');
  });

  test('a namespace prefix is refused: AUTO_PASSTHROUGH ignores it, so it would not restrict anything', () => {
    const msg = hostError({ hosts: ['default/*.local'] });
    expect(msg).toContain('CrossNetworkGateway.hosts[0]: "default/*.local" is invalid: the namespace part selects VirtualServices, and AUTO_PASSTHROUGH has none');
    expect(msg).toContain('would expose every service matching "*.local"');
    expect(hostError({ hosts: ['./*.local'] })).toContain('the namespace part selects VirtualServices');
  });

  test('IP addresses (valid for istiod) and duplicates are refused', () => {
    expect(hostError({ hosts: ['10.0.0.1'] })).toContain('"10.0.0.1" is invalid: AUTO_PASSTHROUGH matches service host names, never an IP address');
    expect(hostError({ hosts: ['*.local', '*/*.local'] })).toContain('CrossNetworkGateway.hosts[1]: "*/*.local" is invalid: listed twice');
  });

  test('exposedNamespaces that a wider host already covers would restrict nothing', () => {
    expect(hostError({ hosts: ['*.local'], exposedNamespaces: ['default'] }))
      .toContain('CrossNetworkGateway.exposedNamespaces[0]: "default" is invalid: host "*.local" already exposes every service in namespace "default"');
    expect(hostError({ exposedNamespaces: ['Default'] })).toContain('CrossNetworkGateway.exposedNamespaces[0]: "Default" is invalid: not a DNS-1123 label');
    expect(hostError({ exposedNamespaces: ['a', 'a'] })).toContain('CrossNetworkGateway.exposedNamespaces[1]: "a" is invalid: host "*.a.svc.cluster.local" is listed twice');
    expect(hostError({ exposedNamespaces: [] })).toContain('CrossNetworkGateway.exposedNamespaces: [] is invalid: must be a non-empty list');
  });

  test('bad name, cluster domain and gateway are refused without TypeErrors', () => {
    expect(hostError({ name: 'Cross_Network' })).toContain('CrossNetworkGateway.name: "Cross_Network" is invalid: invalid gateway name: "Cross_Network"');
    expect(hostError({ clusterDomain: 'local' })).toContain('CrossNetworkGateway.clusterDomain: "local" is invalid: not a DNS domain');
    expect(errorOf(() => new CrossNetworkGateway(newChart(), 'x', { gateway: undefined as unknown as IEastWestGateway })))
      .toContain('CrossNetworkGateway.gateway: undefined is invalid: not an east-west gateway');
    expect(errorOf(() => new CrossNetworkGateway(newChart(), 'x', null as any))).toContain('CrossNetworkGateway.props: null is invalid');
    expect(hostError({ hosts: [42] })).toContain('CrossNetworkGateway.hosts[0]: 42 is invalid: must be a string');
  });
});

describe('IstiodGateway', () => {
  test('for a gateway installed elsewhere, with an explicit revision (expose-istiod-rev.yaml.tmpl)', () => {
    const chart = newChart();
    const helm = EastWestGateway.fromAttributes(chart, 'helm', { network: 'network1', namespace: 'istio-system' });
    const istiod = new IstiodGateway(chart, 'istiod', { gateway: helm, revision: '1-30' });
    const objs = synthValidated(chart);
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['Gateway/istio-system/istiod-gateway', 'VirtualService/istio-system/istiod-vs-1-30']);
    expect(objs[1].spec.tls[0].match).toEqual([{ port: 15012, sniHosts: ['istiod-1-30.istio-system.svc', 'istiod-1-30.istio-system.svc.cluster.local'] }]);
    expect([istiod.gatewayName, istiod.virtualServiceName, istiod.istiodHost]).toEqual(['istiod-gateway', 'istiod-vs-1-30', 'istiod-1-30.istio-system.svc.cluster.local']);
  });

  test('without a revision: expose-istiod.yaml (istiod-vs, sniHosts "*")', () => {
    const chart = newChart();
    const helm = EastWestGateway.fromAttributes(chart, 'helm', { network: 'network1', namespace: 'istio-system' });
    new IstiodGateway(chart, 'istiod', { gateway: helm });
    const vs = synthValidated(chart).find((o) => o.kind === 'VirtualService');
    expect(vs.metadata.name).toEqual('istiod-vs');
    expect(vs.spec.tls[1]).toEqual({ match: [{ port: 15017, sniHosts: ['*'] }], route: [{ destination: { host: 'istiod.istio-system.svc.cluster.local', port: { number: 443 } } }] });
  });

  test('bad revision or namespace is refused', () => {
    const chart = newChart();
    const helm = EastWestGateway.fromAttributes(chart, 'helm', { network: 'network1', namespace: 'istio-system' });
    expect(errorOf(() => new IstiodGateway(chart, 'a', { gateway: helm, revision: 'Canary' }))).toContain('IstiodGateway.revision: "Canary" is invalid: not a DNS-1123 label');
    expect(errorOf(() => new IstiodGateway(chart, 'b', { gateway: helm, istioNamespace: '' }))).toContain('IstiodGateway.istioNamespace: "" is invalid');
  });
});

test('two CrossNetworkGateways on one gateway would overwrite each other: the second is refused', () => {
  const chart = newChart('gke');
  const gateway = seedGateway(chart);
  new CrossNetworkGateway(chart, 'a', { gateway, exposedNamespaces: ['a'] });
  expect(errorOf(() => new CrossNetworkGateway(chart, 'b', { gateway, exposedNamespaces: ['b'] }))).toContain('[gke/b] CrossNetworkGateway.metadata.name: "gateway/cross-network-gateway" is invalid: gke/a/Resource already defines this Gateway in the same chart');
});

describe('CrossNetworkGateway hosts built from exposedNamespaces', () => {
  test('a host longer than istiod allows (255) is refused, naming the namespace and the built host', () => {
    const chart = Testing.chart();
    const ns = 'n'.repeat(63);
    const clusterDomain = Array.from({ length: 4 }, () => 'd'.repeat(60)).join('.');
    const error = errorOf(() => new CrossNetworkGateway(chart, 'x', { gateway: seedGateway(chart), exposedNamespaces: [ns], clusterDomain }));
    expect(error).toContain(`CrossNetworkGateway.exposedNamespaces[0]: "${ns}" is invalid: the server host "*.${ns}.svc.${clusterDomain}" built from it and clusterDomain is invalid`);
    expect(error).toContain('too long (max 255)');
  });

  test('the longest valid combination (255 characters) synthesizes and validates', () => {
    const chart = Testing.chart();
    const ns = 'n'.repeat(63);
    const clusterDomain = ['d'.repeat(60), 'd'.repeat(60), 'd'.repeat(60)].join('.') + '.lo';
    const host = `*.${ns}.svc.${clusterDomain}`;
    expect(host).toHaveLength(255);
    new CrossNetworkGateway(chart, 'x', { gateway: seedGateway(chart), exposedNamespaces: [ns], clusterDomain });
    expect(synthValidated(chart).find((o) => o.kind === 'Gateway').spec.servers[0].hosts).toEqual([host]);
  });
});
