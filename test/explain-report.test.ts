import { validationErrorOf } from './support/errors';
import { ExplainCluster, ExplainLocalityLb, ExplainService } from '../src/explain/model';
import { TrafficReport } from '../src/explain/report';

const GKE: ExplainCluster = { name: 'gke', network: 'kuchima-demo-vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-a'] };
const ONPREM: ExplainCluster = { name: 'onprem', network: 'default', region: 'tokyo-onprem', zones: [] };
const HYBRID = [GKE, ONPREM];

/** A rule; with outlier detection it ejects up to 100% as the library's default outlier detection does, unless the test says otherwise. */
function lb(settings: Partial<ExplainLocalityLb>): ExplainLocalityLb {
  const ejection = settings.outlierDetection ? { maxEjectionPercent: 100 } : {};
  return { enabled: true, failover: [], failoverPriority: [], distribute: [], outlierDetection: false, ...ejection, ...settings };
}

const ECHO: ExplainService = {
  host: 'echo-svc.default.svc.cluster.local',
  replicas: { gke: 2, onprem: 2 },
  localityLb: lb({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }], outlierDetection: true }),
};
const HELLO: ExplainService = { host: 'helloworld.sample.svc.cluster.local', replicas: { gke: 2, onprem: 2 } };

function tableRows(md: string, host: string): string[] {
  const section = md.split(`### \`${host}\``)[1].split(/\n##+ /)[0];
  return section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| scenario') && !l.startsWith('| ---'));
}

describe('TrafficReport', () => {
  test('services that behave alike share one section (hosts listed collapsed); what fails requests leads under "Needs attention"', () => {
    const same = Array.from({ length: 5 }, (_, i) => ({ ...ECHO, host: `echo-${i}.default.svc.cluster.local` }));
    const md = TrafficReport.markdown(HYBRID, [...same, HELLO], 'onprem');
    expect(md).toContain('## Services (6, 2 distinct behaviours)');
    expect(md).toContain('### `echo-0.default.svc.cluster.local` and 4 more alike');
    expect(md).toContain('<details><summary>5 services</summary>');
    expect(md).toContain('- `echo-4.default.svc.cluster.local`');
    expect(md.match(/\| steady state \|/g)).toHaveLength(2);
    // hello has no outlier detection: gke down fails half the requests, and that leads the report
    const attention = md.split('## Needs attention')[1].split('\n## ')[0];
    expect(attention).toContain(`- \`${HELLO.host}\`: gke down → errors 50%`);
    expect(attention).not.toContain('echo-0');
    expect(md.indexOf('## Needs attention')).toBeLessThan(md.indexOf('## Services'));
  });

  test('a local cluster down is flagged "by design" for a cluster-local host and for a caller routed to its own subset, and only there', () => {
    const local: ExplainService = { ...HELLO, host: 'local.default.svc.cluster.local', clusterLocal: true };
    const routed: ExplainService = { ...HELLO, host: 'routed.default.svc.cluster.local', perClusterRouting: { clusters: ['gke', 'onprem'], fallbackToAllClusters: false } };
    const attention = TrafficReport.markdown(HYBRID, [local, routed, HELLO], 'onprem').split('## Needs attention')[1].split('\n## ')[0];
    expect(attention).toContain('- `local.default.svc.cluster.local`: onprem down (local) → errors 100% (by design: the host is cluster-local)');
    expect(attention).toContain('- `routed.default.svc.cluster.local`: onprem down (local) → errors 100% (by design: per-cluster routing never fails over to another subset)');
    expect(attention).toContain(`- \`${HELLO.host}\`: onprem down (local) → errors 50%\n`);
  });


  test('one table per service: steady state, then each cluster down, local first', () => {
    // WHEN
    const md = TrafficReport.markdown(HYBRID, [ECHO, HELLO], 'onprem');
    // THEN
    expect(md.startsWith('# Traffic from `onprem`\n')).toBe(true);
    expect(md).toContain('Client: cluster `onprem`, network `default`, locality `tokyo-onprem`.');
    expect(md).toContain('| scenario | requests land in | 503 / errors | notes |');
    const echo = tableRows(md, ECHO.host);
    expect(echo).toHaveLength(3);
    expect(echo[0]).toBe('| steady state | onprem 100% | — |  |');
    expect(echo[1]).toMatch(/^\| onprem down \(local\) \| gke 100% via gateway \| — \| P0 0\/2 hosts healthy/);
    expect(echo[2]).toMatch(/^\| gke down \| onprem 100% \| — \| no healthy endpoint in gke's network → its gateway host is ejected/);
  });

  test('the policy is listed above the table and the assumptions once at the end', () => {
    const md = TrafficReport.markdown(HYBRID, [ECHO, HELLO], 'onprem');
    expect(md).toContain('- failover tokyo-onprem → asia-northeast1: other regions demoted\n');
    expect(md).toContain('- remote network kuchima-demo-vpc01 → via east-west gateway of gke, weight 2\n');
    expect(md).toContain('<details><summary>Assumptions</summary>');
    const assumptions = md.split('<details><summary>Assumptions</summary>')[1];
    expect(assumptions).toContain('- one east-west gateway per cluster');
    expect(md.match(/- Istio 1\.31 istiod and Envoy defaults/g)).toHaveLength(1);
  });

  test('without outlier detection the failing cluster keeps its share and the errors column says so', () => {
    const rows = tableRows(TrafficReport.markdown(HYBRID, [HELLO], 'onprem'), HELLO.host);
    expect(rows[0]).toBe('| steady state | gke 50% via gateway, onprem 50% | — |  |');
    expect(rows[2]).toBe('| gke down | gke 50% via gateway, onprem 50% | errors 50% | no outlier detection: Envoy cannot tell failing endpoints apart → 50% of requests fail |');
  });

  test('per-cluster routing: the local cluster down is an error, a 404 for callers without a route', () => {
    const mysvc: ExplainService = {
      host: 'mysvc.myns.svc.cluster.local',
      replicas: { gke: 2 },
      localityLb: lb({ outlierDetection: true }),
      perClusterRouting: { clusters: ['gke'], fallbackToAllClusters: false },
    };
    const fromGke = tableRows(TrafficReport.markdown(HYBRID, [mysvc], 'gke'), mysvc.host);
    expect(fromGke[1]).toMatch(/^\| gke down \(local\) \| — \| 503 UH 100% \|/);
    const fromOnprem = tableRows(TrafficReport.markdown(HYBRID, [mysvc], 'onprem'), mysvc.host);
    expect(fromOnprem[0]).toBe('| steady state | — | 404 NR 100% |  |');
  });

  test('table cells escape pipes', () => {
    const odd: ExplainCluster = { name: 'a|b', network: 'n', region: 'r', zones: [] };
    const md = TrafficReport.markdown([odd], [{ host: 'x.y.svc.cluster.local', replicas: { 'a|b': 1 } }], 'a|b');
    expect(md).toContain('| steady state | a\\|b 100% | — |  |');
  });

  test('fails on an unknown client cluster', () => {
    expect(() => TrafficReport.markdown(HYBRID, [ECHO], 'aws')).toThrow('TrafficReport.fromCluster: "aws" is invalid: unknown cluster');
  });
});

describe('found by fuzzing: refused with a ValidationError, never a TypeError', () => {
  test('clusters or services that are not lists, and a service with a junk host, before anything is rendered', () => {
    expect(validationErrorOf(() => TrafficReport.markdown('gke' as any, [ECHO], 'gke')).field).toBe('clusters');
    expect(validationErrorOf(() => TrafficReport.markdown(HYBRID, ECHO as any, 'gke')).field).toBe('services');
    expect(validationErrorOf(() => TrafficReport.markdown(HYBRID, [{ ...ECHO, host: null as any }], 'gke')).field).toBe('service.host');
    expect(validationErrorOf(() => TrafficReport.markdown([{ ...GKE, region: NaN as any }], [], 'gke')).field).toBe('clusters[0].region');
  });
});
