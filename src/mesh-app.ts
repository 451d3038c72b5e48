import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, Yaml, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MultiClusterMesh } from './mesh';
import { writeObjects, YamlMemo } from './private/chart-writer';
import { ObjectRenderer } from './private/object-json';

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
    const meshes = this.node.findAll().filter((c): c is MultiClusterMesh => MultiClusterMesh._isMesh(c));
    const meshCharts = new Set<IConstruct>(meshes.flatMap((m) => m._charts()));
    const type = this.yamlOutputType;
    const recordMetadata = (this as unknown as { recordConstructMetadata?: boolean }).recordConstructMetadata === true;
    if (meshCharts.size === 0 || type !== YamlOutputType.FILE_PER_CHART || recordMetadata) {
      // nothing of ours to write faster (a mesh refuses FILE_PER_APP and FILE_PER_RESOURCE), or
      // construct metadata requested: cdk8s does it all
      super.synth();
      for (const m of meshes) m.writeReports(this.outdir);
      return;
    }
    fs.mkdirSync(this.outdir, { recursive: true });
    // cdk8s' App.synth order: validate the app, then turn implicit construct dependencies into
    // chart and object dependencies. Done once here; cdk8s' Chart.toJson would redo both per chart.
    validateApp(this);
    const dependantCharts = resolveDependencies(this);
    const charts = this.charts;
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
  }
}

/**
 * cdk8s' `chartToKube`: a chart's own API objects in dependency order (`DependencyGraph.topology()`).
 * cdk8s builds a graph keyed by construct path; when every dependency inside the chart points at a
 * construct that depends on nothing there (the Namespace objects the chart check orders first),
 * that order is simply: each construct without dependants in tree order, right after the
 * constructs it depends on (in the order added), each construct once. Anything else (chains,
 * cycles, dependencies on constructs of another tree) is left to cdk8s' graph.
 */
function chartObjects(chart: Chart): ApiObject[] {
  const all = chart.node.findAll();
  const inChart = new Set<IConstruct>(all);
  const edges = new Map<IConstruct, IConstruct[]>();
  const dependedOn = new Set<IConstruct>();
  for (const source of all) {
    for (const target of source.node.dependencies) {
      if (!inChart.has(target)) {
        // cdk8s matches by path: a construct of another tree could share one
        if (target.node.root !== chart.node.root) return cdk8sChartObjects(chart);
        continue;
      }
      let targets = edges.get(source);
      if (!targets) edges.set(source, targets = []);
      if (!targets.includes(target)) targets.push(target);
      dependedOn.add(target);
    }
  }
  for (const target of dependedOn) if (edges.has(target)) return cdk8sChartObjects(chart);
  const found = new Set<IConstruct>();
  const ordered: ApiObject[] = [];
  const emit = (c: IConstruct) => {
    if (found.has(c)) return;
    found.add(c);
    if (ApiObject.isApiObject(c) && Chart.of(c) === chart) ordered.push(c);
  };
  for (const c of all) {
    if (dependedOn.has(c)) continue;
    for (const target of edges.get(c) ?? []) emit(target);
    emit(c);
  }
  return ordered;
}

function cdk8sChartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
}

/** cdk8s' `validate(app)`, with the same error text. */
function validateApp(app: App): void {
  const errors: string[] = [];
  for (const child of app.node.findAll()) {
    for (const error of child.node.validate()) errors.push(`[${child.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * cdk8s' `resolveDependencies(app)` (`cdk8s/lib/app.js`, 2.70): nested charts and construct
 * dependencies across charts become chart dependencies; construct dependencies become dependencies
 * between their API objects. Returns whether any chart depends on another (then file names get an
 * index prefix, as cdk8s does).
 */
function resolveDependencies(app: App): boolean {
  let dependant = false;
  const all = app.node.findAll();
  for (const parent of all.filter((x): x is Chart => Chart.isChart(x))) {
    for (const child of parent.node.children.filter((x) => Chart.isChart(x))) {
      parent.node.addDependency(child);
      dependant = true;
    }
  }
  const dependencies = () => all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
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
