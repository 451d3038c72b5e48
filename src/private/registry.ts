/**
 * One object per API group, kind, namespace and name in a chart, and Namespace objects before the
 * objects that live in them. @internal
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { addSynthCheck, invalid, validationError } from './invalid';
import { subtree } from './tree';

interface ChartObjects {
  /** key → path of the first object registered by a library construct */
  readonly seen: Map<string, string>;
  /** direct-children count at the last chart-wide walk, and its errors */
  walkedAt?: number;
  errors?: ValidationError[];
}

const REGISTRY = new WeakMap<Chart, ChartObjects>();

/**
 * One object per API group, kind, namespace and name in a chart: kubectl would apply one over the
 * other without a word (two CrossNetworkGateways on one gateway, two rules for one host, a
 * Namespace the user also declares).
 *
 * - At the end of each library construct's constructor, its own objects are registered and a
 *   clash with an earlier library object fails right there (one walk of its own subtree).
 * - Once per chart, a validation walks the whole chart at synth to catch the user's own objects.
 *   cdk8s re-validates the whole App for every chart it synthesizes, so the walk is cached until
 *   the chart gets another direct child.
 * @internal
 */
export function checkUniqueObjects(scope: Construct): void {
  const chart = findChart(scope);
  if (!chart) return;
  let state = REGISTRY.get(chart);
  if (!state) {
    const created: ChartObjects = { seen: new Map() };
    REGISTRY.set(chart, state = created);
    addSynthCheck(chart, () => chartWideDuplicates(chart, created));
  }
  for (const c of scope.node.findAll()) {
    if (!ApiObject.isApiObject(c) || c.metadata.name === undefined || findChart(c) !== chart) continue;
    const { key, shown } = objectKey(chart, c);
    const first = state.seen.get(key);
    if (first !== undefined && first !== c.node.path) {
      invalid(scope, scope.constructor.name, 'metadata.name', shown, clash(first, c.kind), CLASH_VALID);
    }
    state.seen.set(key, c.node.path);
  }
}

function chartWideDuplicates(chart: Chart, state: ChartObjects): ValidationError[] {
  if (state.errors && state.walkedAt === chart.node.children.length) return state.errors;
  const seen = new Map<string, string>();
  const errors: ValidationError[] = [];
  const objects: ApiObject[] = [];
  for (const c of subtree(chart)) {
    if (!ApiObject.isApiObject(c) || c.metadata.name === undefined || findChart(c) !== chart) continue;
    objects.push(c);
    const { key, shown } = objectKey(chart, c);
    const first = seen.get(key);
    if (first !== undefined) errors.push(validationError(c, c.kind, 'metadata.name', shown, clash(first, c.kind), CLASH_VALID));
    else seen.set(key, c.node.path);
  }
  namespacesFirst(chart, objects);
  state.walkedAt = chart.node.children.length;
  state.errors = errors;
  return errors;
}

/**
 * Orders every Namespace object before the objects that live in it (a cdk8s dependency, which
 * decides the order in the chart's YAML), so a first `kubectl apply -f` never meets an object
 * whose namespace does not exist yet, whatever order the constructs were created in. Runs in the
 * chart's synth-time check: cdk8s orders a chart's objects after validating the app.
 */
function namespacesFirst(chart: Chart, objects: ApiObject[]): void {
  const namespaces = new Map<string, ApiObject>();
  for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaces.set(o.metadata.name!, o);
  if (namespaces.size === 0) return;
  for (const o of objects) {
    if (o.kind === 'Namespace') continue;
    const ns = namespaces.get(o.metadata.namespace ?? chart.namespace ?? '');
    if (ns !== undefined) o.node.addDependency(ns);
  }
}

function objectKey(chart: Chart, c: ApiObject): { key: string; shown: string } {
  const group = c.apiVersion.includes('/') ? c.apiVersion.split('/')[0] : '';
  const namespace = c.metadata.namespace ?? chart.namespace ?? '';
  return { key: `${group}|${c.kind}|${namespace}|${c.metadata.name}`, shown: `${namespace ? namespace + '/' : ''}${c.metadata.name}` };
}

function clash(firstPath: string, kind: string): string {
  return `${firstPath} already defines this ${kind} in the same chart, and kubectl would apply one over the other`;
}

const CLASH_VALID = 'one object per kind, namespace and name in a cluster\'s chart (merge the two, or give one another name or namespace)';

/**
 * The closest enclosing Chart, or undefined. `Chart.isChart` checks a `Symbol.for` brand, so a
 * chart of another cdk8s copy is found too. @internal
 */
export function findChart(scope: IConstruct): Chart | undefined {
  for (let s: IConstruct | undefined = scope; s; s = s.node.scope) if (Chart.isChart(s)) return s;
  return undefined;
}

