#!/usr/bin/env node
// Refreshes one vendored schema file from an upstream URL or a local file, unmodified, and records
// its source and SHA-256 in schemas/sources.json (which test/vendored-schemas.test.ts checks).
//
//   npx projen schemas:refresh -- <file under schemas/> <url-or-path> [--repo owner/name] [--ref tag] [--commit sha] [--path upstream/path]
//
// Example:
//   npx projen schemas:refresh -- istio/1.30.3/crd-all.gen.yaml \
//     https://raw.githubusercontent.com/istio/istio/1.30.3/manifests/charts/base/files/crd-all.gen.yaml \
//     --repo istio/istio --ref 1.30.3 --path manifests/charts/base/files/crd-all.gen.yaml
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');

const root = path.resolve(__dirname, '..');
const schemas = path.join(root, 'schemas');
const sourcesFile = path.join(schemas, 'sources.json');

const USAGE = 'usage: npx projen schemas:refresh -- <file under schemas/, e.g. istio/1.30.3/crd-all.gen.yaml> <url-or-path> [--repo owner/name] [--ref tag] [--commit sha] [--path upstream/path]';

function fail(message) {
  console.error(`schemas:refresh: ${message}`);
  process.exit(1);
}

async function main() {
  let parsed;
  try {
    // projen passes the `--` of `npx projen schemas:refresh -- …` through; drop it.
    const args = process.argv.slice(2);
    if (args[0] === '--') args.shift();
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { repo: { type: 'string' }, ref: { type: 'string' }, commit: { type: 'string' }, path: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (e) {
    fail(e.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 2) {
    fail(USAGE);
  }
  const [target, from] = positionals;
  const dest = path.resolve(schemas, target);
  if (!dest.startsWith(schemas + path.sep) || !/\.(ya?ml|json)$/.test(dest)) {
    fail(`${target}: not a .yaml/.json file under schemas/`);
  }

  let data;
  if (/^https?:\/\//.test(from)) {
    const res = await fetch(from);
    if (!res.ok) fail(`${from}: HTTP ${res.status}`);
    data = Buffer.from(await res.arrayBuffer());
  } else {
    if (!fs.existsSync(from)) fail(`${from}: no such file`);
    data = fs.readFileSync(from);
  }
  if (dest.endsWith('.json')) JSON.parse(data.toString('utf8')); // refuse an HTML error page saved as JSON
  else if (!/^(#.*\n|---\s*\n)*(apiVersion|kind):/m.test(data.toString('utf8'))) fail(`${from}: does not look like a Kubernetes YAML manifest`);

  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, data);
  const sha256 = crypto.createHash('sha256').update(data).digest('hex');
  const sources = fs.existsSync(sourcesFile) ? JSON.parse(fs.readFileSync(sourcesFile, 'utf8')) : {};
  const key = path.relative(schemas, dest).split(path.sep).join('/');
  const previous = sources[key] ?? {};
  const entry = { ...previous };
  for (const k of ['repo', 'ref', 'commit', 'path']) if (values[k] !== undefined) entry[k] = values[k];
  if (/^https?:\/\//.test(from)) entry.url = from;
  entry.sha256 = sha256;
  sources[key] = entry;
  const sorted = Object.fromEntries(Object.keys(sources).sort().map((k) => [k, sources[k]]));
  fs.writeFileSync(sourcesFile, JSON.stringify(sorted, null, 2) + '\n');
  if (!fs.existsSync(path.join(path.dirname(dest), 'LICENSE'))) {
    console.warn(`schemas:refresh: add the upstream LICENSE beside ${key}`);
  }
  console.log(`schemas:refresh: ${key} (${data.length} bytes, sha256 ${sha256.slice(0, 12)}) from ${from}; update schemas/README.md if the source changed`);
}

main().catch((e) => fail(e.message));
