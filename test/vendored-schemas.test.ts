// The schema data the suite validates against is vendored, unmodified, with its provenance
// (schemas/README.md, schemas/sources.json): a fresh clone has everything its tests need.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const SCHEMAS = path.join(ROOT, 'schemas');
const sources: Record<string, { repo: string; ref: string; path: string; sha256: string }> =
  JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'sources.json'), 'utf8'));

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

describe('vendored schemas', () => {
  test.each(Object.keys(sources))('%s is unmodified (SHA-256 as recorded) and has a source', (file) => {
    const entry = sources[file];
    expect(entry.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(entry.ref).not.toBe('');
    expect(entry.path).not.toBe('');
    const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(SCHEMAS, file))).digest('hex');
    expect(sha).toBe(entry.sha256);
  });

  test('every data file is recorded in sources.json and every folder carries the upstream LICENSE', () => {
    const data = filesUnder(SCHEMAS).map((f) => path.relative(SCHEMAS, f).split(path.sep).join('/'))
      .filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'sources.json');
    expect(data.sort()).toEqual(Object.keys(sources).sort());
    for (const dir of new Set(data.map((f) => path.dirname(f)))) {
      expect(fs.readFileSync(path.join(SCHEMAS, dir, 'LICENSE'), 'utf8')).toContain('Apache License');
    }
  });

  test('no source, test, script or project file reads a folder outside the repository', () => {
    const checked = ['src', 'test', 'scripts', 'bench', 'examples'].flatMap((d) => filesUnder(path.join(ROOT, d)))
      .filter((f) => /\.(ts|js|json|ya?ml|sh)$/.test(f) && !f.includes('node_modules') && !f.includes(`${path.sep}dist${path.sep}`))
      .concat([path.join(ROOT, '.projenrc.ts'), path.join(ROOT, '.ci', 'run')]);
    const needle = ['..', 'shared'].join('/'); // spelled so that this file does not match itself
    const offenders = checked.filter((f) => fs.readFileSync(f, 'utf8').includes(needle));
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
