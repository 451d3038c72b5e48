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
