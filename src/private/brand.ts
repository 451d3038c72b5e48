/**
 * Type brands: `Symbol.for` keys set on instances, so that a check also recognises an object made
 * by another copy of this package (two versions in one app, or TypeScript sources next to the
 * compiled library), where `instanceof` would say no. cdk8s' `Chart.isChart` works the same way.
 * @internal
 */

/** The brand symbol of a type of this package. @internal */
export function brandSymbol(type: string): symbol {
  return Symbol.for(`cdk8s-istio-multicluster.${type}`);
}

/** Marks `obj` with the brand (not enumerable, not writable). @internal */
export function setBrand(obj: object, brand: symbol): void {
  Object.defineProperty(obj, brand, { value: true });
}

/** Whether `x` carries the brand. @internal */
export function hasBrand(x: unknown, brand: symbol): boolean {
  return x !== null && typeof x === 'object' && (x as { [key: symbol]: unknown })[brand] === true;
}
