import { brandSymbol, hasBrand, setBrand } from './private/brand';

const VALIDATION_ERROR = brandSymbol('ValidationError');

/**
 * The error every construct of this library throws for bad input, at the line that declares it
 * (or, for checks that need the whole chart, at synth). Its message is
 * `[<construct path>] <Construct>.<field>: <value> is invalid: <reason>. Valid: <what would be>`;
 * the same parts are fields, so nothing has to parse the text.
 *
 * Tell it from a bug with `Errors.isValidationError(e)`, which also recognises an error thrown by
 * another copy of this package (`instanceof` would not).
 *
 * A TypeScript/JavaScript type only, reached through `Errors.isValidationError` (as aws-cdk-lib
 * does): jsii cannot export a subclass of `Error`, and other languages see the message, which
 * their jsii runtime wraps like every JavaScript error.
 */
export class ValidationError extends Error {
  /** The construct path (`node.path`), or the API entry point when there is no construct. */
  public readonly constructPath: string;
  /** The construct or class whose input is wrong, e.g. `LocalityFailoverRule`. */
  public readonly construct: string;
  /** The field, with its position in lists, e.g. `failover[0].to`. */
  public readonly field: string;
  /** The bad value as rendered in the message (never a secret: tokens are described, not shown). */
  public readonly value: string;
  /** Why it is invalid (for rules istiod enforces, istiod's own words). */
  public readonly reason: string;
  /** What would be valid, when it can be said. */
  public readonly valid?: string;

  public constructor(props: ValidationErrorParts) {
    super(props.message);
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'ValidationError';
    this.constructPath = props.constructPath;
    this.construct = props.construct;
    this.field = props.field;
    this.value = props.value;
    this.reason = props.reason;
    this.valid = props.valid;
    setBrand(this, VALIDATION_ERROR);
  }
}

/** What a {@link ValidationError} is made of. */
interface ValidationErrorParts {
  readonly constructPath: string;
  readonly construct: string;
  readonly field: string;
  readonly value: string;
  readonly reason: string;
  readonly valid?: string;
  readonly message: string;
}

/** Helpers for the errors this library throws. */
export class Errors {
  /**
   * Whether `x` is this library's validation error (bad input, named construct and field) rather
   * than a bug. Works across copies of the package: it checks a `Symbol.for` brand, as cdk8s'
   * `Chart.isChart` does, not `instanceof`.
   */
  public static isValidationError(x: any): x is ValidationError {
    return hasBrand(x, VALIDATION_ERROR);
  }

  private constructor() {}
}
