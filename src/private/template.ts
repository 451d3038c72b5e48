/**
 * Hands an already-validated construct to the next constructor of its class, so that a construct
 * declared the same way in many charts (a mesh's rule in every client cluster) is validated once:
 * the constructor takes the template only when it is given the very props object the template
 * was registered with, and only during that one call. @internal
 */
export class Templates<T> {
  private pending?: { readonly template: T; readonly props: object };

  /** Runs `make` (which constructs with `props`) with `template` on offer to that constructor. */
  public run<R>(template: T, props: object, make: () => R): R {
    this.pending = { template, props };
    try {
      return make();
    } finally {
      this.pending = undefined;
    }
  }

  /** The template on offer for these props (once), or undefined: validate as usual. */
  public take(props: unknown): T | undefined {
    const p = this.pending;
    this.pending = undefined;
    return p !== undefined && p.props === props ? p.template : undefined;
  }
}
