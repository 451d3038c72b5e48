/**
 * The explain pipeline for one client and one service, in the order istiod and Envoy apply it:
 *
 * 1. VirtualService: which destination (host or subset) gets which share (`routing`).
 * 2. EDS per destination: subset / cluster-local filtering, remote networks collapsed into
 *    east-west gateway endpoints (`endpoints.ts`).
 * 3. istiod's locality pass: `distribute` weights, or priorities when outlier detection is set
 *    (`istio-lb.ts`).
 * 4. Envoy: priority load, panic, locality and host picking (`envoy-lb.ts`).
 *
 * Reasons are split into policy (what the configuration does for this client) and outcome (what
 * the current health makes of it), so the Markdown report can show them apart.
 * @internal
 */
import { TopologyLabel } from '../labels';
import { applyEjectionCap, buildEndpointGroups, clean, ClientProxy, clusterShares, EndpointContext, EndpointGroup, EndpointSelection, localityOf } from './endpoints';
import { balance, EnvoyOutcome, localitiesOf } from './envoy-lb';
import { percent } from './format';
import {
  applyDistribute, applyFailoverPriority, applyLocalityFailover, declaredLabelKeys, isDeclaredPodLabel, parseFailoverPriorityKey,
} from './istio-lb';
import {
  ExplainCluster, ExplainLocalityLb, ExplainProxy, ExplainQuery, ExplainResult, ExplainService, LocalityGroup, LocalitySettingSource,
  PriorityLevel, RouteShare,
} from './model';
import { invalid } from '../private/invalid';
import { clusterSubsetName } from '../private/names';
import { ejectsErrorResponses, effectiveMaxEjectionPercent } from '../private/outlier';
import {
  ExplainClusterKeys, ExplainLocalityLbKeys, ExplainPerClusterRoutingKeys, ExplainQueryKeys, ExplainServiceKeys, ExplainWeightedSubsetKeys,
  LocalityDistributionKeys, LocalityFailoverKeys,
} from '../private/props-keys';
import { Validator, validator } from '../private/validator';
import { IstioVersion, releaseOf, TrafficDistribution, trafficDistributionPriority } from '../versions';
import { explainZtunnel } from './ztunnel';

const WHERE = 'explain';
const CONSTRUCT = 'TrafficExplainer';
/** Envoy's default `healthy_panic_threshold` when Istio does not set one (no outlier detection). */
const ENVOY_DEFAULT_PANIC_THRESHOLD = 50;

/** A full explanation: the public result plus the reasons split for the report. @internal */
export interface Explanation {
  readonly result: ExplainResult;
  readonly policy: string[];
  readonly outcome: string[];
}

/** Collects reasons and assumptions, each once, in first-seen order. */
class Notes {
  public readonly policy: string[] = [];
  public readonly outcome: string[] = [];
  public readonly assumptions: string[] = [];
  public addPolicy(line: string): void { addOnce(this.policy, line); }
  public addOutcome(line: string): void { addOnce(this.outcome, line); }
  public assume(line: string): void { addOnce(this.assumptions, line); }
}

function addOnce(list: string[], line: string): void {
  if (!list.includes(line)) list.push(line);
}

/** One VirtualService destination. */
interface RouteTarget {
  readonly subset?: string;
  readonly percent: number;
  readonly selection: EndpointSelection;
}

/** A destination after EDS, istiod and Envoy. */
interface DestinationOutcome {
  readonly target: RouteTarget;
  readonly groups: EndpointGroup[];
  readonly envoy: EnvoyOutcome;
  readonly localityWeighted: boolean;
}

/**
 * Explains where `query.from`'s requests to `service` go.
 * @internal
 */
export function explainService(clusters: readonly ExplainCluster[], service: ExplainService, query: ExplainQuery): Explanation {
  const byName = checkClusters(clusters);
  checkService(service, byName);
  const client = resolveClient(byName, query);
  const version = versionOf(client.cluster);
  const drained = checkDrained(query.drained, service, byName, 'query.drained');
  const notReady = checkDrained(query.notReady, service, byName, 'query.notReady');
  checkGone(service, drained, notReady);
  const healthy = checkFractions(query.healthy, byName, 'query.healthy');
  if (service.proxy === ExplainProxy.ZTUNNEL) return explainZtunnel(clusters, service, client, { healthy, drained, notReady }, version);
  const notes = new Notes();
  const effective = effectiveSetting(service, version, notes);
  const lb = effective.lb;
  const outlierDetection = lb?.outlierDetection ?? false;
  const forcesUnhealthy = service.trafficDistribution !== undefined;
  const ctx: EndpointContext = {
    clusters,
    client,
    outlierDetection,
    ejectsFailing: outlierDetection && ejectsErrorResponses(lb!),
    maxEjectionPercent: effectiveMaxEjectionPercent(lb?.maxEjectionPercent),
    multiNetwork: new Set(clusters.map((c) => c.network)).size > 1,
    clusterLocal: service.clusterLocal ?? false,
    healthy,
    drained,
    notReady,
    // endpoint_builder.go supportsUnhealthyEndpoints: forced by a traffic distribution; from 1.31 the
    // default (PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS) unless outlierDetection.minHealthPercent > 0
    sendsUnhealthy: forcesUnhealthy || (version.minor >= 31 && !(outlierDetection && (lb?.minHealthPercent ?? 0) > 0)),
  };
  baseAssumptions(notes, client, query, version);
  if (service.proxy === ExplainProxy.WAYPOINT) {
    notes.addPolicy('ambient with a waypoint: the waypoint (Envoy) balances the requests as a sidecar would, with the DestinationRule; ztunnel only carries them to it');
    notes.assume('the waypoint in the client\'s cluster serves the client (the waypoint template gives its Service traffic-distribution PreferClose) and shares the client\'s locality');
  }
  const { targets, noRoutePercent } = resolveRoutes(service, client, notes);
  if (ctx.clusterLocal) notes.addPolicy(`cluster-local host → only endpoints in ${client.cluster.name}`);
  // cluster_traffic_policy.go: with outlier detection the panic threshold is minHealthPercent (0 when
  // the Service forces unhealthy endpoints); without it, 0 when the service supports unhealthy
  // endpoints (a traffic distribution, or any service from 1.31), else Envoy's default 50.
  const panic: Panic = outlierDetection
    ? (forcesUnhealthy ? { threshold: 0, why: 'the Service\'s trafficDistribution forces it off' } : { threshold: lb?.minHealthPercent ?? 0, why: `minHealthPercent ${lb?.minHealthPercent ?? 0}` })
    : (forcesUnhealthy ? { threshold: 0, why: 'the Service\'s trafficDistribution forces it off' }
      : version.minor >= 31 ? { threshold: 0, why: 'Istio 1.31 sends unhealthy endpoints and turns it off' } : { threshold: ENVOY_DEFAULT_PANIC_THRESHOLD, why: 'Envoy\'s default 50%' });
  const destinations = targets.filter((t) => t.percent > 0)
    .map((t) => explainDestination(ctx, lb, effective.force, panic, t, targets.length > 1, service.perClusterRouting !== undefined, notes));
  healthAssumptions(notes, ctx, destinations, service);
  const result = assembleResult(service, client, targets, destinations, noRoutePercent, notes, byName, version, effective.source);
  return { result, policy: notes.policy, outcome: notes.outcome };
}

/** Envoy's panic threshold and why it has that value. */
interface Panic {
  readonly threshold: number;
  readonly why: string;
}

/** Drained and not-Ready endpoints together cannot exceed what a cluster runs. */
function checkGone(service: ExplainService, drained: PerCluster, notReady: PerCluster): void {
  for (const [name, n] of Object.entries(notReady)) {
    const most = mostEndpoints(service, name);
    const gone = drained[name] ?? 0;
    if (n + gone > most) {
      invalid(WHERE, CONSTRUCT, `query.notReady.${name}`, n, `with ${gone} drained, the service has only ${most - gone} endpoint(s) left in ${name}`, `0 to ${Math.max(0, most - gone)}`);
    }
  }
}

/** A `localityLbSetting` with only `failoverPriority`. */
function forcedPriority(failoverPriority: string[]) {
  return { hasLocalityLbSetting: true, enabled: true, failover: [], failoverPriority, distribute: [] };
}

/** The cluster's Istio release (checked by `checkClusters`). */
function versionOf(cluster: ExplainCluster): IstioVersion {
  return cluster.istioVersion === undefined ? IstioVersion.LATEST : IstioVersion.of(cluster.istioVersion.version);
}

/** The locality setting istiod applies, and whether it is forced (no outlier detection needed). */
interface EffectiveSetting {
  readonly source: LocalitySettingSource;
  readonly lb?: ExplainLocalityLb;
  readonly force: boolean;
}

/**
 * `GetEffectiveLbSetting` (`pilot/pkg/networking/core/loadbalancer/loadbalancer.go`): the
 * DestinationRule's `localityLbSetting` (whose `enabled: false` turns everything off), else the
 * Service's traffic distribution as a forced `failoverPriority`, else the mesh default.
 */
function effectiveSetting(service: ExplainService, version: IstioVersion, notes: Notes): EffectiveSetting {
  const dr = service.localityLb;
  const td = service.trafficDistribution;
  if (dr && dr.hasLocalityLbSetting !== false) {
    if (td !== undefined) {
      notes.addPolicy(dr.enabled
        ? `DestinationRule localityLbSetting wins over the Service's trafficDistribution ${td} (GetEffectiveLbSetting: DestinationRule > Service > mesh)`
        : `DestinationRule localityLbSetting.enabled false → also turns the Service's trafficDistribution ${td} off`);
    }
    return { source: LocalitySettingSource.DESTINATION_RULE, lb: dr, force: false };
  }
  if (td !== undefined) {
    const priority = trafficDistributionPriority(td, version);
    notes.addPolicy(`Service trafficDistribution ${td}${td === TrafficDistribution.PREFER_CLOSE && version.minor >= 27 ? ' (= PreferSameZone for Istio)' : ''} → forced failoverPriority [${priority.join(', ')}]: `
      + 'priorities without outlier detection, not-Ready endpoints sent as unhealthy so failover follows readiness, panic threshold 0'
      + (dr ? '; the DestinationRule (no localityLbSetting) adds its outlier detection' : ''));
    return {
      source: LocalitySettingSource.TRAFFIC_DISTRIBUTION,
      lb: { ...(dr ?? {}), ...forcedPriority(priority), outlierDetection: dr?.outlierDetection ?? false },
      force: true,
    };
  }
  if (dr) {
    notes.addPolicy('DestinationRule without localityLbSetting → the mesh default localityLbSetting {enabled: true} with the rule\'s outlier detection');
    const lb = { ...dr, hasLocalityLbSetting: true, enabled: true, failover: [], failoverPriority: [], distribute: [] };
    return { source: LocalitySettingSource.MESH_DEFAULT, lb, force: false };
  }
  return { source: LocalitySettingSource.MESH_DEFAULT, force: false };
}

// ---------------------------------------------------------------------------------------------
// Input checks

// The shape of the input first (a JavaScript caller's is not type-checked): each object has only
// its interface's keys, and strings, lists, maps and flags are what the interface says.
const input: Validator = validator(WHERE, CONSTRUCT);
function checkText(field: string, x: unknown): void {
  input.string(field, x, 'a non-empty string');
}
function checkFlag(field: string, x: unknown): void {
  if (typeof x !== 'boolean') input.fail(field, x, 'must be true or false', 'true or false');
}
function checkList(field: string, x: unknown, item: (field: string, x: any) => void): void {
  if (!Array.isArray(x)) input.fail(field, x, 'must be a list', 'a list ([] for none)');
  x.forEach((e, i) => item(`${field}[${i}]`, e));
}
function checkMap(field: string, x: unknown, required: boolean): void {
  if (x === undefined && !required) return;
  if (x === null || typeof x !== 'object' || Array.isArray(x)) input.fail(field, x, 'must be a map of names to numbers', '{ "cluster-1": 2 }');
  for (const [k, n] of Object.entries(x)) if (typeof n !== 'number' || !Number.isFinite(n)) input.fail(`${field}[${JSON.stringify(k)}]`, n, 'must be a number', 'a number');
}

const MODEL_KEYS = new WeakMap<ExplainService, string>();

/**
 * The service model without its host, as JSON: explanations do not depend on the host, so the
 * renderers explain each distinct key once. Cached per model object (the mesh builds one per
 * service and client for a set of reports). @internal
 */
export function modelKey(service: ExplainService): string {
  let key = MODEL_KEYS.get(service);
  if (key === undefined) MODEL_KEYS.set(service, key = JSON.stringify({ ...service, host: '' }));
  return key;
}

/** Service models the mesh built from its validated declarations (`trustedModel`). */
const TRUSTED = new WeakSet<ExplainService>();

/**
 * Marks a model the mesh built from its own validated declarations, and returns it: `checkModel`
 * does not check it again (a report of 1,000 services per client cluster checked each one per
 * report). Frozen, so it stays as built. @internal
 */
export function trustedModel(service: ExplainService): ExplainService {
  TRUSTED.add(Object.freeze(service));
  return service;
}

/** For the renderers: the clusters and every service, before anything is drawn. @internal */
export function checkModel(clusters: readonly ExplainCluster[], services: readonly ExplainService[], construct: string): void {
  const byName = checkClusters(clusters);
  if (!Array.isArray(services)) invalid(WHERE, construct, 'services', services, 'must be a list', 'the services ([] for none)');
  services.forEach((s) => {
    if (!TRUSTED.has(s)) checkService(s, byName);
  });
}

function checkClusters(clusters: readonly ExplainCluster[]): Map<string, ExplainCluster> {
  if (!Array.isArray(clusters) || clusters.length === 0) invalid(WHERE, CONSTRUCT, 'clusters', clusters, 'at least one cluster is required', '[{ name, network, region, zones }]');
  const byName = new Map<string, ExplainCluster>();
  clusters.forEach((c, i) => {
    input.props(`clusters[${i}]`, c, ExplainClusterKeys, '{ name, network, region, zones }');
    for (const f of ['name', 'network', 'region'] as const) checkText(`clusters[${i}].${f}`, c[f]);
    checkList(`clusters[${i}].zones`, c.zones, checkText);
    if (byName.has(c.name)) invalid(WHERE, CONSTRUCT, `clusters[${i}].name`, c.name, 'duplicate cluster name', 'unique cluster names');
    checkLabels(c.labels, `clusters[${i}].labels`);
    checkSubzones(c, `clusters[${i}].subzones`);
    if (c.istioVersion !== undefined && releaseOf(c.istioVersion) === undefined) {
      invalid(WHERE, CONSTRUCT, `clusters[${i}].istioVersion`, c.istioVersion, 'not an IstioVersion', 'IstioVersion.V1_29, V1_30, V1_31 or IstioVersion.of("1.MINOR")');
    }
    byName.set(c.name, c);
  });
  return byName;
}

function checkSubzones(c: ExplainCluster, field: string): void {
  if (c.subzones === undefined) return;
  if (c.subzones === null || typeof c.subzones !== 'object' || Array.isArray(c.subzones)) invalid(WHERE, CONSTRUCT, field, c.subzones, 'must be a map of zone to sub-zones', '{ "us-east1-b": ["rack-1"] }');
  for (const [zone, list] of Object.entries(c.subzones)) {
    if (!c.zones.includes(zone)) invalid(WHERE, CONSTRUCT, `${field}[${JSON.stringify(zone)}]`, zone, 'not a zone of the cluster', `one of its zones: ${c.zones.join(', ') || '(none)'}`);
    checkList(`${field}[${JSON.stringify(zone)}]`, list, checkText);
  }
}

function checkLabels(labels: unknown, field: string): void {
  if (labels === undefined) return;
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) invalid(WHERE, CONSTRUCT, field, labels, 'must be a map of label key to value', '{ "example.com/tier": "gold" }');
  for (const [k, v] of Object.entries(labels as object)) {
    if (typeof v !== 'string') invalid(WHERE, CONSTRUCT, `${field}["${k}"]`, v, 'label values are strings', 'a string such as "gold"');
  }
}

function checkService(service: ExplainService, byName: Map<string, ExplainCluster>): void {
  input.props('service', service, ExplainServiceKeys, '{ host, replicas }');
  checkText('service.host', service.host);
  checkMap('service.replicas', service.replicas, true);
  if (service.clusterLocal !== undefined) checkFlag('service.clusterLocal', service.clusterLocal);
  const lb = input.optionalProps('service.localityLb', service.localityLb, ExplainLocalityLbKeys, '{ enabled, failover, failoverPriority, distribute, outlierDetection }');
  if (lb) {
    checkFlag('service.localityLb.enabled', lb.enabled);
    checkFlag('service.localityLb.outlierDetection', lb.outlierDetection);
    checkList('service.localityLb.failover', lb.failover, (f, e) => {
      input.props(f, e, LocalityFailoverKeys, '{ from, to }');
      checkText(`${f}.from`, e.from);
      checkText(`${f}.to`, e.to);
    });
    checkList('service.localityLb.failoverPriority', lb.failoverPriority, checkText);
    checkList('service.localityLb.distribute', lb.distribute, (f, e) => {
      input.props(f, e, LocalityDistributionKeys, '{ from, to }');
      checkText(`${f}.from`, e.from);
      checkMap(`${f}.to`, e.to, true);
    });
    input.optionalInteger('service.localityLb.minHealthPercent', lb.minHealthPercent, 0, 100);
    input.optionalInteger('service.localityLb.maxEjectionPercent', lb.maxEjectionPercent, 0, 100);
    if (lb.splitExternalLocalOriginErrors !== undefined) checkFlag('service.localityLb.splitExternalLocalOriginErrors', lb.splitExternalLocalOriginErrors);
  }
  if (service.trafficDistribution !== undefined && !Object.values(TrafficDistribution).includes(service.trafficDistribution)) {
    invalid(WHERE, CONSTRUCT, 'service.trafficDistribution', service.trafficDistribution, 'not a traffic distribution Istio reads',
      'TrafficDistribution.PREFER_CLOSE, PREFER_SAME_ZONE or PREFER_SAME_NODE');
  }
  if (service.proxy !== undefined && !Object.values(ExplainProxy).includes(service.proxy)) {
    invalid(WHERE, CONSTRUCT, 'service.proxy', service.proxy, 'not an ExplainProxy', 'ExplainProxy.SIDECAR, ZTUNNEL or WAYPOINT');
  }
  if (lb?.hasLocalityLbSetting !== undefined) checkFlag('service.localityLb.hasLocalityLbSetting', lb.hasLocalityLbSetting);
  const routing = input.optionalProps('service.perClusterRouting', service.perClusterRouting, ExplainPerClusterRoutingKeys, '{ clusters, fallbackToAllClusters }');
  if (routing) {
    checkList('service.perClusterRouting.clusters', routing.clusters, checkText);
    checkFlag('service.perClusterRouting.fallbackToAllClusters', routing.fallbackToAllClusters);
  }
  if (service.weightedSubsets !== undefined) {
    checkList('service.weightedSubsets', service.weightedSubsets, (f, s) => {
      input.props(f, s, ExplainWeightedSubsetKeys, '{ name, weight }');
      checkText(`${f}.name`, s.name);
      if (s.clusters !== undefined) checkList(`${f}.clusters`, s.clusters, checkText);
      checkMap(`${f}.replicas`, s.replicas, false);
    });
  }
  checkCounts(service.replicas, byName, 'service.replicas');
  for (const name of ['consecutive5xxErrors', 'consecutiveGatewayErrors'] as const) {
    const n = service.localityLb?.[name];
    if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 0)) {
      invalid(WHERE, CONSTRUCT, `service.localityLb.${name}`, n, 'must be a whole number ≥ 0', 'a count of consecutive errors, 0 for off');
    }
  }
  if (service.perClusterRouting && service.weightedSubsets?.length) {
    invalid(WHERE, CONSTRUCT, 'service', service.host, 'perClusterRouting and weightedSubsets both describe the VirtualService', 'one of them');
  }
  service.weightedSubsets?.forEach((s, i) => {
    if (typeof s.weight !== 'number' || !(s.weight >= 0)) invalid(WHERE, CONSTRUCT, `service.weightedSubsets[${i}].weight`, s.weight, 'must be a number ≥ 0', 'a route weight');
    if (s.healthyOverride !== undefined) checkFraction(s.healthyOverride, `service.weightedSubsets[${i}].healthyOverride`);
    if (s.replicas) checkCounts(s.replicas, byName, `service.weightedSubsets[${i}].replicas`);
    s.clusters?.forEach((c, j) => knownCluster(byName, c, `service.weightedSubsets[${i}].clusters[${j}]`));
  });
}

function resolveClient(byName: Map<string, ExplainCluster>, query: ExplainQuery): ClientProxy {
  input.props('query', query, ExplainQueryKeys, '{ from: "cluster-1" }');
  if (query.zone !== undefined) checkText('query.zone', query.zone);
  checkMap('query.healthy', query.healthy, false);
  checkMap('query.drained', query.drained, false);
  checkMap('query.notReady', query.notReady, false);
  if (query.subzone !== undefined) checkText('query.subzone', query.subzone);
  const cluster = knownCluster(byName, query?.from, 'query.from');
  if (query.zone !== undefined && !cluster.zones.includes(query.zone)) {
    invalid(WHERE, CONSTRUCT, 'query.zone', query.zone, `not a zone of ${cluster.name}`, cluster.zones.length ? `one of ${cluster.zones.map((z) => JSON.stringify(z)).join(', ')}` : 'no zone: the cluster has none');
  }
  const zone = query.zone ?? cluster.zones[0] ?? '';
  const subzones = cluster.subzones?.[zone] ?? [];
  if (query.subzone !== undefined && !subzones.includes(query.subzone)) {
    invalid(WHERE, CONSTRUCT, 'query.subzone', query.subzone, `not a sub-zone of ${cluster.name}'s zone ${JSON.stringify(zone)}`,
      subzones.length ? `one of ${subzones.map((z) => JSON.stringify(z)).join(', ')}` : 'no sub-zone: the zone has none');
  }
  return { cluster, region: cluster.region, zone, subzone: query.subzone ?? subzones[0] ?? '' };
}

function knownCluster(byName: Map<string, ExplainCluster>, name: string | undefined, field: string): ExplainCluster {
  const c = name === undefined ? undefined : byName.get(name);
  if (!c) invalid(WHERE, CONSTRUCT, field, name, 'unknown cluster', `one of ${[...byName.keys()].map((k) => JSON.stringify(k)).join(', ')}`);
  return c;
}

type PerCluster = { [cluster: string]: number };

/** More endpoints than Kubernetes runs in one cluster (150,000 pods), so the shares stay finite numbers. */
const MAX_ENDPOINTS = 1_000_000;

function checkCounts(map: PerCluster | undefined, byName: Map<string, ExplainCluster>, field: string): PerCluster {
  for (const [name, n] of Object.entries(map ?? {})) {
    knownCluster(byName, name, `${field} key`);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ENDPOINTS) {
      invalid(WHERE, CONSTRUCT, `${field}.${name}`, n, `must be a whole number from 0 to ${MAX_ENDPOINTS}`, 'a count of endpoints');
    }
  }
  return map ?? {};
}

function checkDrained(drained: PerCluster | undefined, service: ExplainService, byName: Map<string, ExplainCluster>, field: string): PerCluster {
  checkCounts(drained, byName, field);
  for (const [name, n] of Object.entries(drained ?? {})) {
    const most = mostEndpoints(service, name);
    if (n > most) invalid(WHERE, CONSTRUCT, `${field}.${name}`, n, `the service has ${most} endpoint(s) in ${name}`, `0 to ${most}`);
  }
  return drained ?? {};
}

/** The most endpoints the service (or one of its subsets) has in a cluster. */
function mostEndpoints(service: ExplainService, cluster: string): number {
  return Math.max(service.replicas[cluster] ?? 0, ...(service.weightedSubsets ?? []).map((s) => s.replicas?.[cluster] ?? 0));
}

function checkFractions(map: PerCluster | undefined, byName: Map<string, ExplainCluster>, field: string): PerCluster {
  for (const [name, f] of Object.entries(map ?? {})) {
    knownCluster(byName, name, `${field} key`);
    checkFraction(f, `${field}.${name}`);
  }
  return map ?? {};
}

function checkFraction(f: number, field: string): void {
  if (typeof f !== 'number' || !(f >= 0 && f <= 1)) invalid(WHERE, CONSTRUCT, field, f, 'must be a fraction', 'a number from 0 to 1');
}

// ---------------------------------------------------------------------------------------------
// 1. VirtualService

function resolveRoutes(service: ExplainService, client: ClientProxy, notes: Notes): { targets: RouteTarget[]; noRoutePercent: number } {
  if (service.perClusterRouting) return perClusterRoutes(service, client, notes);
  const subsets = service.weightedSubsets ?? [];
  if (subsets.length === 0) return { targets: [{ percent: 100, selection: { replicas: service.replicas } }], noRoutePercent: 0 };
  const total = subsets.reduce((sum, s) => sum + s.weight, 0);
  if (subsets.length > 1 && total === 0) {
    invalid(WHERE, CONSTRUCT, 'service.weightedSubsets', subsets.map((s) => s.weight), 'every weight is 0', 'at least one weight above 0 (istiod rejects the route otherwise)');
  }
  const targets = subsets.map((s): RouteTarget => ({
    subset: s.name,
    // route.go: a single destination gets every request whatever its weight.
    percent: subsets.length === 1 ? 100 : (100 * s.weight) / total,
    selection: {
      replicas: s.replicas ?? service.replicas,
      clusters: s.clusters ? new Set(s.clusters) : undefined,
      healthyOverride: s.healthyOverride,
    },
  }));
  notes.addPolicy(`VirtualService weights ${subsets.map((s) => `${s.name} ${s.weight}`).join(', ')}: each subset keeps its share, subsets never fail over to each other`);
  for (const t of targets) if (t.percent === 0) notes.addPolicy(`weight 0 → subset ${t.subset} gets nothing`);
  return { targets, noRoutePercent: 0 };
}

function perClusterRoutes(service: ExplainService, client: ClientProxy, notes: Notes): { targets: RouteTarget[]; noRoutePercent: number } {
  const routing = service.perClusterRouting!;
  const from = client.cluster.name;
  if (routing.clusters.includes(from)) {
    const subset = clusterSubsetName(from);
    notes.addPolicy(`per-cluster routing: the caller matches sourceLabels ${TopologyLabel.CLUSTER}=${from} → 100% to subset ${subset} (no failover across subsets)`);
    return { targets: [{ subset, percent: 100, selection: { replicas: service.replicas, clusters: new Set([from]) } }], noRoutePercent: 0 };
  }
  if (routing.fallbackToAllClusters) {
    notes.addPolicy(`per-cluster routing: no route for callers in ${from} → catch-all route to the whole host`);
    return { targets: [{ percent: 100, selection: { replicas: service.replicas } }], noRoutePercent: 0 };
  }
  notes.addPolicy(`per-cluster routing: no route matches callers in ${from} and there is no catch-all → 404 NR`);
  return { targets: [], noRoutePercent: 100 };
}

// ---------------------------------------------------------------------------------------------
// 2-4. One destination

function explainDestination(
  ctx: EndpointContext, lb: ExplainLocalityLb | undefined, force: boolean, panic: Panic, target: RouteTarget, split: boolean,
  subsetRule: boolean, notes: Notes,
): DestinationOutcome {
  const panicThreshold = panic.threshold;
  const prefix = split && target.subset ? `subset ${target.subset}: ` : '';
  let groups = buildEndpointGroups(ctx, target.selection);
  describeGateways(groups, ctx, notes);
  // per-cluster routing puts its subsets on a DestinationRule, also when this route names no subset
  const { localityWeighted, removed } = applyLocality(groups, ctx, lb, force, subsetRule || target.subset !== undefined, notes);
  if (removed.length) {
    const stripped = new Set(removed);
    groups = groups.filter((g) => !stripped.has(g));
  }
  describeEjection(ctx, lb, notes);
  if (ctx.ejectsFailing) groups = capEjections(groups, ctx, lb, prefix, notes);
  const envoy = balance(groups, localityWeighted, panicThreshold);
  const outcome: DestinationOutcome = { target, groups, envoy, localityWeighted };
  describePriorities(outcome, notes);
  describeHealth(outcome, ctx, panic, prefix, notes);
  return outcome;
}

/**
 * What the outlier detection can eject, as istiod's `applyOutlierDetection`
 * (`pilot/pkg/networking/core/cluster_traffic_policy.go`, 1.30.3) configures Envoy: the usual 5xx
 * ejection in one line with its numbers (defaults included, e.g. the library's default outlier
 * detection), and a reason for each setting that changes it.
 */
function describeEjection(ctx: EndpointContext, lb: ExplainLocalityLb | undefined, notes: Notes): void {
  if (!lb || !ctx.outlierDetection) return;
  if (ctx.ejectsFailing && lb.consecutive5xxErrors !== 0) {
    notes.addPolicy(`outlier detection ejects a host after ${lb.consecutive5xxErrors ?? 5} consecutive 5xx${lb.consecutive5xxErrors === undefined ? ' (Envoy\'s default)' : ''}, `
      + `at most ${effectiveMaxEjectionPercent(lb.maxEjectionPercent)}% of the hosts at once${lb.maxEjectionPercent ? '' : ' (Envoy\'s default)'}`);
  }
  if (lb.maxEjectionPercent === 0) notes.addPolicy('maxEjectionPercent 0 is not passed on (istiod sets it only above 0) → Envoy\'s default 10%');
  if (!ctx.ejectsFailing) {
    const gateway = lb.consecutiveGatewayErrors === undefined ? 'consecutiveGatewayErrors not set' : 'consecutiveGatewayErrors 0';
    const priorities = lb.enabled && lb.distribute.length === 0;
    notes.addPolicy(`5xx ejection off (consecutive5xxErrors: 0) and no gateway-error ejection (${gateway}) → failing endpoints are never ejected: `
      + (priorities ? 'they keep their share and nothing fails over because of them (only drained endpoints leave)' : 'they keep their share'));
  } else if (lb.consecutive5xxErrors === 0) {
    notes.addPolicy(`5xx ejection off (consecutive5xxErrors: 0), gateway-error ejection on (consecutiveGatewayErrors: ${lb.consecutiveGatewayErrors}) → failing endpoints (503, a gateway error) are still ejected`);
  }
  if (lb.splitExternalLocalOriginErrors) {
    notes.addPolicy('splitExternalLocalOriginErrors → local-origin failures (connect failures, timeouts, resets) eject on their own count'
      + (ctx.ejectsFailing ? '' : '; failing endpoints here answer 503, so it ejects none of them'));
  }
}

/** `maxEjectionPercent`: how many of the failing hosts Envoy may really eject. */
function capEjections(
  groups: EndpointGroup[], ctx: EndpointContext, lb: ExplainLocalityLb | undefined, prefix: string, notes: Notes,
): EndpointGroup[] {
  const { groups: capped, cap } = applyEjectionCap(groups, ctx.maxEjectionPercent);
  if (cap.stillUsed === 0) return groups;
  const given = lb?.maxEjectionPercent;
  const setting = `maxEjectionPercent ${ctx.maxEjectionPercent}${given === undefined ? ' (default)' : given === 0 ? ' (0 = Envoy\'s default)' : ''}`;
  notes.addOutcome(`${prefix}${setting} of ${cap.hosts} hosts → Envoy ejects at most ${cap.ejectable}: ${cap.stillUsed} of ${cap.failing} failing host(s) stay in use and answer errors (set maxEjectionPercent: 100)`);
  return capped;
}

function describeGateways(groups: EndpointGroup[], ctx: EndpointContext, notes: Notes): void {
  const weights = new Map<ExplainCluster, number>();
  for (const g of groups) if (g.viaGateway) weights.set(g.cluster, (weights.get(g.cluster) ?? 0) + g.hostWeight);
  for (const [cluster, weight] of weights) {
    notes.addPolicy(`remote network ${cluster.network} → via east-west gateway of ${cluster.name}, weight ${weight}`);
  }
  if (weights.size && ctx.ejectsFailing) notes.addPolicy('outlier detection sees each gateway endpoint as one host: ejecting it removes all its endpoints at once');
}

/** istiod's locality pass (`ApplyLocalityLoadBalancer`): distribute, else priorities when failover is enabled. */
function applyLocality(
  groups: EndpointGroup[], ctx: EndpointContext, lb: ExplainLocalityLb | undefined, force: boolean, subset: boolean, notes: Notes,
): { localityWeighted: boolean; removed: EndpointGroup[] } {
  const client = ctx.client;
  if (!lb) {
    notes.addPolicy(subset
      ? 'DestinationRule with subsets only: mesh default locality LB without outlier detection → all endpoints at priority 0, locality ignored'
      : 'no DestinationRule: mesh default locality LB without outlier detection → all endpoints at priority 0, locality ignored');
    return { localityWeighted: false, removed: [] };
  }
  if (!lb.enabled) {
    notes.addPolicy('localityLbSetting.enabled false → no locality load balancing: all endpoints at priority 0');
    return { localityWeighted: false, removed: [] };
  }
  if (lb.distribute.length > 0) return { localityWeighted: true, removed: distributeStep(groups, client, lb, notes) };
  if (!lb.outlierDetection && !force) {
    notes.addPolicy('no outlier detection → all endpoints at priority 0, locality ignored');
    if (lb.failover.length || lb.failoverPriority.length) notes.addPolicy('failover/failoverPriority have no effect without outlier detection');
    return { localityWeighted: false, removed: [] };
  }
  if (!force) notes.addPolicy('outlier detection set → locality priorities on');
  if (lb.failoverPriority.length > 0) failoverPriorityStep(groups, ctx, lb, notes);
  if (lb.failoverPriority.length === 0 || lb.failover.length > 0) failoverStep(groups, client, lb, notes);
  // cluster_traffic_policy.go: LocalityWeightedLbConfig when failover is enabled and failover/failoverPriority is set.
  return { localityWeighted: lb.failover.length > 0 || lb.failoverPriority.length > 0, removed: [] };
}

/** `applyLocalityWeights`, with its reasons; returns the groups istiod strips. */
function distributeStep(groups: EndpointGroup[], client: ClientProxy, lb: ExplainLocalityLb, notes: Notes): EndpointGroup[] {
  if (lb.outlierDetection) notes.addPolicy('distribute set → locality weights, no priorities (failover is not applied with distribute)');
  const { entry, removed, zeroWeightKeys } = applyDistribute(groups, client, lb.distribute);
  if (!entry) {
    notes.addPolicy(`distribute: no entry's from matches ${clientLocality(client)} → locality weights unchanged`);
    return removed;
  }
  const to = Object.entries(entry.to).map(([l, w]) => `${l}: ${w}`).join(', ');
  notes.addPolicy(`distribute ${entry.from} → {${to}}: unlisted localities get nothing`);
  if (removed.length) {
    const localities = [...new Set(removed.map((g) => `${localityOf(g)} (${g.cluster.name})`))].join(', ');
    notes.addPolicy(`istiod strips the endpoints of unlisted ${localities}: no traffic even when every listed locality is down`);
  }
  for (const key of zeroWeightKeys) notes.addPolicy(`distribute weight 0 for ${key} keeps its original weight (istiod sets weights only when > 0)`);
  return removed;
}

/** `applyFailoverPriorities`, with its reasons. */
function failoverPriorityStep(groups: EndpointGroup[], ctx: EndpointContext, lb: ExplainLocalityLb, notes: Notes): void {
  const client = ctx.client;
  const declared = declaredLabelKeys(ctx.clusters);
  const version = versionOf(client.cluster);
  const networkPreferred = version.minor >= 31;
  const unknown = applyFailoverPriority(groups, client, lb.failoverPriority, declared, networkPreferred);
  const n = lb.failoverPriority.length;
  notes.addPolicy(`failoverPriority [${lb.failoverPriority.join(', ')}] → priority = ${n} − leading labels matched`);
  const first = lb.failoverPriority[0].split('=')[0];
  if (first === TopologyLabel.NETWORK && groups.some((g) => g.cluster.network !== client.cluster.network)) {
    notes.addPolicy(networkPreferred && lb.failoverPriority[0] === TopologyLabel.NETWORK
      ? `Istio ${version.version}: the network is preferred, not required (istio/istio#60829) → a network mismatch adds ${n} and the other keys still rank endpoints on other networks`
      : `Istio ${version.version}: a network mismatch ends the match → endpoints on other networks get the lowest priority`);
  }
  const localityKeys = [TopologyLabel.REGION, TopologyLabel.ZONE, TopologyLabel.SUBZONE] as string[];
  if (groups.some((g) => g.viaGateway) && lb.failoverPriority.some((k) => localityKeys.includes(k.split('=')[0]))) {
    notes.addPolicy('gateway endpoints carry only cluster and network labels (ep_filters.go) → region/zone/subzone keys never match them');
  }
  podLabelNotes(groups, client, lb, declared, notes);
  if (lb.failoverPriority.some((k) => parseFailoverPriorityKey(k).label === TopologyLabel.HOSTNAME)) {
    notes.assume(`${TopologyLabel.HOSTNAME}: the engine has no nodes, so every endpoint is assumed to run on another node than the client `
      + `(and on none that a ${TopologyLabel.HOSTNAME}=<node> entry names): it matches no endpoint; gateway endpoints carry no hostname label (it reads "")`);
  }
  for (const label of unknown) notes.assume(`failoverPriority label ${label} is not modelled: every endpoint counts as a mismatch`);
}

/**
 * Declared pod labels (`ExplainCluster.labels`) in failoverPriority: where the values come from,
 * and what the gateway endpoints (which carry none, ep_filters.go) make of them.
 */
function podLabelNotes(groups: EndpointGroup[], client: ClientProxy, lb: ExplainLocalityLb, declared: ReadonlySet<string>, notes: Notes): void {
  const keys = lb.failoverPriority.map(parseFailoverPriorityKey).filter((k) => isDeclaredPodLabel(k.label, declared));
  if (keys.length === 0) return;
  const own = Object.entries(client.cluster.labels ?? {}).filter(([k]) => declared.has(k)).map(([k, v]) => `${k}=${v}`);
  notes.assume(`declared pod labels: each endpoint carries the labels declared for its cluster and the client pod those of ${client.cluster.name} `
    + `(${own.length ? own.join(', ') : 'none'}); a label its cluster does not declare is absent (reads "")`);
  if (!groups.some((g) => g.viaGateway)) return;
  for (const { label, value } of keys) {
    const labels = client.cluster.labels ?? {};
    const expected = value ?? (Object.prototype.hasOwnProperty.call(labels, label) ? labels[label] : '');
    const entry = value !== undefined ? `${label}=${value}` : `${label} (${expected ? expected : 'absent'} on the client)`;
    notes.addPolicy(`gateway endpoints carry no pod labels (ep_filters.go) → ${entry} ${expected === '' ? 'matches them (absent reads "")' : 'never matches them'}`);
  }
}

/** `applyLocalityFailover`, with its reasons. */
function failoverStep(groups: EndpointGroup[], client: ClientProxy, lb: ExplainLocalityLb, notes: Notes): void {
  applyLocalityFailover(groups, client, lb.failover);
  if (lb.failoverPriority.length > 0) notes.addPolicy('failover with failoverPriority → priority = failoverPriority × 5 + locality priority, compacted');
  const entry = lb.failover.find((f) => f.from === client.region);
  if (entry) {
    notes.addPolicy(`failover ${entry.from} → ${entry.to}: other regions demoted`);
  } else if (lb.failover.length > 0) {
    notes.addPolicy(`no failover entry starts from ${client.region} → default priorities (same zone, same region, elsewhere)`);
  }
}

function describePriorities(outcome: DestinationOutcome, notes: Notes): void {
  const levels = outcome.envoy.levels;
  if (levels.length < 2) return;
  const line = levels.map((l) => `P${l.priority} ${[...new Set(l.groups.map((g) => g.cluster.name + (g.viaGateway ? ' (gateway)' : '')))].join(' + ')}`).join('; ');
  notes.addPolicy(`priorities (compacted, no gaps): ${line}`);
}

function describeHealth(outcome: DestinationOutcome, ctx: EndpointContext, panic: Panic, prefix: string, notes: Notes): void {
  const panicThreshold = panic.threshold;
  const { envoy, groups } = outcome;
  if (groups.length === 0) {
    notes.addOutcome(`${prefix}no endpoints → empty ClusterLoadAssignment → 503 no healthy upstream`);
    return;
  }
  const levels = envoy.levels;
  if (ctx.ejectsFailing) {
    for (const cluster of new Set(groups.filter((g) => g.viaGateway && g.eligibleHosts === 0).map((g) => g.cluster.name))) {
      notes.addOutcome(`${prefix}no healthy endpoint in ${cluster}'s network → its gateway host is ejected`);
    }
  }
  const degraded = levels.some((l) => l.health < 100);
  if (levels.some((l) => l.eligibleHosts < l.hosts)) {
    notes.addOutcome(prefix + levels.map((l) => `P${l.priority} ${l.eligibleHosts}/${l.hosts} hosts healthy → health ${l.health}% → ${l.load}%${l.panic ? ' (panic)' : ''}`).join('; '));
  }
  if (envoy.normalizedTotalHealth === 0 && panicThreshold === 0) {
    notes.addOutcome(`${prefix}no healthy host and panic mode disabled (${panic.why}) → 503 no healthy upstream`);
  } else if (envoy.normalizedTotalHealth < 100 && degraded) {
    notes.addOutcome(`${prefix}total health ${envoy.normalizedTotalHealth}% < 100% → priority loads normalized`);
  }
  for (const l of levels.filter((x) => x.panic)) {
    notes.addOutcome(`${prefix}P${l.priority} in panic (${Math.round((100 * l.eligibleHosts) / l.hosts)}% healthy < threshold ${panicThreshold}%) → all its hosts used, failing ones included`);
  }
  const failed = groups.reduce((s, g) => s + g.failed, 0);
  if (failed > 0 && !ctx.outlierDetection) {
    notes.addOutcome(`${prefix}no outlier detection: Envoy cannot tell failing endpoints apart → ${percent(failed)} of requests fail`);
  } else if (failed > 0 && !ctx.ejectsFailing) {
    notes.addOutcome(`${prefix}outlier detection ejects no failing endpoint (5xx ejection off) → ${percent(failed)} of requests fail`);
  }
  if (outcome.localityWeighted) {
    const zeroLocalities = levels.filter((l) => l.load > 0).some((l) => localitiesOf(l.groups).every((x) => x.eligibleHosts === 0));
    if (zeroLocalities) notes.addOutcome(`${prefix}no locality has a healthy host → Envoy picks among the priority's healthy hosts`);
  }
}

// ---------------------------------------------------------------------------------------------
// Assumptions

function baseAssumptions(notes: Notes, client: ClientProxy, query: ExplainQuery, version: IstioVersion): void {
  const unhealthy = version.minor >= 31 ? 'PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS on (1.31\'s default)' : 'PILOT_SEND_UNHEALTHY_ENDPOINTS off';
  notes.assume(`Istio ${version.version} istiod${version.isNewerThanModelled ? ' (modelled as ' + IstioVersion.LATEST.version + ')' : ''} and Envoy defaults: ENABLE_LOCALITY_WEIGHTED_LB_CONFIG off, ${unhealthy}, `
    + 'meshConfig.localityLbSetting {enabled: true}, overprovisioning factor 1.4 with Envoy\'s integer percent arithmetic for priority health and load');
  notes.assume('endpoints are spread round-robin over their cluster\'s localities (zones, or the sub-zones of each zone; replica i → localities[i % n])');
  const zoneSource = query.zone !== undefined ? 'zone given' : client.zone ? 'first zone of its cluster' : 'its cluster has no zones';
  notes.assume(`client locality ${clientLocality(client)} (${zoneSource})`);
  notes.assume('requests spread in proportion to host weight (steady-state ROUND_ROBIN / LEAST_REQUEST, every request costs the same)');
}

function healthAssumptions(notes: Notes, ctx: EndpointContext, destinations: DestinationOutcome[], service: ExplainService): void {
  const groups = destinations.flatMap((d) => d.groups);
  const failing = groups.some((g) => g.healthyEndpoints < g.endpoints);
  const overridden = service.weightedSubsets?.some((s) => s.healthyOverride !== undefined) ?? false;
  if (failing || Object.keys(ctx.healthy).length || overridden) {
    notes.assume('healthy endpoints = round(endpoints × fraction), half up, the first ones in round-robin order; the others stay in EDS (Ready pods whose requests fail)');
  }
  const lb = service.localityLb;
  if (failing && ctx.ejectsFailing) {
    notes.assume('steady state: outlier detection has ejected as many failing hosts as maxEjectionPercent allows (counted over all hosts of the destination), those with the lowest priority number first');
  }
  if (failing && ctx.outlierDetection && (lb?.consecutive5xxErrors === 0 || lb?.splitExternalLocalOriginErrors)) {
    notes.assume('failing endpoints answer HTTP 503, an external 5xx and gateway error: 5xx ejection (consecutive5xxErrors unset or above 0) or gateway-error ejection '
      + '(consecutiveGatewayErrors above 0) ejects them; unreachable endpoints (connect failures, timeouts, resets: local-origin ejection) are not modelled');
  }
  if (failing && ctx.ejectsFailing && (lb?.minHealthPercent ?? 0) > 0) {
    notes.assume(`minHealthPercent ${lb!.minHealthPercent} is Envoy's healthy_panic_threshold: Istio's "outlier detection disabled below minHealthPercent" is Envoy's panic mode, `
      + 'decided per priority over that priority\'s hosts and only while the priorities\' total health is under 100%; a priority in panic uses all its hosts, ejected ones included');
  }
  if (Object.values(ctx.drained).some((n) => n > 0)) {
    notes.assume('drained endpoints (terminating or deleted pods) have left EDS; the remaining ones keep the round-robin locality spread');
  }
  if (Object.values(ctx.notReady).some((n) => n > 0)) {
    notes.assume(ctx.sendsUnhealthy
      ? 'not-Ready endpoints are in EDS as unhealthy hosts: they count for their priority\'s health, receive nothing, and a gateway\'s weight includes them'
      : 'not-Ready endpoints have left EDS (istiod sends unhealthy endpoints only from 1.31, or for a Service with trafficDistribution, and not with minHealthPercent > 0)');
  }
  if (groups.some((g) => g.viaGateway)) {
    notes.assume('one east-west gateway per cluster; requests through it count for its cluster (it could also reach other clusters of its network); weights are shown unscaled (istiod multiplies all of them by the same LCM of gateways per network)');
    notes.assume(ctx.outlierDetection && !ctx.ejectsFailing
      ? 'a gateway endpoint is never ejected (its DestinationRule ejects nothing): requests through it fail in the proportion of its network\'s failing endpoints'
      : 'a gateway endpoint answers while its network has a healthy endpoint of the destination (the gateway serves its whole network): the gateway (same DestinationRule) ejects its failing endpoints as far as maxEjectionPercent allows and balances over the rest; without outlier detection requests through it fail in the proportion of the network\'s failing endpoints');
  }
}

// ---------------------------------------------------------------------------------------------
// Result

function assembleResult(
  service: ExplainService, client: ClientProxy, targets: RouteTarget[], destinations: DestinationOutcome[],
  noRoutePercent: number, notes: Notes, byName: Map<string, ExplainCluster>, version: IstioVersion, source: LocalitySettingSource,
): ExplainResult {
  const priorities: PriorityLevel[] = [];
  let noHealthyUpstream = 0;
  for (const d of destinations) {
    const scale = d.target.percent / 100;
    noHealthyUpstream += d.envoy.noHealthyUpstream * scale;
    for (const level of d.envoy.levels) priorities.push(priorityLevel(level, d, scale));
  }
  const clusters = clusterShares(byName.keys(), destinations.flatMap((d) => d.groups.map((landing) => ({ landing, scale: d.target.percent / 100 }))));
  const routes: RouteShare[] = targets.map((t) => ({ subset: t.subset, percent: clean(t.percent) }));
  return {
    from: client.cluster.name,
    host: service.host,
    clientLocality: clientLocality(client),
    istioVersion: version.version,
    localitySetting: source,
    proxy: service.proxy ?? ExplainProxy.SIDECAR,
    routes,
    priorities,
    clusters,
    noHealthyUpstreamPercent: clean(noHealthyUpstream),
    failedPercent: clean(clusters.reduce((s, c) => s + c.failedPercent, 0)),
    noRoutePercent,
    reasons: [...notes.policy, ...notes.outcome],
    assumptions: [...notes.assumptions],
  };
}

function priorityLevel(level: EnvoyOutcome['levels'][number], d: DestinationOutcome, scale: number): PriorityLevel {
  const lbWeights = d.localityWeighted ? new Map(localitiesOf(level.groups).flatMap((l) => l.groups.map((g) => [g, l.weight] as const))) : undefined;
  return {
    priority: level.priority,
    subset: d.target.subset,
    healthPercent: level.health,
    loadPercent: level.load,
    panic: level.panic,
    localities: level.groups.map((g): LocalityGroup => ({
      cluster: g.cluster.name,
      network: g.cluster.network,
      region: g.region,
      zone: g.zone || undefined,
      subzone: g.subzone || undefined,
      endpoints: g.endpoints,
      healthyEndpoints: g.healthyEndpoints,
      viaGateway: g.viaGateway,
      hosts: g.hosts,
      hostWeight: g.hostWeight,
      lbWeight: lbWeights?.get(g),
      trafficPercent: clean(g.traffic * scale),
      failedPercent: clean(g.failed * scale),
    })),
  };
}

function clientLocality(client: ClientProxy): string {
  return localityOf(client);
}
