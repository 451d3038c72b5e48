import { Errors } from '../../src';
import type { ValidationError } from '../../src/errors';

/**
 * Runs `fn` (construction and synthesis) and returns the library's error message. Fails the test
 * when `fn` succeeds or throws anything but the library's ValidationError (a TypeError, a
 * RangeError, or an error of cdk8s): `Errors.isValidationError`, never the message text, decides.
 */
export function errorOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (!Errors.isValidationError(e)) {
      throw new Error(`expected the library's ValidationError, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e)}`);
    }
    expect(e.construct).toMatch(/^[A-Za-z.()]+$/);
    expect(e.field.length).toBeGreaterThan(0);
    return e.message;
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
