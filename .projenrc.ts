import { cdk8s, javascript } from 'projen';

/**
 * cdk8s-istio-multicluster: the project definition.
 *
 * Decisions recorded here (see docs/architecture.md for the reasons):
 * - generated Istio bindings live in the top-level `imports/` folder, so jsii compiles with
 *   `rootDir: "."` and the entry point is `lib/src/index.js`;
 * - snapshots are never rewritten by `test` (only by `test:update`);
 * - jest 29 and eslint-import-resolver-typescript 3.6 keep `unrs-resolver` (whose platform
 *   binaries this registry mirror lacks) out of the lockfile, so `npm ci` works.
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
  cdk8sVersion: '2.68.12',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  devDeps: [
    'cdk8s-cli',
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
  entrypoint: 'lib/src/index.js',
  bin: { 'cdk8s-istio-multicluster': 'lib/src/cli.js' },
  entrypointTypes: 'lib/src/index.d.ts',
  excludeTypescript: ['test/**', 'examples/**', 'bench/**', 'scripts/**', 'projenrc/**', '.projenrc.ts'],
  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/'],
      testTimeout: 120_000,
    },
  },
  // jsii compiles the top-level `imports/` folder only with rootDir "." (entry point lib/src).
  tsconfig: {
    include: ['imports/**/*.ts'],
    compilerOptions: { rootDir: '.' },
  },
  tsconfigDev: {
    include: ['imports/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    compilerOptions: {},
  },
  gitignore: ['examples/*/dist/', 'examples/.build/', '/bench/out/', '.jsii.tabl.json'],

});

project.npmignore?.exclude('/examples/', '/bench/', '/scripts/', '/docs/', '/.ci/', '/imports/', '/CONTRIBUTING.md');

// jsii entry point types (JsiiProject otherwise writes lib/index.d.ts).
project.package.addField('types', 'lib/src/index.d.ts');
// Keep unrs-resolver (platform binaries missing on this registry mirror) out of the lockfile.
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');

// Snapshots are written only by `test:update` (`jest -u`); `test` runs `jest --ci`, which fails
// on a missing or changed snapshot.
project.tasks.tryFind('test:update')?.reset('jest -u', { receiveArgs: true });

// jsii prints a large end-of-life banner on Node 20, the machines' version.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// Generated code is never linted or edited by hand.
project.eslint?.addIgnorePattern('imports/');

// `npx projen import`: regenerate the Istio bindings from the CRD bundle.
// ISTIO_CRDS points at the upstream `manifests/charts/base/files/crd-all.gen.yaml` of the
// Istio release; it defaults to the copy in ../shared.
project.addTask('import', {
  description: 'Regenerate imports/ from the Istio CRD bundle (env ISTIO_CRDS, default ../shared/schemas/istio/1.30.3/crd-all.gen.yaml)',
  exec: 'node scripts/import-istio.js',
});

// `npx projen synth:example`: the bundled example, one YAML file per cluster.
project.addTask('synth:example', {
  description: 'Synthesize examples/hybrid-gke-onprem to examples/hybrid-gke-onprem/dist/<cluster>.k8s.yaml',
  cwd: 'examples/hybrid-gke-onprem',
  exec: 'cdk8s synth --no-check-upgrade',
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
