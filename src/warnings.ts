import { IConstruct } from 'constructs';
import { validationError } from './private/invalid';
import { mayHaveMetadata } from './private/node-fields';
import { subtree } from './private/tree';

const WARNING_METADATA = 'cdk8s-istio-multicluster/warning';
const PRINTER = Symbol.for('cdk8s-istio-multicluster.warningPrinter');


/**
 * A setting Istio accepts that almost certainly does not do what was meant (failover that can
 * never happen, a zone outside its region, a gateway exposing every service). Warnings do not
 * stop synth: they are printed once to stderr when the App synthesizes, listed in the traffic
 * report, and readable with `Warnings.of(scope)` or `MultiClusterMesh.warnings`. Turn them into
 * errors with `strict` (see `Warnings.STRICT_CONTEXT`).
 */
export interface ValidationWarning {
  /** The construct path (`node.path`) of the construct the warning is about. */
  readonly constructPath: string;
  /** The construct or class, e.g. `MultiClusterMesh`. */
  readonly construct: string;
  /** The field, e.g. `clusters[1].zones[0]`. */
  readonly field: string;
  /** The value as rendered in the message. */
  readonly value: string;
  /** What is probably wrong. */
  readonly reason: string;
  /** What to do about it. */
  readonly suggestion: string;
  /** The whole warning in one line: `[path] Construct.field: value: reason. Suggestion: ...`. */
  readonly message: string;
}

/** The warning channel: every construct of this library records its warnings here. */
export class Warnings {
  /**
   * Context key that turns warnings into errors for every construct below the scope it is set on
   * (`app.node.setContext(Warnings.STRICT_CONTEXT, true)` before adding charts; `MultiClusterMesh`
   * sets it on its charts with `strict: true`). A warning then throws the library's
   * `ValidationError` at the line that caused it.
   */
  public static readonly STRICT_CONTEXT = 'cdk8s-istio-multicluster:strict';

  /** The warnings recorded on `scope` and every construct below it, in construction order. */
  public static of(scope: IConstruct): ValidationWarning[] {
    const out: ValidationWarning[] = [];
    for (const c of subtree(scope)) {
      if (!mayHaveMetadata(c)) continue;
      for (const m of c.node.metadata) if (m.type === WARNING_METADATA) out.push(m.data as ValidationWarning);
    }
    return out;
  }

  private constructor() {}
}

/**
 * Records a warning on `scope`, or throws it as a `ValidationError` when `strict` is on for the
 * scope (context `Warnings.STRICT_CONTEXT`). The first warning in an App also registers a check on
 * the App that prints every warning once to stderr when it synthesizes. @internal
 */
export function warn(scope: IConstruct, construct: string, field: string, value: unknown, reason: string, suggestion: string): void {
  if (scope.node.tryGetContext(Warnings.STRICT_CONTEXT) === true) {
    throw validationError(scope, construct, field, value, `${reason} (a warning, an error because strict mode is on)`, suggestion);
  }
  const e = validationError(scope, construct, field, value, reason, suggestion);
  const warning: ValidationWarning = {
    constructPath: e.constructPath,
    construct,
    field,
    value: e.value,
    reason,
    suggestion,
    message: `[${e.constructPath}] ${construct}.${field}: ${e.value}: ${reason}. Suggestion: ${suggestion}`,
  };
  scope.node.addMetadata(WARNING_METADATA, warning);
  registerPrinter(scope.node.root);
}

function registerPrinter(root: IConstruct): void {
  const holder = root as unknown as { [PRINTER]?: Set<string> };
  if (holder[PRINTER]) return;
  const printed = new Set<string>();
  Object.defineProperty(holder, PRINTER, { value: printed });
  // cdk8s validates every construct before it writes any file (and again per chart): print each
  // warning once, whenever the App synthesizes.
  root.node.addValidation({
    validate: () => {
      for (const w of Warnings.of(root)) {
        if (printed.has(w.message)) continue;
        printed.add(w.message);
        process.stderr.write(`[WARNING] ${w.message}\n`);
      }
      return [];
    },
  });
}
