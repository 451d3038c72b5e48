/**
 * Test support: validate synthesized manifests the way the Kubernetes API server (with
 * `kubectl apply --validate=strict`) and Istio's CRD schemas would.
 *
 * Per object it checks:
 *  - routing: apiVersion/kind must map to a schema — a served version of a CRD in Istio's CRD bundle, of a
 *    gateway.networking.k8s.io CRD of the Gateway API GATEWAY_API_RELEASE standard channel, the
 *    install.istio.io/v1alpha1 IstioOperator pseudo-CRD, or a built-in kind of the Kubernetes swagger
 *    definitions. Anything else is an error, never silently skipped;
 *  - defaulting: a CRD's `default`s are applied (to a copy) before validation, as the API server does;
 *  - Istio releases: an object of an Istio CRD group (networking/security/telemetry/extensions.istio.io) is checked
 *    against the CRDs of EVERY release in ISTIO_RELEASES (or the ones `{ istio: [...] }` names), each error
 *    prefixed `[istio <release>] `. Metadata syntax errors and built-in kinds are release-independent (no prefix);
 *    IstioOperator is checked once, against the pseudo-CRD derived from Istio ISTIO_OPERATOR_RELEASE (no prefix);
 *  - structure (ajv): types, enums, bounds, patterns, formats, required fields, oneOf/anyOf;
 *  - unknown fields, like strict field validation: an object schema that neither declares
 *    `additionalProperties` nor `x-kubernetes-preserve-unknown-fields: true` gets `additionalProperties: false`;
 *  - CRD `x-kubernetes-validations` CEL rules, evaluated at their node with `self` bound (transition rules
 *    that use `oldSelf` only run on updates and are skipped; `messageExpression` is used when it yields a message),
 *    with stand-ins for the Kubernetes CEL URL, IP and CIDR libraries (the last two in `cel-kubernetes-net.ts`);
 *  - CRD list semantics: `x-kubernetes-list-type: set|map` items must be unique;
 *  - metadata: validated against ObjectMeta (for custom resources too), name present and valid for the kind,
 *    label/annotation keys and label values syntactically valid.
 *
 * Schemas are the vendored upstream files in `<repo>/schemas` (provenance in `schemas/README.md`), or the folder
 * `$ISTIO_MC_SCHEMAS` names (same layout). Everything is loaded and compiled lazily (a release's bundle only when an
 * object is checked against it) and at most once per module instance (jest gives each test file its own); a CRD
 * schema that is byte-identical across releases is compiled and evaluated once and its errors reported per release.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  celEnv, celFunc, celMethod, CelScalar, isCelError, mapType, parse, plan,
  type CelEnv, type CelFunc, type CelInput, type CelMap, type CelResult,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import Ajv, { type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types';
import addFormats from 'ajv-formats';
import { type Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { isOpenApiIPv4, isOpenApiIPv6, kubernetesCidrLibrary, kubernetesIpLibrary } from './cel-kubernetes-net';

/**
 * The Istio releases whose CRD bundles (`schemas/istio/<release>/crd-all.gen.yaml`) Istio objects are validated
 * against by default: one per line the library targets (IstioVersion.V1_29 / V1_30 / V1_31), oldest first.
 */
export const ISTIO_RELEASES: readonly string[] = ['1.29.6', '1.30.3', '1.31.0-rc.0'];
/** The release whose folder holds `istiooperator.pseudo-crd.yaml` (derived from its operator types; the only one). */
const ISTIO_OPERATOR_RELEASE = '1.30.3';
const KUBERNETES_VERSION = 'v1.34.0';
/** The Gateway API release whose standard-channel CRDs (`schemas/gateway-api/<release>/`) Gateway API objects are checked against. */
export const GATEWAY_API_RELEASE = 'v1.5.1';
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** Where the schema data lives: the vendored copy, or `$ISTIO_MC_SCHEMAS`. */
function schemasDir(): string {
  return process.env.ISTIO_MC_SCHEMAS ?? path.resolve(__dirname, '../../schemas');
}

// ---------------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------------

/** Options of `validateManifest` and the helpers that call it. */
export interface ValidateOptions {
  /**
   * The Istio releases (entries of ISTIO_RELEASES) to check Istio custom resources against, e.g. `['1.31.0-rc.0']`
   * for an object using a field only that release has. Default: every release in ISTIO_RELEASES.
   */
  readonly istio?: readonly string[];
}

let validatedObjects = 0;
const istioChecks = new Map<string, number>();

/** Number of objects `validateManifest` has checked in this module instance (for the conformance report). */
export function validatedObjectCount(): number {
  return validatedObjects;
}

/**
 * How many Istio custom resources were checked against each release's CRDs in this module instance, in
 * ISTIO_RELEASES order (releases nothing was checked against are left out).
 */
export function istioReleaseCheckCounts(): Array<[release: string, objects: number]> {
  return ISTIO_RELEASES.filter(r => istioChecks.has(r)).map(r => [r, istioChecks.get(r)!]);
}

function selectedReleases(options?: ValidateOptions): readonly string[] {
  const releases = options?.istio ?? ISTIO_RELEASES;
  const unknown = releases.filter(r => !ISTIO_RELEASES.includes(r));
  if (releases.length === 0 || unknown.length > 0) {
    throw new Error(`validateManifest: options.istio must name some of ${ISTIO_RELEASES.join(', ')} (got ${JSON.stringify(releases)})`);
  }
  return ISTIO_RELEASES.filter(r => releases.includes(r)); // release order, no duplicates
}

/**
 * Validates one manifest object. Returns the errors, each prefixed with `<kind>/<metadata.name>`, and for an Istio
 * custom resource each schema error with `[istio <release>] ` too (one error per release it occurs in); empty when
 * valid.
 */
export function validateManifest(obj: any, options?: ValidateOptions): string[] {
  const releases = selectedReleases(options);
  validatedObjects++;
  const manifest: unknown = obj;
  if (!isPlainObject(manifest)) {
    return [`<not an object>: a manifest must be a JSON object, got ${describeValue(manifest)}`];
  }
  const meta = manifest.metadata;
  const name = isPlainObject(meta) && typeof meta.name === 'string' && meta.name !== '' ? meta.name : '<no name>';
  const kind = typeof manifest.kind === 'string' && manifest.kind !== '' ? manifest.kind : '<no kind>';
  const apiVersion = typeof manifest.apiVersion === 'string' ? manifest.apiVersion : '';

  const { group } = splitApiVersion(apiVersion);
  const prefix = `${kind}/${name}: `;
  const errors: string[] = [];
  if (apiVersion === '' || kind === '<no kind>') {
    errors.push(`${prefix}apiVersion and kind must be non-empty strings (got apiVersion ${describeValue(manifest.apiVersion)}, kind ${describeValue(manifest.kind)})`);
  } else if (group.includes('.') && releases.some(r => istioRelease(r).index.has(group))) {
    // (A CRD group always contains a dot, so core/apps/batch/... objects never load an Istio bundle.)
    // Releases whose route shares a compiled validator (the same CRD schema) are validated once.
    const results = new Map<ValidateFunction, string[]>();
    let data: unknown;
    for (const release of releases) {
      istioChecks.set(release, (istioChecks.get(release) ?? 0) + 1);
      const route = lookupRoute(istioRelease(release).index, apiVersion, kind, `is not in Istio ${release}'s CRDs`);
      let releaseErrors: string[];
      if (typeof route === 'string') {
        releaseErrors = [route];
      } else {
        const validate = validatorFor(route);
        releaseErrors = results.get(validate) ?? [];
        if (!results.has(validate)) {
          data ??= pruneNulls(manifest);
          if (!validate(data)) releaseErrors = formatAjvErrors(validate.errors ?? [], data);
          results.set(validate, releaseErrors);
        }
      }
      errors.push(...releaseErrors.map(e => `[istio ${release}] ${prefix}${e}`));
    }
  } else {
    const route = group === GATEWAY_API_GROUP
      ? lookupRoute(gatewayApiIndex(kind), apiVersion, kind, `is not in the Gateway API ${GATEWAY_API_RELEASE} standard channel`)
      : lookupRoute(baseIndex(), apiVersion, kind,
        `is in neither the CRDs of Istio ${releases.join(', ')} nor Kubernetes ${KUBERNETES_VERSION}`);
    if (typeof route === 'string') {
      errors.push(prefix + route);
    } else {
      // Custom resources are defaulted from their schema's `default`s before validation, as the API server does.
      const data = route.defaults ? applyDefaults(pruneNulls(manifest), route.defaults) : pruneNulls(manifest);
      const validate = validatorFor(route);
      if (!validate(data)) errors.push(...formatAjvErrors(validate.errors ?? [], data).map(e => prefix + e));
    }
  }
  errors.push(...metadataErrors(manifest, group, kind).map(e => prefix + e));
  return errors;
}

/** Validates every object; returns all errors (empty when all are valid). */
export function validateManifests(objs: any[], options?: ValidateOptions): string[] {
  return objs.flatMap(o => validateManifest(o, options));
}

/** Throws an Error listing every schema error of `objs` (use in jest: the message is the assertion output). */
export function expectValidManifests(objs: any[], options?: ValidateOptions): void {
  const errors = validateManifests(objs, options);
  if (errors.length > 0) {
    throw new Error(`${errors.length} schema error(s) in ${objs.length} manifest(s):\n${errors.map(e => `  - ${e}`).join('\n')}`);
  }
}

/** `Testing.synth(chart)`, then `expectValidManifests`; returns the synthesized objects. */
export function synthValidated(chart: Chart, options?: ValidateOptions): any[] {
  const objs = Testing.synth(chart);
  expectValidManifests(objs, options);
  return objs;
}

/**
 * Throws unless every networking.istio.io object uses `networking.istio.io/v1`. Kinds that some release in
 * ISTIO_RELEASES does not serve as v1 (EnvoyFilter, ProxyConfig: none does) are exempt: they only need a served
 * version, which `validateManifest` checks.
 */
export function expectIstioNetworkingV1(objs: any[]): void {
  const servesV1 = (kind: string): boolean => ISTIO_RELEASES.every(r =>
    istioRelease(r).index.get('networking.istio.io')?.get(kind)?.get('v1')?.served === true);
  const offenders: string[] = [];
  for (const obj of objs as unknown[]) {
    if (!isPlainObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') continue;
    const { group, version } = splitApiVersion(obj.apiVersion);
    if (group !== 'networking.istio.io' || version === 'v1') continue;
    if (!servesV1(obj.kind)) continue;
    const name = isPlainObject(obj.metadata) ? String(obj.metadata.name) : '<no name>';
    offenders.push(`${obj.kind}/${name} uses ${obj.apiVersion}`);
  }
  if (offenders.length > 0) {
    throw new Error(`networking.istio.io objects must use v1:\n${offenders.map(o => `  - ${o}`).join('\n')}`);
  }
}

/** One distinct `x-kubernetes-validations` rule of the Istio CRD bundles, with the schema node it is attached to. */
export interface IstioCelRule {
  readonly rule: string;
  readonly message: string;
  /** The oldest release (of ISTIO_RELEASES) whose bundle has the rule. */
  readonly release: string;
  /** Where the rule first occurs, e.g. `DestinationRule/v1 spec.trafficPolicy.outlierDetection.interval`. */
  readonly where: string;
  /** The (raw) schema node carrying the rule: `self` is a value of this schema. */
  readonly schema: object;
}

/**
 * Every distinct CEL rule string in the CRD bundles of ISTIO_RELEASES and the IstioOperator pseudo-CRD (first
 * occurrence of each, oldest release first).
 */
export function istioCelRules(): IstioCelRule[] {
  const rules = new Map<string, IstioCelRule>();
  for (const release of ISTIO_RELEASES) collectCelRules(rules, istioRelease(release).crds, release);
  collectCelRules(rules, istioOperatorCrds(), ISTIO_OPERATOR_RELEASE);
  return [...rules.values()];
}

/** Every distinct CEL rule string of the Gateway API standard-channel CRDs (`release` is GATEWAY_API_RELEASE). */
export function gatewayApiCelRules(): IstioCelRule[] {
  const rules = new Map<string, IstioCelRule>();
  for (const file of gatewayApiFiles().values()) collectCelRules(rules, readCrds(file), GATEWAY_API_RELEASE);
  return [...rules.values()];
}

/** Adds the first occurrence of every rule string of `crds` to `rules`. */
function collectCelRules(rules: Map<string, IstioCelRule>, crds: Crd[], release: string): void {
  const visit = (node: SchemaNode, where: string): void => {
    const specs = node['x-kubernetes-validations'];
    if (Array.isArray(specs)) {
      for (const spec of specs as CelRuleSpec[]) {
        if (!rules.has(spec.rule)) rules.set(spec.rule, { rule: spec.rule, message: spec.message ?? '', release, where, schema: node });
      }
    }
    forEachChildSchema(node, where, visit);
  };
  for (const crd of crds) {
    for (const v of crd.spec.versions) {
      if (v.schema?.openAPIV3Schema) visit(v.schema.openAPIV3Schema, `${crd.spec.names.kind}/${v.name}`);
    }
  }
}

/**
 * Compiles a CEL rule once (cached). Throws if it does not parse or calls a function the evaluator does not
 * provide (@bufbuild/cel only reports unbound functions when a call is evaluated, so they are checked here).
 */
export function compileCelRule(rule: string): void {
  celProgram(rule);
}

/**
 * Evaluates a CEL rule with `self` bound to `value`, converted like the API server would for a value of `schema`
 * (integers become CEL ints, `type: number` becomes double). Returns the boolean result, or the error message
 * when evaluation fails or yields a non-boolean.
 */
export function evaluateCelRule(rule: string, value: unknown, schema?: object): boolean | string {
  const result = celProgram(rule)(celConverter(schema as SchemaNode | undefined)(value));
  if (typeof result === 'boolean') return result;
  return isCelError(result) ? result.message : `rule returned a non-boolean value (${String(result)})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema data
// ---------------------------------------------------------------------------------------------------------------

/** One node of an OpenAPI v3 (CRD) or swagger (built-in) schema. */
interface SchemaNode {
  [keyword: string]: unknown;
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  not?: SchemaNode;
  $defs?: Record<string, SchemaNode>;
  $ref?: string;
  required?: string[];
}

/** An entry of `x-kubernetes-validations`. */
interface CelRuleSpec {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
}

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: SchemaNode };
}

interface Crd {
  metadata: { name: string };
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Returns a function computing `init()` on first call and the same value afterwards. */
function lazy<T>(init: () => T): () => T {
  let cell: { value: T } | undefined;
  return () => {
    cell ??= { value: init() };
    return cell.value;
  };
}

function readYamlDocuments(file: string): unknown[] {
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) docs.push(value);
  }
  return docs;
}

function readCrds(file: string): Crd[] {
  return readYamlDocuments(file).filter((d): d is Crd => isPlainObject(d) && d.kind === 'CustomResourceDefinition');
}

/** The IstioOperator pseudo-CRD (which resolves `$ref`s against the Kubernetes definitions). */
const istioOperatorCrds = lazy((): Crd[] =>
  readCrds(path.join(schemasDir(), 'istio', ISTIO_OPERATOR_RELEASE, 'istiooperator.pseudo-crd.yaml')));

const kubernetesDefinitions = lazy((): Record<string, SchemaNode> => {
  const file = path.join(schemasDir(), 'kubernetes', KUBERNETES_VERSION, '_definitions.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: Record<string, SchemaNode> }).definitions;
});

/** Calls `visit` for every direct sub-schema of `node`. */
function forEachChildSchema(node: SchemaNode, where: string, visit: (child: SchemaNode, where: string) => void): void {
  for (const [name, child] of Object.entries(node.properties ?? {})) visit(child, `${where}.${name}`);
  if (isPlainObject(node.additionalProperties)) visit(node.additionalProperties, `${where}.*`);
  if (isPlainObject(node.items)) visit(node.items, `${where}[]`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) node[key]?.forEach((branch, i) => visit(branch, `${where}.${key}[${i}]`));
  if (node.not) visit(node.not, `${where}.not`);
}

// ---------------------------------------------------------------------------------------------------------------
// Schema translation: Kubernetes OpenAPI dialects -> strict JSON schema for ajv
// ---------------------------------------------------------------------------------------------------------------

/**
 * `crd`: a CRD structural schema — objects are `type: object`; numeric formats are informational.
 * `k8s`: the built-in swagger definitions — objects are the nodes with `properties` (type-less `object` nodes such
 * as RawExtension are free-form); the JSON decoder rejects out-of-range int32/int64 values.
 */
type Dialect = 'crd' | 'k8s';

const K8S_SCHEMA_ID = 'k8s.json';
const OBJECT_META_REF = `${K8S_SCHEMA_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;
const CEL_KEYWORD = 'x-kubernetes-validations';
const LIST_MAP_KEYWORD = 'x-kubernetes-list-map-keys';

/** Validation keywords copied verbatim. */
const COPIED_KEYWORDS = new Set([
  'type', 'enum', 'minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems',
  'uniqueItems', 'minProperties', 'maxProperties', 'required', '$ref',
]);

/**
 * Keywords that do not affect validation of a create request. (`default` does, through defaulting before
 * validation: `applyDefaults` runs it on the data of CRDs that use it, the Gateway API ones.)
 */
const IGNORED_KEYWORDS = new Set([
  'description', 'title', 'example', 'externalDocs', 'default', 'readOnly', 'writeOnly',
  'x-kubernetes-group-version-kind', 'x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key',
  'x-kubernetes-map-type', 'x-kubernetes-unions',
  // handled by strictSchema() after the keyword loop:
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', LIST_MAP_KEYWORD,
]);

const NUMERIC_FORMATS = new Set(['int32', 'int64', 'float', 'double']);

/**
 * Translates one schema node (recursively) into a JSON schema that ajv enforces like the API server with strict
 * field validation. Unknown schema keywords throw, so a new Kubernetes/Istio schema feature cannot be silently
 * ignored.
 */
function strictSchema(node: SchemaNode, dialect: Dialect, where: string, isBranch = false): SchemaNode {
  const out: SchemaNode = {};
  const children = (nodes: Record<string, SchemaNode>): Record<string, SchemaNode> =>
    Object.fromEntries(Object.entries(nodes).map(([k, child]) => [k, strictSchema(child, dialect, `${where}.${k}`)]));

  for (const [key, value] of Object.entries(node)) {
    switch (key) {
      case 'properties':
      case '$defs':
        out[key] = children(value as Record<string, SchemaNode>);
        break;
      case 'items':
        out.items = strictSchema(value as SchemaNode, dialect, `${where}[]`);
        break;
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : strictSchema(value as SchemaNode, dialect, `${where}.*`);
        break;
      case 'anyOf':
      case 'oneOf':
      case 'allOf':
        out[key] = (value as SchemaNode[]).map((branch, i) => strictSchema(branch, dialect, `${where}.${key}[${i}]`, true));
        break;
      case 'not':
        out.not = strictSchema(value as SchemaNode, dialect, `${where}.not`, true);
        break;
      case 'format':
        if (!(dialect === 'crd' && NUMERIC_FORMATS.has(value as string))) out.format = value;
        break;
      case 'nullable':
        // ajv implements OpenAPI's nullable, but only next to `type` (without one, null is allowed anyway).
        if (value === true && node.type !== undefined) out.nullable = true;
        break;
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        // OpenAPI 3.0 booleans modify minimum/maximum; JSON-schema numbers are the bound itself.
        if (typeof value === 'number') out[key] = value;
        break;
      case CEL_KEYWORD:
        out[key] = value;
        break;
      default:
        if (COPIED_KEYWORDS.has(key)) {
          out[key] = value;
        } else if (!IGNORED_KEYWORDS.has(key)) {
          throw new Error(`schema keyword "${key}" at ${where} is not supported by test/support/schema.ts`);
        }
    }
  }

  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (node[flag] === true && typeof node[bound] === 'number') {
      out[flag] = node[bound];
      delete out[bound];
    }
  }
  if (node['x-kubernetes-int-or-string'] === true && !out.anyOf && !out.oneOf && out.type === undefined) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  // The API server enforces list semantics for custom resources; for built-in types duplicates are a matter of
  // the (per-field) Go validation, which often allows them (e.g. env vars), so they are not checked there.
  if (dialect === 'crd' && node['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (dialect === 'crd' && node['x-kubernetes-list-type'] === 'map' && Array.isArray(node[LIST_MAP_KEYWORD])) {
    out[LIST_MAP_KEYWORD] = node[LIST_MAP_KEYWORD];
  }

  const isObject = out.properties !== undefined || (dialect === 'crd' && out.type === 'object');
  if (isObject && !isBranch && out.additionalProperties === undefined && out.$ref === undefined
    && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * The root schema of a custom resource: every custom resource implicitly has apiVersion, kind and metadata, and
 * the API server validates metadata as ObjectMeta (CRD schemas may only say `metadata: {type: object}`).
 */
function customResourceSchema(openAPIV3Schema: SchemaNode, where: string): SchemaNode {
  const root = strictSchema(openAPIV3Schema, 'crd', where);
  root.properties = { ...root.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: OBJECT_META_REF } };
  return root;
}

// ---------------------------------------------------------------------------------------------------------------
// ajv
// ---------------------------------------------------------------------------------------------------------------

/** The validator ajv calls for custom keywords; `errors` is read back after a failed call. */
type KeywordValidator = ((data: unknown, cxt?: DataValidationCxt) => boolean) & { errors?: Partial<ErrorObject>[] };

const ajvInstance = lazy((): Ajv => {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true, // errors carry the failing data and schema, for readable messages
    strictSchema: true, // no unknown keywords reach ajv (strictSchema() already throws on them)
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    validateSchema: false,
    addUsedSchema: false,
  });
  addFormats(ajv, ['date-time', 'byte', 'int32', 'int64', 'float', 'double']);
  // kube-openapi's (not ajv-formats') semantics: net.ParseIP-style, leading zeros allowed (Gateway API addresses).
  ajv.addFormat('ipv4', isOpenApiIPv4);
  ajv.addFormat('ipv6', isOpenApiIPv6);
  ajv.addKeyword({
    keyword: CEL_KEYWORD,
    schemaType: 'array',
    errors: true,
    compile: (rules: CelRuleSpec[], parentSchema: AnySchemaObject) => celKeywordValidator(rules, parentSchema as SchemaNode),
  });
  ajv.addKeyword({
    keyword: LIST_MAP_KEYWORD,
    type: 'array',
    schemaType: 'array',
    errors: true,
    compile: (keys: string[]) => listMapValidator(keys),
  });
  const definitions = Object.fromEntries(
    Object.entries(kubernetesDefinitions()).map(([name, def]) => [name, strictSchema(def, 'k8s', name)]),
  );
  ajv.addSchema({ $id: K8S_SCHEMA_ID, definitions });
  return ajv;
});

// ---------------------------------------------------------------------------------------------------------------
// Routing apiVersion/kind -> schema
// ---------------------------------------------------------------------------------------------------------------

interface Route {
  /** Human-readable origin of the schema. */
  readonly source: string;
  readonly served: boolean;
  /** Builds the root schema handed to ajv (called at most once). */
  readonly schema: () => SchemaNode;
  /** Returns the validator, calling `build` unless an equal schema was compiled already (default: always builds). */
  readonly compile?: (build: () => ValidateFunction) => ValidateFunction;
  /** The raw CRD schema whose `default`s are applied before validation (custom resources with defaults). */
  readonly defaults?: SchemaNode;
  validate?: ValidateFunction;
}

/** version -> route, for one group and kind. */
type KindRoutes = Map<string, Route>;

/** group -> kind -> version -> route. */
type RoutingIndex = Map<string, Map<string, KindRoutes>>;

function addRoute(index: RoutingIndex, group: string, kind: string, version: string, route: Route): void {
  const kinds = index.get(group) ?? new Map<string, KindRoutes>();
  index.set(group, kinds);
  const versions = kinds.get(kind) ?? new Map<string, Route>();
  kinds.set(kind, versions);
  if (!versions.has(version)) versions.set(version, route);
}

/**
 * Compiled validators of CRD versions by their raw schema (as JSON): most kinds' schemas are byte-identical across
 * releases, so each distinct one is compiled once and an object is evaluated once per distinct schema.
 */
const crdValidators = new Map<string, ValidateFunction>();

function addCrdRoutes(index: RoutingIndex, crds: Crd[], release: string, origin = `Istio ${release}`): void {
  for (const crd of crds) {
    const { group, names, versions } = crd.spec;
    for (const v of versions) {
      const where = `${names.kind}/${v.name}`;
      const openAPIV3Schema = v.schema?.openAPIV3Schema;
      if (!openAPIV3Schema) throw new Error(`CRD ${crd.metadata.name} ${v.name} has no openAPIV3Schema`);
      addRoute(index, group, names.kind, v.name, {
        source: `CRD ${crd.metadata.name} (${origin})`,
        served: v.served === true,
        defaults: hasDefaults(openAPIV3Schema) ? openAPIV3Schema : undefined,
        schema: () => customResourceSchema(openAPIV3Schema, where),
        compile: (build) => {
          const key = JSON.stringify(openAPIV3Schema);
          let validate = crdValidators.get(key);
          if (!validate) {
            validate = build();
            crdValidators.set(key, validate);
          }
          return validate;
        },
      });
    }
  }
}

/** One Istio release's CRDs and their routes (only Istio groups: built-in kinds are in `baseIndex`). */
interface IstioRelease {
  readonly crds: Crd[];
  readonly index: RoutingIndex;
}

const istioReleases = new Map<string, IstioRelease>();

/** Loads (once) the CRD bundle of `release`. */
function istioRelease(release: string): IstioRelease {
  let loaded = istioReleases.get(release);
  if (!loaded) {
    const crds = readCrds(path.join(schemasDir(), 'istio', release, 'crd-all.gen.yaml'));
    const index: RoutingIndex = new Map();
    addCrdRoutes(index, crds, release);
    loaded = { crds, index };
    istioReleases.set(release, loaded);
  }
  return loaded;
}

/** The release-independent routes: the IstioOperator pseudo-CRD and the Kubernetes built-in kinds. */
const baseIndex = lazy((): RoutingIndex => {
  const index: RoutingIndex = new Map();
  addCrdRoutes(index, istioOperatorCrds(), `${ISTIO_OPERATOR_RELEASE} operator types`);
  const add = (group: string, kind: string, version: string, route: Route): void => addRoute(index, group, kind, version, route);

  for (const [name, def] of Object.entries(kubernetesDefinitions())) {
    // meta/v1 types (Status, DeleteOptions, WatchEvent, ...) claim every group but are not manifests.
    if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.v1.')) continue;
    for (const gvk of (def['x-kubernetes-group-version-kind'] ?? []) as GroupVersionKind[]) {
      add(gvk.group, gvk.kind, gvk.version, {
        source: `${name} (Kubernetes ${KUBERNETES_VERSION})`,
        served: true,
        schema: () => ({ $ref: `${K8S_SCHEMA_ID}#/definitions/${name}` }),
      });
    }
  }
  return index;
});

/** Gateway API kind -> its standard-channel CRD file `gateway.networking.k8s.io_<plural>.yaml` (read off the header). */
const gatewayApiFiles = lazy((): Map<string, string> => {
  const dir = path.join(schemasDir(), 'gateway-api', GATEWAY_API_RELEASE);
  const files = new Map<string, string>();
  for (const file of fs.readdirSync(dir).filter(f => f.startsWith(`${GATEWAY_API_GROUP}_`) && f.endsWith('.yaml')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    if (!/^kind: CustomResourceDefinition$/m.test(text)) continue; // the safe-upgrades ValidatingAdmissionPolicy
    const kind = /^ {2}names:\n(?: {4}.*\n)*? {4}kind: (\w+)$/m.exec(text)?.[1];
    if (!kind) throw new Error(`${file}: no spec.names.kind found`);
    files.set(kind, path.join(dir, file));
  }
  return files;
});

/** The Gateway API routes: every kind is listed, a kind's versions are loaded when an object of it is first checked. */
const gatewayApiRoutes: RoutingIndex = new Map();

/** The routing index for Gateway API `kind`, with that kind's CRD file parsed (once). */
function gatewayApiIndex(kind: string): RoutingIndex {
  if (gatewayApiRoutes.size === 0) {
    gatewayApiRoutes.set(GATEWAY_API_GROUP, new Map([...gatewayApiFiles().keys()].map(k => [k, new Map<string, Route>()])));
  }
  const file = gatewayApiFiles().get(kind);
  const kinds = gatewayApiRoutes.get(GATEWAY_API_GROUP)!;
  if (file !== undefined && kinds.get(kind)!.size === 0) {
    const crds = readCrds(file);
    if (crds.length !== 1 || crds[0].spec.group !== GATEWAY_API_GROUP || crds[0].spec.names.kind !== kind) {
      throw new Error(`${file}: expected exactly one CRD, of ${GATEWAY_API_GROUP} kind ${kind}`);
    }
    addCrdRoutes(gatewayApiRoutes, crds, GATEWAY_API_RELEASE, `Gateway API ${GATEWAY_API_RELEASE}`);
  }
  return gatewayApiRoutes;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The route for apiVersion/kind in `index`, or an error message (worded like kubectl's) saying why there is none;
 * `missingGroup` says where the API group was looked for when the index lacks it.
 */
function lookupRoute(index: RoutingIndex, apiVersion: string, kind: string, missingGroup: string): Route | string {
  const { group, version } = splitApiVersion(apiVersion);
  const unknown = `unknown apiVersion/kind: no matches for kind "${kind}" in version "${apiVersion}"`;
  const kinds = index.get(group);
  if (!kinds) return `${unknown} (API group "${group}" ${missingGroup})`;
  const versions = kinds.get(kind);
  if (!versions) {
    const known = [...kinds.keys()].filter(k => !k.endsWith('List')).sort();
    return `${unknown} (group "${group || 'core'}" has ${known.join(', ')})`;
  }
  const route = versions.get(version);
  if (!route || !route.served) {
    const served = [...versions].filter(([, r]) => r.served).map(([v]) => v);
    return `${unknown} (${kind} ${version} is not ${route ? 'served' : 'defined'}; served versions: ${served.join(', ')})`;
  }
  return route;
}

function validatorFor(route: Route): ValidateFunction {
  const build = (): ValidateFunction => ajvInstance().compile(route.schema() as AnySchemaObject);
  route.validate ??= route.compile ? route.compile(build) : build();
  return route.validate;
}

// ---------------------------------------------------------------------------------------------------------------
// CEL (x-kubernetes-validations)
// ---------------------------------------------------------------------------------------------------------------

type CelProgram = (self: CelInput) => CelResult;

/** Transition rules compare with the stored object; a manifest is applied as a create, where they do not run. */
const TRANSITION_RULE = /\boldSelf\b/;

/** Calls the @bufbuild/cel planner evaluates itself rather than resolving them as functions. */
const PLANNER_OPERATORS = new Set(['_?_:_', '_&&_', '_||_', '@not_strictly_false', '_[_]', '_[?_]', '_?._']);

/** Marker key of the CEL maps `url()` returns (a stand-in for the Kubernetes URL type). */
const URL_TAG = '\u0000kubernetes.URL';

interface GoUrl {
  scheme: string;
  host: string;
  path: string;
}

/**
 * Go's `url.ParseRequestURI`, which the Kubernetes CEL `isURL()`/`url()` functions use: an absolute URI or an
 * absolute path. Returns the parsed URL or the parse error.
 */
function parseRequestUri(raw: string): GoUrl | string {
  if (raw === '') return 'empty url';
  if (/[\x00-\x1f\x7f]/.test(raw)) return 'invalid control character in URL';
  let scheme = '';
  let rest = raw;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw);
  if (schemeMatch) {
    scheme = schemeMatch[1].toLowerCase();
    rest = raw.slice(schemeMatch[0].length);
  } else if (raw.startsWith(':')) {
    return 'missing protocol scheme';
  }
  rest = rest.endsWith('?') && rest.indexOf('?') === rest.length - 1 ? rest.slice(0, -1) : rest.split('?')[0];
  if (!rest.startsWith('/')) {
    return scheme !== '' ? { scheme, host: '', path: '' } : 'invalid URI for request'; // opaque, e.g. mailto:x
  }
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const authority = rest.slice(2).split('/')[0];
    rest = rest.slice(2 + authority.length);
    host = authority.slice(authority.lastIndexOf('@') + 1);
    const userinfo = authority.slice(0, Math.max(authority.lastIndexOf('@'), 0));
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return 'net/url: invalid userinfo';
    const portStart = host.startsWith('[') ? host.lastIndexOf(']') + 1 : host.lastIndexOf(':');
    if (host.startsWith('[') && portStart === 0) return "missing ']' in host";
    if (portStart >= 0 && !/^(:[0-9]*)?$/.test(host.slice(portStart))) return `invalid port "${host.slice(portStart)}" after host`;
    if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]*$/.test(host.replace(/%[0-9A-Fa-f]{2}/g, ''))) return `invalid character in host name "${host}"`;
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(rest)) return 'invalid URL escape';
  return { scheme, host, path: rest };
}

/** The parts of the Kubernetes URL CEL library (k8s.io/apiserver/pkg/cel/library/urls.go) @bufbuild/cel lacks. */
function kubernetesUrlLibrary(): CelFunc[] {
  const URL = mapType(CelScalar.DYN, CelScalar.DYN);
  const getter = (method: string, part: (u: CelMap) => string): CelFunc =>
    celMethod(method, URL, [], CelScalar.STRING, function (this: CelMap) {
      if (!this.has(URL_TAG)) throw new Error(`${method}() applies to url() values only`);
      return part(this);
    });
  const host = (u: CelMap): string => String(u.get('host') ?? '');
  const portStart = (h: string): number => (h.startsWith('[') ? h.lastIndexOf(']') + 1 : h.lastIndexOf(':'));
  return [
    celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s: string) => typeof parseRequestUri(s) !== 'string'),
    celFunc('url', [CelScalar.STRING], URL, (s: string) => {
      const u = parseRequestUri(s);
      if (typeof u === 'string') throw new Error(`URL parse error during conversion from string: ${u}`);
      return new Map<string, string>([[URL_TAG, ''], ['scheme', u.scheme], ['host', u.host], ['path', u.path]]);
    }),
    getter('getScheme', u => String(u.get('scheme') ?? '')),
    getter('getHost', host),
    getter('getHostname', u => {
      const h = host(u);
      const end = portStart(h);
      return (end >= 0 && /^:[0-9]*$/.test(h.slice(end)) ? h.slice(0, end) : h).replace(/^\[(.*)\]$/, '$1');
    }),
    getter('getPort', u => {
      const h = host(u);
      const start = portStart(h);
      return start >= 0 && /^:[0-9]*$/.test(h.slice(start)) ? h.slice(start + 1) : '';
    }),
    getter('getEscapedPath', u => String(u.get('path') ?? '')),
  ];
}

const celEnvironment = lazy((): CelEnv => celEnv({
  funcs: [...strings, ...kubernetesUrlLibrary(), ...kubernetesIpLibrary(), ...kubernetesCidrLibrary()],
}));

type CelExpr = ReturnType<typeof parse>['expr'];

/** `a.b.c` for an ident/select chain, else undefined (a call target that may be a namespace, as in `ip.isCanonical`). */
function qualifiedName(expr: CelExpr | undefined): string | undefined {
  const kind = expr?.exprKind;
  if (kind?.case === 'identExpr') return kind.value.name;
  if (kind?.case === 'selectExpr' && !kind.value.testOnly) {
    const parent = qualifiedName(kind.value.operand);
    return parent === undefined ? undefined : `${parent}.${kind.value.field}`;
  }
  return undefined;
}

/**
 * Names of all functions/operators an expression calls; a method call on a qualified name is `f ns.f` (either
 * binding resolves it, as the planner tries the namespaced function first).
 */
function calledFunctions(expr: CelExpr | undefined, into = new Set<string>()): Set<string> {
  const kind = expr?.exprKind;
  switch (kind?.case) {
    case 'callExpr': {
      const namespace = qualifiedName(kind.value.target);
      into.add(namespace === undefined ? kind.value.function : `${kind.value.function} ${namespace}.${kind.value.function}`);
      calledFunctions(kind.value.target, into);
      kind.value.args.forEach(a => calledFunctions(a, into));
      break;
    }
    case 'selectExpr':
      calledFunctions(kind.value.operand, into);
      break;
    case 'listExpr':
      kind.value.elements.forEach(e => calledFunctions(e, into));
      break;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') calledFunctions(entry.keyKind.value, into);
        calledFunctions(entry.value, into);
      }
      break;
    case 'comprehensionExpr':
      for (const part of [kind.value.iterRange, kind.value.accuInit, kind.value.loopCondition, kind.value.loopStep, kind.value.result]) {
        calledFunctions(part, into);
      }
      break;
    default:
      break;
  }
  return into;
}

const celPrograms = new Map<string, CelProgram>();

function celProgram(rule: string): CelProgram {
  let program = celPrograms.get(rule);
  if (!program) {
    const env = celEnvironment();
    const parsed = parse(rule);
    const unbound = [...calledFunctions(parsed.expr)]
      .filter(names => names.split(' ').every(f => !PLANNER_OPERATORS.has(f) && env.funcs.find(f) === undefined))
      .map(names => names.split(' ')[0]).sort();
    if (unbound.length > 0) throw new Error(`CEL rule ${JSON.stringify(rule)} calls unsupported function(s): ${unbound.join(', ')}`);
    const evaluate = plan(env, parsed);
    program = (self: CelInput) => evaluate({ self });
    celPrograms.set(rule, program);
  }
  return program;
}

type CelConverter = (value: unknown) => CelInput;

const converters = new WeakMap<SchemaNode, CelConverter>();

/** Schema-less conversion, as for preserved unknown fields: integral JSON numbers are CEL ints. */
function genericToCel(value: unknown): CelInput {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(genericToCel);
  if (isPlainObject(value)) return new Map(Object.entries(value).map(([k, v]) => [k, genericToCel(v)]));
  return value as CelInput;
}

/**
 * JSON value -> CEL value for a value of `schema`, as the API server types `self`: `integer` is int, `number` is
 * double (even when integral), objects and maps are maps, arrays are lists.
 */
function celConverter(schema: SchemaNode | undefined): CelConverter {
  if (!isPlainObject(schema)) return genericToCel;
  let convert = converters.get(schema);
  if (convert) return convert;
  if (schema.type === 'number') {
    convert = v => (typeof v === 'number' ? v : genericToCel(v));
  } else if (schema.type === 'array' && isPlainObject(schema.items)) {
    const items = schema.items;
    convert = v => (Array.isArray(v) ? v.map(celConverter(items)) : genericToCel(v));
  } else if (schema.properties || isPlainObject(schema.additionalProperties)) {
    const props = schema.properties ?? {};
    const additional = isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
    convert = v => (isPlainObject(v)
      ? new Map(Object.entries(v).map(([k, x]) => [k, celConverter(Object.hasOwn(props, k) ? props[k] : additional)(x)]))
      : genericToCel(v));
  } else {
    convert = genericToCel;
  }
  converters.set(schema, convert);
  return convert;
}

/** Whether `data` has the JSON type the schema node declares (CEL only runs on well-typed values). */
function hasSchemaType(data: unknown, schema: SchemaNode): boolean {
  switch (schema.type) {
    case 'object': return isPlainObject(data);
    case 'array': return Array.isArray(data);
    case 'string': return typeof data === 'string';
    case 'integer': return Number.isInteger(data);
    case 'number': return typeof data === 'number';
    case 'boolean': return typeof data === 'boolean';
    default: return data !== null && data !== undefined;
  }
}

/** The ajv keyword for `x-kubernetes-validations` on one schema node. */
function celKeywordValidator(rules: CelRuleSpec[], node: SchemaNode): KeywordValidator {
  const compiled = rules.filter(r => !TRANSITION_RULE.test(r.rule)).map(spec => ({
    spec,
    program: celProgram(spec.rule),
    messageProgram: spec.messageExpression ? celProgram(spec.messageExpression) : undefined,
  }));
  const toCel = celConverter(node);
  const validate: KeywordValidator = (data: unknown): boolean => {
    validate.errors = [];
    if (compiled.length === 0 || !hasSchemaType(data, node)) return true; // a type error is reported by ajv already
    const self = toCel(data);
    for (const { spec, program, messageProgram } of compiled) {
      const result = program(self);
      if (result === true) continue;
      // The API server uses messageExpression's string when it evaluates to a non-empty one, else message.
      const computed = messageProgram?.(self);
      const message = typeof computed === 'string' && computed.trim() !== '' ? computed.trim() : spec.message;
      const at = spec.fieldPath ? ` (at ${spec.fieldPath})` : '';
      const why = isCelError(result) ? ` failed to evaluate: ${result.message}` : result === false ? '' : ` returned ${String(result)}, not a bool`;
      validate.errors.push({
        keyword: CEL_KEYWORD,
        params: { rule: spec.rule },
        message: `${message ?? `failed rule: ${spec.rule}`}${at} (x-kubernetes-validations rule \`${spec.rule}\`${why})`,
      });
    }
    return validate.errors.length === 0;
  };
  return validate;
}

/** The ajv keyword for `x-kubernetes-list-type: map`: items must be unique by their map keys. */
function listMapValidator(keys: string[]): KeywordValidator {
  const validate: KeywordValidator = (data: unknown, cxt?: DataValidationCxt): boolean => {
    validate.errors = [];
    const seen = new Map<string, number>();
    (data as unknown[]).forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const id = JSON.stringify(keys.map(k => item[k] ?? null));
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, i);
      } else {
        validate.errors?.push({
          keyword: LIST_MAP_KEYWORD,
          instancePath: `${cxt?.instancePath ?? ''}/${i}`,
          params: { keys },
          message: `Duplicate value: same ${keys.join('/')} ${id} as item ${first}`,
        });
      }
    });
    return validate.errors.length === 0;
  };
  return validate;
}

// ---------------------------------------------------------------------------------------------------------------
// metadata checks the OpenAPI schema cannot express
// ---------------------------------------------------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(value)) {
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  }
  return undefined;
}

function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

function dns1035LabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1035_LABEL.test(value)) {
    return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
  }
  return undefined;
}

function pathSegmentProblem(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (/[/%]/.test(value)) return "may not contain '/' or '%'";
  return undefined;
}

/** The name rule the API server applies to metadata.name of this kind. */
function nameProblem(group: string, kind: string, name: string): string | undefined {
  if (group === '' && kind === 'Service') return dns1035LabelProblem(name);
  if (group === '' && kind === 'Namespace') return dns1123LabelProblem(name);
  if (group === 'rbac.authorization.k8s.io') return pathSegmentProblem(name);
  return dns1123SubdomainProblem(name);
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63 characters. */
function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a qualified name may contain at most one '/'";
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') return 'prefix part must be non-empty';
    const prefixProblem = dns1123SubdomainProblem(parts[0]);
    if (prefixProblem) return `prefix part ${prefixProblem}`;
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (value !== '' && !QUALIFIED_NAME_PART.test(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Type errors in metadata are ajv's (ObjectMeta); this checks the syntax rules of names, labels and annotations. */
function metadataErrors(manifest: Record<string, unknown>, group: string, kind: string): string[] {
  const meta = manifest.metadata;
  if (meta === undefined || meta === null) return ['metadata.name: Required value (kubectl apply needs a name)'];
  if (!isPlainObject(meta)) return [];
  const errors: string[] = [];
  const invalid = (where: string, value: string, problem: string | undefined): void => {
    if (problem) errors.push(`${where}: Invalid value ${JSON.stringify(value)}: ${problem}`);
  };

  if (meta.name === undefined || meta.name === null || meta.name === '') {
    errors.push('metadata.name: Required value (kubectl apply needs a name)');
  } else if (typeof meta.name === 'string') {
    invalid('metadata.name', meta.name, nameProblem(group, kind, meta.name));
  }
  if (typeof meta.namespace === 'string') invalid('metadata.namespace', meta.namespace, dns1123LabelProblem(meta.namespace));
  if (isPlainObject(meta.labels)) {
    for (const [key, value] of Object.entries(meta.labels)) {
      const where = `metadata.labels[${JSON.stringify(key)}]`;
      const keyProblem = qualifiedNameProblem(key);
      invalid(where, key, keyProblem && `invalid label key: ${keyProblem}`);
      if (typeof value === 'string') invalid(where, value, labelValueProblem(value));
    }
  }
  if (isPlainObject(meta.annotations)) {
    let bytes = 0;
    for (const [key, value] of Object.entries(meta.annotations)) {
      const keyProblem = qualifiedNameProblem(key);
      invalid(`metadata.annotations[${JSON.stringify(key)}]`, key, keyProblem && `invalid annotation key: ${keyProblem}`);
      bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    }
    if (bytes > MAX_ANNOTATIONS_BYTES) errors.push(`metadata.annotations: Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes (has ${bytes})`);
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------
// Error formatting
// ---------------------------------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

function appendPath(base: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** JSON pointer -> `spec.http[0].route[0].weight` (array indices told apart from map keys by walking the data). */
function jsonPath(pointer: string, root: unknown): string {
  if (pointer === '') return '';
  let out = '';
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out += `[${key}]`;
      node = node[Number(key)];
    } else {
      out = appendPath(out, key);
      node = isPlainObject(node) ? node[key] : undefined;
    }
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (isPlainObject(value)) return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return `${typeof value} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

/** Friendlier text for the two oneOf/anyOf shapes the schemas use: scalar type unions and mutually exclusive fields. */
function describeCombinator(e: ErrorObject): string {
  const branches = (Array.isArray(e.schema) ? e.schema : []) as SchemaNode[];
  const types = branches.map(b => (Object.keys(b).length === 1 ? b.type : undefined));
  if (types.length > 0 && types.every(t => typeof t === 'string')) return `must be ${types.join(' or ')}, got ${describeValue(e.data)}`;
  const passing = (e.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (e.keyword === 'oneOf' && Array.isArray(passing)) {
    const fields = passing.flatMap(i => branches[i]?.required ?? []);
    if (fields.length > 1) return `fields ${fields.map(f => JSON.stringify(f)).join(', ')} are mutually exclusive (set at most one)`;
  }
  return `${e.message ?? `must match ${e.keyword}`}, got ${describeValue(e.data)}`;
}

function formatAjvError(e: ErrorObject, root: unknown, all: ErrorObject[] = []): string {
  const at = jsonPath(e.instancePath, root);
  const here = at === '' ? '(root)' : at;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${appendPath(at, String(params.additionalProperty))}: unknown field "${String(params.additionalProperty)}"`;
    case 'required':
      return `${appendPath(at, String(params.missingProperty))}: Required value`;
    case 'type':
      return `${here}: must be ${String(params.type)}, got ${describeValue(e.data)}`;
    case 'enum':
      return `${here}: must be one of ${(params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}, got ${describeValue(e.data)}`;
    case 'anyOf':
    case 'oneOf':
      return `${here}: ${describeCombinator(e)}${branchErrors(e, root, all)}`;
    case CEL_KEYWORD:
    case LIST_MAP_KEYWORD:
      return `${here}: ${e.message}`;
    default:
      return `${here}: ${e.message ?? e.keyword}, got ${describeValue(e.data)}`;
  }
}

const isCombinator = (e: ErrorObject): boolean => e.keyword === 'anyOf' || e.keyword === 'oneOf';

/** Whether `e` was raised inside a branch of the combinator `c`. */
function within(e: ErrorObject, c: ErrorObject): boolean {
  return e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`)
    && (e.instancePath === c.instancePath || e.instancePath.startsWith(`${c.instancePath}/`));
}

/** Errors directly inside `c` (not inside a nested combinator), hence what made each of its branches fail. */
function directlyWithin(c: ErrorObject, errors: ErrorObject[]): ErrorObject[] {
  const inside = errors.filter(e => within(e, c));
  return inside.filter(e => !inside.some(n => isCombinator(n) && within(e, n)));
}

/**
 * ` (why each branch failed)` for a combinator no branch of which passed, unless its own text says it all (a
 * scalar type union); empty otherwise.
 */
function branchErrors(c: ErrorObject, root: unknown, all: ErrorObject[]): string {
  const passing = (c.params as { passingSchemas?: number[] | null }).passingSchemas;
  const branches = (Array.isArray(c.schema) ? c.schema : []) as SchemaNode[];
  if ((c.keyword === 'oneOf' && Array.isArray(passing)) || branches.every(b => Object.keys(b).length === 1 && typeof b.type === 'string')) return '';
  const reasons = [...new Set(directlyWithin(c, all).map(e => formatAjvError(e, root, all)))];
  return reasons.length > 0 ? ` (${reasons.join('; ')})` : '';
}

/** Formats ajv errors; errors inside a failed anyOf/oneOf branch are folded into the combinator's own error. */
function formatAjvErrors(errors: ErrorObject[], root: unknown): string[] {
  const combinators = errors.filter(isCombinator);
  const shown = errors.filter(e => !combinators.some(c => within(e, c)));
  return [...new Set(shown.map(e => formatAjvError(e, root, errors)))];
}

// ---------------------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether some object field (at any depth) is null. */
function hasNullField(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullField);
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (value[key] === null || hasNullField(value[key])) return true;
  }
  return false;
}

/**
 * Drops object fields whose value is null, as the API server does before validation (custom resources prune
 * non-nullable nulls; built-in types decode null as the zero value). Returns the input itself when there are none,
 * so the common case allocates nothing.
 */
function pruneNulls(value: unknown): unknown {
  if (!hasNullField(value)) return value;
  if (Array.isArray(value)) return value.map(pruneNulls);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (field !== null) out[key] = pruneNulls(field);
  }
  return out;
}

/** Whether a (raw, structural) CRD schema declares any `default` below its properties, items or map values. */
function hasDefaults(node: SchemaNode): boolean {
  return Object.values(node.properties ?? {}).some(p => p.default !== undefined || hasDefaults(p))
    || (isPlainObject(node.items) && hasDefaults(node.items))
    || (isPlainObject(node.additionalProperties) && hasDefaults(node.additionalProperties));
}

/**
 * Structural defaulting (apiextensions-apiserver `structuraldefaulting.Default`): an absent property that has a
 * `default` gets a copy of it, then properties, list items and map values are defaulted recursively (defaults only
 * live in the structural part of the schema: properties/items/additionalProperties, never in anyOf/oneOf branches).
 * Copy-on-write: returns `value` itself when nothing was defaulted.
 */
function applyDefaults(value: unknown, schema: SchemaNode): unknown {
  if (Array.isArray(value)) {
    if (!isPlainObject(schema.items)) return value;
    const items = value.map(v => applyDefaults(v, schema.items!));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (!isPlainObject(value)) return value;
  const props = schema.properties ?? {};
  const additional = isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
  let out: Record<string, unknown> | undefined;
  for (const [key, prop] of Object.entries(props)) {
    if (prop.default !== undefined && !Object.hasOwn(value, key)) {
      out ??= { ...value };
      out[key] = structuredClone(prop.default);
    }
  }
  const source = out ?? value;
  for (const [key, field] of Object.entries(source)) {
    const sub = Object.hasOwn(props, key) ? props[key] : additional;
    if (!sub) continue;
    const defaulted = applyDefaults(field, sub);
    if (defaulted !== field) {
      out ??= { ...value };
      out[key] = defaulted;
    }
  }
  return out ?? value;
}
