import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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

  test('--not-ready: with Istio 1.31 (the example\'s default) one of two on-prem pods not Ready halves the local priority\'s health', () => {
    const r = cli('explain', 'examples/hybrid-gke-onprem/main.ts', '--service', 'echo-svc.default', '--from', 'onprem', '--not-ready', 'onprem=1', '--json');
    expect(r.stderr).toEqual('');
    const result = JSON.parse(r.stdout);
    expect(result.istioVersion).toBe('1.31');
    expect(result.localitySetting).toBe('DestinationRule');
    // Envoy: health = floor(140 × 1/2) = 70 → 70% stays local, 30% through gke's gateway
    expect(result.priorities[0]).toMatchObject({ healthPercent: 70, loadPercent: 70 });
    expect(result.assumptions.join('\n')).toContain('not-Ready endpoints are in EDS as unhealthy hosts');
  });

  test('steady state as text', () => {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'explain', 'examples/hybrid-gke-onprem/main.ts',
      '--service', 'echo-svc.default', '--from', 'onprem'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/onprem\s+100\.0%/);
    expect(out).toContain('priorities:');
    // each locality with its zone (a cluster with endpoints in two zones has two)
    expect(out).toContain('  P1: gke/asia-northeast1-a via gateway (1 host for 2/2 healthy endpoints) → health 100%, load 0%');
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

  test('a validation error prints its message only; a bug in the app prints its stack (Errors.isValidationError decides, not the text)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-errors-'));
    const lib = path.join(root, 'src');
    fs.writeFileSync(path.join(dir, 'invalid.js'), `const { App } = require(${JSON.stringify(path.join(root, 'node_modules', 'cdk8s'))});
      const { MultiClusterMesh } = require(${JSON.stringify(lib)});
      new MultiClusterMesh(new App(), 'mesh', { meshId: 'm', clusters: [{ name: 'a', network: 'n', region: 'r', zone: 'x' }] });`);
    fs.writeFileSync(path.join(dir, 'bug.js'), 'null.boom;');
    const invalid = cli('explain', path.join(dir, 'invalid.js'), '--service', 'echo', '--from', 'a');
    expect(invalid.status).toEqual(1);
    expect(invalid.stderr.trim()).toEqual('[mesh] MultiClusterMesh.clusters[0].zone: <a string of 1 character, not shown> is invalid: unknown property "zone" (did you mean "zones"?): it would be ignored. '
      + 'Valid: the properties of clusters[0]: name, network, region, zones, subzones, provider, exposure, existingGateway, registration, labels, istioVersion, kubernetesVersion');
    const bug = cli('explain', path.join(dir, 'bug.js'), '--service', 'echo', '--from', 'a');
    expect(bug.status).toEqual(1);
    expect(bug.stderr).toContain('TypeError: Cannot read properties of null');
    expect(bug.stderr).toContain('bug.js:1');
    fs.rmSync(dir, { recursive: true, force: true });
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

/**
 * A user's app in a folder of its own (outside this repository), run with that folder as the
 * working directory and a private TMPDIR, so that whatever the CLI writes shows up there.
 */
describe('explain reads the app without writing anything or reading a token', () => {
  const TOKEN_VAR = 'CLI_TEST_READER_TOKEN';
  let base: string;
  let appDir: string;
  let tmpDir: string;

  /** An app with registration on that builds its own App and synthesizes it when loaded. */
  const REGISTERED_APP = `
const { MeshApp, MultiClusterMesh, TokenSource } = require(${JSON.stringify(path.join(root, 'src'))});
const registration = (server) => ({ server, certificateAuthorityData: 'Q0E=', token: TokenSource.fromEnv('${TOKEN_VAR}') });
const app = new MeshApp();
const mesh = new MultiClusterMesh(app, 'mesh', {
  meshId: 'm',
  clusters: [
    { name: 'a', network: 'n', region: 'r1', registration: registration('https://10.0.0.1') },
    { name: 'b', network: 'n', region: 'r2', registration: registration('https://10.0.0.2') },
  ],
});
mesh.addService({ name: 'echo', clusters: ['a', 'b'], replicas: { a: 2, b: 2 } });
app.synth();
`;

  /** An app without a mesh that synthesizes into ./dist explicitly. */
  const MESHLESS_APP = `
const { ApiObject, App, Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});
const app = new App({ outdir: 'dist' });
new ApiObject(new Chart(app, 'plain'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
app.synth();
`;

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), TMPDIR: tmpDir, DISABLE_V8_COMPILE_CACHE: '1', ...env };
    for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
    return spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), ...args], { cwd: appDir, encoding: 'utf8', env: childEnv });
  };
  const explain = (app: string, extra: string[], env?: NodeJS.ProcessEnv) =>
    run([path.join(root, 'src', 'cli.ts'), 'explain', app, ...extra], env);

  /** Every file under `dir`, relative to it. */
  const files = (dir: string, under = ''): string[] => fs.readdirSync(path.join(dir, under), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(under, e.name)) : [path.join(under, e.name)]))
    .sort();

  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
    appDir = path.join(base, 'app');
    tmpDir = path.join(base, 'tmp');
    fs.mkdirSync(appDir);
    fs.mkdirSync(tmpDir);
    fs.writeFileSync(path.join(appDir, 'main.js'), REGISTERED_APP);
    fs.writeFileSync(path.join(appDir, 'meshless.js'), MESHLESS_APP);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  test('explain writes nothing to disk and needs no token', () => {
    const r = explain('main.js', ['--service', 'echo', '--from', 'a', '--json'], { [TOKEN_VAR]: undefined });
    expect(r.stderr).toEqual('');
    expect(r.status).toEqual(0);
    // one network, no failover: requests spread over both clusters
    expect(JSON.parse(r.stdout).clusters).toEqual([expect.objectContaining({ cluster: 'a', percent: 50 }), expect.objectContaining({ cluster: 'b', percent: 50 })]);
    // no istio-mc-explain-* (or any other) folder in the temporary directory, no dist/ next to the app
    expect(fs.readdirSync(tmpDir)).toEqual([]);
    expect(files(appDir)).toEqual(['main.js', 'meshless.js']);
  });

  test('a token set in the environment appears in no output and no file', () => {
    const token = `reader-token-${process.pid}-do-not-print`;
    const asked = [
      explain('main.js', ['--service', 'echo', '--from', 'b', '--json'], { [TOKEN_VAR]: token }),
      explain('main.js', ['--service', 'echo', '--from', 'b', '--drained', 'b=2'], { [TOKEN_VAR]: token }),
      explain('main.js', ['--service', 'nope', '--from', 'b'], { [TOKEN_VAR]: token }),
    ];
    expect(asked.map((r) => r.status)).toEqual([0, 0, 2]);
    expect(asked[2].stderr).toContain('no service nope.default; the app declares: echo.default');
    for (const r of asked) {
      expect(r.stdout).not.toContain(token);
      expect(r.stderr).not.toContain(token);
    }
    expect(fs.readdirSync(tmpDir)).toEqual([]);
    expect(files(appDir)).toEqual(['main.js', 'meshless.js']);
    for (const f of files(base)) expect(fs.readFileSync(path.join(base, f), 'utf8')).not.toContain(token);
  });

  test('an app without a mesh writes nothing either, not even into its explicit dist/', () => {
    const r = explain('meshless.js', ['--service', 'echo', '--from', 'a']);
    expect(r.status).toEqual(2);
    expect(r.stderr).toContain('meshless.js declares no MultiClusterMesh');
    expect(fs.readdirSync(tmpDir)).toEqual([]);
    expect(files(appDir)).toEqual(['main.js', 'meshless.js']);
  });

  test('outside explain the same app still reads the token at synth time: it fails before writing without one, and writes it with one', () => {
    const missing = run(['main.js'], { [TOKEN_VAR]: undefined });
    expect(missing.status).not.toEqual(0);
    expect(missing.stderr).toContain(`RemoteSecret.registration.token: "environment variable ${TOKEN_VAR}" is invalid: no token found there at synth time`);
    expect(files(path.join(appDir, 'dist'))).toEqual([]); // validation stops App.synth before any file is written

    const token = `reader-token-${process.pid}-synth`;
    const synth = run(['main.js'], { [TOKEN_VAR]: token });
    expect(synth.stderr).toEqual('');
    expect(synth.stdout).not.toContain(token);
    expect(files(path.join(appDir, 'dist'))).toEqual(['a.k8s.yaml', 'a.traffic.md', 'b.k8s.yaml', 'b.traffic.md', 'mesh.md']);
    expect(fs.readFileSync(path.join(appDir, 'dist', 'b.k8s.yaml'), 'utf8')).toContain(token);
  });
});
