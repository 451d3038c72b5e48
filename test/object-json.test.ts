import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { ambientMultinetwork } from '../examples/ambient-multinetwork/main';
import { gatewayApiEksAks } from '../examples/gateway-api-eks-aks/main';
import { hybridGkeOnprem } from '../examples/hybrid-gke-onprem/main';
import { tokyoOsaka } from '../examples/tokyo-osaka/main';
import { CloudProvider, LocalityFailoverRule, MeshApp, MultiClusterMesh, TokenSource } from '../src';
import * as istio from '../src/imports/networking.istio.io';
import { ObjectRenderer, plainLazy, sharedPlain } from '../src/private/object-json';

/** Every value told apart, key order included (JSON.stringify alone writes -0 as 0, NaN as null, drops undefined). */
const canon = (v: unknown) => JSON.stringify(v, (_k, x) => {
  if (typeof x === 'number' && (Object.is(x, -0) || !Number.isFinite(x))) return `number:${Object.is(x, -0) ? '-0' : String(x)}`;
  return x === undefined ? 'undefined:' : x;
});

const objectsOf = (app: App) => app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));

/** Renders `o` both ways and checks they agree; returns whether the fast path took it. */
function renderBoth(renderer: ObjectRenderer, o: ApiObject): boolean {
  const before = renderer.stats.fast;
  const ours = renderer.render(o);
  const theirs = o.toJson();
  expect(canon(ours)).toEqual(canon(theirs));
  expect(Yaml.stringify(ours)).toEqual(Yaml.stringify(theirs));
  return renderer.stats.fast > before;
}

function registeredMesh(app: App): MultiClusterMesh {
  process.env.OBJECT_JSON_TOKEN = 'token';
  const token = TokenSource.fromEnv('OBJECT_JSON_TOKEN');
  const clusters = ['a', 'b', 'c'];
  const mesh = new MultiClusterMesh(app, 'mesh', {
    meshId: 'm',
    clusters: clusters.map((name, i) => ({
      name,
      network: `n${i % 2}`,
      region: `r${i}`,
      zones: [`r${i}-a`],
      provider: CloudProvider.GKE,
      registration: { server: `https://${name}`, certificateAuthorityData: 'Q0E=', token },
    })),
    exposedHosts: ['*.ns.svc.cluster.local'],
  });
  for (let s = 0; s < 100; s++) {
    const svc = mesh.addService({ name: `svc-${s}`, namespace: 'ns', clusters });
    svc.failover({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] });
    if (s % 2 === 0) svc.routePerCluster();
  }
  mesh.clusterLocal(['*.other.svc.cluster.local']);
  return mesh;
}

const synthFiles = (app: App) => {
  app.synth();
  return Object.fromEntries(fs.readdirSync(app.outdir).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => [f, fs.readFileSync(path.join(app.outdir, f), 'utf8')]));
};
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The same declarations synthesized by cdk8s' App and by MeshApp give the same files. */
function expectSameFiles(declare: (app: App) => void, props: { resolvers?: IResolver[] } = {}) {
  const plain = new App({ outdir: tmp('plain-'), ...props });
  declare(plain);
  const mesh = new MeshApp({ outdir: tmp('meshapp-'), ...props });
  declare(mesh);
  const expected = synthFiles(plain);
  expect(Object.keys(expected).length).toBeGreaterThan(0);
  expect(synthFiles(mesh)).toEqual(expected);
}

/**
 * The objects' memo keys, each defined, checked against the invariant the YAML memo relies on: the
 * same key only for the same output (equal output may still differ in key, e.g. shared vs unshared data).
 */
function keysOf(renderer: ObjectRenderer, objects: ApiObject[]): Array<string | undefined> {
  const keys = objects.map((o) => renderer.prepare(o, true).key);
  const outputs = objects.map((o) => canon(o.toJson()));
  keys.forEach((k) => expect(k).toBeDefined());
  for (let i = 0; i < objects.length; i++) {
    for (let j = 0; j < objects.length; j++) if (keys[i] === keys[j]) expect([i, j, outputs[i]]).toEqual([i, j, outputs[j]]);
  }
  return keys;
}

describe('ObjectRenderer renders what ApiObject.toJson() renders', () => {
  test.each([
    ['hybrid-gke-onprem', hybridGkeOnprem],
    ['tokyo-osaka', tokyoOsaka],
    ['registration, routes, cluster-local', registeredMesh],
  ])('every object of %s', (_name, declare) => {
    const app = Testing.app();
    declare(app);
    for (const c of app.node.findAll()) c.node.validate(); // synth-time checks (namespaces first)
    const renderer = new ObjectRenderer(app);
    const objects = objectsOf(app);
    for (const o of objects) renderBoth(renderer, o);
    // what is left to cdk8s: objects holding IntOrString/Quantity values or a Lazy of cdk8s' (per cluster)
    expect(renderer.stats.fast).toBeGreaterThan(renderer.stats.cdk8s);
    expect(renderer.stats.fast + renderer.stats.cdk8s).toEqual(objects.length);
  });

  test.each([
    ['gateway-api-eks-aks', gatewayApiEksAks],
    ['ambient-multinetwork (Lazy labels and patches on the app\'s Services, which go to cdk8s)', ambientMultinetwork],
  ])('every object of %s, whichever path renders it', (_name, declare) => {
    const app = Testing.app();
    declare(app);
    for (const c of app.node.findAll()) c.node.validate();
    const renderer = new ObjectRenderer(app);
    const objects = objectsOf(app);
    for (const o of objects) renderBoth(renderer, o);
    expect(renderer.stats.fast + renderer.stats.cdk8s).toEqual(objects.length);
  });

  test('the library\'s own Lazy (plainLazy) is resolved on the fast path', () => {
    const chart = new Chart(Testing.app(), 'c');
    const rule = new LocalityFailoverRule(chart, 'rule', { host: 'svc.ns.svc.cluster.local' });
    rule.addSubset({ name: 'a', labels: { 'topology.istio.io/cluster': 'a' } });
    const o = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: plainLazy(Lazy.any({ produce: () => ({ b: '2', a: '1' }) })) });
    const renderer = new ObjectRenderer(App.of(chart));
    expect(renderBoth(renderer, rule.apiObject)).toBe(true);
    expect(renderBoth(renderer, o)).toBe(true);
  });

  describe('falls back to cdk8s, with the same result', () => {
    const setup = () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const rule = new LocalityFailoverRule(chart, 'rule', { host: 'svc.ns.svc.cluster.local' });
      return { app, chart, rule, renderer: new ObjectRenderer(app) };
    };

    test('a JSON patch', () => {
      const { rule, renderer } = setup();
      rule.apiObject.addJsonPatch(JsonPatch.add('/spec/exportTo', ['.']));
      expect(renderBoth(renderer, rule.apiObject)).toBe(false);
    });

    test('a Lazy of the user (in a label, in the spec)', () => {
      const { chart, rule, renderer } = setup();
      rule.apiObject.metadata.addLabel('team', Lazy.any({ produce: () => 'payments' }));
      expect(renderBoth(renderer, rule.apiObject)).toBe(false);
      const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: Lazy.any({ produce: () => 'x' }) } });
      expect(renderBoth(renderer, cm)).toBe(false);
    });

    test('a resolver of the App\'s own: every object', () => {
      const resolver: IResolver = { resolve: (ctx: ResolutionContext) => { if (ctx.value === 'svc') ctx.replaceValue('other'); } };
      const app = new App({ outdir: tmp('resolver-'), resolvers: [resolver] });
      tokyoOsaka(app);
      const renderer = new ObjectRenderer(app);
      for (const o of objectsOf(app)) expect(renderBoth(renderer, o)).toBe(false);
      expect(renderer.stats.fast).toEqual(0);
    });

    test('values that are not plain data, or that cdk8s refuses (same error)', () => {
      const { chart, renderer } = setup();
      const weird: Array<[string, unknown]> = [
        ['token', { resolve: () => 'resolved' }],
        ['union', new (class { public readonly value = 8080; })()],
        ['constructor key', JSON.parse('{"constructor":"x","a":1}')],
        ['__proto__ key', JSON.parse('{"__proto__":{"x":1},"a":1}')],
        ['sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
        ['array with a value', Object.assign(['a'], { value: 'x' })],
        ['null prototype', Object.assign(Object.create(null), { a: 1 })],
        ['function', () => 1],
        ['Date', new Date(0)],
      ];
      weird.forEach(([name, value], i) => {
        const o = new ApiObject(chart, `w${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `w${i}` }, data: { value } });
        let theirs: string;
        try {
          theirs = canon(o.toJson());
        } catch (e) {
          expect(() => renderer.render(o)).toThrow((e as Error).message);
          return;
        }
        expect([name, canon(renderer.render(o))]).toEqual([name, theirs]);
      });
      expect(renderer.stats.fast).toEqual(0);
    });

    test('a class whose objects cdk8s renders differently: its first object is compared, then cdk8s renders them', () => {
      const { chart, renderer } = setup();
      const original = istio.VirtualService.prototype.toJson;
      istio.VirtualService.prototype.toJson = function (this: istio.VirtualService) {
        return { ...original.call(this), extra: true };
      };
      try {
        const vs = (id: string) => new istio.VirtualService(chart, id, { metadata: { name: id }, spec: { hosts: ['h'] } });
        expect(renderBoth(renderer, vs('a'))).toBe(true); // taken fast, then replaced by cdk8s' rendering
        expect(renderBoth(renderer, vs('b'))).toBe(false);
      } finally {
        istio.VirtualService.prototype.toJson = original;
      }
    });

    test('a subclass of a generated binding (it may override toJson)', () => {
      const { chart, renderer } = setup();
      class MyRule extends istio.DestinationRule {
        public toJson(): any {
          return { ...super.toJson(), extra: true };
        }
      }
      const o = new MyRule(chart, 'mine', { metadata: { name: 'mine' }, spec: { host: 'h' } });
      expect(renderBoth(renderer, o)).toBe(false);
    });
  });

  describe('stays on the fast path, with the same result', () => {
    test('labels, annotations and metadata added after creation (read at synth)', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { labels: { chart: 'yes' }, namespace: 'ns' });
      const rule = new LocalityFailoverRule(chart, 'rule', { host: 'svc.ns.svc.cluster.local' });
      const renderer = new ObjectRenderer(app);
      expect(renderBoth(renderer, rule.apiObject)).toBe(true);
      rule.apiObject.metadata.addLabel('b', '2');
      rule.apiObject.metadata.addLabel('a', '1');
      rule.apiObject.metadata.addAnnotation('note', 'x');
      rule.apiObject.metadata.addFinalizers('f');
      rule.apiObject.metadata.add('generateName', 'g-');
      expect(renderBoth(renderer, rule.apiObject)).toBe(true);
      expect((renderer.render(rule.apiObject) as any).metadata.labels).toEqual({ a: '1', b: '2', chart: 'yes' });
    });

    test('edge values: -0, NaN, Infinity, null and undefined, empty maps and lists, key order', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const renderer = new ObjectRenderer(app);
      const data = JSON.parse('{"z":0,"w":[null,1],"v":null,"t":{},"s":[],"r":{"b":{"d":1,"c":[{}]},"a":""},"10":"integer-like","2":"keys","B":1,"a":2,"é":3}');
      Object.assign(data, { y: NaN, x: Infinity, u: undefined, q: [undefined, -0], p: -0 });
      const o = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: {}, annotations: { a: '' } }, data });
      expect(renderBoth(renderer, o)).toBe(true);
      // numbers JSON.stringify writes like another number: no memo key
      const lossy = [-0, NaN, Infinity, -Infinity];
      lossy.forEach((value, i) => {
        const x = new ApiObject(chart, `lossy${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `lossy${i}` }, spec: { value } });
        expect(renderBoth(renderer, x)).toBe(true);
        expect([value, renderer.prepare(x, true).key]).toEqual([value, undefined]);
      });
      // null and undefined list items, null and undefined values: JSON.stringify tells them apart
      // or not, but they resolve to the same data
      const named = (name: string, spec: unknown) => new ApiObject(chart, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' }, spec });
      const nulls = named('nulls', { value: [0, null, null], v: null });
      const undefs = named('undefs', { value: [0, undefined, undefined], u: undefined });
      expect(renderer.prepare(nulls, true).key).toBeDefined();
      expect(renderer.prepare(undefs, true).key).toEqual(renderer.prepare(named('undefs2', { value: [0, undefined, null] }), true).key);
      expect(canon(renderer.render(nulls))).toEqual(canon(undefs.toJson()));
      const cleaner = new ApiObject(chart, 'cleaner', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cleaner' }, spec: { value: [0, 1.5, 'x'], v: null, u: undefined } });
      expect(renderer.prepare(cleaner, true).key).toBeDefined();
    });

    test('CDK8S_DISABLE_SORT keeps the declared key order', () => {
      process.env.CDK8S_DISABLE_SORT = '1';
      try {
        const app = Testing.app();
        tokyoOsaka(app);
        const renderer = new ObjectRenderer(app);
        for (const o of objectsOf(app)) renderBoth(renderer, o);
        expect(renderer.stats.fast).toBeGreaterThan(0);
      } finally {
        delete process.env.CDK8S_DISABLE_SORT;
      }
    });
  });

  test('memo keys: equal for equal output, different otherwise', () => {
    const app = Testing.app();
    const mk = (chart: string, host: string) => new LocalityFailoverRule(new Chart(app, chart), 'rule', { host }).apiObject;
    const [a, b, c] = [mk('a', 'svc.ns.svc.cluster.local'), mk('b', 'svc.ns.svc.cluster.local'), mk('c', 'other.ns.svc.cluster.local')];
    const renderer = new ObjectRenderer(app);
    const key = (o: ApiObject) => renderer.prepare(o, true).key;
    expect(key(a)).toBeDefined();
    expect(key(a)).toEqual(key(b));
    expect(key(a)).not.toEqual(key(c));
    b.metadata.addLabel('x', 'y');
    expect(key(a)).not.toEqual(key(b));
    expect(renderer.prepare(a, false).key).toBeUndefined();
  });
});

test('memo keys name shared data (sharedPlain) by its JSON, once per synth', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const cm = (name: string, spec: object) => new ApiObject(chart, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' }, spec });
  const spec = sharedPlain({ b: [{ x: '1' }], a: 'y' });
  expect(Object.isFrozen(spec.b[0])).toBe(true);
  const renderer = new ObjectRenderer(app);
  const key = (o: ApiObject) => renderer.prepare(o, true).key;
  const [one, two] = [cm('one', spec), cm('two', spec)];
  expect(key(one)).toBeDefined();
  expect(key(one)).toEqual(key(two));
  expect(key(cm('copy', sharedPlain({ b: [{ x: '1' }], a: 'y' })))).toEqual(key(one));
  expect(key(cm('plain', { b: [{ x: '1' }], a: 'y' }))).not.toEqual(key(one));
  expect(key(cm('other', sharedPlain({ b: [{ x: '2' }], a: 'y' })))).not.toEqual(key(one));
  const negativeZero = cm('zero', sharedPlain({ n: -0 }));
  expect(key(negativeZero)).toBeUndefined();
  expect(key(negativeZero)).toBeUndefined(); // known shared data: still no key
  for (const o of [one, two, negativeZero]) renderBoth(renderer, o);
});

test('memo keys tell metadata apart as its output does (fields, attributes added with metadata.add, chart labels)', () => {
  const app = Testing.app();
  const plainChart = new Chart(app, 'plain');
  const labelled = new Chart(app, 'labelled', { labels: { team: 'a' } });
  let n = 0;
  const cm = (chart: Chart, metadata: object, edit: (o: ApiObject) => void = () => {}) => {
    const o = new ApiObject(chart, `o${n++}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', ...metadata }, data: { k: 'v' } });
    edit(o);
    return o;
  };
  const objects = [
    cm(plainChart, {}),
    cm(plainChart, {}),
    cm(labelled, {}),
    cm(plainChart, { labels: { team: 'a' } }),
    cm(plainChart, { namespace: 'ns' }),
    cm(plainChart, { annotations: { a: '1' } }),
    cm(plainChart, {}, (o) => o.metadata.addAnnotation('a', '1')),
    cm(plainChart, {}, (o) => o.metadata.add('generateName', 'x-')),
    cm(plainChart, { generateName: 'x-' } as object),
    cm(plainChart, {}, (o) => o.metadata.addFinalizers('f')),
    cm(plainChart, {}, (o) => o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'K', name: 'n', uid: 'u' })),
    cm(plainChart, { finalizers: [] }),
    cm(plainChart, {}, (o) => o.metadata.add('extra', undefined)),
  ];
  const renderer = new ObjectRenderer(app);
  const keys = keysOf(renderer, objects);
  expect(keys[0]).toEqual(keys[1]);
  expect(keys[2]).toEqual(keys[3]);
  expect(keys[5]).toEqual(keys[6]);
  expect(keys[7]).toEqual(keys[8]);
  expect(new Set([keys[0], keys[2], keys[4], keys[5], keys[7], keys[9], keys[10]]).size).toBe(7);
  for (const o of objects) renderBoth(renderer, o);
});

test('memo keys name shared data one level down and through plain Lazy values, equal exactly when the output is', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  let n = 0;
  const cm = (spec: object) => new ApiObject(chart, `o${n++}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' }, spec });
  const lazy = (v: unknown) => plainLazy(Lazy.any({ produce: () => v }));
  const policy = () => sharedPlain({ lb: { priority: ['a', 'b'] }, od: { max: 100 } });
  const subsets = (...names: string[]) => sharedPlain(names.map((name) => ({ name, labels: { c: name } })));
  const objects = [
    cm({ host: 'h', policy: policy(), subsets: lazy(subsets('x', 'y')) }),
    cm({ host: 'h', policy: policy(), subsets: lazy(subsets('x', 'y')) }), // equal data, other objects
    cm({ host: 'h', policy: policy(), subsets: subsets('x', 'y') }), // not through a Lazy: same output
    cm({ host: 'h', policy: policy(), subsets: lazy(subsets('x')) }),
    cm({ host: 'g', policy: policy(), subsets: lazy(subsets('x', 'y')) }),
    cm({ host: 'h', policy: sharedPlain({ lb: { priority: ['b', 'a'] }, od: { max: 100 } }), subsets: lazy(subsets('x', 'y')) }),
    cm({ host: 'h', policy: policy(), subsets: lazy(undefined), extra: undefined }), // neither is written
    cm({ host: 'h', policy: policy() }),
    cm({ host: 'h', policy: { lb: { priority: ['a', 'b'] }, od: { max: 100 } } }), // the same data, not shared
    cm({ host: 'h', policy: policy(), subsets: lazy([{ name: 'x', labels: { c: 'x' } }, { name: 'y', labels: { c: 'y' } }]) }),
  ];
  const renderer = new ObjectRenderer(app);
  const keys = keysOf(renderer, objects);
  expect(keys[0]).toEqual(keys[1]);
  expect(keys[0]).toEqual(keys[2]);
  expect(keys[6]).toEqual(keys[7]);
  expect(new Set([keys[0], keys[3], keys[4], keys[5], keys[7]]).size).toBe(5);
  // a shared value one level down that JSON.stringify writes like another: no key
  expect(renderer.prepare(cm({ host: 'h', policy: sharedPlain({ n: -0 }) }), true).key).toBeUndefined();
  for (const o of objects) renderBoth(renderer, o);
});

describe('MeshApp writes the bytes cdk8s\' App writes', () => {
  test('a mesh whose rules repeat in every cluster, more objects per chart than one slice', () => {
    expectSameFiles(registeredMesh);
  });

  test.each([
    ['gateway-api-eks-aks', gatewayApiEksAks],
    ['ambient-multinetwork', ambientMultinetwork],
  ])('the %s example, app charts with patched Services included', (_name, declare) => {
    expectSameFiles(declare);
  });

  test('one cluster\'s copy of a repeated rule patched or relabelled (no memo leak between clusters)', () => {
    expectSameFiles((app) => {
      const mesh = registeredMesh(app);
      const rules = (cluster: string) => mesh.cluster(cluster).node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'DestinationRule');
      rules('b')[3].addJsonPatch(JsonPatch.replace('/metadata/name', 'patched'));
      rules('c')[5].metadata.addLabel('only', 'c');
      rules('a')[7].metadata.addLabel('lazy', Lazy.any({ produce: () => 'a' }));
      // a subset only in cluster b's copy: the same props but for what the subsets Lazy produces
      const ruleB = mesh.cluster('b').node.findAll().find((c): c is LocalityFailoverRule => LocalityFailoverRule._isRule(c) && c.subsets.length > 0)!;
      ruleB.addSubset({ name: 'extra', labels: { tier: 'b' } });
      // the same object in each cluster but for values JSON.stringify writes alike
      const values: unknown[] = [{ n: 0, m: 1 }, { n: -0, m: 1 }, { n: 0, m: Infinity }];
      ['a', 'b', 'c'].forEach((c, i) => {
        new ApiObject(mesh.cluster(c), 'edge', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge' }, spec: { values: values[i] } });
      });
    });
  });

  test('constructs a validation adds (an object in a mesh chart, a chart of its own) are written, as cdk8s writes them', () => {
    expectSameFiles((app) => {
      const mesh = registeredMesh(app);
      const holder = new Construct(mesh.cluster('a'), 'holder');
      let added = false;
      holder.node.addValidation({
        validate: () => {
          if (!added) {
            added = true;
            new ApiObject(holder, 'late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late-cm' } });
            new ApiObject(new Chart(app, 'late-chart'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'in-late-chart' } });
          }
          return [];
        },
      });
    });
  });

  test('dependencies inside a mesh chart keep cdk8s\' object order', () => {
    const cm = (scope: Construct, id: string) => new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id, namespace: 'ns' } });
    // one dependency level (as the chart check adds for Namespace objects), on objects and on a construct
    expectSameFiles((app) => {
      const mesh = registeredMesh(app);
      const a = mesh.cluster('a');
      const group = new Construct(a, 'group');
      const [x, , z] = [cm(a, 'x'), cm(group, 'y'), cm(a, 'z')];
      x.addDependency(group, z);
      cm(a, 'v').addDependency(z);
      new ApiObject(a, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
      cm(mesh.cluster('b'), 'w').addDependency(mesh.cluster('c'));
    });
    // chains (left to cdk8s' graph)
    expectSameFiles((app) => {
      const mesh = registeredMesh(app);
      const b = mesh.cluster('b');
      const [x, y, z] = [cm(b, 'x'), cm(b, 'y'), cm(b, 'z')];
      x.addDependency(y);
      y.addDependency(z);
    });
  });

  test('charts keep cdk8s\' order: dependencies between charts, integer-like chart names', () => {
    const twoClusters = (app: App, names: string[]) => {
      const mesh = new MultiClusterMesh(app, 'mesh', {
        meshId: 'm',
        clusters: names.map((name, i) => ({ name, network: `n${i}`, region: `r${i}`, provider: CloudProvider.GKE })),
        exposedHosts: ['*.ns.svc.cluster.local'],
      });
      mesh.addService({ name: 'svc', namespace: 'ns', clusters: names }).failover({ failoverPriority: ['topology.istio.io/network'] });
      return mesh;
    };
    expectSameFiles((app) => {
      new Chart(app, 'first');
      const mesh = twoClusters(app, ['b', 'a']);
      new Chart(app, 'user').addDependency(mesh.cluster('a'));
    });
    expectSameFiles((app) => {
      const first = new Chart(app, 'first');
      twoClusters(app, ['10', '9']);
      new Chart(app, 'user').addDependency(first); // file names get the chart's index
    });
  });

  test('with a resolver of the App\'s own', () => {
    const resolver: IResolver = { resolve: (ctx: ResolutionContext) => { if (ctx.value === 'ns') ctx.replaceValue('renamed'); } };
    expectSameFiles(registeredMesh, { resolvers: [resolver] });
  });

  test('with a resolver that changes values in place: nothing is frozen or shared between clusters there', () => {
    // drops undefined keys from maps, and renames one cluster's rule host, in place
    const resolver: IResolver = {
      resolve: (ctx: ResolutionContext) => {
        const v = ctx.value;
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
        for (const k of Object.keys(v)) if (v[k] === undefined) delete v[k];
        if (ctx.obj.metadata.name === 'svc-0' && Chart.of(ctx.obj).node.id === 'b' && typeof v.host === 'string') v.host = 'changed-in-b';
      },
    };
    expectSameFiles(registeredMesh, { resolvers: [resolver] });
    const app = new MeshApp({ outdir: tmp('in-place-'), resolvers: [resolver] });
    const mesh = registeredMesh(app);
    app.synth();
    const hosts = (cluster: string) => Yaml.load(path.join(app.outdir, `${cluster}.k8s.yaml`))
      .filter((o: any) => o.metadata.name === 'svc-0' && o.kind === 'DestinationRule').map((o: any) => o.spec.host ?? o.spec.hosts[0]);
    expect(hosts('b')).toContain('changed-in-b');
    expect(hosts('a')).not.toContain('changed-in-b');
    expect(mesh.clusterNames).toContain('a');
  });
});
