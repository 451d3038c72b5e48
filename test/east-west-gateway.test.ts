import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { CrossNetworkGateway } from '../src/cross-network-gateway';
import { EastWestGateway, EastWestGatewayProps } from '../src/east-west-gateway';
import { EastWestGatewayOperator, EastWestGatewayOperatorProps } from '../src/east-west-gateway-operator';
import { CloudProvider, GatewayExposure, GatewayServiceType } from '../src/gateway-exposure';
import { GatewayDisruptionBudget, GatewayPortProtocol } from '../src/gateway-options';
import { NetworkLabel } from '../src/network-label';
import { errorOf, validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

const NET = 'kuchima-demo-vpc01';
const NAME = 'istio-eastwestgateway';

function newChart(id = 'test'): Chart {
  return new Chart(Testing.app(), id);
}

function synthGateway(props: Partial<EastWestGatewayProps> = {}): { gw: EastWestGateway; objs: any[] } {
  const chart = newChart();
  // ON_PREM unless the test chooses a provider or an exposure
  const provider = props.exposure === undefined && !('provider' in props) ? { provider: CloudProvider.ON_PREM } : {};
  const gw = new EastWestGateway(chart, 'eastwest', { network: NET, ...provider, ...props });
  return { gw, objs: synthValidated(chart) };
}

function find(objs: any[], kind: string, name: string = NAME): any {
  const matches = objs.filter((o) => o.kind === kind && o.metadata.name === name);
  if (matches.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${matches.length} in ${objs.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return matches[0];
}

function kindsAndNames(objs: any[]): string[] {
  return objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
}

function gatewayError(props: Partial<EastWestGatewayProps> | any): string {
  return errorOf(() => {
    const chart = newChart();
    new EastWestGateway(chart, 'eastwest', { network: NET, provider: CloudProvider.ON_PREM, ...props });
    Testing.synth(chart);
  });
}

describe('EastWestGateway | defaults', () => {
  test('emits the chart-equivalent objects, all named istio-eastwestgateway in istio-gateways, in apply order', () => {
    // GIVEN only the required network and a provider
    const { objs } = synthGateway();
    // THEN
    expect(kindsAndNames(objs)).toEqual([
      'Namespace//istio-gateways',
      `ServiceAccount/istio-gateways/${NAME}`,
      `Service/istio-gateways/${NAME}`,
      `Deployment/istio-gateways/${NAME}`,
      `HorizontalPodAutoscaler/istio-gateways/${NAME}`,
      `PodDisruptionBudget/istio-gateways/${NAME}`,
    ]);
  });

  test('Deployment: gateway injection, network view, hardened proxy, no readiness probe, replicas left to the HPA', () => {
    const { objs } = synthGateway();
    const dep = find(objs, 'Deployment');
    expect(dep.apiVersion).toEqual('apps/v1');
    expect(dep.metadata).toEqual({
      name: NAME,
      namespace: 'istio-gateways',
      labels: { 'app': NAME, 'istio': 'eastwestgateway', 'topology.istio.io/network': NET },
    });
    expect(dep.spec.replicas).toBeUndefined();
    expect(dep.spec.selector).toEqual({ matchLabels: { app: NAME, istio: 'eastwestgateway' } });
    expect(dep.spec.template.metadata).toEqual({
      annotations: {
        'inject.istio.io/templates': 'gateway',
        'prometheus.io/path': '/stats/prometheus',
        'prometheus.io/port': '15020',
        'prometheus.io/scrape': 'true',
      },
      labels: {
        'sidecar.istio.io/inject': 'true',
        'app': NAME,
        'istio': 'eastwestgateway',
        'topology.istio.io/network': NET,
        'istio.io/dataplane-mode': 'none',
      },
    });
    const pod = dep.spec.template.spec;
    expect(pod.serviceAccountName).toEqual(NAME);
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.terminationGracePeriodSeconds).toEqual(30);
    expect(pod.containers).toEqual([{
      name: 'istio-proxy',
      image: 'auto',
      securityContext: {
        capabilities: { drop: ['ALL'] },
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 1337,
        runAsGroup: 1337,
      },
      env: [{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: NET }],
      ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
    }]);
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: NAME, istio: 'eastwestgateway' } } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: NAME, istio: 'eastwestgateway' } } },
    ]);
  });

  test('Service: network label for gateway discovery, status-port and tls only, LoadBalancer', () => {
    const { objs } = synthGateway();
    const svc = find(objs, 'Service');
    expect(svc.metadata).toEqual({
      name: NAME,
      namespace: 'istio-gateways',
      labels: { 'app': NAME, 'istio': 'eastwestgateway', 'topology.istio.io/network': NET },
    });
    expect(svc.spec).toEqual({
      type: 'LoadBalancer',
      selector: { app: NAME, istio: 'eastwestgateway' },
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
        { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
      ],
    });
  });

  test('HPA 2..5 at 80% CPU and a PDB of maxUnavailable 1 that never blocks on unhealthy pods', () => {
    const { objs } = synthGateway();
    expect(find(objs, 'HorizontalPodAutoscaler').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expect(find(objs, 'PodDisruptionBudget').spec).toEqual({
      selector: { matchLabels: { app: NAME, istio: 'eastwestgateway' } },
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('namespace: Pod Security labels, no injection label without a revision; no Role, no istiod exposure', () => {
    const { objs } = synthGateway();
    expect(find(objs, 'Namespace', 'istio-gateways').metadata).toEqual({
      name: 'istio-gateways',
      labels: {
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    });
    expect(objs.filter((o) => ['Role', 'RoleBinding', 'Gateway', 'VirtualService'].includes(o.kind))).toEqual([]);
  });

  test('resolved attributes can be read back; collection getters return copies', () => {
    const { gw } = synthGateway();
    expect(gw.network).toEqual(NET);
    expect(gw.namespace).toEqual('istio-gateways');
    expect(gw.name).toEqual(NAME);
    expect(gw.selector).toEqual({ istio: 'eastwestgateway' });
    expect(gw.revision).toBeUndefined();
    expect(gw.istioNamespace).toEqual('istio-system');
    expect(gw.serviceAccountName).toEqual(NAME);
    expect([gw.minReplicas, gw.maxReplicas]).toEqual([2, 5]);
    expect([gw.createNamespace, gw.exposeIstiod, gw.allowSecretAccess]).toEqual([true, false, false]);
    expect(gw.exposure.provider).toEqual(CloudProvider.ON_PREM);
    gw.selector.istio = 'changed';
    expect(gw.selector).toEqual({ istio: 'eastwestgateway' });
  });

  test('escape hatch: ApiObject.of(gateway) is the Deployment', () => {
    const chart = newChart();
    const gw = new EastWestGateway(chart, 'eastwest', { network: NET, provider: CloudProvider.GKE });
    expect(ApiObject.of(gw).kind).toEqual('Deployment');
    expect(ApiObject.of(gw.node.findChild('Service')).kind).toEqual('Service');
  });
});

describe('EastWestGateway | field notes: the seeds\' final east-west gateway', () => {
  const seeds = { network: NET, revision: 'asm-1132-2', namespace: 'gateway', exposure: GatewayExposure.internal(CloudProvider.GKE), exposeIstiod: true };

  test('labels, env, ports 15021/15443/15012/15017, GKE internal, namespace labelled with the revision', () => {
    // GIVEN the write-up's gateway (gen-eastwest-gateway.sh --network kuchima-demo-vpc01 --revision asm-1132-2, namespace gateway, internal LB)
    const { objs } = synthGateway(seeds);
    // THEN
    const ns = find(objs, 'Namespace', 'gateway');
    expect(ns.metadata.labels['istio.io/rev']).toEqual('asm-1132-2');
    const dep = find(objs, 'Deployment');
    expect(dep.metadata.namespace).toEqual('gateway');
    expect(dep.spec.template.metadata.labels).toEqual({
      'sidecar.istio.io/inject': 'true',
      'istio.io/rev': 'asm-1132-2',
      'app': 'istio-eastwestgateway',
      'istio': 'eastwestgateway',
      'topology.istio.io/network': 'kuchima-demo-vpc01',
      'istio.io/dataplane-mode': 'none',
    });
    expect(dep.spec.template.spec.containers[0].env).toEqual([{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: 'kuchima-demo-vpc01' }]);
    const svc = find(objs, 'Service');
    expect(svc.metadata.annotations).toEqual({ 'networking.gke.io/load-balancer-type': 'Internal' });
    expect(svc.metadata.labels['topology.istio.io/network']).toEqual('kuchima-demo-vpc01');
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([
      ['status-port', 15021, 15021], ['tls', 15443, 15443], ['tls-istiod', 15012, 15012], ['tls-webhook', 15017, 15017],
    ]);
  });

  test('exposeIstiod with a revision: istiod-gateway and istiod-vs-<rev> as in expose-istiod-rev.yaml.tmpl', () => {
    const { objs } = synthGateway(seeds);
    expect(find(objs, 'Gateway', 'istiod-gateway')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'istiod-gateway', namespace: 'gateway' },
      spec: {
        selector: { istio: 'eastwestgateway' },
        servers: [
          { port: { name: 'tls-istiod', number: 15012, protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] },
          { port: { name: 'tls-istiodwebhook', number: 15017, protocol: 'TLS' }, tls: { mode: 'PASSTHROUGH' }, hosts: ['*'] },
        ],
      },
    });
    const sni = ['istiod-asm-1132-2.istio-system.svc', 'istiod-asm-1132-2.istio-system.svc.cluster.local'];
    const host = 'istiod-asm-1132-2.istio-system.svc.cluster.local';
    expect(find(objs, 'VirtualService', 'istiod-vs-asm-1132-2')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'istiod-vs-asm-1132-2', namespace: 'gateway' },
      spec: {
        hosts: ['*'],
        gateways: ['istiod-gateway'],
        tls: [
          { match: [{ port: 15012, sniHosts: sni }], route: [{ destination: { host, port: { number: 15012 } } }] },
          { match: [{ port: 15017, sniHosts: sni }], route: [{ destination: { host, port: { number: 443 } } }] },
        ],
      },
    });
  });

  test('the same gateway as an IstioOperator equals gen-eastwest-gateway.sh output plus the internal-LB annotation', () => {
    // GIVEN
    const app = Testing.app();
    const op = new EastWestGatewayOperator(app, 'gke-eastwest', {
      ...seeds, minReplicas: 1, maxReplicas: 1, podDisruptionBudget: GatewayDisruptionBudget.none(),
    });
    // WHEN
    const [iop] = synthValidated(op);
    // THEN: the script's document (3.1 of the semantics notes) with the write-up's edits
    expect(iop).toEqual({
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name: 'eastwest' },
      spec: {
        revision: 'asm-1132-2',
        profile: 'empty',
        components: {
          ingressGateways: [{
            name: 'istio-eastwestgateway',
            namespace: 'gateway',
            enabled: true,
            label: { 'istio': 'eastwestgateway', 'app': 'istio-eastwestgateway', 'topology.istio.io/network': 'kuchima-demo-vpc01' },
            k8s: {
              env: [{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: 'kuchima-demo-vpc01' }],
              serviceAnnotations: { 'networking.gke.io/load-balancer-type': 'Internal' },
              service: {
                type: 'LoadBalancer',
                ports: [
                  { name: 'status-port', port: 15021, targetPort: 15021 },
                  { name: 'tls', port: 15443, targetPort: 15443 },
                  { name: 'tls-istiod', port: 15012, targetPort: 15012 },
                  { name: 'tls-webhook', port: 15017, targetPort: 15017 },
                ],
              },
              replicaCount: 1,
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
            },
          }],
        },
        values: {
          gateways: { 'istio-ingressgateway': { injectionTemplate: 'gateway', autoscaleEnabled: false } },
          global: { network: 'kuchima-demo-vpc01', defaultPodDisruptionBudget: { enabled: false } },
        },
      },
    });
  });
});

describe('EastWestGateway | exposure presets', () => {
  test.each([
    [CloudProvider.GKE, { 'networking.gke.io/load-balancer-type': 'Internal' }],
    [CloudProvider.EKS, {
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    }],
    [CloudProvider.AKS, { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }],
  ])('provider %s (no exposure given) gets an internal load balancer', (provider, annotations) => {
    const { objs } = synthGateway({ provider });
    const svc = find(objs, 'Service');
    expect(svc.spec.type).toEqual('LoadBalancer');
    expect(svc.metadata.annotations).toEqual(annotations);
    expect(svc.spec.loadBalancerSourceRanges).toBeUndefined();
  });

  test('on-prem: a LoadBalancer with no annotations (MetalLB with a private pool)', () => {
    const { objs } = synthGateway({ provider: undefined, exposure: GatewayExposure.onPrem() });
    const svc = find(objs, 'Service');
    expect(svc.spec.type).toEqual('LoadBalancer');
    expect(svc.metadata.annotations).toBeUndefined();
  });

  test('internal with source ranges and extra annotations (GKE global access)', () => {
    const exposure = GatewayExposure.internal(CloudProvider.GKE, {
      loadBalancerSourceRanges: ['10.0.0.0/8', 'fd00::/8'],
      annotations: { 'networking.gke.io/internal-load-balancer-allow-global-access': 'true' },
    });
    const { objs } = synthGateway({ provider: CloudProvider.GKE, exposure });
    const svc = find(objs, 'Service');
    expect(svc.metadata.annotations).toEqual({
      'networking.gke.io/load-balancer-type': 'Internal',
      'networking.gke.io/internal-load-balancer-allow-global-access': 'true',
    });
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['10.0.0.0/8', 'fd00::/8']);
  });

  test('nodePort: fixed node port on tls and the node-selector annotation istiod reads for NodePort gateways', () => {
    const exposure = GatewayExposure.nodePort({ allowFromAnywhere: true, tlsNodePort: 31443, nodeSelector: { 'node-role.example.com/edge': 'true', 'kubernetes.io/os': 'linux' } });
    const { objs } = synthGateway({ provider: undefined, exposure });
    const svc = find(objs, 'Service');
    expect(svc.spec.type).toEqual('NodePort');
    expect(svc.metadata.annotations).toEqual({ 'traffic.istio.io/nodeSelector': '{"kubernetes.io/os":"linux","node-role.example.com/edge":"true"}' });
    expect(svc.spec.ports.find((p: any) => p.name === 'tls')).toEqual({ name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP', nodePort: 31443 });
    expect(svc.spec.ports.find((p: any) => p.name === 'status-port').nodePort).toBeUndefined();
    expect(GatewayExposure.nodePort({ allowFromAnywhere: true }).annotations).toEqual({ 'traffic.istio.io/nodeSelector': '{}' });
  });

  test('internetFacing only when asked: limited to source ranges, or explicitly open', () => {
    const limited = synthGateway({ provider: undefined, exposure: GatewayExposure.internetFacing({ loadBalancerSourceRanges: ['203.0.113.0/24'] }) });
    const svc = find(limited.objs, 'Service');
    expect(svc.spec.type).toEqual('LoadBalancer');
    expect(svc.metadata.annotations).toBeUndefined();
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
    expect(limited.gw.exposure.isInternetFacing).toBe(true);

    const open = synthGateway({ provider: undefined, exposure: GatewayExposure.internetFacing({ allowFromAnywhere: true }) });
    expect(find(open.objs, 'Service').spec.loadBalancerSourceRanges).toBeUndefined();
  });

  test('GatewayExposure read-backs are copies', () => {
    const e = GatewayExposure.internal(CloudProvider.AKS, { loadBalancerSourceRanges: ['10.1.0.0/16'] });
    e.annotations.x = 'y';
    e.loadBalancerSourceRanges.push('0.0.0.0/0');
    expect(e.annotations).toEqual({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' });
    expect(e.loadBalancerSourceRanges).toEqual(['10.1.0.0/16']);
    expect([e.serviceType, e.provider, e.isInternetFacing, e.tlsNodePort])
      .toEqual([GatewayServiceType.LOAD_BALANCER, CloudProvider.AKS, false, undefined]);
  });
});

describe('EastWestGateway | options', () => {
  test('exposeIstiod without a revision: istiod-vs to istiod.<istioNamespace> with sniHosts "*"', () => {
    const { objs } = synthGateway({ exposeIstiod: true, istioNamespace: 'istio-control' });
    expect(find(objs, 'VirtualService', 'istiod-vs').spec.tls).toEqual([
      { match: [{ port: 15012, sniHosts: ['*'] }], route: [{ destination: { host: 'istiod.istio-control.svc.cluster.local', port: { number: 15012 } } }] },
      { match: [{ port: 15017, sniHosts: ['*'] }], route: [{ destination: { host: 'istiod.istio-control.svc.cluster.local', port: { number: 443 } } }] },
    ]);
    expect(find(objs, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['status-port', 'tls', 'tls-istiod', 'tls-webhook']);
  });

  test('createNamespace: false emits no Namespace; the Istio and built-in namespaces are never created by default', () => {
    expect(synthGateway({ createNamespace: false }).objs.filter((o) => o.kind === 'Namespace')).toEqual([]);
    const inIstio = synthGateway({ namespace: 'istio-system' });
    expect(inIstio.gw.createNamespace).toBe(false);
    expect(inIstio.objs.filter((o) => o.kind === 'Namespace')).toEqual([]);
    expect(synthGateway({ namespace: 'kube-system' }).objs.filter((o) => o.kind === 'Namespace')).toEqual([]);
  });

  test('allowSecretAccess adds the chart\'s Role and RoleBinding', () => {
    const { objs } = synthGateway({ allowSecretAccess: true });
    expect(find(objs, 'Role').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
    const rb = find(objs, 'RoleBinding');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAME });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: NAME }]);
  });

  test('runAsProxyUser: false (OpenShift) leaves the UID to the platform', () => {
    const { objs } = synthGateway({ runAsProxyUser: false });
    const sc = find(objs, 'Deployment').spec.template.spec.containers[0].securityContext;
    expect(sc.runAsUser).toBeUndefined();
    expect(sc.runAsGroup).toBeUndefined();
    expect(sc.runAsNonRoot).toBe(true);
  });

  test('minReplicas = maxReplicas: fixed replicas and no autoscaler', () => {
    const { objs } = synthGateway({ minReplicas: 3, maxReplicas: 3 });
    expect(find(objs, 'Deployment').spec.replicas).toEqual(3);
    expect(objs.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });

  test('maxReplicas: 1 lowers the default minimum to 1 instead of failing', () => {
    const { gw, objs } = synthGateway({ maxReplicas: 1 });
    expect([gw.minReplicas, gw.maxReplicas]).toEqual([1, 1]);
    expect(find(objs, 'Deployment').spec.replicas).toEqual(1);
  });

  test('autoscaling range and CPU target are configurable', () => {
    const { objs } = synthGateway({ minReplicas: 3, maxReplicas: 10, targetCpuUtilizationPercentage: 60 });
    const hpa = find(objs, 'HorizontalPodAutoscaler').spec;
    expect([hpa.minReplicas, hpa.maxReplicas, hpa.metrics[0].resource.target.averageUtilization]).toEqual([3, 10, 60]);
  });

  test('PodDisruptionBudget: minAvailable or none', () => {
    expect(find(synthGateway({ podDisruptionBudget: GatewayDisruptionBudget.minAvailable(1) }).objs, 'PodDisruptionBudget').spec.minAvailable).toEqual(1);
    expect(synthGateway({ podDisruptionBudget: GatewayDisruptionBudget.none() }).objs.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });

  test('resources: given fields replace the chart defaults, the others stay', () => {
    const { objs } = synthGateway({ resources: { requests: { cpu: '500m' }, limits: { memory: '2Gi' } } });
    expect(find(objs, 'Deployment').spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '500m', memory: '128Mi' },
      limits: { cpu: '2000m', memory: '2Gi' },
    });
  });

  test('extraPorts are appended after the gateway\'s own ports', () => {
    const { objs } = synthGateway({ extraPorts: [{ name: 'tls-hbone', port: 15008 }, { name: 'dns', port: 15053, protocol: GatewayPortProtocol.UDP }] });
    expect(find(objs, 'Service').spec.ports.slice(2)).toEqual([
      { name: 'tls-hbone', port: 15008, targetPort: 15008, protocol: 'TCP' },
      { name: 'dns', port: 15053, targetPort: 15053, protocol: 'UDP' },
    ]);
  });

  test('a custom name derives the selector like the Helm chart (istio: <name without "istio-">)', () => {
    const { gw, objs } = synthGateway({ name: 'istio-eastwest-b' });
    expect(gw.selector).toEqual({ istio: 'eastwest-b' });
    expect(find(objs, 'Service', 'istio-eastwest-b').spec.selector).toEqual({ app: 'istio-eastwest-b', istio: 'eastwest-b' });
  });

  test('addNetworkLabel labels the Istio namespace with the gateway\'s network', () => {
    const chart = newChart();
    const gw = new EastWestGateway(chart, 'eastwest', { network: NET, provider: CloudProvider.GKE, istioNamespace: 'istio-control' });
    const label = gw.addNetworkLabel();
    const objs = synthValidated(chart);
    expect(label.network).toEqual(NET);
    expect(find(objs, 'Namespace', 'istio-control').metadata.labels).toEqual({ 'topology.istio.io/network': NET });
  });
});

describe('EastWestGateway | names are a cross-cluster contract', () => {
  test('identical objects and names in charts with different ids (no hash suffixes)', () => {
    const build = (id: string) => {
      const chart = newChart(id);
      const gw = new EastWestGateway(chart, 'eastwest', { network: NET, provider: CloudProvider.GKE, exposeIstiod: true, allowSecretAccess: true });
      new CrossNetworkGateway(chart, 'cross-network', { gateway: gw });
      return synthValidated(chart);
    };
    const a = build('cluster-a');
    const b = build('cluster-b-with-a-longer-id');
    expect(kindsAndNames(a)).toEqual(kindsAndNames(b));
    expect(a).toEqual(b);
    for (const o of a) expect(o.metadata.name).not.toMatch(/-[0-9a-f]{8}$/);
  });
});

describe('EastWestGateway | bad input is refused with the construct, field, value and what is valid', () => {
  test.each([
    [{ network: '' }, 'EastWestGateway.network: "" is invalid: must not be empty'],
    [{ network: undefined }, 'EastWestGateway.network: undefined is invalid: must be a string'],
    [{ network: 'vpc 01' }, 'EastWestGateway.network: "vpc 01" is invalid: invalid tag value: "vpc 01"'],
    [{ network: 'n'.repeat(64) }, 'longer than 63 characters'],
    [{ namespace: 'Gateway' }, 'EastWestGateway.namespace: "Gateway" is invalid: not a DNS-1123 label'],
    [{ name: '1-gateway' }, 'EastWestGateway.name: "1-gateway" is invalid: not a DNS-1035 label (it is a Service name)'],
    [{ revision: 'asm_1132' }, 'EastWestGateway.revision: "asm_1132" is invalid: not a DNS-1123 label'],
    [{ istioNamespace: '' }, 'EastWestGateway.istioNamespace: "" is invalid'],
    [{ exposeIstiod: 'yes' }, 'EastWestGateway.exposeIstiod: "yes" is invalid: must be true or false'],
    [{ minReplicas: 6 }, 'EastWestGateway.minReplicas: 6 is invalid: greater than maxReplicas (5)'],
    [{ maxReplicas: 0 }, 'EastWestGateway.maxReplicas: 0 is invalid'],
    [{ minReplicas: 2.5 }, 'EastWestGateway.minReplicas: 2.5 is invalid: must be a whole number'],
    [{ minReplicas: 2, maxReplicas: 2, targetCpuUtilizationPercentage: 70 }, 'EastWestGateway.targetCpuUtilizationPercentage: 70 is invalid: there is no autoscaler'],
    [{ podDisruptionBudget: GatewayDisruptionBudget.minAvailable(2) }, 'EastWestGateway.podDisruptionBudget: "minAvailable(2)" is invalid: with minReplicas 2, no gateway pod could ever be evicted'],
    [{ podDisruptionBudget: { maxUnavailable: 1 } }, 'EastWestGateway.podDisruptionBudget: {"maxUnavailable":1} is invalid: not a GatewayDisruptionBudget'],
    [{ createNamespace: true, namespace: 'kube-system' }, 'EastWestGateway.createNamespace: true is invalid: namespace "kube-system" belongs to Kubernetes'],
    [{ createNamespace: true, namespace: 'istio-system' }, 'namespace "istio-system" belongs to the Istio installation'],
    [{ resources: { requests: { cpu: '3' } } }, 'EastWestGateway.resources: {"requests":{"cpu":"3"},"limits":{"cpu":"2000m"}} is invalid: the CPU request is above the limit'],
    [{ resources: { requests: { memory: '2Gi' }, limits: { memory: '1000M' } } }, 'EastWestGateway.resources: {"requests":{"memory":"2Gi"},"limits":{"memory":"1000M"}} is invalid: the memory request is above the limit'],
    [{ resources: { requests: { memory: '100Ki' } } }, 'EastWestGateway.resources.requests.memory: "100Ki" is invalid: not a memory quantity of at least 1Mi'],
    [{ resources: { requests: { cpu: '0m' } } }, 'EastWestGateway.resources.requests.cpu: "0m" is invalid: not a positive CPU quantity'],
    [{ resources: { limits: { cpu: 2 } } }, 'EastWestGateway.resources.limits.cpu: 2 is invalid: not a positive CPU quantity. Valid: "500m", "0.5" or "2"'],
    [{ resources: { cpu: { request: '100m' } } }, 'EastWestGateway.resources.cpu: {"request":"100m"} is invalid: is not a field. Valid: requests or limits'],
    [{ resources: { requests: { gpu: '1' } } }, 'EastWestGateway.resources.requests.gpu: "1" is invalid: is not a field. Valid: cpu or memory'],
  ])('%j', (props, message) => {
    expect(gatewayError(props)).toContain(message);
  });

  test('the message starts with the construct path', () => {
    expect(gatewayError({ network: '' })).toMatch(/^\[test\/eastwest\] EastWestGateway\.network: "" is invalid: .*\. Valid: the cluster's network/);
  });

  test('neither provider nor exposure: refused, because a bare LoadBalancer is internet-facing on the clouds', () => {
    const msg = gatewayError({ provider: undefined });
    expect(msg).toContain('EastWestGateway.provider: undefined is invalid: one of provider and exposure is required');
    expect(msg).toContain('internet-facing on GKE, EKS and AKS');
  });

  test('provider contradicting the exposure, unknown providers and fake exposures are refused', () => {
    expect(gatewayError({ provider: CloudProvider.EKS, exposure: GatewayExposure.internal(CloudProvider.GKE) }))
      .toContain('EastWestGateway.provider: "EKS" is invalid: contradicts exposure, which is internal to GKE');
    expect(gatewayError({ provider: 'AWS' })).toContain('EastWestGateway.provider: "AWS" is invalid: not a CloudProvider. Valid: CloudProvider.GKE, CloudProvider.EKS');
    expect(gatewayError({ exposure: { serviceType: 'LoadBalancer' } })).toContain('EastWestGateway.exposure: {"serviceType":"LoadBalancer"} is invalid: not a GatewayExposure');
  });

  test.each([
    [[{ name: 'tls-hbone', port: 15443 }], 'EastWestGateway.extraPorts[0].port: 15443 is invalid: collides with the gateway\'s own port 15443'],
    [[{ name: 'x', port: 8443, targetPort: 15021 }], 'EastWestGateway.extraPorts[0].targetPort: 15021 is invalid: collides'],
    [[{ name: 'istiod', port: 15012 }], 'set exposeIstiod: true instead'],
    [[{ name: 'tls', port: 8443 }], 'EastWestGateway.extraPorts[0].name: "tls" is invalid: is one of the gateway\'s own port names'],
    [[{ name: 'a', port: 8443 }, { name: 'a', port: 8444 }], 'EastWestGateway.extraPorts[1]: {"name":"a","port":8444} is invalid: duplicate name "a"'],
    [[{ name: 'a', port: 8443 }, { name: 'b', port: 8443 }], 'duplicate port 8443/TCP'],
    [[{ name: 'a', port: 8443, nodePort: 8443 }], 'EastWestGateway.extraPorts[0].nodePort: 8443 is invalid: not in the default Kubernetes node-port range. Valid: an integer from 30000 to 32767'],
    [[{ name: 'Bad_Name', port: 8443 }], 'EastWestGateway.extraPorts[0].name: "Bad_Name" is invalid: not a DNS-1123 label'],
    [[{ name: 'a', port: 70000 }], 'EastWestGateway.extraPorts[0].port: 70000 is invalid'],
    [[{ name: 'a', port: 8443, protocol: 'HTTP' }], 'EastWestGateway.extraPorts[0].protocol: "HTTP" is invalid: not a protocol'],
  ])('extraPorts %j', (extraPorts, message) => {
    expect(gatewayError({ extraPorts })).toContain(message);
  });

  test('an extra node port colliding with the tls node port is refused', () => {
    expect(gatewayError({ provider: undefined, exposure: GatewayExposure.nodePort({ allowFromAnywhere: true, tlsNodePort: 31443 }), extraPorts: [{ name: 'hbone', port: 15008, nodePort: 31443 }] }))
      .toContain('duplicate node port 31443 (already used by port "tls")');
  });

  test('null props or a JavaScript caller passing garbage never gives a TypeError', () => {
    expect(errorOf(() => new EastWestGateway(newChart(), 'x', null as any))).toContain('EastWestGateway.props: null is invalid');
    expect(gatewayError({ extraPorts: 'tls' })).toContain('EastWestGateway.extraPorts: "tls" is invalid: must be a list');
    expect(gatewayError({ extraPorts: [null] })).toContain('EastWestGateway.extraPorts[0]: null is invalid');
    expect(gatewayError({ resources: 'big' })).toContain('EastWestGateway.resources: "big" is invalid: must be an object');
  });
});

describe('GatewayExposure | validation', () => {
  test('internet-facing without source ranges is refused unless explicitly allowed', () => {
    expect(errorOf(() => GatewayExposure.internetFacing({})))
      .toContain('[GatewayExposure.internetFacing()] GatewayExposure.loadBalancerSourceRanges: undefined is invalid: an internet-facing east-west gateway must be limited');
    expect(errorOf(() => GatewayExposure.internetFacing({ loadBalancerSourceRanges: ['0.0.0.0/0'] })))
      .toContain('GatewayExposure.loadBalancerSourceRanges[0]: "0.0.0.0/0" is invalid: matches every address');
    expect(errorOf(() => GatewayExposure.internetFacing({ loadBalancerSourceRanges: ['::/0'] }))).toContain('matches every address');
    expect(errorOf(() => GatewayExposure.internetFacing({ allowFromAnywhere: true, loadBalancerSourceRanges: ['203.0.113.0/24'] })))
      .toContain('GatewayExposure.allowFromAnywhere: true is invalid: contradicts loadBalancerSourceRanges ["203.0.113.0/24"]');
    expect(errorOf(() => GatewayExposure.internetFacing(undefined as any))).toContain('GatewayExposure.options: undefined is invalid: a value is required');
  });

  test.each([
    ['10.0.0.1/8', 'host bits are set; did you mean "10.0.0.0/8"?'],
    ['10.0.0.0', 'CIDR mask is missing; did you mean "10.0.0.0/32"?'],
    ['2001:db8::1', 'CIDR mask is missing; did you mean "2001:db8::1/128"?'],
    ['300.1.0.0/16', '"300.1.0.0" is not an IPv4 or IPv6 address'],
    ['010.0.0.0/8', '"010.0.0.0" is not an IPv4 or IPv6 address'],
    ['10.0.0.0/33', 'prefix length /33 is longer than 32 bits'],
    ['10.0.0.0/08', 'invalid prefix length "08"'],
    ['2001:db8::1/32', 'host bits are set; did you mean "2001:db8::/32"?'],
    ['2001:db8:0:0:1::/129', 'prefix length /129 is longer than 128 bits'],
    ['fe80::1%eth0/64', '"fe80::1%eth0" is not an IPv4 or IPv6 address'],
    ['::ffff:192.0.2.1/120', 'host bits are set; did you mean "::ffff:c000:200/120"?'],
    ['1::2::3/64', '"1::2::3" is not an IPv4 or IPv6 address'],
    ['1:2:3:4:5:6:7/112', '"1:2:3:4:5:6:7" is not an IPv4 or IPv6 address'],
    ['', 'must be a non-empty string'],
  ])('source range %j is refused: %s', (cidr, message) => {
    const msg = errorOf(() => GatewayExposure.internal(CloudProvider.GKE, { loadBalancerSourceRanges: [cidr] }));
    expect(msg).toContain(`GatewayExposure.loadBalancerSourceRanges[0]: ${JSON.stringify(cidr)} is invalid: ${message}`);
  });

  test('canonical IPv4 and IPv6 CIDRs are accepted; duplicates are not', () => {
    const ranges = ['10.0.0.0/8', '192.168.1.128/25', '0.0.0.0/0', 'fd00::/8', '2001:db8::/32', '::ffff:192.0.2.0/120', '1:2:3:4:5:6:1.2.3.4/128', '::/128', '192.0.2.7/32'];
    expect(GatewayExposure.internal(CloudProvider.GKE, { loadBalancerSourceRanges: ranges }).loadBalancerSourceRanges).toEqual(ranges);
    expect(errorOf(() => GatewayExposure.onPrem({ loadBalancerSourceRanges: ['10.0.0.0/8', '10.0.0.0/8'] })))
      .toContain('GatewayExposure.loadBalancerSourceRanges[1]: "10.0.0.0/8" is invalid: listed twice');
  });

  test('annotations may not make an internal load balancer external, and keys must be valid', () => {
    expect(errorOf(() => GatewayExposure.internal(CloudProvider.GKE, { annotations: { 'networking.gke.io/load-balancer-type': 'External' } })))
      .toContain('GatewayExposure.annotations["networking.gke.io/load-balancer-type"]: "External" is invalid: overrides the annotation that makes the GKE load balancer internal');
    expect(errorOf(() => GatewayExposure.internal(CloudProvider.EKS, { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } })))
      .toContain('use GatewayExposure.internetFacing()');
    expect(errorOf(() => GatewayExposure.onPrem({ annotations: { 'bad key!': 'x' } }))).toContain('GatewayExposure.annotations: "bad key!" is invalid: invalid annotation key');
    expect(errorOf(() => GatewayExposure.onPrem({ annotations: { 'metallb.io/address-pool': 1 as any } }))).toContain('annotation values are strings');
  });

  test('node ports outside 30000-32767, bad node selectors and unknown providers are refused', () => {
    expect(errorOf(() => GatewayExposure.nodePort({ allowFromAnywhere: true, tlsNodePort: 15443 })))
      .toContain('[GatewayExposure.nodePort()] GatewayExposure.tlsNodePort: 15443 is invalid: not in the default Kubernetes node-port range. Valid: an integer from 30000 to 32767');
    expect(errorOf(() => GatewayExposure.nodePort({ allowFromAnywhere: true, nodeSelector: { 'a/b/c': 'x' } }))).toContain('GatewayExposure.nodeSelector: "a/b/c" is invalid: invalid tag key');
    expect(errorOf(() => GatewayExposure.internal('AWS' as any))).toContain('GatewayExposure.provider: "AWS" is invalid: not a CloudProvider');
  });

  test('GatewayDisruptionBudget factories refuse non-positive or fractional pod counts', () => {
    expect(errorOf(() => GatewayDisruptionBudget.maxUnavailable(0))).toContain('GatewayDisruptionBudget.maxUnavailable: 0 is invalid: not a whole number of pods. Valid: an integer, at least 1');
    expect(errorOf(() => GatewayDisruptionBudget.minAvailable(1.5))).toContain('GatewayDisruptionBudget.minAvailable: 1.5 is invalid');
  });
});

describe('EastWestGateway.fromAttributes', () => {
  test('defaults follow the Helm chart (name istio-eastwestgateway, selector istio: eastwestgateway)', () => {
    const gw = EastWestGateway.fromAttributes(newChart(), 'helm', { network: 'network1', namespace: 'istio-system' });
    expect([gw.network, gw.namespace, gw.name, gw.revision, gw.istioNamespace]).toEqual(['network1', 'istio-system', NAME, undefined, 'istio-system']);
    expect(gw.selector).toEqual({ istio: 'eastwestgateway' });
  });

  test('creates no objects; bad attributes are refused', () => {
    const chart = newChart();
    EastWestGateway.fromAttributes(chart, 'helm', { network: 'network1', namespace: 'istio-system', selector: { app: 'ew' } });
    expect(synthValidated(chart)).toEqual([]);
    expect(errorOf(() => EastWestGateway.fromAttributes(newChart(), 'x', { network: 'n', namespace: 'ns', selector: {} })))
      .toContain('EastWestGateway.fromAttributes.selector: {} is invalid: must be a non-empty map of label keys to values');
    expect(errorOf(() => EastWestGateway.fromAttributes(newChart(), 'x', { network: '', namespace: 'ns' })))
      .toContain('EastWestGateway.fromAttributes.network: "" is invalid');
  });
});

describe('EastWestGatewayOperator', () => {
  const opProps: EastWestGatewayOperatorProps = { network: NET, revision: 'asm-1132-2', namespace: 'gateway', provider: CloudProvider.GKE };

  test('defaults: autoscaling and PDB as the plain-object gateway, validated against the IstioOperator schema', () => {
    const op = new EastWestGatewayOperator(Testing.app(), 'op', { network: 'network1', exposure: GatewayExposure.nodePort({ allowFromAnywhere: true, tlsNodePort: 31443 }), extraPorts: [{ name: 'dns', port: 15053, protocol: GatewayPortProtocol.UDP }] });
    const [iop] = synthValidated(op);
    const k8s = iop.spec.components.ingressGateways[0].k8s;
    expect(iop.spec.revision).toBeUndefined();
    expect(iop.spec.components.ingressGateways[0].namespace).toEqual('istio-gateways');
    expect(k8s.hpaSpec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expect(k8s.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    // istioctl merges the budget into the chart's PDB (minAvailable: 1); both fields together are
    // refused by the API server, so the overlay deletes minAvailable
    expect(k8s.overlays).toEqual([{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name: NAME, patches: [{ path: 'spec.minAvailable' }] }]);
    expect(k8s.service).toEqual({
      type: 'NodePort',
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021 },
        { name: 'tls', port: 15443, targetPort: 15443, nodePort: 31443 },
        { name: 'dns', port: 15053, targetPort: 15053, protocol: 'UDP' },
      ],
    });
    expect(k8s.serviceAnnotations).toEqual({ 'traffic.istio.io/nodeSelector': '{}' });
    expect(iop.spec.values).toEqual({ gateways: { 'istio-ingressgateway': { injectionTemplate: 'gateway' } }, global: { network: 'network1' } });
  });

  test('a minAvailable budget or none needs no overlay', () => {
    const withMin = new EastWestGatewayOperator(Testing.app(), 'op', { ...opProps, podDisruptionBudget: GatewayDisruptionBudget.minAvailable(1) });
    const [iop] = synthValidated(withMin);
    expect(iop.spec.components.ingressGateways[0].k8s.podDisruptionBudget).toEqual({ minAvailable: 1 });
    expect(iop.spec.components.ingressGateways[0].k8s.overlays).toBeUndefined();
    const none = new EastWestGatewayOperator(Testing.app(), 'op', { ...opProps, podDisruptionBudget: GatewayDisruptionBudget.none() });
    const [iop2] = synthValidated(none);
    expect(iop2.spec.components.ingressGateways[0].k8s.overlays).toBeUndefined();
    expect(iop2.spec.values.global.defaultPodDisruptionBudget).toEqual({ enabled: false });
  });

  test('is written to its own file, never into the chart kubectl applies', () => {
    // GIVEN a cluster chart and the operator chart in one app
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ew-op-'));
    const app = new App({ outdir });
    const cluster = new Chart(app, 'gke');
    const op = new EastWestGatewayOperator(app, 'gke-eastwest-operator', opProps);
    op.createNamespaceIn(cluster);
    new CrossNetworkGateway(cluster, 'cross-network', { gateway: op.gateway });
    // WHEN
    app.synth();
    // THEN
    expect(fs.readdirSync(outdir).sort()).toEqual(['gke-eastwest-operator.k8s.yaml', 'gke.k8s.yaml']);
    const kinds = (f: string) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJS().kind);
    expect(kinds('gke-eastwest-operator.k8s.yaml')).toEqual(['IstioOperator']);
    expect(kinds('gke.k8s.yaml')).toEqual(['Namespace', 'Gateway']);
    const clusterObjs = synthValidated(cluster);
    expect(find(clusterObjs, 'Namespace', 'gateway').metadata.labels['istio.io/rev']).toEqual('asm-1132-2');
    expect(find(clusterObjs, 'Gateway', 'cross-network-gateway').spec.selector).toEqual({ istio: 'eastwestgateway' });
    expect(op.gateway.namespace).toEqual('gateway');
  });

  test('Namespace first: createNamespaceIn after the gateway objects (existingGateway in a mesh) still puts the Namespace before them', () => {
    // GIVEN the order a mesh with existingGateway produces: the cross-network-gateway first, then the namespace
    const app = Testing.app();
    const cluster = new Chart(app, 'gke');
    const op = new EastWestGatewayOperator(app, 'gke-eastwest-operator', opProps);
    new CrossNetworkGateway(cluster, 'cross-network', { gateway: op.gateway });
    new ApiObject(cluster, 'user-cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'gateway' } });
    op.createNamespaceIn(cluster);
    // a user's Namespace for another namespace, declared after an object that lives in it
    new ApiObject(cluster, 'late-cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'late' } });
    new ApiObject(cluster, 'late-ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late' } });
    // WHEN
    const order = synthValidated(cluster).map((o) => `${o.kind}/${o.metadata.name}`);
    // THEN each Namespace precedes every object in it
    expect(order.indexOf('Namespace/gateway')).toBeLessThan(order.indexOf('Gateway/cross-network-gateway'));
    expect(order.indexOf('Namespace/gateway')).toBeLessThan(order.indexOf('ConfigMap/cm'));
    expect(order.indexOf('Namespace/late')).toBeLessThan(order.indexOf('ConfigMap/late'));
    expect(order).toHaveLength(5);
  });

  test('refuses to be nested in a chart', () => {
    const chart = newChart('gke');
    expect(errorOf(() => new EastWestGatewayOperator(chart, 'op', opProps)))
      .toContain('EastWestGatewayOperator.scope: "gke" is invalid: an IstioOperator must not share a chart');
    expect(errorOf(() => new EastWestGatewayOperator(new Construct(chart, 'group'), 'op', opProps))).toContain('must not share a chart');
  });

  test('refuses to hold other objects, or to be written with FILE_PER_APP', () => {
    const op = new EastWestGatewayOperator(Testing.app(), 'op', opProps);
    new ApiObject(op, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray' } });
    expect(errorOf(() => Testing.synth(op))).toContain('[op] EastWestGatewayOperator.children: ["ConfigMap stray"] is invalid: this chart holds only the IstioOperator (istioctl input)');

    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'ew-op-')), yamlOutputType: YamlOutputType.FILE_PER_APP });
    new EastWestGatewayOperator(app, 'op', opProps);
    expect(errorOf(() => app.synth())).toContain('EastWestGatewayOperator.yamlOutputType: "FILE_PER_APP" is invalid: it would write the IstioOperator into app.k8s.yaml');

    expect(errorOf(() => op.createNamespaceIn(op))).toContain('EastWestGatewayOperator.createNamespaceIn: "op" is invalid');
  });

  test('operatorName and shared options are validated like the plain gateway', () => {
    expect(errorOf(() => new EastWestGatewayOperator(Testing.app(), 'op', { ...opProps, operatorName: 'East West' })))
      .toContain('EastWestGatewayOperator.operatorName: "East West" is invalid: not a DNS-1123 label');
    expect(errorOf(() => new EastWestGatewayOperator(Testing.app(), 'op', { ...opProps, network: '' })))
      .toContain('[op] EastWestGatewayOperator.network: "" is invalid: must not be empty');
    expect(errorOf(() => new EastWestGatewayOperator(Testing.app(), 'op', { network: NET } as EastWestGatewayOperatorProps)))
      .toContain('EastWestGatewayOperator.provider: undefined is invalid: one of provider and exposure is required');
  });
});

describe('NetworkLabel', () => {
  test('labels istio-system with the network and protects it from GitOps deletion', () => {
    const chart = newChart();
    new NetworkLabel(chart, 'network', { network: NET });
    expect(synthValidated(chart)).toEqual([{
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'istio-system',
        labels: { 'topology.istio.io/network': NET },
        annotations: {
          'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
          'kustomize.toolkit.fluxcd.io/prune': 'disabled',
          'helm.sh/resource-policy': 'keep',
        },
      },
    }]);
  });

  test('takes network and Istio namespace from the gateway; protectFromDeletion: false drops the annotations', () => {
    const chart = newChart();
    const gw = EastWestGateway.fromAttributes(chart, 'helm', { network: 'network1', namespace: 'istio-gateways', istioNamespace: 'istio-control' });
    const label = new NetworkLabel(chart, 'network', { gateway: gw, network: 'network1', protectFromDeletion: false });
    expect([label.network, label.istioNamespace]).toEqual(['network1', 'istio-control']);
    expect(synthValidated(chart)[0].metadata).toEqual({ name: 'istio-control', labels: { 'topology.istio.io/network': 'network1' } });
  });

  test('refuses a network that disagrees with the gateway, no network at all, and two labels in one chart', () => {
    const chart = newChart();
    const gw = EastWestGateway.fromAttributes(chart, 'helm', { network: 'network1', namespace: 'istio-system' });
    expect(errorOf(() => new NetworkLabel(chart, 'a', { gateway: gw, network: 'network2' })))
      .toContain('NetworkLabel.network: "network2" is invalid: contradicts the gateway\'s network "network1"');
    expect(errorOf(() => new NetworkLabel(chart, 'b'))).toContain('NetworkLabel.network: undefined is invalid: one of network and gateway is required');
    expect(errorOf(() => new NetworkLabel(chart, 'c', { network: '' }))).toContain('NetworkLabel.network: "" is invalid: must not be empty');
    expect(errorOf(() => new NetworkLabel(chart, 'd', { gateway: {} as any }))).toContain('NetworkLabel.gateway: {} is invalid: not an east-west gateway');

    const twice = newChart();
    new NetworkLabel(twice, 'one', { network: NET });
    new NetworkLabel(twice, 'two', { network: NET });
    expect(errorOf(() => Testing.synth(twice))).toContain('[test/one] NetworkLabel.istioNamespace: "istio-system" is invalid: the namespace is also labelled by test/two in the same chart');
  });
});

describe('found by fuzzing: refused with a ValidationError, never a TypeError or a plain Error', () => {
  test('createNamespaceIn with a scope that is not a construct in a chart', () => {
    const app = Testing.app();
    const op = new EastWestGatewayOperator(app, 'op', { network: NET, provider: CloudProvider.GKE });
    for (const scope of [undefined, 42, {}, app]) {
      const e = validationErrorOf(() => op.createNamespaceIn(scope as any));
      expect([e.construct, e.field, e.reason]).toEqual(['EastWestGatewayOperator', 'createNamespaceIn.scope', 'not a construct in a chart']);
    }
    expect(validationErrorOf(() => op.createNamespaceIn(app)).value).toBe('"<root>"');
  });

  test('NetworkLabel with network null and no gateway', () => {
    const e = validationErrorOf(() => new NetworkLabel(newChart(), 'network', { network: null as any }));
    expect([e.construct, e.field, e.reason]).toEqual(['NetworkLabel', 'network', 'must be a string']);
  });

  test('a selector or annotation key "constructor" is refused: cdk8s cannot render an object with that key', () => {
    const selector = validationErrorOf(() => EastWestGateway.fromAttributes(newChart(), 'helm', { network: NET, namespace: 'istio-gateways', selector: { constructor: 'x' } }));
    expect([selector.field, selector.value]).toEqual(['selector["constructor"]', '"constructor"']);
    const annotation = validationErrorOf(() => GatewayExposure.onPrem({ annotations: { constructor: 'x' } }));
    expect([annotation.field, annotation.reason]).toEqual(['annotations', 'invalid annotation key: "constructor" (cdk8s cannot render an object with this key)']);
  });
});
