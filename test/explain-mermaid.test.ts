import { validationErrorOf } from './support/errors';
import { MeshDiagram } from '../src/explain/mermaid';
import { ExplainCluster, ExplainLocalityLb, ExplainService } from '../src/explain/model';

const GKE: ExplainCluster = { name: 'gke', network: 'kuchima-demo-vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-a'] };
const ONPREM: ExplainCluster = { name: 'onprem', network: 'default', region: 'tokyo-onprem', zones: [] };
const TOKYO: ExplainCluster = { name: 'tokyo', network: 'vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-a'] };
const OSAKA: ExplainCluster = { name: 'osaka', network: 'vpc01', region: 'asia-northeast2', zones: ['asia-northeast2-a'] };

/** A rule; with outlier detection it ejects up to 100% as the library's default outlier detection does, unless the test says otherwise. */
function lb(settings: Partial<ExplainLocalityLb>): ExplainLocalityLb {
  const ejection = settings.outlierDetection ? { maxEjectionPercent: 100 } : {};
  return { enabled: true, failover: [], failoverPriority: [], distribute: [], outlierDetection: false, ...ejection, ...settings };
}

const FAILOVER: ExplainService = {
  host: 'echo-svc.default.svc.cluster.local',
  replicas: { gke: 2, onprem: 2 },
  localityLb: lb({ failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }], outlierDetection: true }),
};

function mermaidBlock(md: string): string[] {
  return md.split('```mermaid\n')[1].split('\n```')[0].split('\n');
}

describe('MeshDiagram', () => {
  test('multi-network: clusters grouped by network and region, one east-west gateway per cluster', () => {
    const lines = mermaidBlock(MeshDiagram.markdown([GKE, ONPREM], [FAILOVER], true));
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toEqual(expect.arrayContaining([
      '  subgraph n0["network kuchima-demo-vpc01"]',
      '    subgraph n0r0["region asia-northeast1"]',
      '      c0["gke<br/>asia-northeast1-a"]',
      '    g0{{"east-west gateway gke"}}',
      '  subgraph n1["network default"]',
      '      c1["onprem"]',
      '  g0 --- c0',
      '  g1 --- c1',
    ]));
  });

  test('failover arrows go to the remote gateway, dotted, labelled with the priority', () => {
    const lines = mermaidBlock(MeshDiagram.markdown([GKE, ONPREM], [FAILOVER]));
    expect(lines).toContain('  c1 -.->|"echo-svc.default: P1 failover"| g0');
    expect(lines).toContain('  c0 -.->|"echo-svc.default: P1 failover"| g1');
  });

  test('single network: distribute arrows between clusters with their share, no gateways', () => {
    const echo: ExplainService = {
      host: 'echo.sample.svc.cluster.local',
      replicas: { tokyo: 2, osaka: 2 },
      localityLb: lb({ distribute: [{ from: 'asia-northeast1/*', to: { 'asia-northeast1/*': 50, 'asia-northeast2/*': 50 } }] }),
    };
    const md = MeshDiagram.markdown([TOKYO, OSAKA], [echo]);
    const lines = mermaidBlock(md);
    expect(lines).toContain('  c0 -->|"echo.sample: 50%"| c1');
    expect(lines.some((l) => l.includes('{{'))).toBe(false);
    expect(md).toContain('- `echo.sample` (`echo.sample.svc.cluster.local`): weighted distribution');
  });

  test('services that stay local draw no arrow and say so', () => {
    const mysvc: ExplainService = {
      host: 'mysvc.myns.svc.cluster.local',
      replicas: { tokyo: 2, osaka: 2 },
      perClusterRouting: { clusters: ['tokyo', 'osaka'], fallbackToAllClusters: false },
    };
    const md = MeshDiagram.markdown([TOKYO, OSAKA], [mysvc]);
    expect(mermaidBlock(md).filter((l) => l.includes('-->') || l.includes('-.->'))).toEqual([]);
    expect(md).toContain('per-cluster routing, each caller stays in its own cluster, no cross-cluster traffic');
  });

  test('labels are escaped and node ids never come from user text', () => {
    const evil: ExplainCluster = { name: 'a"b', network: 'net"]; click c0 "x', region: 'r#1 <b>|`', zones: [] };
    const md = MeshDiagram.markdown([evil, GKE], [{ host: 'x.y.svc.cluster.local', replicas: { 'a"b': 1, 'gke': 1 } }]);
    const lines = mermaidBlock(md);
    expect(lines).toContain('  subgraph n0["network net#quot;]; click c0 #quot;x"]');
    expect(lines).toContain('    subgraph n0r0["region r#35;1 #lt;b#gt;#124;#96;"]');
    expect(lines).toContain('      c0["a#quot;b"]');
    // every quoted label holds exactly one pair of quotes
    for (const l of lines.filter((x) => x.includes('"'))) expect((l.match(/"/g) ?? []).length % 2).toBe(0);
    expect(lines).toContain('  c1 -->|"x.y: 50%"| g0');
  });
});

describe('found by fuzzing: refused with a ValidationError, never a TypeError', () => {
  test('clusters with junk zones, a service with a junk host, and a multiNetwork that is not a boolean', () => {
    expect(validationErrorOf(() => MeshDiagram.markdown([{ ...GKE, zones: undefined as any }], [])).field).toBe('clusters[0].zones');
    expect(validationErrorOf(() => MeshDiagram.markdown([GKE, ONPREM], [{ ...FAILOVER, host: 5 as any }])).field).toBe('service.host');
    const flag = validationErrorOf(() => MeshDiagram.markdown([GKE, ONPREM], [FAILOVER], 'yes' as any));
    expect([flag.construct, flag.field]).toEqual(['MeshDiagram', 'multiNetwork']);
  });
});
