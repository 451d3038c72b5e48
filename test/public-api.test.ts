// The sealed 0.1.0 API: escape hatches are plain cdk8s ApiObjects (ApiObject.of(construct) finds
// them, addJsonPatch works), services from any cdk8s-plus version are accepted, and nothing generated
// is exported.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import * as lib from '../src';
import {
  ClusterLocalPolicy, CrossNetworkGateway, EastWestGateway, EastWestGatewayOperator, IstiodGateway, LocalityFailoverRule,
  MeshService, MultiClusterMesh, NetworkLabel, PerClusterSubsetRouting, ReaderTokenSecret, RemoteSecret, ServiceHost, TokenSource,
  CloudProvider,
} from '../src';
import { errorOf } from './support/errors';
import { synthValidated } from './support/schema';

const HOST = 'echo.default.svc.cluster.local';

function annotated(objs: any[], kind: string): any {
  const o = objs.find((x) => x.kind === kind && x.metadata?.annotations?.['example.com/patched'] === 'yes');
  if (!o) throw new Error(`no patched ${kind} in ${objs.map((x) => x.kind).join(', ')}`);
  return o;
}

describe('escape hatches are ApiObjects for every construct', () => {
  const cases: Array<[string, string, (chart: Chart) => Construct & { apiObject: ApiObject }]> = [
    ['LocalityFailoverRule', 'DestinationRule', (c) => new LocalityFailoverRule(c, 'x', { host: HOST })],
    ['PerClusterSubsetRouting', 'VirtualService', (c) => new PerClusterSubsetRouting(c, 'x', { host: HOST, clusters: ['c1', 'c2'] })],
    ['EastWestGateway', 'Deployment', (c) => new EastWestGateway(c, 'x', { network: 'net1', provider: CloudProvider.GKE })],
    ['CrossNetworkGateway', 'Gateway', (c) => new CrossNetworkGateway(c, 'x', { gateway: new EastWestGateway(c, 'gw', { network: 'net1', provider: CloudProvider.GKE }) })],
    ['IstiodGateway', 'Gateway', (c) => new IstiodGateway(c, 'x', { gateway: EastWestGateway.fromAttributes(c, 'gw', { network: 'net1', namespace: 'istio-system' }) })],
    ['NetworkLabel', 'Namespace', (c) => new NetworkLabel(c, 'x', { network: 'net1' })],
    ['ReaderTokenSecret', 'Secret', (c) => new ReaderTokenSecret(c, 'x')],
    ['RemoteSecret', 'Secret', (c) => {
      process.env.PUBLIC_API_TEST_TOKEN = 'token-value';
      return new RemoteSecret(c, 'x', { clusterName: 'c2', registration: { server: 'https://10.0.0.2', certificateAuthorityData: 'Q0E=', token: TokenSource.fromEnv('PUBLIC_API_TEST_TOKEN') } });
    }],
  ];

  test.each(cases)('%s: ApiObject.of(construct) is apiObject (%s) and addJsonPatch reaches the manifest', (_name, kind, make) => {
    const chart = Testing.chart();
    const construct = make(chart);
    expect(construct.apiObject).toBeInstanceOf(ApiObject);
    expect(ApiObject.of(construct)).toBe(construct.apiObject);
    expect(construct.apiObject.kind).toBe(kind);
    ApiObject.of(construct).addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/patched': 'yes' }));
    expect(annotated(synthValidated(chart), kind).kind).toBe(kind);
  });

  test('the secondary objects are ApiObjects too: PerClusterSubsetRouting.destinationRule, EastWestGateway.service, IstiodGateway.virtualService', () => {
    const chart = Testing.chart();
    const routing = new PerClusterSubsetRouting(chart, 'r', { host: HOST, clusters: ['c1'] });
    const gw = new EastWestGateway(chart, 'gw', { network: 'net1', provider: CloudProvider.GKE });
    const istiod = new IstiodGateway(chart, 'istiod', { gateway: gw });
    for (const o of [routing.destinationRule, gw.service, istiod.virtualService]) {
      o.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/patched': 'yes' }));
    }
    const objs = synthValidated(chart);
    expect(annotated(objs, 'DestinationRule').spec.subsets).toHaveLength(1);
    expect(annotated(objs, 'Service').spec.ports[0].port).toBe(15021);
    expect(annotated(objs, 'VirtualService').metadata.name).toBe('istiod-vs');
  });

  test('ClusterLocalPolicy.configMap and the IstioOperator of EastWestGatewayOperator', () => {
    const chart = Testing.chart();
    const policy = new ClusterLocalPolicy(chart, 'local', { hosts: ['*.default.svc.cluster.local'] });
    expect(ApiObject.of(policy)).toBe(policy.configMap);
    policy.configMap!.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/patched': 'yes' }));
    expect(annotated(synthValidated(chart), 'ConfigMap').data.mesh).toContain('clusterLocal: true');

    const op = new EastWestGatewayOperator(Testing.app(), 'op', { network: 'net1', provider: CloudProvider.GKE });
    expect(ApiObject.of(op)).toBe(op.apiObject);
    op.apiObject.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/patched': 'yes' }));
    expect(annotated(synthValidated(op), 'IstioOperator').spec.profile).toBe('empty');
  });
});

describe('ServiceHost.of takes a Service from any cdk8s-plus version or a plain ApiObject', () => {
  test('cdk8s-plus-33 Service', () => {
    const chart = Testing.chart();
    const svc = new kplus33.Service(chart, 'svc', { metadata: { name: 'web', namespace: 'shop' }, ports: [{ port: 80 }] });
    expect(ServiceHost.of(svc)).toBe('web.shop.svc.cluster.local');
    new LocalityFailoverRule(chart, 'web', { host: ServiceHost.of(svc) });
    expect(synthValidated(chart).find((o) => o.kind === 'DestinationRule').spec.host).toBe('web.shop.svc.cluster.local');
  });

  test('cdk8s-plus-27 Service, with a cluster domain', () => {
    const svc = new kplus27.Service(Testing.chart(), 'svc', { metadata: { name: 'web', namespace: 'shop' }, ports: [{ port: 80 }] });
    expect(ServiceHost.of(svc, 'corp.example')).toBe('web.shop.svc.corp.example');
  });

  test('a plain ApiObject of kind Service; the namespace comes from the chart, else "default"', () => {
    const app = Testing.app();
    const inChart = new Chart(app, 'shop', { namespace: 'shop' });
    const raw = new ApiObject(inChart, 'raw', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'raw' } });
    expect(ServiceHost.of(raw)).toBe('raw.shop.svc.cluster.local');
    const bare = new ApiObject(new Chart(app, 'plain'), 'raw', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bare' } });
    expect(ServiceHost.of(bare)).toBe('bare.default.svc.cluster.local');
  });

  test('anything else is a library error naming what is valid', () => {
    const chart = Testing.chart();
    const deployment = new ApiObject(chart, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } });
    expect(errorOf(() => ServiceHost.of(deployment))).toContain('ServiceHost.service: "apps/v1/Deployment" is invalid: is not a Kubernetes Service. Valid: a cdk8s-plus Service, or an ApiObject of kind Service');
    expect(errorOf(() => ServiceHost.of(new Construct(chart, 'empty')))).toContain('ServiceHost.service: "test/empty" is invalid: has no Kubernetes object');
    expect(errorOf(() => ServiceHost.of('web' as any))).toContain('ServiceHost.service: "web" is invalid: not a construct');
    const svc = new kplus33.Service(chart, 'svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
    expect(errorOf(() => ServiceHost.of(svc, '*.local'))).toContain('ServiceHost.clusterDomain: "*.local" is invalid: not a DNS domain');
  });
});

describe('sealed exports', () => {
  test('the package root exports only what API.md documents (no @internal helper)', () => {
    const api = fs.readFileSync(path.join(__dirname, '..', 'API.md'), 'utf8');
    const documented = [...api.matchAll(/^### \w+ <a name="\w+" id="cdk8s-istio-multicluster\.(\w+)"/gm)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThan(50);
    const exported = Object.keys(lib).sort();
    expect(exported.filter((n) => !documented.includes(n))).toEqual([]);
    for (const n of ['MultiClusterMesh', 'LocalityFailoverRule', 'ServiceHost', 'GatewayPortProtocol', 'TrafficExplainer', 'TokenSource']) expect(exported).toContain(n);
    for (const n of ['renderOutlierDetection', 'validateHost', 'createdMeshes', 'ClusterLocalIndex', 'invalid']) expect(exported).not.toContain(n);
  });

  test('no generated Istio binding is exported', () => {
    const exported = Object.keys(lib);
    expect(exported).not.toContain('istionetworking');
    expect(exported).not.toContain('istiosecurity');
    expect(exported.filter((n) => /^(DestinationRule|VirtualService|Gateway|ServiceEntry|PeerAuthentication)(Spec|$)/.test(n))).toEqual([]);
  });

  test('MeshService comes from MultiClusterMesh.addService only', () => {
    const mesh = new MultiClusterMesh(new App(), 'mesh', {
      meshId: 'mesh1',
      clusters: [{ name: 'a', network: 'n', region: 'r' }, { name: 'b', network: 'n', region: 'r' }],
    });
    const svc = mesh.addService({ name: 'echo', clusters: ['a', 'b'] });
    expect(svc).toBeInstanceOf(MeshService);
    // @ts-expect-error the constructor is private (jsii: no initializer in other languages)
    expect(() => new MeshService(mesh, { name: 'x', clusters: ['a'] }, 0)).not.toThrow();
  });
});
