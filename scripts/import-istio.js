#!/usr/bin/env node
// Regenerates the typed Istio bindings in src/imports/ from an Istio CRD bundle. They are internal:
// src/index.ts never exports them, so a CRD regeneration is not an API change.
//
//   ISTIO_CRDS=/path/to/crd-all.gen.yaml npx projen import
//
// ISTIO_CRDS defaults to the vendored schemas/istio/1.30.3/crd-all.gen.yaml (Istio's own
// `manifests/charts/base/files/crd-all.gen.yaml`, see schemas/README.md); point it at another
// release's bundle to try that release. Only the served `v1` version of the kinds below is imported: the library emits
// networking.istio.io/v1 and security.istio.io/v1 and nothing else.
//
// The Gateway API `Gateway` (gateway.networking.k8s.io/v1) comes from the vendored Gateway API
// standard CRDs (GATEWAY_API_CRDS, default schemas/gateway-api/v1.5.1/gateway.networking.k8s.io_gateways.yaml).
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const source = process.env.ISTIO_CRDS ?? path.resolve(root, 'schemas/istio/1.30.3/crd-all.gen.yaml');
const gatewayApiSource = process.env.GATEWAY_API_CRDS ?? path.resolve(root, 'schemas/gateway-api/v1.5.1/gateway.networking.k8s.io_gateways.yaml');
const KINDS = {
  'networking.istio.io': ['DestinationRule', 'VirtualService', 'Gateway'],
  'gateway.networking.k8s.io': ['Gateway'],
};
const VERSION = 'v1';

if (!fs.existsSync(source)) {
  console.error(`import-istio: CRD bundle not found at ${source}; set ISTIO_CRDS to Istio's crd-all.gen.yaml`);
  process.exit(1);
}

const docs = [source, gatewayApiSource]
  .flatMap((file) => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON()).filter(Boolean));
const selected = [];
for (const crd of docs) {
  if (crd.kind !== 'CustomResourceDefinition') continue;
  const kinds = KINDS[crd.spec.group];
  if (!kinds || !kinds.includes(crd.spec.names.kind)) continue;
  const versions = crd.spec.versions.filter((v) => v.name === VERSION);
  if (versions.length !== 1) throw new Error(`${crd.spec.names.kind}: no ${VERSION} version in ${source}`);
  selected.push({ ...crd, spec: { ...crd.spec, versions } });
}
const found = selected.map((c) => c.spec.names.kind);
const missing = Object.entries(KINDS).flatMap(([group, kinds]) => kinds.filter((k) => !selected.some((c) => c.spec.group === group && c.spec.names.kind === k)));
if (missing.length) throw new Error(`import-istio: ${missing.join(', ')} not in ${source}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-crds-'));
// one file per API group: cdk8s import writes one module per group
const filtered = Object.keys(KINDS).map((group) => {
  const file = path.join(tmp, `${group}.yaml`);
  fs.writeFileSync(file, selected.filter((c) => c.spec.group === group).map((c) => YAML.stringify(c)).join('---\n'));
  return file;
});

const outdir = path.join(root, 'src', 'imports');
fs.rmSync(outdir, { recursive: true, force: true });
for (const file of filtered) {
  execFileSync('npx', ['cdk8s', 'import', '--no-check-upgrade', '--no-save', '-l', 'typescript', '-o', outdir, file], {
    cwd: root, stdio: 'inherit',
  });
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`import-istio: ${found.join(', ')} (${VERSION}) from ${source} and ${gatewayApiSource} -> src/imports/`);
