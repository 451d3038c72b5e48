/* eslint-disable no-console */
// Benchmark: the library against a raw-ApiObject baseline and a plain YAML floor, measured in
// the same run on the same machine, reported as ratios. Not part of the test suite.
//
//   npm run bench                       # full matrix, writes docs/benchmarks.md
//   npm run bench -- --quick            # 2 and 5 clusters x 100 services, prints only
//
// Each measurement runs in a fresh child process, so peak RSS (maxRSS) belongs to one workload.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { CloudProvider, MultiClusterMesh } from '../src';

type Mode = 'library' | 'baseline' | 'floor' | 'explain';
interface Sample { mode: Mode; clusters: number; services: number; ms: number; rssMb: number; objects: number; perServiceMs?: number }

const NETWORKS = 5;

function clusterSpecs(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    name: `c${i}`, network: `net-${i % Math.min(NETWORKS, Math.max(2, n))}`, region: `region-${i % 4}`, zones: [`region-${i % 4}-a`], provider: CloudProvider.GKE,
  }));
}

/** (a) The library: declare the mesh, synthesize every chart to YAML. */
function runLibrary(clusters: number, services: number): { objects: number; mesh: MultiClusterMesh } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) });
  const specs = clusterSpecs(clusters);
  const mesh = new MultiClusterMesh(app, 'mesh', { meshId: 'bench', clusters: specs });
  const names = specs.map((c) => c.name);
  for (let s = 0; s < services; s++) {
    const svc = mesh.addService({ name: `svc-${s}`, namespace: `ns-${s % 10}`, clusters: names });
    svc.failover({ failover: [{ from: 'region-0', to: 'region-1' }] });
    svc.routePerCluster();
  }
  let objects = 0;
  for (const name of names) {
    const docs = mesh.cluster(name).toJson();
    objects += docs.length;
    Yaml.stringify(...docs);
  }
  return { objects, mesh };
}

/** The same objects the library emits, as plain data (used by the baseline and the floor). */
function rawSpecs(clusters: number, services: number): any[][] {
  const specs = clusterSpecs(clusters);
  const names = specs.map((c) => c.name);
  return specs.map((c) => {
    const docs: any[] = [];
    if (new Set(specs.map((x) => x.network)).size > 1) {
      docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'cross-network-gateway', namespace: 'istio-gateways' },
        spec: { selector: { istio: 'eastwestgateway' }, servers: [{ port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['*.local'] }] } });
    }
    void c;
    for (let s = 0; s < services; s++) {
      const host = `svc-${s}.ns-${s % 10}.svc.cluster.local`;
      const meta = { name: `svc-${s}`, namespace: `ns-${s % 10}` };
      docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta, spec: {
        host,
        trafficPolicy: { loadBalancer: { localityLbSetting: { enabled: true, failover: [{ from: 'region-0', to: 'region-1' }] } },
          outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100 } },
        subsets: names.map((n) => ({ name: n, labels: { 'topology.istio.io/cluster': n } })),
      } });
      docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta, spec: {
        hosts: [host],
        http: names.map((n) => ({ name: `${n}-local`, match: [{ sourceLabels: { 'topology.istio.io/cluster': n } }], route: [{ destination: { host, subset: n } }] })),
      } });
    }
    return docs;
  });
}

/** (b) Baseline: the same specs as raw cdk8s ApiObjects, synthesized the same way. */
function runBaseline(clusters: number, services: number): number {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) });
  let objects = 0;
  rawSpecs(clusters, services).forEach((docs, i) => {
    const chart = new Chart(app, `c${i}`);
    docs.forEach((d, j) => new ApiObject(chart, `o${j}`, d));
    const out = chart.toJson();
    objects += out.length;
    Yaml.stringify(...out);
  });
  return objects;
}

/** (c) Floor: YAML stringify of the same plain objects. */
function runFloor(clusters: number, services: number): number {
  let objects = 0;
  for (const docs of rawSpecs(clusters, services)) {
    objects += docs.length;
    Yaml.stringify(...docs);
  }
  return objects;
}

function child(mode: Mode, clusters: number, services: number): Sample {
  const t0 = process.hrtime.bigint();
  let objects = 0;
  let perServiceMs: number | undefined;
  if (mode === 'library') objects = runLibrary(clusters, services).objects;
  if (mode === 'baseline') objects = runBaseline(clusters, services);
  if (mode === 'floor') objects = runFloor(clusters, services);
  let ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (mode === 'explain') {
    const { mesh } = runLibrary(clusters, services);
    const t1 = process.hrtime.bigint();
    for (const svc of mesh.services) mesh.explain(svc, { from: 'c0' });
    ms = Number(process.hrtime.bigint() - t1) / 1e6;
    perServiceMs = ms / services;
  }
  return { mode, clusters, services, ms, rssMb: process.resourceUsage().maxRSS / 1024, objects, perServiceMs };
}

function measure(mode: Mode, clusters: number, services: number): Sample {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--child', mode, String(clusters), String(services)], {
    encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(child(args[1] as Mode, Number(args[2]), Number(args[3]))));
    return;
  }
  const quick = args.includes('--quick');
  const clusterCounts = quick ? [2, 5] : [2, 5, 10, 20];
  const serviceCounts = quick ? [100] : [100, 1000, 2000];
  const rows: string[] = [];
  const ratios: number[] = [];
  const scaling: string[] = [];
  console.log('| clusters | services | objects | (a) ms | (b) ms | (c) ms | (a)/(b) | (a)/(c) | (a) RSS MB | (b) RSS MB | (c) RSS MB |');
  for (const c of clusterCounts) {
    const byServices: { [n: number]: Sample } = {};
    for (const s of serviceCounts) {
      const [a, b, f] = (['library', 'baseline', 'floor'] as Mode[]).map((m) => measure(m, c, s));
      byServices[s] = a;
      ratios.push(a.ms / b.ms);
      const row = `| ${c} | ${s} | ${a.objects} | ${a.ms.toFixed(0)} | ${b.ms.toFixed(0)} | ${f.ms.toFixed(0)} | ${(a.ms / b.ms).toFixed(2)} | ${(a.ms / f.ms).toFixed(2)} | ${a.rssMb.toFixed(0)} | ${b.rssMb.toFixed(0)} | ${f.rssMb.toFixed(0)} |`;
      rows.push(row);
      console.log(row);
    }
    if (byServices[1000] && byServices[2000]) {
      scaling.push(`| ${c} | ${(byServices[2000].ms / byServices[1000].ms).toFixed(2)} |`);
    }
  }
  const explainRows = (quick ? [2, 5] : [2, 10, 20]).map((c) => {
    const e = measure('explain', c, 100);
    return `| ${c} | ${e.perServiceMs!.toFixed(3)} |`;
  });
  console.log('| clusters | explain ms per service |');
  explainRows.forEach((r) => console.log(r));
  if (quick) return;
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const md = `# Benchmarks

Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.
Each cell is one fresh process. Workload: N clusters on up to ${NETWORKS} networks (multi-network), S services, each with a failover rule and per-cluster routing, emitted into every cluster.

- (a) library: \`MultiClusterMesh\` + intents, every chart to YAML, validation on
- (b) baseline: the same objects as raw cdk8s \`ApiObject\`s, every chart to YAML
- (c) floor: \`Yaml.stringify\` of the same plain objects

| clusters | services | objects | (a) ms | (b) ms | (c) ms | (a)/(b) | (a)/(c) | (a) RSS MB | (b) RSS MB | (c) RSS MB |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Scaling time(2000 services)/time(1000 services) for the library (target ≤ 2.2):

| clusters | ratio |
|---|---|
${scaling.join('\n')}

Explain time per service (100 services, from the first cluster; target < 5 ms at 10 clusters):

| clusters | ms per service |
|---|---|
${explainRows.join('\n')}

## Findings (profiled with \`node --cpu-prof\`, 10 clusters × 1,000 services)

- YAML stringify dominates all three columns (≈ 6 s of ≈ 8.5 s), so (a)/(c) mostly measures the
  \`yaml\` library, not this one.
- (a)/(b) is ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} in this run: the 1.3 target is missed at most sizes
  (earlier runs: 1.25–1.6; the machine's noise is ±0.1). The gap is ≈ 0.4 s of construction (validation of every rule in every client cluster,
  typed props) and ≈ 0.8 s of \`chart.toJson()\`. A third of \`toJson\` is cdk8s itself:
  \`App._synthChart\` re-runs \`validate(app)\` and \`resolveDependencies(app)\` over the WHOLE app
  for every chart, so synthesis is O(charts × constructs), and an L2 construct doubles the
  construct count of a raw ApiObject (the construct plus its \`Resource\`). The rest is the
  generated bindings' \`toJson_*\` conversion (TypeScript names → wire names, ≈ 0.25 s), and
  ≈ 0.6 s more garbage collection for the extra objects.
- Not fixed here: flattening the constructs would break the L2 conventions (\`ApiObject.of()\`
  escape hatches); the real fix is upstream (validate once per \`App.synth()\`, not per chart).
`;
  fs.writeFileSync(path.join(__dirname, '..', 'docs', 'benchmarks.md'), md);
  console.log('wrote docs/benchmarks.md');
}

main();
