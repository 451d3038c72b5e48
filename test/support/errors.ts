import { Errors } from '../../src';
import type { ValidationError } from '../../src/errors';

/**
 * Runs `fn` (construction and synthesis) and returns the library's error message. Fails the test
 * when `fn` succeeds or throws a TypeError/RangeError instead of a validation error.
 */
export function errorOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).not.toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(RangeError);
    return (e as Error).message;
  }
  throw new Error('expected a validation error');
}

/**
 * Runs `fn` and returns the library's ValidationError it throws, recognised by
 * `Errors.isValidationError` (not by its text). Fails when `fn` succeeds or throws anything else.
 */
export function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (Errors.isValidationError(e)) return e;
    throw new Error(`expected the library's ValidationError, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e)}`);
  }
  throw new Error('expected a validation error');
}
