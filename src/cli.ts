#!/usr/bin/env node
/* eslint-disable no-console */
// The user's app, ts-node and its cdk8s are resolved at run time from the app's folder: dynamic require is the point.
/* eslint-disable @typescript-eslint/no-require-imports */
// `cdk8s-istio-multicluster explain`: ask one question of a mesh app without writing code.
//
//   npx cdk8s-istio-multicluster explain main.ts --service echo-svc.default --from onprem --drained onprem=2
//
// The app is loaded in this process (TypeScript through ts-node, when installed); every
// MultiClusterMesh it declares registers itself, and the question is asked of the one holding
// the service. Loading writes nothing to disk and reads no registration token: see loadApp.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { App } from 'cdk8s';
import { Errors } from './errors';
import { ExplainQuery, ExplainResult } from './explain/model';
import { createdMeshes, MultiClusterMesh } from './mesh';

const USAGE = `usage: cdk8s-istio-multicluster explain <app.ts|app.js> --service <name>[.<namespace>] --from <cluster>
       [--zone <zone>] [--subzone <subzone>] [--healthy <cluster>=<fraction>,...] [--drained <cluster>=<count>,...]
       [--not-ready <cluster>=<count>,...] [--json]

  --service  the service, as declared with mesh.addService (namespace defaults to "default"),
             or its FQDN, e.g. echo-svc.default.svc.cluster.local
  --from     the calling cluster
  --zone     the caller's zone (default: the first zone of its cluster)
  --subzone  the caller's sub-zone (default: the first sub-zone of its zone)
  --healthy  fraction (0..1) of a cluster's endpoints that answer (failing pods stay in EDS)
  --drained  endpoints of a cluster that have left EDS (terminating or deleted pods)
  --not-ready endpoints of a cluster whose readiness probe fails (Istio 1.31, or a Service with
             trafficDistribution: sent to Envoy as unhealthy unless minHealthPercent > 0;
             older releases leave them out)
             --healthy, --drained and --not-ready may be repeated or take comma-separated pairs
  --json     print the typed ExplainResult as JSON
  --help     print this text`;

function fail(message: string): never {
  console.error(`cdk8s-istio-multicluster: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const FRACTION = /^(0|1|0?\.\d+|1\.0+|0\.\d*)$/;
const COUNT = /^\d+$/;

function parseMap(flag: string, values: string[] | undefined, pattern: RegExp, what: string): { [cluster: string]: number } {
  const out: { [cluster: string]: number } = {};
  for (const pair of (values ?? []).flatMap((v) => v.split(','))) {
    const eq = pair.indexOf('=');
    const k = eq < 0 ? '' : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    if (!k || !pattern.test(v)) fail(`${flag} takes <cluster>=<${what}>[,...], got "${pair}"`);
    if (k in out) fail(`${flag} gives ${k} twice`);
    out[k] = Number(v);
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
  // Explain only reads the app, so app.synth() (which apps usually call when loaded) writes
  // nothing, and no token is read (RemoteSecret reads its TokenSource only at synth):
  //  - CDK8S_ISTIO_MC_REGISTER=1 registers every mesh and turns the synth of its App into a no-op;
  //  - App.synth of the cdk8s copies reachable from here (the library's, the app's) is a no-op
  //    too, for Apps without a mesh;
  //  - the default outdir is one that cannot be created (under the null device), so an App of a
  //    cdk8s copy out of reach fails instead of writing. Such an App with an explicit outdir, or
  //    an app that writes files itself, is beyond reach.
  process.env.CDK8S_ISTIO_MC_REGISTER = '1';
  process.env.CDK8S_OUTDIR = path.join(os.devNull, 'cdk8s-istio-multicluster-explain-writes-nothing');
  const appCdk8s = tryRequire('cdk8s', abs);
  for (const copy of new Set([App, appCdk8s?.App])) {
    if (typeof copy === 'function') copy.prototype.synth = () => {};
  }
  const mod = require(abs);
  // Apps that only export a builder (like the bundled examples) are called with a fresh App.
  if (createdMeshes().length === 0) {
    const builders = Object.values(mod).filter((v) => typeof v === 'function') as Array<(app: unknown) => unknown>;
    const AppOfTheApp = appCdk8s?.App ?? App;
    for (const build of builders) {
      if (createdMeshes().length) break;
      build(new AppOfTheApp());
    }
  }
  return createdMeshes();
}

/** The module `id` as the app at `abs` would load it, or undefined when it has none. */
function tryRequire(id: string, abs: string): any {
  try {
    return require(require.resolve(id, { paths: [path.dirname(abs), process.cwd()] }));
  } catch {
    return undefined;
  }
}

function text(r: ExplainResult): string {
  const lines = [`${r.host} from ${r.from} (${r.clientLocality}), Istio ${r.istioVersion}, locality decided by: ${r.localitySetting}`, ''];
  for (const c of r.clusters) lines.push(`  ${c.cluster.padEnd(20)} ${c.percent.toFixed(1).padStart(6)}%${c.viaGateway ? '  via east-west gateway' : ''}`);
  if (r.noHealthyUpstreamPercent > 0) lines.push(`  ${'503 no healthy upstream'.padEnd(20)} ${r.noHealthyUpstreamPercent.toFixed(1).padStart(6)}%`);
  if (r.failedPercent > 0) lines.push(`  ${'failed requests'.padEnd(20)} ${r.failedPercent.toFixed(1).padStart(6)}%`);
  if (r.noRoutePercent > 0) lines.push(`  ${'404 no route'.padEnd(20)} ${r.noRoutePercent.toFixed(1).padStart(6)}%`);
  lines.push('', 'priorities:');
  for (const p of r.priorities) {
    // a gateway is ONE Envoy host standing for the remote cluster's endpoints
    // zone and sub-zone too: a cluster with endpoints in two zones has two localities
    const where = p.localities.map((l) => {
      const locality = `${l.cluster}${l.zone ? `/${l.zone}` : ''}${l.subzone ? `/${l.subzone}` : ''}`;
      return l.viaGateway
        ? `${locality} via gateway (1 host for ${l.healthyEndpoints}/${l.endpoints} healthy endpoints)`
        : `${locality} ${l.healthyEndpoints}/${l.endpoints} healthy`;
    }).join(', ');
    lines.push(`  P${p.priority}${p.subset ? ` [${p.subset}]` : ''}: ${where} → health ${p.healthPercent}%, load ${p.loadPercent}%${p.panic ? ' (panic)' : ''}`);
  }
  lines.push('', 'why:', ...r.reasons.map((x) => `  - ${x}`), '', 'assumptions:', ...r.assumptions.map((x) => `  - ${x}`));
  return lines.join('\n');
}

function parse(argv: string[]) {
  // `npx projen explain -- --service ...` passes the `--` separator through: drop it.
  const args = argv.filter((a) => a !== '--');
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        'service': { type: 'string' },
        'from': { type: 'string' },
        'zone': { type: 'string' },
        'subzone': { type: 'string' },
        'healthy': { type: 'string', multiple: true },
        'not-ready': { type: 'string', multiple: true },
        'drained': { type: 'string', multiple: true },
        'json': { type: 'boolean' },
        'help': { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    // unknown flags (a typo such as --drain) and flags without a value are errors, never ignored
    return fail((e as Error).message);
  }
}

function main(argv: string[]): void {
  const { values: flags, positionals } = parse(argv);
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const [command, app, ...extra] = positionals;
  if (command !== 'explain') fail(command ? `unknown command "${command}"` : 'no command');
  if (!app) fail('explain needs the app file (e.g. main.ts)');
  if (extra.length) fail(`unexpected argument "${extra[0]}"`);
  if (!flags.service || !flags.from) fail('--service and --from are required');
  const service = flags.service;
  const parts = service.split('.');
  const fqdn = parts.length > 2;
  if (fqdn && parts[2] !== 'svc') fail(`--service takes <name>[.<namespace>] or the FQDN <name>.<namespace>.svc.<domain>, got "${service}"`);
  const [name, namespace = 'default'] = parts;
  const meshes = loadApp(app);
  if (meshes.length === 0) fail(`${app} declares no MultiClusterMesh`);
  const found = meshes.flatMap((m) => m.services
    .filter((s) => (fqdn ? s.host === service : s.name === name && s.namespace === namespace))
    .map((s) => ({ m, s })));
  if (found.length === 0) {
    const known = meshes.flatMap((m) => m.services.map((s) => `${s.name}.${s.namespace}`));
    fail(`no service ${fqdn ? service : `${name}.${namespace}`}; the app declares: ${known.join(', ') || 'none'}`);
  }
  const query: ExplainQuery = {
    from: flags.from,
    zone: flags.zone,
    healthy: parseMap('--healthy', flags.healthy, FRACTION, 'fraction 0..1'),
    drained: parseMap('--drained', flags.drained, COUNT, 'whole number'),
    notReady: parseMap('--not-ready', flags['not-ready'], COUNT, 'whole number'),
    subzone: flags.subzone,
  };
  const result = found[0].m.explain(found[0].s, query);
  console.log(flags.json ? JSON.stringify(result, undefined, 2) : text(result));
}

try {
  main(process.argv.slice(2));
} catch (e) {
  // The library's validation errors (of any copy of the package: Errors checks a Symbol.for
  // brand) name construct and field: print the message only. Anything else is a bug, in the app
  // or here: print the stack.
  console.error(Errors.isValidationError(e) ? e.message : e instanceof Error ? e.stack ?? e.message : String(e));
  process.exit(1);
}
