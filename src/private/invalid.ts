/**
 * The one error format: `invalid` throws the library's `ValidationError`
 * (`[path] Construct.field: value is invalid: reason. Valid: ...`), `addSynthCheck` throws it from
 * checks that run at synth, `show` renders a user value for a message without ever throwing.
 * @internal
 */
import { IConstruct } from 'constructs';
import { Errors, ValidationError } from '../errors';

/**
 * Throws the library's validation error: `[path] Construct.field: value is invalid: reason.
 * Valid: ...`. Never a TypeError; always names construct, field, value and what is valid.
 * @internal
 */
export function invalid(scope: IConstruct | string, construct: string, field: string, value: unknown, reason: string, valid?: string): never {
  throw validationError(scope, construct, field, value, reason, valid);
}

/** The {@link ValidationError} `invalid` throws, for callers that collect several. @internal */
export function validationError(
  scope: IConstruct | string, construct: string, field: string, value: unknown, reason: string, valid?: string,
): ValidationError {
  return errorWithShownValue(typeof scope === 'string' ? scope : scope.node.path || '<root>', construct, field, show(value), reason, valid);
}

/** The one place the message is formatted, for a value already rendered by `show`. */
function errorWithShownValue(
  constructPath: string, construct: string, field: string, shown: string, reason: string, valid?: string,
): ValidationError {
  return new ValidationError({
    constructPath,
    construct,
    field,
    value: shown,
    reason,
    valid,
    message: `[${constructPath}] ${construct}.${field}: ${shown} is invalid: ${reason}${valid ? `. Valid: ${valid}` : ''}`,
  });
}

/**
 * Adds a check that runs at synth (for rules that need the whole chart) and throws the first
 * {@link ValidationError} it finds, with the others appended to the message, so a failed synth is
 * still recognised by `Errors.isValidationError`. @internal
 */
export function addSynthCheck(scope: IConstruct, check: () => ValidationError[]): void {
  scope.node.addValidation({
    validate: () => {
      const errors = check();
      if (errors.length === 0) return [];
      const [first, ...rest] = errors;
      if (rest.length === 0) throw first;
      throw new ValidationError({ ...first, message: [first.message, ...rest.map((e) => e.message)].join('\n') });
    },
  });
}

/** Renders a user value for an error message, without ever throwing (cycles, BigInt, symbols). @internal */
/** A value described instead of shown (it may hold a secret): rendered as its description, unquoted. @internal */
export class Undisclosed {
  public constructor(public readonly description: string) {}
}

/** What a value is, without its content: `<a string of 12 characters, not shown>`, `<an object>`. @internal */
export function undisclosed(value: unknown): Undisclosed {
  if (typeof value === 'string') return new Undisclosed(`<a string of ${value.length} character${value.length === 1 ? '' : 's'}, not shown>`);
  if (Array.isArray(value)) return new Undisclosed(`<a list of ${value.length}>`);
  if (value === null) return new Undisclosed('<null>');
  return new Undisclosed(`<${typeof value === 'object' ? 'an object' : `a ${typeof value}`}>`);
}

export function show(value: unknown): string {
  if (value instanceof Undisclosed) return value.description;
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
    return s.length > 200 ? s.slice(0, 200) + '…' : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Runs `fn`, which builds an inner construct from the caller's input, and reports the inner
 * construct's validation error against the caller's construct and field instead: a mistake made
 * through `MultiClusterMesh` names `MeshService.addService("echo").failover.outlierDetection...`,
 * not the `LocalityFailoverRule` the mesh created. Only errors whose field `owns` says came from
 * the caller's input are translated; others pass unchanged. @internal
 */
export function asCaller<T>(scope: IConstruct, construct: string, prefix: string, owns: (field: string) => string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const inner = e as ValidationError;
    const field = Errors.isValidationError(e) ? owns(inner.field) : undefined;
    if (field === undefined) throw e;
    throw errorWithShownValue(scope.node.path || '<root>', construct, field ? `${prefix}.${field}` : prefix, inner.value, inner.reason, inner.valid);
  }
}
