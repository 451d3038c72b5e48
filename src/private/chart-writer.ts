/**
 * Writes a chart's API objects as cdk8s' `Yaml.save(file, objects.map((o) => o.toJson()))` would,
 * a slice of objects at a time, so only one slice's JSON and YAML are alive at once (they die
 * young instead of piling up in the old generation until the next full GC).
 *
 * A mesh writes the same rule into every client cluster's chart, so most documents of a large
 * mesh occur once per cluster: the YAML of each object whose resolved data has a memo key
 * (`ObjectRenderer.prepare`) is kept, within a budget, and reused for the next object with the
 * same key, skipping its conversion and emission. Equal keys mean equal `toJson()` output, and
 * the emitter writes equal documents identically (the output has no shared objects, so no YAML
 * anchors). @internal
 */
import * as fs from 'fs';
import { ApiObject } from 'cdk8s';
import { ObjectRenderer } from './object-json';
import { renderDocs } from './yaml-emitter';

/** Objects per slice. */
const SLICE = 256;

/** Characters of keys and bytes of YAML the memo holds at most. */
const MEMO_BUDGET = 64 * 1024 * 1024;

/** Between documents, as cdk8s joins them. */
const SEPARATOR = Buffer.from('---\n', 'utf8');

/** The YAML of objects already written (UTF-8, ready to write), by memo key; one per synth. @internal */
export class YamlMemo {
  /** Documents found in the memo, and documents rendered. */
  public readonly stats = { hits: 0, misses: 0 };
  private readonly docs = new Map<string, Buffer>();
  private size = 0;

  /** Whether keys are worth computing: memo not full, or it has been finding documents. */
  public get useful(): boolean {
    return this.size < MEMO_BUDGET || this.stats.hits * 4 >= this.stats.misses;
  }

  public get(key: string): Buffer | undefined {
    return this.docs.get(key);
  }

  public set(key: string, yaml: Buffer): void {
    if (this.size + key.length + yaml.length > MEMO_BUDGET) return;
    this.docs.set(key, yaml);
    this.size += key.length + yaml.length;
  }
}

/** Writes the objects' documents, joined by `---\n`, to an open file descriptor. @internal */
export function writeObjects(fd: number, objects: ApiObject[], renderer: ObjectRenderer, memo: YamlMemo): void {
  for (let start = 0; start < objects.length; start += SLICE) {
    const end = Math.min(objects.length, start + SLICE);
    const parts: Buffer[] = new Array(end - start);
    const docs: unknown[] = [];
    const at: number[] = [];
    const keys: Array<string | undefined> = [];
    const withKey = memo.useful;
    for (let i = start; i < end; i++) {
      const prepared = renderer.prepare(objects[i], withKey);
      const key = prepared.key;
      const known = key === undefined ? undefined : memo.get(key);
      if (known !== undefined) {
        parts[i - start] = known;
        memo.stats.hits++;
      } else {
        docs.push(prepared.json());
        at.push(i - start);
        keys.push(key);
        memo.stats.misses++;
      }
    }
    const rendered = renderDocs(docs);
    docs.length = 0;
    for (let j = 0; j < rendered.length; j++) {
      // each document is a whole string: no UTF-16 surrogate pair is split
      const bytes = Buffer.from(rendered[j], 'utf8');
      parts[at[j]] = bytes;
      const key = keys[j];
      if (key !== undefined) memo.set(key, bytes);
    }
    const list: Buffer[] = [];
    parts.forEach((p, i) => {
      if (start + i > 0) list.push(SEPARATOR);
      list.push(p);
    });
    writeAll(fd, list);
  }
}

/** Writes the buffers in order (one writev; a partial write finishes with plain writes). */
function writeAll(fd: number, list: Buffer[]): void {
  let total = 0;
  for (const b of list) total += b.length;
  const written = fs.writevSync(fd, list);
  if (written >= total) return;
  const rest = Buffer.concat(list).subarray(written);
  let done = 0;
  while (done < rest.length) done += fs.writeSync(fd, rest, done, rest.length - done);
}
