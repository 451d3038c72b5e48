/**
 * Shortcuts past `constructs`' public getters for the many nodes that have nothing to report:
 * `node.dependencies`, `node.validate()` and `node.metadata` each build a list for every node,
 * and a large mesh has ~100k of them. They read the private fields `constructs` 10.x keeps
 * (`_dependencies`, `_validations`, `_metadata`), and only after a one-time probe on a throwaway
 * tree has shown those fields to mean what the getters return; otherwise the getters are called.
 * @internal
 */
import { Construct, IConstruct } from 'constructs';

/** What the getters read, if this `constructs` keeps them as 10.x does. */
interface NodeFields {
  readonly _dependencies?: Set<unknown>;
  readonly _validations?: unknown[];
  readonly _metadata?: unknown[];
}

const fields = (c: IConstruct) => c.node as unknown as NodeFields;

let known: boolean | undefined;

/**
 * Whether a node whose `_dependencies`, `_validations` or `_metadata` is empty has no
 * dependencies, validations or metadata in the installed `constructs` (probed once).
 */
function reliable(): boolean {
  if (known === undefined) {
    try {
      const root = new Construct(undefined as unknown as Construct, 'root');
      const [a, b] = [new Construct(root, 'a'), new Construct(root, 'b')];
      const empty = (c: IConstruct) => (fields(c)._dependencies?.size ?? 0) === 0 && (fields(c)._validations?.length ?? 0) === 0
        && Array.isArray(fields(c)._metadata) && fields(c)._metadata?.length === 0;
      const before = empty(a) && a.node.dependencies.length === 0 && a.node.validate().length === 0 && a.node.metadata.length === 0;
      a.node.addDependency(b);
      a.node.addValidation({ validate: () => ['x'] });
      a.node.addMetadata('probe', 1);
      known = before && fields(a)._dependencies?.has(b) === true && fields(a)._validations?.length === 1
        && fields(a)._metadata?.length === 1 && a.node.metadata.length === 1 && empty(b);
    } catch {
      known = false;
    }
  }
  return known;
}

const NO_CONSTRUCTS: IConstruct[] = [];

/** `c.node.dependencies`, without building an empty list for each node that has none. @internal */
export function dependenciesOf(c: IConstruct): IConstruct[] {
  if (reliable() && (fields(c)._dependencies?.size ?? 0) === 0) return NO_CONSTRUCTS;
  return c.node.dependencies;
}

/** False only when the node certainly has no validations. @internal */
export function mayHaveValidations(c: IConstruct): boolean {
  return !reliable() || (fields(c)._validations?.length ?? 0) > 0;
}

/** False only when the node certainly has no metadata. @internal */
export function mayHaveMetadata(c: IConstruct): boolean {
  if (!reliable()) return true;
  const list = fields(c)._metadata;
  return !Array.isArray(list) || list.length > 0;
}
