/* eslint-disable no-console */
// Measurement (not a test): writing every chart of a generated mesh to YAML with cdk8s
// `Yaml.stringify`, with the library's `stringifyDocs` (checked byte-identical here), with js-yaml
// when it happens to be installed (it is not a dependency, and its output differs), and
// `JSON.stringify` as a floor.
//
//   node --expose-gc -r ts-node/register/transpile-only bench/yaml.ts [clusters=10] [services=1000] [rounds=3]
//
// Each method runs over all charts `rounds` times; the first round of stringifyDocs starts with
// empty caches (that is what a synth pays), later rounds reuse them. Wall and CPU time are both
// printed: on a shared machine the CPU time is the steadier of the two.
import { App, Yaml } from 'cdk8s';
import { CloudProvider, MultiClusterMesh } from '../src';
import { stringifyDocs, yamlEmitterStats } from '../src/private/yaml-emitter';

const [clusters, services, rounds] = [10, 1000, 3].map((d, i) => Number(process.argv[2 + i] ?? d));

function charts(): unknown[][] {
  const specs = Array.from({ length: clusters }, (_, i) => ({
    name: `c${i}`, network: `net-${i % 3}`, region: `region-${i % 4}`, zones: [`region-${i % 4}-a`], provider: CloudProvider.GKE,
  }));
  const app = new App({ outdir: '/tmp/bench-yaml-unused' });
  const mesh = new MultiClusterMesh(app, 'mesh', {
    meshId: 'bench', clusters: specs, exposedHosts: Array.from({ length: 10 }, (_, i) => `*.ns-${i}.svc.cluster.local`),
  });
  const names = specs.map((c) => c.name);
  for (let s = 0; s < services; s++) {
    const svc = mesh.addService({ name: `svc-${s}`, namespace: `ns-${s % 10}`, clusters: names });
    svc.failover({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] });
    svc.routePerCluster();
  }
  return names.map((n) => mesh.cluster(n).toJson());
}

function jsYaml(): ((docs: unknown[]) => string) | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require(require.resolve('js-yaml')) as { dump(v: unknown, o?: object): string };
    return (docs) => docs.map((d) => lib.dump(d, { lineWidth: -1, noRefs: true })).join('---\n');
  } catch {
    return undefined;
  }
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function main(): void {
  const t0 = Date.now();
  const all = charts();
  const objects = all.reduce((n, c) => n + c.length, 0);
  console.log(`${clusters} clusters x ${services} services: ${objects} objects in ${all.length} charts (built in ${Date.now() - t0} ms)`);

  const dump = jsYaml();
  const methods: [string, (docs: unknown[]) => string][] = [
    ['cdk8s Yaml.stringify', (docs) => Yaml.stringify(...docs)],
    ['stringifyDocs', stringifyDocs],
    ...(dump ? [['js-yaml dump (not identical)', dump] as [string, (docs: unknown[]) => string]] : []),
    ['JSON.stringify', (docs) => docs.map((d) => JSON.stringify(d)).join('\n')],
  ];
  for (const [name, fn] of methods) {
    const times: string[] = [];
    for (let r = 0; r < rounds; r++) {
      gc();
      const start = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      let n = 0;
      for (const docs of all) n += fn(docs).length;
      const used = process.cpuUsage(cpu);
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      times.push(`${Math.round(wall)} ms (cpu ${Math.round((used.user + used.system) / 1000)} ms)`);
      if (n === 0) throw new Error('nothing written');
    }
    console.log(`${name.padEnd(30)} ${times.join(', ')}`);
  }

  // identity last, so the first round of stringifyDocs above starts with empty caches
  let bytes = 0;
  for (const docs of all) {
    const expected = Yaml.stringify(...docs);
    if (stringifyDocs(docs) !== expected) throw new Error('stringifyDocs differs from Yaml.stringify');
    bytes += Buffer.byteLength(expected);
  }
  console.log(`YAML: ${(bytes / 1e6).toFixed(1)} MB, byte-identical; emitter stats ${JSON.stringify(yamlEmitterStats())}`);
}

main();
