// The module seams docs/architecture.md describes, kept true by a test: the explain engine does not
// import the construct layer, internals live in src/private/, and no two modules import each other
// at run time.
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'imports' ? [] : sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a module: { target file, type-only }. */
function importsOf(file: string): Array<{ target: string; typeOnly: boolean }> {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export) (type )?(?:\{[^}]*\}|\* as \w+) from '(\.[^']+)';/gm)].map((m) => ({
    target: path.relative(SRC, path.resolve(path.dirname(file), m[2]) + (fs.existsSync(path.resolve(path.dirname(file), m[2]) + '.ts') ? '.ts' : '/index.ts')),
    typeOnly: m[1] !== undefined,
  }));
}

describe('module seams', () => {
  const files = sources(SRC);

  test('src/explain/ imports no construct: only the explain model, labels, locality and version types and src/private/', () => {
    const allowed = /^(explain\/|private\/|labels\.ts$|locality\.ts$|versions\.ts$)/;
    const offending = files.filter((f) => path.relative(SRC, f).startsWith('explain/'))
      .flatMap((f) => importsOf(f).filter((i) => !allowed.test(i.target)).map((i) => `${path.relative(SRC, f)} → ${i.target}`));
    expect(offending).toEqual([]);
  });

  test('the constructs that take a gateway import its reference, not the gateway construct', () => {
    for (const f of ['cross-network-gateway.ts', 'network-label.ts', 'gateway-reference.ts', 'gateway-options.ts']) {
      expect(importsOf(path.join(SRC, f)).map((i) => i.target)).not.toContain('east-west-gateway.ts');
    }
  });

  test('no import cycle between modules at run time (type-only imports aside)', () => {
    const graph = new Map(files.map((f) => [path.relative(SRC, f), importsOf(f).filter((i) => !i.typeOnly).map((i) => i.target)]));
    const cycles: string[] = [];
    const visit = (node: string, stack: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (stack.includes(next)) cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else visit(next, [...stack, next]);
      }
    };
    for (const start of graph.keys()) visit(start, [start]);
    expect(cycles).toEqual([]);
  });
});
