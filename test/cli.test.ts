import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..');
const cli = (...args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', ...args], {
  cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
});

describe('cdk8s-istio-multicluster explain (CLI)', () => {
  test('field notes 2 from the command line: both on-prem pods drained → 100% to gke via its gateway', () => {
    const r = cli('explain', 'examples/hybrid-gke-onprem/main.ts', '--service', 'echo-svc.default', '--from', 'onprem', '--drained', 'onprem=2', '--json');
    expect(r.stderr).toEqual('');
    const result = JSON.parse(r.stdout);
    expect(result.clusters).toEqual([expect.objectContaining({ cluster: 'gke', percent: 100, viaGateway: true })]);
    expect(result.reasons).toContain('outlier detection set → locality priorities on');
  });

  test('steady state as text', () => {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'explain', 'examples/hybrid-gke-onprem/main.ts',
      '--service', 'echo-svc.default', '--from', 'onprem'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/onprem\s+100\.0%/);
    expect(out).toContain('priorities:');
  });

  test('bad questions fail with a message and exit 2 (usage) or 1 (validation)', () => {
    const unknown = cli('explain', 'examples/hybrid-gke-onprem/main.ts', '--service', 'nope', '--from', 'onprem');
    expect(unknown.status).toEqual(2);
    expect(unknown.stderr).toContain('no service nope.default; the app declares: echo-svc.default');
    const badCluster = cli('explain', 'examples/hybrid-gke-onprem/main.ts', '--service', 'echo-svc.default', '--from', 'aws');
    expect(badCluster.status).toEqual(1);
    expect(badCluster.stderr).toContain('MultiClusterMesh.explain.from: "aws" is invalid: unknown cluster');
    expect(cli('frobnicate').stderr).toContain('unknown command "frobnicate"');
  });

  test.each<[string, string[], string]>([
    ['a mistyped flag (it would silently explain the steady state)', ['--drain', 'onprem=2'], "Unknown option '--drain'"],
    ['a flag without a value', ['--zone'], "Option '--zone <value>' argument missing"],
    ['an empty number', ['--healthy', 'onprem='], '--healthy takes <cluster>=<fraction 0..1>[,...], got "onprem="'],
    ['a hex number', ['--healthy', 'onprem=0x1'], 'got "onprem=0x1"'],
    ['a fraction above 1', ['--healthy', 'onprem=1.5'], 'got "onprem=1.5"'],
    ['a cluster given twice', ['--drained', 'onprem=1', '--drained', 'onprem=2'], '--drained gives onprem twice'],
    ['more drained endpoints than the service has', ['--drained', 'onprem=5'], 'TrafficExplainer.query.drained.onprem: 5 is invalid: the service has 2 endpoint(s) in onprem'],
  ])('refuses %s', (_name, extra, message) => {
    const r = cli('explain', 'examples/hybrid-gke-onprem/main.ts', '--service', 'echo-svc.default', '--from', 'onprem', ...extra);
    expect(r.status).not.toEqual(0);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toEqual('');
  });

  test('repeated --drained flags add up, `--` from `npx projen explain --` is ignored, and the FQDN is accepted', () => {
    const r = cli('explain', 'examples/hybrid-gke-onprem/main.ts', '--', '--service', 'echo-svc.default.svc.cluster.local', '--from', 'gke',
      '--drained', 'onprem=1', '--drained', 'gke=2', '--json');
    expect(r.stderr).toEqual('');
    expect(JSON.parse(r.stdout).clusters).toEqual([expect.objectContaining({ cluster: 'onprem', percent: 100 })]);
  });

  test('--help prints the usage; explain without an app says so', () => {
    const help = cli('--help');
    expect(help.status).toEqual(0);
    expect(help.stdout).toContain('usage: cdk8s-istio-multicluster explain');
    expect(cli('explain').stderr).toContain('explain needs the app file');
  });
});
