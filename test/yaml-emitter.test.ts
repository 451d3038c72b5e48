// The fast YAML emitter must write exactly what cdk8s writes: `stringifyDocs(docs)` is compared
// byte for byte with cdk8s `Yaml.stringify(...docs)` on random JSON values (fast-check, > 20,000
// cases by default; YAML_FUZZ_SCALE multiplies them), on hand-picked shapes where yaml's output is
// surprising, on documents it must hand to cdk8s, and on the charts of real meshes.
// Timings are in bench/yaml.ts, not here.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { hybridGkeOnprem } from '../examples/hybrid-gke-onprem/main';
import { tokyoOsaka } from '../examples/tokyo-osaka/main';
import { CloudProvider, MultiClusterMesh } from '../src';
import { stringifyDocs, writeDocs, yamlEmitterStats, yamlFastPathEnabled } from '../src/private/yaml-emitter';

const SCALE = Number(process.env.YAML_FUZZ_SCALE ?? '1');
const SEED = process.env.YAML_FUZZ_SEED ? Number(process.env.YAML_FUZZ_SEED) : undefined;
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)), seed: SEED });

/** Asserts byte identity with cdk8s, showing both texts when they differ. */
function expectSameAsCdk8s(docs: unknown[]): void {
  const expected = Yaml.stringify(...docs);
  const actual = stringifyDocs(docs);
  if (actual !== expected) {
    throw new Error(`stringifyDocs differs from Yaml.stringify for ${safeJson(docs)}\n--- cdk8s:\n${JSON.stringify(expected)}\n--- stringifyDocs:\n${JSON.stringify(actual)}`);
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (x === undefined ? '<undefined>' : x));
  } catch {
    return String(v);
  }
}

/**
 * Identity with cdk8s, and every document that is a non-empty map or array (without shared
 * references, which these generators never make) written by the emitter rather than cdk8s.
 */
function expectSameAndFast(docs: unknown[]): void {
  const containers = docs.filter((d) => typeof d === 'object' && d !== null && Object.keys(d).length > 0).length;
  const scalars = docs.filter((d) => d !== undefined).length - containers;
  expect(counted(() => expectSameAsCdk8s(docs))).toEqual({ fast: containers, fallback: scalars });
}

/** Counts of documents written by the emitter itself and handed to cdk8s, during `fn`. */
function counted(fn: () => void): { fast: number; fallback: number } {
  const before = yamlEmitterStats();
  fn();
  const after = yamlEmitterStats();
  return { fast: after.fastDocs - before.fastDocs, fallback: after.fallbackDocs - before.fallbackDocs };
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Strings YAML 1.1 readers resolve to something else, indicators, quotes, escapes and blanks. */
const TRICKY = [
  '', ' ', '  ', '\t', '\n', '\n\n', '\r', '\r\n', '\0', '\x07', '\x1b', '\x7f', '\x85', '\xa0', '\u2028', '\u2029', '\ufeff', '\ud800', '😀',
  'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'y', 'Y', 'n', 'N', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'FALSE', 'false',
  '~', 'null', 'Null', 'NULL', '<<', '=',
  '0', '-0', '+1', '1_000', '0x1F', '0o17', '017', '0b101', '1:20', '190:20:30', '1:20.5', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', '1e3', '1E3',
  '-1.5e-3', '0.', '.5', '1.', '1_0.0_1', '12e', '0x', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5',
  'a: b', 'a:b', 'a:', ':a', ': ', 'a #b', 'a#b', '#a', ' #', '- a', '-a', '-', '--', '---', '---x', '...', '...x', '? a', '?', '?a',
  '*a', '&a', '!a', '!!str', '|', '|-', '>', '>-', '%YAML', '@a', '`a', '[a]', '{a}', 'a, b', ',', '"', '"a"', "'", "'a'", "it's", 'say "hi"',
  '\\', 'a\\nb', 'a\tb', ' a', 'a ', ' a ', 'a\n', '\na', 'a\nb', 'a\n\nb', 'a\n\n', 'a \nb', 'a\n b', ' a\nb', '\ta\nb', 'a\n  ',
  'topology.istio.io/network', 'topology.kubernetes.io/region', '*.local', '*', 'istio.io/rev', 'app.kubernetes.io/name', 'x-y_z.1',
  '__proto__', 'constructor', 'hasOwnProperty', 'length',
];
const FRAGMENTS = [...TRICKY, 'a', 'b', 'abc', 'a long line of words ', ': ', ' #', '\n', '\n\n', ' ', '"', "'", '\\', '\t', '---', '...', '%'];

const tricky = fc.constantFrom(...TRICKY);
const concatenated = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 }).map((xs) => xs.join(''));
const anyString = fc.oneof(
  { arbitrary: tricky, weight: 4 },
  { arbitrary: concatenated, weight: 4 },
  { arbitrary: fc.string(), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme' }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
  { arbitrary: fc.string({ unit: fc.constantFrom('a', ' ', '\n', '-', ':', '#'), maxLength: 300 }), weight: 1 },
);
const number = fc.oneof(
  fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, 1e-7, 123456789012345680000, 0.1, -1.5, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE),
);
const leaf = fc.oneof(
  { arbitrary: anyString, weight: 6 },
  { arbitrary: number, weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);
const { value: trickyValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 4 }),
  ),
}));
/** Documents as cdk8s gets them: mostly maps, sometimes other values or `undefined`. */
const docsOf = (value: fc.Arbitrary<unknown>) => fc.array(
  fc.oneof(
    { arbitrary: fc.dictionary(anyString, value, { maxKeys: 5 }), weight: 4 },
    { arbitrary: value, weight: 2 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  ),
  { minLength: 1, maxLength: 3 },
);

// ---------------------------------------------------------------------------------------------
// Property tests

describe('stringifyDocs is byte-identical to cdk8s Yaml.stringify (property tests)', () => {
  let cases = 0;
  const start = yamlEmitterStats();
  afterAll(() => {
    const end = yamlEmitterStats();
    // eslint-disable-next-line no-console
    console.log(`yaml-emitter property tests: ${cases} cases; documents written by the emitter: ${end.fastDocs - start.fastDocs}, handed to cdk8s: ${end.fallbackDocs - start.fallbackDocs}`);
  });

  test('random JSON values (fc.jsonValue), at the root, in a map and in a sequence; only root scalars and {} / [] go to cdk8s', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 2 }), (values) => {
      cases++;
      expectSameAndFast(values.flatMap((v) => [v, { v }, [v]]));
    }), runs(6_000));
  });

  test('random maps of JSON values (fc.jsonValue in documents shaped like manifests)', () => {
    const manifest = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });
    fc.assert(fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), (docs) => {
      cases++;
      expectSameAndFast(docs);
    }), runs(4_000));
  });

  test('tricky strings as keys and values, at every depth, with undefined and null', () => {
    fc.assert(fc.property(docsOf(trickyValue), (docs) => {
      cases++;
      expectSameAndFast(docs);
    }), runs(10_000));
  });

  test('tricky strings in sequences and deep nesting (multi-line strings depend on the depth)', () => {
    const deep = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(anyString, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([depth, strings, asSeq]) => {
        let v: unknown = asSeq ? strings : Object.fromEntries(strings.map((s, i) => [`k${i}`, s]));
        for (let d = 0; d < depth; d++) v = d % 2 ? [v, strings[0]] : { [strings[d % strings.length]]: v, z: [...strings] };
        return [v];
      });
    fc.assert(fc.property(deep, (docs) => {
      cases++;
      expectSameAndFast(docs);
    }), runs(2_000));
  });

  test('the default run has at least 20,000 cases', () => {
    expect([6_000, 4_000, 10_000, 2_000].reduce((a, b) => a + b)).toBeGreaterThanOrEqual(20_000);
  });
});

// ---------------------------------------------------------------------------------------------
// Shapes where yaml's output is not obvious (each checked against cdk8s, and written out here so
// a change of yaml's rules shows up as a readable failure)

describe('shapes whose YAML is surprising', () => {
  test.each<[string, unknown, string]>([
    ['sequences in maps are indented', { a: ['x', 'z'] }, 'a:\n  - x\n  - z\n'],
    ['maps in sequences start on the item line', [{ name: 'x', port: 1 }], '- name: x\n  port: 1\n'],
    ['sequences in sequences', [['a', 'b'], []], '- - a\n  - b\n- []\n'],
    ['empty containers stay on the key line', { a: {}, b: [], c: [{}, []] }, 'a: {}\nb: []\nc:\n  - {}\n  - []\n'],
    ['undefined in a map and in an array is null', { a: undefined, b: [undefined] }, 'a: null\nb:\n  - null\n'],
    ['integer-like keys come first (JavaScript order), quoted', { b: 1, 10: 2, 2: 3 }, '"2": 3\n"10": 2\nb: 1\n'],
    ['YAML 1.1 look-alikes are quoted (y and n are booleans; 0o17 is not an octal in 1.1)', { yes: 'on', n: '1_000', y: 'n', t: '1:20', o: '0o17', e: '' },
      '"yes": "on"\n"n": "1_000"\n"y": "n"\nt: "1:20"\no: 0o17\ne: ""\n'],
    ['keys: a label is plain, "*" and "a: b" are quoted', { 'topology.istio.io/network': 'net', '*': 'a: b' }, 'topology.istio.io/network: net\n"*": "a: b"\n'],
    ['document-marker keys are quoted at the root only', { '---x': { '---x': '---x' } }, '"---x":\n  ---x: ---x\n'],
    ['multi-line strings are literal blocks, indented by depth', { a: { b: 'x\ny' } }, 'a:\n  b: |-\n    x\n    y\n'],
    ['trailing newlines: clip and keep', { a: 'x\n', b: 'x\n\n', c: 'd' }, 'a: |\n  x\nb: |+\n  x\n\nc: d\n'],
    ['a leading space needs an indentation indicator', { a: ' x\ny' }, 'a: |2-\n   x\n  y\n'],
    ['trailing spaces after the last newline: double quotes', { a: 'x\n  ' }, 'a: "x\\n  "\n'],
    ['numbers are JSON numbers, -0 kept', [-0, 1e21, 1.5e-7, 0.1], '- -0\n- 1e+21\n- 1.5e-7\n- 0.1\n'],
    ['multi-line keys are double-quoted on one line', { 'a\nb': 1 }, '"a\\nb": 1\n'],
  ])('%s', (_name, doc, expected) => {
    expect(Yaml.stringify(doc)).toBe(expected);
    expect(stringifyDocs([doc])).toBe(expected);
  });

  test('a long multi-line double-quoted string folds its line breaks, indented by depth', () => {
    const s = `\u0000${'y'.repeat(45)}\nz`;
    for (const doc of [{ a: s }, { a: { b: [s] } }, [[s]]]) expectSameAsCdk8s([doc]);
    expect(stringifyDocs([{ a: { b: s } }])).toBe(`a:\n  b: "\\0${'y'.repeat(45)}\n\n    z"\n`);
  });

  test('very long strings are never folded (lineWidth: 0)', () => {
    const long = 'word '.repeat(2_000).trim();
    expectSameAsCdk8s([{ a: long, b: [long], c: { d: `${long}\n${long}` } }]);
    expect(stringifyDocs([{ a: long }])).toBe(`a: ${long}\n`);
  });
});

// ---------------------------------------------------------------------------------------------
// Documents handed to cdk8s, and the document list itself

describe('documents the emitter hands to cdk8s are still identical', () => {
  class Thing { constructor(public readonly a = 1) {} }

  test.each<[string, unknown]>([
    ['an object twice in one document (yaml writes an anchor and an alias)', (() => { const o = { a: 1 }; return { p: o, q: [o] }; })()],
    ['an array twice in one document', (() => { const a = [1]; return { p: a, q: a }; })()],
    ['an object twice in a document of more than 128 objects (early and late)', (() => {
      const o = { a: 1 };
      return { first: o, many: Array.from({ length: 300 }, (_, i) => ({ i })), again: [o] };
    })()],
    ['an object twice in a document of more than 128 objects (both late)', (() => {
      const o = { a: 1 };
      return { many: Array.from({ length: 300 }, (_, i) => ({ i })), p: o, q: o };
    })()],
    ['a circular document', (() => { const o: Record<string, unknown> = { a: 1 }; o.self = o; return o; })()],
    ['a Date', { d: new Date(0) }],
    ['a Map (an !!omap in YAML 1.1)', { m: new Map([['a', 1]]) }],
    ['a Set', { s: new Set(['a']) }],
    ['a Buffer', { b: Buffer.from('hi') }],
    ['a class instance', { t: new Thing() }],
    ['an object with toJSON', { t: { toJSON: () => 'x' } }],
    ['an object with a toJSON key that is not a function', { t: { toJSON: 'x' } }],
    ['an array with toJSON', { t: Object.assign([1], { toJSON: () => 'x' }) }],
    ['an object with an own iterator (yaml writes it as a sequence)', { t: { a: 1, *[Symbol.iterator]() { yield 'x'; } } }],
    ['boxed primitives', { s: new String('yes'), n: new Number(1) }],
    ['a key longer than 1024 characters (an explicit "? key")', { ['k'.repeat(1025)]: 1 }],
    ['a key whose escapes make it longer than 1024 characters', { a: { ['\0'.repeat(400)]: 1 } }],
    ['a key of exactly 1024 characters', { ['k'.repeat(1024)]: 1 }],
    ['a root scalar', 'a\nb'],
    ['a root document-marker string', '---x'],
    ['a root empty map', {}],
    ['a root empty array', []],
    ['null', null],
  ])('%s', (_name, doc) => {
    expectSameAsCdk8s([doc]);
    expectSameAsCdk8s([{ wrapped: 1 }, doc, undefined, doc]);
  });

  test('objects with the same content but different identity are not aliased', () => {
    const { fast, fallback } = counted(() => expectSameAsCdk8s([{ p: { a: 1 }, q: { a: 1 } }]));
    expect({ fast, fallback }).toEqual({ fast: 1, fallback: 0 });
  });

  test.each<[string, unknown]>([
    ['an own __proto__ key', JSON.parse('{"__proto__": {"a": 1}, "b": [{"__proto__": "x"}]}')],
    ['a prototype-less object', Object.assign(Object.create(null), { a: 1, b: { c: 'yes' } })],
    ['a sparse array (holes are null)', { a: [1, , 3] }], // eslint-disable-line no-sparse-arrays
    ['an array with an extra property (not written)', { a: Object.assign([1, 2], { extra: 'x' }) }],
    ['a getter', { get a() { return 'computed'; } }],
  ])('written by the emitter: %s', (_name, doc) => {
    expect(counted(() => expectSameAsCdk8s([doc]))).toEqual({ fast: 1, fallback: 0 });
  });

  test('a document of more than 128 distinct objects is written by the emitter', () => {
    const doc = { many: Array.from({ length: 1_000 }, (_, i) => ({ i, tags: [`t${i}`] })) };
    expect(counted(() => expectSameAsCdk8s([doc, doc]))).toEqual({ fast: 2, fallback: 0 });
  });

  test('an object shared between two documents is not an alias (each document is its own)', () => {
    const shared = { name: 'x', labels: { a: 'b' } };
    const { fast, fallback } = counted(() => expectSameAsCdk8s([{ metadata: shared }, { metadata: shared }]));
    expect({ fast, fallback }).toEqual({ fast: 2, fallback: 0 });
  });

  test('no documents, and undefined documents', () => {
    expectSameAsCdk8s([]);
    expectSameAsCdk8s([undefined]);
    expectSameAsCdk8s([undefined, { a: 1 }, undefined]);
  });
});

// ---------------------------------------------------------------------------------------------
// Real charts

function generatedMesh(app: App, clusters: number, services: number): MultiClusterMesh {
  const specs = Array.from({ length: clusters }, (_, i) => ({
    name: `c${i}`, network: `net-${i % 3}`, region: `region-${i % 4}`, zones: [`region-${i % 4}-a`], provider: CloudProvider.GKE,
  }));
  const mesh = new MultiClusterMesh(app, 'mesh', {
    meshId: 'generated', clusters: specs, exposedHosts: Array.from({ length: 7 }, (_, i) => `*.ns-${i}.svc.cluster.local`),
  });
  const names = specs.map((c) => c.name);
  for (let s = 0; s < services; s++) {
    const svc = mesh.addService({ name: `svc-${s}`, namespace: `ns-${s % 7}`, clusters: names });
    svc.failover({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] });
    svc.routePerCluster();
  }
  return mesh;
}

describe('real charts are byte-identical and need no fallback', () => {
  test.each<[string, (app: App) => MultiClusterMesh]>([
    ['hybrid-gke-onprem example', hybridGkeOnprem],
    ['tokyo-osaka example', tokyoOsaka],
    ['generated mesh, 10 clusters x 50 services', (app) => generatedMesh(app, 10, 50)],
  ])('%s', (_name, build) => {
    const mesh = build(Testing.app());
    let objects = 0;
    for (const cluster of mesh.clusterNames) {
      const docs = mesh.cluster(cluster).toJson();
      objects += docs.length;
      const { fast, fallback } = counted(() => expectSameAsCdk8s(docs));
      expect({ cluster, fast, fallback }).toEqual({ cluster, fast: docs.length, fallback: 0 });
    }
    expect(objects).toBeGreaterThan(0);
  });

  test.each([1, 7, 2_000])('writeDocs writes the bytes Yaml.save writes, in slices of %d documents', (slice) => {
    const shared = { a: 1 };
    const mesh = generatedMesh(Testing.app(), 4, 100);
    const docs = [...mesh.cluster('c0').toJson(), undefined, { 'tail': 'x\ny', '😀': ['\0'] }, 'a', { p: shared, q: shared }];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-emitter-'));
    try {
      Yaml.save(path.join(dir, 'cdk8s.yaml'), docs);
      const fd = fs.openSync(path.join(dir, 'emitter.yaml'), 'w');
      try {
        writeDocs(fd, docs, slice);
      } finally {
        fs.closeSync(fd);
      }
      expect(fs.readFileSync(path.join(dir, 'emitter.yaml')).equals(fs.readFileSync(path.join(dir, 'cdk8s.yaml')))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the fast path is on with the installed cdk8s (the canary documents came out identical)', () => {
    expect(yamlFastPathEnabled()).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The safety net: a cdk8s that writes YAML differently

describe('with a changed cdk8s Yaml.stringify (other YAML options, or replaced by stringifyDocs)', () => {
  const sample = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { 'a.b/c': 'yes' } }, data: { a: 'x\ny', b: 'word '.repeat(30) } },
    [{ name: 'a', ports: [1, 2] }, []],
  ];

  /** A fresh emitter module, on a cdk8s whose Yaml.stringify uses these options. */
  function emitterWith(options: YAML.DocumentOptions & YAML.SchemaOptions & YAML.ToStringOptions): { fast: boolean; same: boolean } {
    let result = { fast: true, same: false };
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Yaml: IsolatedYaml } = require('cdk8s') as typeof import('cdk8s');
      jest.spyOn(IsolatedYaml, 'stringify').mockImplementation((...docs: unknown[]) =>
        docs.map((d) => (d === undefined ? '\n' : YAML.stringify(d, { keepUndefined: true, lineWidth: 0, version: '1.1', ...options }))).join('---\n'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const emitter = require('../src/private/yaml-emitter') as typeof import('../src/private/yaml-emitter');
      result = { fast: emitter.yamlFastPathEnabled(), same: emitter.stringifyDocs(sample) === IsolatedYaml.stringify(...sample) };
    });
    return result;
  }

  test.each<[string, YAML.DocumentOptions & YAML.SchemaOptions & YAML.ToStringOptions]>([
    ['sequences not indented in maps', { indentSeq: false }],
    ['lines folded at 80 columns', { lineWidth: 80 }],
    ['4-space indentation', { indent: 4 }],
    ['flow collections', { collectionStyle: 'flow' }],
  ])('%s: the fast path turns itself off, the output is still cdk8s\'', (_name, options) => {
    expect(emitterWith(options)).toEqual({ fast: false, same: true });
  });

  test('YAML 1.2 scalars: the fast path stays on and follows (every scalar is rendered by cdk8s)', () => {
    expect(emitterWith({ version: '1.2' })).toEqual({ fast: true, same: true });
  });

  test('Yaml.stringify replaced by stringifyDocs after loading: no recursion, the same bytes', () => {
    const docs = [...sample, { a: 'new\nstrings', b: ['never', 'seen', 1234.5] }, undefined, 'root scalar', { p: sample[1], q: sample[1] }];
    const expected = Yaml.stringify(...docs);
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Yaml: IsolatedYaml } = require('cdk8s') as typeof import('cdk8s');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const emitter = require('../src/private/yaml-emitter') as typeof import('../src/private/yaml-emitter');
      jest.spyOn(IsolatedYaml, 'stringify').mockImplementation((...d: unknown[]) => emitter.stringifyDocs(d));
      expect(IsolatedYaml.stringify(...docs)).toBe(expected);
      expect(emitter.yamlFastPathEnabled()).toBe(true);
    });
  });
});
