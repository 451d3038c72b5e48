/**
 * One walk of an App's construct tree for a whole `MeshApp.synth()`: without it the tree is walked
 * again for the validation, for each chart's objects, each chart's duplicate check and each
 * report's warnings (a walk of a 20-cluster × 1,000-service mesh is ~50 ms).
 *
 * While `withTreeIndex` runs, `subtree(scope)` returns, for the root and its direct children (the
 * charts, the meshes), the part of that one walk below them, in `node.findAll()` order; for any
 * other scope, or a scope whose children changed since the walk, it walks as `node.findAll()`
 * does. Synthesis does not add constructs; a check that did would only be seen by its own scope's
 * direct children. @internal
 */
import { IConstruct } from 'constructs';

interface TreeIndex {
  readonly all: IConstruct[];
  /** For the root and its children: where their constructs are in `all`, and their child count then. */
  readonly ranges: Map<IConstruct, { readonly start: number; readonly end: number; readonly children: number }>;
}

let current: TreeIndex | undefined;

/** Walks `root` once (preorder, as `findAll()`), runs `fn` with the walk, and keeps it for `subtree` meanwhile. @internal */
export function withTreeIndex<T>(root: IConstruct, fn: (all: IConstruct[]) => T): T {
  const all: IConstruct[] = [];
  const ranges: TreeIndex['ranges'] = new Map();
  const visit = (c: IConstruct) => {
    all.push(c);
    for (const child of c.node.children) visit(child);
  };
  const rootChildren = root.node.children;
  all.push(root);
  for (const child of rootChildren) {
    const start = all.length;
    visit(child);
    ranges.set(child, { start, end: all.length, children: child.node.children.length });
  }
  ranges.set(root, { start: 0, end: all.length, children: rootChildren.length });
  const outer = current;
  current = { all, ranges };
  try {
    return fn(all);
  } finally {
    current = outer;
  }
}

/** `scope.node.findAll()`, from the current walk when it has the scope (a fresh array either way). @internal */
export function subtree(scope: IConstruct): IConstruct[] {
  const range = current?.ranges.get(scope);
  if (current !== undefined && range !== undefined && range.children === scope.node.children.length) {
    return current.all.slice(range.start, range.end);
  }
  return scope.node.findAll();
}
