#!/usr/bin/env node
/* eslint-disable no-console */
// The user's app, ts-node and its cdk8s are resolved at run time from the app's folder: dynamic require is the point.
/* eslint-disable @typescript-eslint/no-require-imports */
// `cdk8s-istio-multicluster explain`: ask one question of a mesh app without writing code.
//
//   npx cdk8s-istio-multicluster explain main.ts --service echo-svc.default --from onprem --drained onprem=2
//
// The app is loaded in this process (TypeScript through ts-node, when installed) with its
// output sent to a temporary folder; every MultiClusterMesh it declares registers itself, and
// the question is asked of the one holding the service.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ExplainQuery, ExplainResult } from './explain/model';
import { createdMeshes, MultiClusterMesh } from './mesh';

const USAGE = `usage: cdk8s-istio-multicluster explain <app.ts|app.js> --service <name>[.<namespace>] --from <cluster>
       [--zone <zone>] [--healthy <cluster>=<fraction>,...] [--drained <cluster>=<count>,...] [--json]

  --service  the service, as declared with mesh.addService (namespace defaults to "default")
  --from     the calling cluster
  --healthy  fraction (0..1) of a cluster's endpoints that answer (failing pods stay in EDS)
  --drained  endpoints of a cluster that have left EDS (drained, deleted or not Ready)
  --json     print the typed ExplainResult as JSON`;

function fail(message: string): never {
  console.error(`cdk8s-istio-multicluster: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseMap(flag: string, value: string | undefined): { [cluster: string]: number } {
  const out: { [cluster: string]: number } = {};
  for (const pair of (value ?? '').split(',').filter(Boolean)) {
    const [k, v] = pair.split('=');
    const n = Number(v);
    if (!k || v === undefined || !Number.isFinite(n)) fail(`${flag} takes <cluster>=<number>[,...], got "${pair}"`);
    out[k] = n;
  }
  return out;
}

function loadApp(file: string): MultiClusterMesh[] {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) fail(`no such app: ${file}`);
  if (/\.tsx?$/.test(abs)) {
    try {
      require(require.resolve('ts-node', { paths: [path.dirname(abs), process.cwd()] })).register({ transpileOnly: true });
    } catch {
      fail('a TypeScript app needs ts-node (npm install -D ts-node), or pass the compiled .js');
    }
  }
  process.env.CDK8S_ISTIO_MC_REGISTER = '1';
  process.env.CDK8S_OUTDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-mc-explain-'));
  const mod = require(abs);
  // Apps that only export a builder (like the bundled examples) are called with a fresh App.
  if (createdMeshes().length === 0) {
    const builders = Object.values(mod).filter((v) => typeof v === 'function') as Array<(app: unknown) => unknown>;
    const { App } = require(require.resolve('cdk8s', { paths: [path.dirname(abs), process.cwd()] }));
    for (const build of builders) {
      if (createdMeshes().length) break;
      build(new App({ outdir: process.env.CDK8S_OUTDIR }));
    }
  }
  return createdMeshes();
}

function text(r: ExplainResult): string {
  const lines = [`${r.host} from ${r.from} (${r.clientLocality})`, ''];
  for (const c of r.clusters) lines.push(`  ${c.cluster.padEnd(20)} ${c.percent.toFixed(1).padStart(6)}%${c.viaGateway ? '  via east-west gateway' : ''}`);
  if (r.noHealthyUpstreamPercent > 0) lines.push(`  ${'503 no healthy upstream'.padEnd(20)} ${r.noHealthyUpstreamPercent.toFixed(1).padStart(6)}%`);
  if (r.failedPercent > 0) lines.push(`  ${'failed requests'.padEnd(20)} ${r.failedPercent.toFixed(1).padStart(6)}%`);
  if (r.noRoutePercent > 0) lines.push(`  ${'404 no route'.padEnd(20)} ${r.noRoutePercent.toFixed(1).padStart(6)}%`);
  lines.push('', 'priorities:');
  for (const p of r.priorities) {
    const where = p.localities.map((l) => `${l.cluster}${l.viaGateway ? ' (gateway)' : ''} ${l.healthyEndpoints}/${l.endpoints}`).join(', ');
    lines.push(`  P${p.priority}${p.subset ? ` [${p.subset}]` : ''}: ${where} → health ${p.healthPercent}%, load ${p.loadPercent}%${p.panic ? ' (panic)' : ''}`);
  }
  lines.push('', 'why:', ...r.reasons.map((x) => `  - ${x}`), '', 'assumptions:', ...r.assumptions.map((x) => `  - ${x}`));
  return lines.join('\n');
}

function main(argv: string[]): void {
  const [command, app, ...rest] = argv;
  if (command !== 'explain' || !app) fail(command ? `unknown command "${command}"` : 'no command');
  const flags: { [k: string]: string | undefined } = {};
  for (let i = 0; i < rest.length; i++) {
    const f = rest[i];
    if (!f.startsWith('--')) fail(`unexpected argument "${f}"`);
    if (f === '--json') { flags.json = 'true'; continue; }
    flags[f.slice(2)] = rest[++i];
  }
  if (!flags.service || !flags.from) fail('--service and --from are required');
  const [name, namespace = 'default'] = flags.service.split('.');
  const meshes = loadApp(app);
  if (meshes.length === 0) fail(`${app} declares no MultiClusterMesh`);
  const found = meshes.flatMap((m) => m.services.filter((s) => s.name === name && s.namespace === namespace).map((s) => ({ m, s })));
  if (found.length === 0) {
    const known = meshes.flatMap((m) => m.services.map((s) => `${s.name}.${s.namespace}`));
    fail(`no service ${name}.${namespace}; the app declares: ${known.join(', ') || 'none'}`);
  }
  const query: ExplainQuery = { from: flags.from, zone: flags.zone, healthy: parseMap('--healthy', flags.healthy), drained: parseMap('--drained', flags.drained) };
  const result = found[0].m.explain(found[0].s, query);
  console.log(flags.json ? JSON.stringify(result, undefined, 2) : text(result));
}

try {
  main(process.argv.slice(2));
} catch (e) {
  // The library's own validation errors name construct and field; print them without a stack.
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
