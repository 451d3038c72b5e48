/* eslint-disable no-console */
// Synth at scale: the library against raw cdk8s ApiObjects, js-yaml and JSON.stringify + write of
// the SAME objects, measured side by side in one run, reported as ratios to the JSON floor.
// Not part of the test suite.
//
//   npm run bench                                # default sizes, writes docs/benchmarks.md
//   npm run bench -- --quick                     # 5x100 and 10x100, prints only (add --write to write the doc)
//   npm run bench -- --sizes 20x1000,40x500      # chosen sizes ("CxS" routed, "CxS:failover" failover-only)
//   npm run bench -- --no-write                  # print only
//
// Every sample is a fresh child process, so its peak RSS (process.resourceUsage().maxRSS) belongs
// to one workload at one size. For each size the library child runs first: after its measurement
// is taken it writes every cluster chart's objects (what it wrote as YAML, in the same order) to a
// JSON file, which the cdk8s, js-yaml and json children load (untimed) and then write.
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

type Workload = 'library' | 'cdk8s' | 'js-yaml' | 'json' | 'idle';
const WORKLOADS: Workload[] = ['library', 'cdk8s', 'js-yaml', 'json'];

interface Size { clusters: number; services: number; routed: boolean }
interface Phase { name: string; ms: number }
/** What a child reports. */
interface ChildResult { workload: Workload; phases: Phase[]; totalMs: number; loadMs?: number; rssMb: number; objects: number }
/** A child's result plus what the parent found in its output directory. */
interface Sample extends ChildResult {
  yamlBytes: number; reportBytes: number; otherBytes: number; yamlHash?: string; stderr: string; error?: string;
}

const NETWORKS = 5;
const REGIONS = 4;
const NAMESPACES = 10;
const PRIORITY = ['topology.istio.io/network', 'topology.kubernetes.io/region'];

const label = (s: Size) => `${s.clusters}×${s.services}${s.routed ? '' : ' failover-only'}`;
const clusterNames = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const rssMb = () => process.resourceUsage().maxRSS / 1024;

// ---------------------------------------------------------------------------------------------
// children

/** The library: declare the mesh in a MeshApp, synth (validation, YAML, reports). */
function runLibrary(size: Size, outdir: string, docsdir: string): ChildResult {
  // required here, so the other workloads' processes do not load (and compile) the library
  const lib = require('../src') as typeof import('../src');
  const cdk8s = require('cdk8s') as typeof import('cdk8s');
  const t0 = now();
  const app = new lib.MeshApp({ outdir });
  const names = clusterNames(size.clusters);
  // GKE internal gateways reached from other regions need global access (else the mesh warns)
  const globalAccess = lib.GatewayExposure.internal(lib.CloudProvider.GKE, { annotations: { 'networking.gke.io/internal-load-balancer-allow-global-access': 'true' } });
  const networks = Math.min(NETWORKS, Math.max(2, size.clusters));
  const mesh = new lib.MultiClusterMesh(app, 'mesh', {
    meshId: 'bench',
    clusters: names.map((name, i) => ({
      name, network: `net-${i % networks}`, region: `region-${i % REGIONS}`, zones: [`region-${i % REGIONS}-a`], exposure: globalAccess,
    })),
    exposedHosts: Array.from({ length: NAMESPACES }, (_, i) => `*.ns-${i}.svc.cluster.local`),
  });
  for (let s = 0; s < size.services; s++) {
    const svc = mesh.addService({ name: `svc-${s}`, namespace: `ns-${s % NAMESPACES}`, clusters: names });
    svc.failover({ failoverPriority: PRIORITY });
    if (size.routed) svc.routePerCluster();
  }
  const t1 = now();
  // MeshApp.synth() calls writeReports on each mesh: time it, to split YAML from reports
  let reportsMs = 0;
  const writeReports = mesh.writeReports.bind(mesh);
  mesh.writeReports = (dir: string) => {
    const r0 = now();
    writeReports(dir);
    reportsMs += now() - r0;
  };
  app.synth();
  const t2 = now();
  const rss = rssMb();
  // measured; now hand the same objects, in the order MeshApp wrote them, to the other workloads
  let objects = 0;
  for (const chart of mesh._charts()) {
    const docs = new cdk8s.DependencyGraph(chart.node).topology()
      .filter((x): x is import('cdk8s').ApiObject => cdk8s.ApiObject.isApiObject(x) && cdk8s.Chart.of(x) === chart)
      .map((o) => o.toJson());
    objects += docs.length;
    fs.writeFileSync(path.join(docsdir, `${chart.node.id}.json`), JSON.stringify(docs));
  }
  return {
    workload: 'library',
    phases: [{ name: 'construct', ms: t1 - t0 }, { name: 'yaml', ms: t2 - t1 - reportsMs }, { name: 'reports', ms: reportsMs }],
    totalMs: t2 - t0,
    rssMb: rss,
    objects,
  };
}

/** Loads the library's objects, one array per cluster (not timed as work). */
function loadDocs(size: Size, docsdir: string): { docs: any[][]; loadMs: number } {
  const t0 = now();
  const docs = clusterNames(size.clusters).map((n) => JSON.parse(fs.readFileSync(path.join(docsdir, `${n}.json`), 'utf8')) as any[]);
  return { docs, loadMs: now() - t0 };
}

/** Raw cdk8s: the same objects as ApiObjects in plain Charts of a plain App, App.synth(). */
function runCdk8s(size: Size, outdir: string, docsdir: string): ChildResult {
  const { ApiObject, App, Chart } = require('cdk8s') as typeof import('cdk8s');
  const { docs, loadMs } = loadDocs(size, docsdir);
  const t0 = now();
  const app = new App({ outdir });
  clusterNames(size.clusters).forEach((name, i) => {
    const chart = new Chart(app, name);
    docs[i].forEach((d, j) => new ApiObject(chart, `o${j}`, d));
  });
  const t1 = now();
  app.synth();
  const t2 = now();
  return {
    workload: 'cdk8s', phases: [{ name: 'construct', ms: t1 - t0 }, { name: 'yaml', ms: t2 - t1 }],
    totalMs: t2 - t0, loadMs, rssMb: rssMb(), objects: docs.reduce((n, d) => n + d.length, 0),
  };
}

/** js-yaml 4.x dump of the same objects, one multi-document file per cluster. */
function runJsYaml(size: Size, outdir: string, docsdir: string): ChildResult {
  const jsyaml = require('js-yaml') as { dump(o: unknown, opts?: object): string };
  const { docs, loadMs } = loadDocs(size, docsdir);
  const t0 = now();
  clusterNames(size.clusters).forEach((name, i) => {
    fs.writeFileSync(path.join(outdir, `${name}.k8s.yaml`), docs[i].map((d) => jsyaml.dump(d, { noRefs: true, lineWidth: -1, quotingType: '"' })).join('---\n'));
  });
  const t1 = now();
  return {
    workload: 'js-yaml', phases: [{ name: 'yaml', ms: t1 - t0 }],
    totalMs: t1 - t0, loadMs, rssMb: rssMb(), objects: docs.reduce((n, d) => n + d.length, 0),
  };
}

/** The floor: JSON.stringify + writeFileSync of the same objects, one file per cluster. */
function runJson(size: Size, outdir: string, docsdir: string): ChildResult {
  const { docs, loadMs } = loadDocs(size, docsdir);
  const t0 = now();
  clusterNames(size.clusters).forEach((name, i) => {
    fs.writeFileSync(path.join(outdir, `${name}.json`), JSON.stringify(docs[i]));
  });
  const t1 = now();
  return {
    workload: 'json', phases: [{ name: 'write', ms: t1 - t0 }],
    totalMs: t1 - t0, loadMs, rssMb: rssMb(), objects: docs.reduce((n, d) => n + d.length, 0),
  };
}

function child(args: string[]): ChildResult {
  const [workload, clusters, services, routed, outdir, docsdir] = args;
  const size: Size = { clusters: Number(clusters), services: Number(services), routed: routed === '1' };
  switch (workload as Workload) {
    case 'library': return runLibrary(size, outdir, docsdir);
    case 'cdk8s': return runCdk8s(size, outdir, docsdir);
    case 'js-yaml': return runJsYaml(size, outdir, docsdir);
    case 'json': return runJson(size, outdir, docsdir);
    case 'idle': return { workload: 'idle', phases: [], totalMs: 0, rssMb: rssMb(), objects: 0 };
    default: throw new Error(`unknown workload ${workload}`);
  }
}

// ---------------------------------------------------------------------------------------------
// parent

/** Bytes by kind, and a hash of the YAML files (in file-name order) to compare outputs. */
function scanOutput(dir: string): { yamlBytes: number; reportBytes: number; otherBytes: number; yamlHash?: string } {
  let yamlBytes = 0;
  let reportBytes = 0;
  let otherBytes = 0;
  const hash = createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, f);
    const size = fs.statSync(file).size;
    if (f.endsWith('.yaml')) {
      yamlBytes += size;
      hash.update(fs.readFileSync(file));
    } else if (f.endsWith('.md')) {
      reportBytes += size;
    } else {
      otherBytes += size;
    }
  }
  return { yamlBytes, reportBytes, otherBytes, yamlHash: yamlBytes > 0 ? hash.digest('hex') : undefined };
}

function measure(workload: Workload, size: Size, docsdir: string): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${workload}-`));
  try {
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--child',
      workload, String(size.clusters), String(size.services), size.routed ? '1' : '0', outdir, docsdir], {
      encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    const stderr = (r.stderr ?? '').trim();
    const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !last.startsWith('{')) {
      const why = r.error?.message ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.status}`);
      return { workload, phases: [], totalMs: NaN, rssMb: NaN, objects: 0, yamlBytes: 0, reportBytes: 0, otherBytes: 0, stderr, error: `${why}: ${stderr.split('\n').slice(-3).join(' ')}` };
    }
    return { ...(JSON.parse(last) as ChildResult), ...scanOutput(outdir), stderr };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function parseSizes(spec: string): Size[] {
  return spec.split(',').filter((x) => x.trim() !== '').map((x) => {
    const m = /^\s*(\d+)\s*[x×]\s*(\d+)\s*(:failover)?\s*$/.exec(x);
    if (!m) throw new Error(`--sizes: "${x}" is not CxS or CxS:failover (e.g. 20x1000,40x250:failover)`);
    return { clusters: Number(m[1]), services: Number(m[2]), routed: !m[3] };
  });
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const MB = 1024 * 1024;
const phase = (s: Sample, name: string) => s.phases.find((p) => p.name === name)?.ms;

interface Run { size: Size; samples: Partial<Record<Workload, Sample>> }

function resultsTable(runs: Run[]): string[] {
  const lines = [
    '| size | workload | objects | construct ms | emit + write ms | reports ms | total ms | × JSON | ms per MB of YAML | YAML MB | reports / YAML | peak RSS MiB | YAML = library\'s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { size, samples } of runs) {
    const lib = samples.library;
    const json = samples.json;
    for (const w of WORKLOADS) {
      const s = samples[w];
      if (!s) continue;
      if (s.error) {
        lines.push(`| ${label(size)} | ${w} | – | – | – | – | failed | – | – | – | – | – | ${s.error.replace(/\|/g, '\\|').slice(0, 160)} |`);
        continue;
      }
      const yamlMb = (lib?.yamlBytes ?? 0) / MB; // the same objects' YAML, for every workload
      const write = w === 'json' ? phase(s, 'write') : phase(s, 'yaml');
      const same = w === 'library' || w === 'json' ? '' : s.yamlHash === lib?.yamlHash ? 'identical' : `differs (${s.yamlBytes} vs ${lib?.yamlBytes} bytes)`;
      lines.push(`| ${label(size)} | ${w} | ${s.objects} | ${fmt(phase(s, 'construct') ?? NaN)} | ${fmt(write ?? NaN)} | ${fmt(phase(s, 'reports') ?? NaN)} `
        + `| ${fmt(s.totalMs)} | ${json && !json.error ? fmt(s.totalMs / json.totalMs, 1) : '–'} | ${yamlMb > 0 ? fmt(s.totalMs / yamlMb) : '–'} `
        + `| ${w === 'library' ? fmt(yamlMb, 1) : ''} | ${w === 'library' && s.yamlBytes ? fmt(s.reportBytes / s.yamlBytes, 3) : ''} | ${fmt(s.rssMb)} | ${same} |`);
    }
  }
  return lines;
}

/** Growth along one dimension at a time (same routing, the other dimension equal). */
function growthTable(runs: Run[]): string[] {
  const rows: string[] = [];
  for (const a of runs) {
    for (const b of runs) {
      if (a === b || a.size.routed !== b.size.routed) continue;
      const byClusters = a.size.services === b.size.services && a.size.clusters < b.size.clusters;
      const byServices = a.size.clusters === b.size.clusters && a.size.services < b.size.services;
      if (!byClusters && !byServices) continue;
      const ratio = (w: Workload, f: (s: Sample) => number) => {
        const x = a.samples[w];
        const y = b.samples[w];
        return x && y && !x.error && !y.error ? fmt(f(y) / f(x), 2) : '–';
      };
      rows.push(`| ${label(a.size)} → ${label(b.size)} | ${byClusters ? 'clusters' : 'services'} ×${fmt(byClusters ? b.size.clusters / a.size.clusters : b.size.services / a.size.services, 1)} `
        + `| ${ratio('library', (s) => s.objects)} | ${ratio('library', (s) => s.yamlBytes)} | ${ratio('library', (s) => s.totalMs)} | ${ratio('library', (s) => phase(s, 'construct')!)} `
        + `| ${ratio('library', (s) => phase(s, 'reports')!)} | ${ratio('cdk8s', (s) => s.totalMs)} | ${ratio('js-yaml', (s) => s.totalMs)} | ${ratio('json', (s) => s.totalMs)} | ${ratio('library', (s) => s.rssMb)} |`);
    }
  }
  if (rows.length === 0) return ['No two sizes in this run differ in one dimension only.'];
  return [
    'Ratios of the larger size to the smaller; objects and YAML bytes are the library\'s output, times are total ms.',
    '',
    '| from → to | grows | objects × | YAML bytes × | library time × | library construct × | library reports × | cdk8s time × | js-yaml time × | json time × | library RSS × |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

function targets(runs: Run[]): string[] {
  const find = (c: number, s: number, routed: boolean) => runs.find((r) => r.size.clusters === c && r.size.services === s && r.size.routed === routed);
  const ok = (s?: Sample) => s !== undefined && !s.error;
  const verdict = (met: boolean) => (met ? '**met**' : '**not met**');
  const out: string[] = [];
  const notMeasured = (what: string, sizes: string) => out.push(`- ${what}: not measured in this run (needs ${sizes}).`);

  for (const [c, s] of [[20, 1000], [40, 500]]) {
    const r = find(c, s, true);
    const what = `Whole synth (construction, YAML, reports) ≤ 6× JSON.stringify + write at ${c}×${s}`;
    if (r && ok(r.samples.library) && ok(r.samples.json)) {
      const x = r.samples.library!.totalMs / r.samples.json!.totalMs;
      const other = (w: Workload) => (ok(r.samples[w]) ? `${w} ${fmt(r.samples[w]!.totalMs / r.samples.json!.totalMs, 1)}×` : `${w} –`);
      out.push(`- ${what}: ${verdict(x <= 6)} — ${fmt(x, 1)}× (${fmt(r.samples.library!.totalMs)} ms vs ${fmt(r.samples.json!.totalMs)} ms; `
        + `the same objects through ${other('cdk8s')}, ${other('js-yaml')}).`);
    } else notMeasured(what, `${c}x${s}`);
  }

  const r40 = find(40, 500, true);
  if (r40 && ok(r40.samples.library)) {
    const rss = r40.samples.library!.rssMb;
    out.push(`- Peak RSS at 40×500 ≤ 1 GB (1,024 MiB): ${verdict(rss <= 1024)} — ${fmt(rss)} MiB.`);
  } else notMeasured('Peak RSS at 40×500 ≤ 1 GB', '40x500');

  const f = find(40, 250, false);
  const r20 = find(20, 1000, true);
  if (f && r20 && ok(f.samples.library) && ok(r20.samples.library)) {
    const perF = f.samples.library!.totalMs / f.samples.library!.objects;
    const perR = r20.samples.library!.totalMs / r20.samples.library!.objects;
    out.push(`- Synth per object at 40×250 failover-only ≤ 3× routed 20×1000 per object: ${verdict(perF <= 3 * perR)} — ${fmt(perF / perR, 2)}× `
      + `(${fmt(perF * 1000, 1)} µs vs ${fmt(perR * 1000, 1)} µs per object).`);
  } else notMeasured('Synth per object at 40×250 failover-only ≤ 3× routed 20×1000', '40x250:failover and 20x1000');
  if (f && ok(f.samples.library)) {
    const x = f.samples.library!.reportBytes / f.samples.library!.yamlBytes;
    out.push(`- Traffic reports together ≤ ¼ of the YAML's size at 40×250 failover-only: ${verdict(x <= 0.25)} — ${fmt(x, 3)} `
      + `(${fmt(f.samples.library!.reportBytes / MB, 2)} MB of reports, ${fmt(f.samples.library!.yamlBytes / MB, 2)} MB of YAML).`);
  } else notMeasured('Traffic reports ≤ ¼ of the YAML at 40×250 failover-only', '40x250:failover');

  if (r40 && r20 && ok(r40.samples.library) && ok(r20.samples.library)) {
    const perByte = (s: Sample) => s.totalMs / (s.yamlBytes + s.reportBytes);
    const x = perByte(r40.samples.library!) / perByte(r20.samples.library!);
    out.push(`- Time per output byte (YAML + reports) at 40×500 within 1.3× of 20×1000: ${verdict(x <= 1.3)} — ${fmt(x, 2)}× `
      + `(${fmt(perByte(r40.samples.library!) * MB)} vs ${fmt(perByte(r20.samples.library!) * MB)} ms per MB).`);
  } else notMeasured('Time per output byte at 40×500 within 1.3× of 20×1000', '40x500 and 20x1000');
  return out;
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(child(args.slice(1))));
    return;
  }
  const quick = args.includes('--quick');
  const sizesAt = args.indexOf('--sizes');
  const sizeSpec = sizesAt >= 0 ? args[sizesAt + 1] ?? '' : args.find((a) => a.startsWith('--sizes='))?.slice('--sizes='.length);
  const sizes = sizeSpec !== undefined ? parseSizes(sizeSpec)
    : quick ? parseSizes('5x100,10x100')
      : parseSizes('10x1000,20x500,20x1000,40x250:failover,40x500');
  const write = args.includes('--write') || (!quick && !args.includes('--no-write'));
  const command = `node --expose-gc -r ts-node/register/transpile-only bench/bench.ts${args.length ? ' ' + args.join(' ') : ''}`;
  const started = new Date();
  const loadStart = os.loadavg()[0];

  const idle = measure('idle', { clusters: 0, services: 0, routed: true }, os.tmpdir());
  const runs: Run[] = [];
  for (const size of sizes) {
    const docsdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-docs-'));
    const run: Run = { size, samples: {} };
    runs.push(run);
    try {
      for (const w of WORKLOADS) {
        console.error(`[bench] ${label(size)}: ${w} ...`);
        const s = measure(w, size, docsdir);
        run.samples[w] = s;
        console.error(`[bench] ${label(size)}: ${w} ${s.error ? 'FAILED ' + s.error : `${fmt(s.totalMs)} ms, ${fmt(s.rssMb)} MiB`}`);
        if (w === 'library' && s.error) break; // the others need the library's objects
      }
    } finally {
      fs.rmSync(docsdir, { recursive: true, force: true });
    }
  }
  const loadEnd = os.loadavg()[0];
  const minutes = (Date.now() - started.getTime()) / 60000;

  const results = resultsTable(runs);
  const growth = growthTable(runs);
  const target = targets(runs);
  const stderrNotes = runs.flatMap((r) => WORKLOADS.map((w) => ({ r, w, s: r.samples[w] })))
    .filter((x) => x.s && x.s.stderr && !x.s.error)
    .map((x) => `- ${label(x.r.size)} ${x.w} wrote to stderr: ${x.s!.stderr.split('\n')[0].slice(0, 200)} (${x.s!.stderr.split('\n').length} lines)`);
  const cpu = os.cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;

  console.log(results.join('\n'));
  console.log('');
  console.log(growth.join('\n'));
  console.log('');
  console.log(target.join('\n'));
  if (stderrNotes.length) console.log(['', ...stderrNotes].join('\n'));
  console.log(`\nidle child: ${fmt(idle.rssMb)} MiB peak RSS; ${fmt(minutes, 1)} min; load average ${fmt(loadStart, 2)} → ${fmt(loadEnd, 2)}`);

  if (!write) return;
  const md = `# Benchmarks

Measured by \`npm run bench${args.length ? ' -- ' + args.join(' ') : ''}\` (\`${command}\`) on ${started.toISOString().slice(0, 10)}:
${machine}; the machine is shared (1-minute load average ${fmt(loadStart, 2)} at the start, ${fmt(loadEnd, 2)} at the end; the run took ${fmt(minutes, 1)} min).
${quick ? '**Quick mode**: small sizes only, so the targets below are not measured.\n' : ''}
**Workload** C×S: C clusters on min(5, C) networks (at least 2) and 4 regions, GKE internal east-west gateways with global access, \`exposedHosts\` the
10 namespaces' wildcards; S services in \`ns-0\`…\`ns-9\`, each running in and called from every cluster, each with
\`failover({ failoverPriority: [network, region] })\` and (routed; not for *failover-only*) \`routePerCluster()\`.
Every cluster's chart holds its gateway objects plus, per service, a DestinationRule (and a VirtualService when routed).

**Each cell is one sample in a fresh child process.** Times are wall-clock ms; peak RSS is the child's
\`process.resourceUsage().maxRSS\`, which includes Node and ts-node (an idle child: ${fmt(idle.rssMb)} MiB).

- **library**: construct = \`new MeshApp\`, \`MultiClusterMesh\` and the intents; then \`app.synth()\`, split into
  reports (the time inside \`writeReports\`: \`<cluster>.traffic.md\`, \`mesh.md\`) and emit + write (the rest:
  validation, rendering, YAML, files).
- **cdk8s**: the objects the library wrote (each chart's API objects' \`toJson()\`, saved by the library child after its
  measurement), as raw \`ApiObject\`s in plain \`Chart\`s of a plain \`App\` (construct), then \`app.synth()\` (emit + write).
- **js-yaml**: \`js-yaml\` ${jsYamlVersion()} \`dump\` (\`noRefs\`, no line folding, double quotes) of the same objects, one
  multi-document file per cluster.
- **json** (the floor): \`JSON.stringify\` + \`fs.writeFileSync\` of the same objects, one file per cluster.

cdk8s, js-yaml and json load the objects from JSON first; that load is not timed. "× JSON" is total time over the json
floor's of the same size in this run. "ms per MB of YAML" divides by the size of the library's YAML (the same objects for
every workload). "YAML = library's" compares the bytes written.

## Results

${results.join('\n')}

## Growth

${growth.join('\n')}

## Targets

${target.join('\n')}
${stderrNotes.length ? '\n## Output on stderr\n\n' + stderrNotes.join('\n') + '\n' : ''}`;
  const file = path.join(__dirname, '..', 'docs', 'benchmarks.md');
  fs.writeFileSync(file, md);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

function jsYamlVersion(): string {
  try {
    return (require('js-yaml/package.json') as { version: string }).version;
  } catch {
    return '4.x';
  }
}

main();
