import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, Yaml, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MultiClusterMesh } from './mesh';
import { writeObjects, YamlMemo } from './private/chart-writer';
import { dependenciesOf, mayHaveValidations } from './private/node-fields';
import { ObjectRenderer } from './private/object-json';
import { subtree, withTreeIndex } from './private/tree';

/**
 * A cdk8s `App` for a mesh: `synth()` writes what `App.synth()` writes, plus each mesh's traffic
 * reports (`<cluster>.traffic.md`, `mesh.md`), and does each piece of work once — one validation
 * of the whole app (cdk8s validates it again for every chart it writes), each cluster chart
 * rendered once and written with a YAML emitter that is byte-identical to cdk8s' own but faster,
 * one chart at a time (peak memory holds one chart's YAML, not the app's).
 *
 * Charts that no `MultiClusterMesh` created (your own) are written by cdk8s, unchanged. Works with
 * `cdk8s synth`, which runs your app and so this `synth()`. A plain `App` still works: cdk8s
 * writes the YAML, and `mesh.writeReports(app.outdir)` writes the reports.
 *
 * @example
 * const app = new MeshApp();
 * const mesh = new MultiClusterMesh(app, 'mesh', { meshId: 'proj-123456', clusters: [...] });
 * app.synth(); // dist/<cluster>.k8s.yaml, dist/<cluster>.traffic.md, dist/mesh.md
 */
export class MeshApp extends App {
  public constructor(props: AppProps = {}) {
    super(props);
  }

  /**
   * Synthesizes every chart into `outdir` (as `App.synth`), and each mesh's reports. While the
   * explain CLI loads the app it writes nothing.
   */
  public synth(): void {
    if (process.env.CDK8S_ISTIO_MC_REGISTER === '1') return;
    const type = this.yamlOutputType;
    const recordMetadata = (this as unknown as { recordConstructMetadata?: boolean }).recordConstructMetadata === true;
    const { meshes, meshCharts, ours } = withTreeIndex(this, (all) => {
      const found = all.filter((c): c is MultiClusterMesh => MultiClusterMesh._isMesh(c));
      const charts = new Set<IConstruct>(found.flatMap((m) => m._charts()));
      // nothing of ours to write faster (a mesh refuses FILE_PER_APP and FILE_PER_RESOURCE), or
      // construct metadata requested: cdk8s does it all
      const fast = charts.size > 0 && type === YamlOutputType.FILE_PER_CHART && !recordMetadata;
      if (fast) {
        fs.mkdirSync(this.outdir, { recursive: true });
        // cdk8s' App.synth order: validate the app (one walk, as cdk8s' validate(app)), then turn
        // implicit construct dependencies into chart and object dependencies. Done once here;
        // cdk8s' Chart.toJson would redo both per chart.
        validateApp(all);
      }
      return { meshes: found, meshCharts: charts, ours: fast };
    });
    if (!ours) {
      super.synth();
      for (const m of meshes) m.writeReports(this.outdir);
      return;
    }
    // a validation may have added constructs, which cdk8s writes: walk again for the rest
    withTreeIndex(this, (all) => {
      const dependantCharts = resolveDependencies(all);
      const charts = appCharts(this, all);
      const renderer = new ObjectRenderer(this);
      const memo = new YamlMemo();
      let index = 0;
      for (const chart of charts) {
        const name = dependantCharts ? `${(index++).toString().padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart);
        const file = path.join(this.outdir, name + this.outputFileExtension);
        if (meshCharts.has(chart)) {
          const fd = fs.openSync(file, 'w');
          try {
            writeObjects(fd, chartObjects(chart), renderer, memo);
          } finally {
            fs.closeSync(fd);
          }
        } else {
          Yaml.save(file, Object.values(chart.toJson()));
        }
      }
      for (const m of meshes) m.writeReports(this.outdir);
    });
  }
}

/** cdk8s' `chartToKube`: a chart's own API objects in dependency order. */
function chartObjects(chart: Chart): ApiObject[] {
  return (topology(chart, subtree(chart)) ?? new DependencyGraph(chart.node).topology())
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
}

/** cdk8s' `App.charts`: the app's charts in dependency order. */
function appCharts(app: App, all: IConstruct[]): Chart[] {
  return (topology(app, all) ?? new DependencyGraph(app.node).topology()).filter((x): x is Chart => x instanceof Chart);
}

/**
 * cdk8s' `new DependencyGraph(root.node).topology()`, or undefined when cdk8s' graph must decide.
 * cdk8s keys a vertex per construct by path (recomputed per call) and searches for a cycle per
 * edge: 0.5-1 s per walk of a large mesh. When every dependency inside the tree points at a
 * construct that depends on nothing there (the Namespace objects the chart check orders first),
 * its order is simply: each construct without dependants in tree order, right after the
 * constructs it depends on (in the order added), each construct once. Chains, cycles and
 * dependencies on constructs of another tree are left to cdk8s. (cdk8s' path-keyed object lists
 * integer-like paths first: only the App's children can have one, and `findAll` already lists
 * them first among their siblings, so only the App's own vertex moves, and it is no chart/object.)
 */
function topology(root: IConstruct, all: IConstruct[] = root.node.findAll()): IConstruct[] | undefined {
  const edges = new Map<IConstruct, IConstruct[]>();
  const dependedOn = new Set<IConstruct>();
  for (const source of all) {
    for (const target of dependenciesOf(source)) {
      if (!isWithin(target, root)) {
        // cdk8s matches by path: a construct of another tree could share one
        if (target.node.root !== root.node.root) return undefined;
        continue;
      }
      let targets = edges.get(source);
      if (!targets) edges.set(source, targets = []);
      if (!targets.includes(target)) targets.push(target);
      dependedOn.add(target);
    }
  }
  for (const target of dependedOn) if (edges.has(target)) return undefined;
  const ordered: IConstruct[] = [];
  const emitted = new Set<IConstruct>(); // targets already placed (any other construct comes once)
  for (const c of all) {
    if (dependedOn.has(c)) continue;
    const targets = edges.get(c);
    if (targets) {
      for (const t of targets) {
        if (!emitted.has(t)) {
          emitted.add(t);
          ordered.push(t);
        }
      }
    }
    ordered.push(c);
  }
  return ordered;
}

/** Whether `c` is `root` or below it. */
function isWithin(c: IConstruct, root: IConstruct): boolean {
  if (root.node.scope === undefined) return c.node.root === root;
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) if (s === root) return true;
  return false;
}

/** cdk8s' `validate(app)` (`all`: `app.node.findAll()`), with the same error text. */
function validateApp(all: IConstruct[]): void {
  const errors: string[] = [];
  for (const child of all) {
    if (!mayHaveValidations(child)) continue;
    for (const error of child.node.validate()) errors.push(`[${child.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * cdk8s' `resolveDependencies(app)` (`cdk8s/lib/app.js`, 2.70; `all`: `app.node.findAll()`):
 * nested charts and construct dependencies across charts become chart dependencies; construct
 * dependencies become dependencies between their API objects. Returns whether any chart depends
 * on another (then file names get an index prefix, as cdk8s does).
 */
function resolveDependencies(all: IConstruct[]): boolean {
  let dependant = false;
  for (const parent of all.filter((x): x is Chart => Chart.isChart(x))) {
    for (const child of parent.node.children.filter((x) => Chart.isChart(x))) {
      parent.node.addDependency(child);
      dependant = true;
    }
  }
  const dependencies = () => {
    const pairs: Array<{ source: IConstruct; target: IConstruct }> = [];
    for (const source of all) for (const target of dependenciesOf(source)) pairs.push({ source, target });
    return pairs;
  };
  for (const { source, target } of dependencies()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      dependant = true;
    }
  }
  // again, as cdk8s does: the chart dependencies just added count too
  for (const { source, target } of dependencies()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = target.node.findAll().filter((c) => ApiObject.isApiObject(c) && Chart.of(c) === targetChart);
    const sources = source.node.findAll().filter((c) => ApiObject.isApiObject(c) && Chart.of(c) === sourceChart);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
  return dependant;
}
