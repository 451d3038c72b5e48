import { cdk8s, javascript } from 'projen';

/**
 * cdk8s-istio-multicluster: the project definition.
 *
 * Decisions recorded here (see docs/architecture.md for the reasons):
 * - generated Istio bindings live in `src/imports/` and are never exported (the public API has
 *   its own types), so a CRD regeneration is not an API change;
 * - peer ranges keep the oldest cdk8s/constructs we support; the build and tests use the newest;
 * - cdk8s-plus-27 is a private dependency (its `k8s` bindings build the core objects) and no
 *   cdk8s-plus type appears in the public API, so apps on any cdk8s-plus version can use it;
 * - `test` never rewrites anything: snapshots only change with `test:update`, lint fixes only with
 *   `lint:fix`;
 * - jest 29 and eslint-import-resolver-typescript 3.6 keep `unrs-resolver` (whose optional platform
 *   binaries npm ci would otherwise demand for every platform) out of the lockfile.
 */
const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio-multicluster',
  description: 'Declare an Istio multi-cluster mesh once; synthesize one validated cdk8s chart per cluster, with an explanation of where traffic goes.',
  author: 'cdk8s-istio-multicluster maintainers',
  authorAddress: 'maintainers@cdk8s-istio-multicluster.dev',
  repositoryUrl: 'https://github.com/cdk8s-istio-multicluster/cdk8s-istio-multicluster.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'istio', 'kubernetes', 'multicluster', 'service-mesh'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  // Peer floors: the oldest versions we support. The dev copies below are the newest.
  cdk8sVersion: '2.68.12',
  constructsVersion: '10.3.0',
  peerDependencyOptions: { pinnedDevDependency: false },
  deps: ['cdk8s-plus-27@^2.9.5'],
  devDeps: [
    'cdk8s@2.70.106',
    'constructs@10.8.1',
    'cdk8s-cli',
    'cdk8s-plus-33@2.5.57',
    'ajv@^8',
    'ajv-formats@^3',
    'yaml@^2',
    '@bufbuild/cel@^0.6.1',
    'fast-check@^4',
  ],
  // Nothing here can reach GitHub or other registries: no workflows, releases or upgrades
  // until publishing is set up.
  github: false,
  release: false,
  depsUpgrade: false,
  bin: { 'cdk8s-istio-multicluster': 'lib/cli.js' },
  excludeTypescript: ['test/**', 'examples/**', 'bench/**', 'scripts/**', 'projenrc/**', '.projenrc.ts'],
  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
      testTimeout: 120_000,
    },
  },
  tsconfigDev: {
    include: ['examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    compilerOptions: {},
  },
  eslintOptions: { dirs: ['src'], commandOptions: { fix: false }, ignorePatterns: ['test/consumer/'] },
  gitignore: ['examples/*/dist/', 'examples/.build/', '/bench/out/', '.jsii.tabl.json'],

});

project.npmignore?.exclude('/examples/', '/bench/', '/scripts/', '/docs/', '/.ci/', '/schemas/', '/CONTRIBUTING.md');
project.gitattributes.addAttributes('/schemas/**', 'linguist-vendored');
project.package.addVersion('0.1.0');

// Keep unrs-resolver (optional platform binaries) out of the lockfile.
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');

// `test` reports lint errors and never rewrites sources (eslintOptions.commandOptions.fix: false
// above); `lint:fix` applies eslint's fixes.
project.addTask('lint:fix', {
  description: 'Apply eslint fixes to the sources',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: 'eslint --ext .ts,.tsx --fix --no-error-on-unmatched-pattern src test projenrc .projenrc.ts',
});

// Snapshots are written only by `test:update` (`jest -u`); `test` runs `jest --ci`, which fails
// on a missing or changed snapshot.
project.tasks.tryFind('test:update')?.reset('jest -u', { receiveArgs: true });

// The dev copies of cdk8s/constructs are deliberately newer than the peer floors (JSII6).
project.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');

// jsii prints a large end-of-life banner on Node 20, the machines' version.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// Generated code is never linted or edited by hand.
project.eslint?.addIgnorePattern('src/imports/');

// `npx projen import`: regenerate the Istio bindings from the CRD bundle.
// ISTIO_CRDS points at the upstream `manifests/charts/base/files/crd-all.gen.yaml` of an
// Istio release; it defaults to the vendored copy in schemas/.
project.addTask('import', {
  description: 'Regenerate src/imports/ from the Istio CRD bundle (env ISTIO_CRDS, default schemas/istio/1.30.3/crd-all.gen.yaml)',
  exec: 'node scripts/import-istio.js',
});

// `npx projen schemas:refresh -- <file under schemas/> <url-or-path> [--repo --ref --commit --path]`
project.addTask('schemas:refresh', {
  description: 'Replace one vendored schema file with an upstream copy and record its source and SHA-256 (schemas/sources.json)',
  exec: 'node scripts/refresh-schemas.js',
  receiveArgs: true,
});

// `npx projen synth:example`: the bundled example, one YAML file per cluster.
project.addTask('synth:example', {
  description: 'Synthesize examples/hybrid-gke-onprem to examples/hybrid-gke-onprem/dist/<cluster>.k8s.yaml',
  cwd: 'examples/hybrid-gke-onprem',
  exec: 'cdk8s synth --no-check-upgrade',
});

// `npx projen synth:examples`: every example with `cdk8s synth`, as a user would run it (CI runs it).
project.addTask('synth:examples', {
  description: 'Synthesize every example under examples/ with cdk8s synth (each into its own dist/)',
  steps: ['hybrid-gke-onprem', 'tokyo-osaka', 'gateway-api-eks-aks', 'ambient-multinetwork'].map((example) => ({
    exec: 'cdk8s synth --no-check-upgrade', cwd: `examples/${example}`,
  })),
});

// `npx projen explain -- --service echo-svc.default --from onprem --drained onprem=2`
project.addTask('explain', {
  description: 'Ask the explain engine one question about the bundled example (flags as for the CLI)',
  exec: 'node -r ts-node/register/transpile-only src/cli.ts explain examples/hybrid-gke-onprem/main.ts',
  receiveArgs: true,
});

// The compiled path: tsc once, then plain node (no CLI, no ts-node): ~0.3 s per synth.
project.addTask('synth:example:fast', {
  description: 'Compile the examples with tsc and synthesize examples/hybrid-gke-onprem with plain node',
  steps: [
    { exec: 'tsc -p examples/tsconfig.json' },
    { exec: 'CDK8S_OUTDIR=examples/hybrid-gke-onprem/dist node examples/.build/examples/hybrid-gke-onprem/main.js' },
  ],
});

project.addTask('bench', {
  description: 'Benchmark the library against raw ApiObjects and plain YAML (writes docs/benchmarks.md)',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/bench.ts',
  receiveArgs: true,
});

project.synth();
