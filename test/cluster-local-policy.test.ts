import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ClusterLocalPolicy } from '../src';
import { validationErrorOf } from './support/errors';
import { synthValidated } from './support/schema';

describe('ClusterLocalPolicy', () => {
  test('field notes item 6: serviceSettings in a shared mesh-config ConfigMap in the Istio namespace', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    new ClusterLocalPolicy(chart, 'local', { hosts: ['*.default.svc.cluster.local'] });
    // WHEN
    const [cm] = synthValidated(chart);
    // THEN
    expect(cm.apiVersion).toEqual('v1');
    expect(cm.kind).toEqual('ConfigMap');
    expect(cm.metadata).toEqual({ name: 'istio-shared-mesh-config', namespace: 'istio-system' });
    expect(Object.keys(cm.data)).toEqual(['mesh']);
    expect(parseYaml(cm.data.mesh)).toEqual({
      serviceSettings: [{ settings: { clusterLocal: true }, hosts: ['*.default.svc.cluster.local'] }],
    });
  });

  test('exceptions become clusterLocal: false entries, and the most specific host wins', () => {
    const chart = new Chart(Testing.app(), 'test');
    const policy = new ClusterLocalPolicy(chart, 'local', {
      hosts: ['*.default.svc.cluster.local'],
      exceptions: ['echo.default.svc.cluster.local'],
    });
    const [cm] = synthValidated(chart);
    expect(parseYaml(cm.data.mesh).serviceSettings).toEqual([
      { settings: { clusterLocal: true }, hosts: ['*.default.svc.cluster.local'] },
      { settings: { clusterLocal: false }, hosts: ['echo.default.svc.cluster.local'] },
    ]);
    expect(policy.isClusterLocal('hello.default.svc.cluster.local')).toBe(true);
    expect(policy.isClusterLocal('echo.default.svc.cluster.local')).toBe(false);
    expect(policy.isClusterLocal('echo.other.svc.cluster.local')).toBe(false);
    // Istio's built-in defaults
    expect(policy.isClusterLocal('kube-dns.kube-system.svc.cluster.local')).toBe(true);
    expect(policy.isClusterLocal('kubernetes.default.svc.cluster.local')).toBe(true);
  });

  test('an exception can make an Istio default global again', () => {
    const chart = new Chart(Testing.app(), 'test');
    const policy = new ClusterLocalPolicy(chart, 'local', { exceptions: ['*.kube-system.svc.cluster.local'] });
    expect(policy.isClusterLocal('kube-dns.kube-system.svc.cluster.local')).toBe(false);
  });

  test('"*" makes everything cluster-local, and a narrower exception still wins', () => {
    const chart = new Chart(Testing.app(), 'test');
    const policy = new ClusterLocalPolicy(chart, 'local', { hosts: ['*'], exceptions: ['*.global.svc.cluster.local'] });
    expect(policy.isClusterLocal('a.default.svc.cluster.local')).toBe(true);
    expect(policy.isClusterLocal('a.global.svc.cluster.local')).toBe(false);
  });

  test('hosts added later are rendered', () => {
    const chart = new Chart(Testing.app(), 'test');
    const policy = new ClusterLocalPolicy(chart, 'local');
    policy.addClusterLocal('*.payments.svc.cluster.local');
    const [cm] = synthValidated(chart);
    expect(parseYaml(cm.data.mesh).serviceSettings[0].hosts).toEqual(['*.payments.svc.cluster.local']);
  });

  test('an exception under a default wildcard drops the whole default (istiod HasSuffix rule)', () => {
    const policy = new ClusterLocalPolicy(new Chart(Testing.app(), 'c'), 'local', { exceptions: ['foo.kube-system.svc.cluster.local'] });
    expect(policy.isClusterLocal('foo.kube-system.svc.cluster.local')).toBe(false);
    expect(policy.isClusterLocal('bar.kube-system.svc.cluster.local')).toBe(false);
    // listing the wildcard again keeps the rest local, and the exact exception wins for foo
    const kept = new ClusterLocalPolicy(new Chart(Testing.app(), 'c'), 'kept', { hosts: ['*.kube-system.svc.cluster.local'], exceptions: ['foo.kube-system.svc.cluster.local'] });
    expect(kept.isClusterLocal('bar.kube-system.svc.cluster.local')).toBe(true);
    expect(kept.isClusterLocal('foo.kube-system.svc.cluster.local')).toBe(false);
  });

  test('the istiod discovery host is cluster-local by default, in the policy\'s Istio namespace', () => {
    expect(new ClusterLocalPolicy(new Chart(Testing.app(), 'c'), 'a', { hosts: ['*.x.svc.cluster.local'] }).isClusterLocal('istiod.istio-system.svc.cluster.local')).toBe(true);
    expect(new ClusterLocalPolicy(new Chart(Testing.app(), 'c'), 'b', { hosts: ['*.x.svc.cluster.local'], istioNamespace: 'istio' }).isClusterLocal('istiod.istio.svc.cluster.local')).toBe(true);
    expect(new ClusterLocalPolicy(new Chart(Testing.app(), 'c'), 'c', { exceptions: ['istiod.istio-system.svc.cluster.local'] }).isClusterLocal('istiod.istio-system.svc.cluster.local')).toBe(false);
  });

  test('Istio\'s own cases (cluster_local_test.go): exclusions under "*", a wider local under a global "*"', () => {
    expect(new ClusterLocalPolicy(new Chart(Testing.app(), 'c'), 'a', { hosts: ['*'], exceptions: ['service.ns1.svc.cluster.local'] }).isClusterLocal('service.ns1.svc.cluster.local')).toBe(false);
    const sub = new ClusterLocalPolicy(new Chart(Testing.app(), 'c'), 'b', { hosts: ['*.cluster.local'], exceptions: ['*'] });
    expect(sub.isClusterLocal('echo.test.svc.cluster.local')).toBe(true);
    expect(sub.isClusterLocal('otherdomain')).toBe(false);
  });

  test('Helm values: only the SHARED_MESH_CONFIG env var while the ConfigMap carries the settings', () => {
    const chart = new Chart(Testing.app(), 'test');
    const policy = new ClusterLocalPolicy(chart, 'local', { hosts: ['*.default.svc.cluster.local'], configMapName: 'mesh-shared' });
    // a copy in meshConfig would take precedence over the ConfigMap and freeze it
    expect(parseYaml(policy.helmValues())).toEqual({ pilot: { env: { SHARED_MESH_CONFIG: 'mesh-shared' } } });
  });

  test('Helm values and IstioOperator overlay carry the settings for install-time use', () => {
    const chart = new Chart(Testing.app(), 'test');
    const policy = new ClusterLocalPolicy(chart, 'local', { hosts: ['*.default.svc.cluster.local'], configMapName: 'mesh-shared', emitConfigMap: false });
    expect(Testing.synth(chart)).toEqual([]);
    const helm = parseYaml(policy.helmValues());
    // no SHARED_MESH_CONFIG: it would point at a ConfigMap that is never created
    expect(helm).toEqual({
      meshConfig: { serviceSettings: [{ settings: { clusterLocal: true }, hosts: ['*.default.svc.cluster.local'] }] },
    });
    const iop = parseYaml(policy.istioOperatorOverlay());
    expect(iop.apiVersion).toEqual('install.istio.io/v1alpha1');
    expect(iop.spec.meshConfig).toEqual(helm.meshConfig);
  });

  test.each<[string, () => void, string]>([
    ['a host with a trailing wildcard (Istio: foo.bar.* is invalid)', () => new ClusterLocalPolicy(new Chart(Testing.app(), 't'), 'l', { hosts: ['foo.bar.*'] }),
      'ClusterLocalPolicy.hosts[0]: "foo.bar.*" is invalid: domain name "bar.*" invalid (label "*" invalid)'],
    ['an empty host', () => new ClusterLocalPolicy(new Chart(Testing.app(), 't'), 'l', { hosts: [''] }), 'ClusterLocalPolicy.hosts[0]: "" is invalid: must not be empty'],
    ['a host both local and an exception', () => new ClusterLocalPolicy(new Chart(Testing.app(), 't'), 'l', { hosts: ['a.b.svc.cluster.local'], exceptions: ['a.b.svc.cluster.local'] }),
      'host "a.b.svc.cluster.local" is already listed as cluster-local'],
    ['an invalid namespace', () => new ClusterLocalPolicy(new Chart(Testing.app(), 't'), 'l', { hosts: ['*'], istioNamespace: 'Istio' }), 'ClusterLocalPolicy.istioNamespace: "Istio" is invalid'],
    ['no hosts at all', () => Testing.synth(withPolicy()), 'ClusterLocalPolicy.hosts: [] is invalid: no hosts and no exceptions'],
  ])('rejects %s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });
});

function withPolicy(): Chart {
  const chart = new Chart(Testing.app(), 't');
  new ClusterLocalPolicy(chart, 'l');
  return chart;
}

function parseYaml(text: string): any {
  return YAML.parse(text);
}

describe('found by fuzzing: refused with a ValidationError, never a TypeError', () => {
  test('isClusterLocal with a host that is not a string', () => {
    const policy = new ClusterLocalPolicy(new Chart(Testing.app(), 'test'), 'local', { hosts: ['*.default.svc.cluster.local'] });
    for (const host of [42, null, undefined, {}]) {
      const e = validationErrorOf(() => policy.isClusterLocal(host as any));
      expect([e.construct, e.field]).toEqual(['ClusterLocalPolicy', 'isClusterLocal.host']);
    }
    expect(policy.isClusterLocal('echo.default.svc.cluster.local')).toBe(true);
  });
});
