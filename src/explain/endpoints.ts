/**
 * The endpoints istiod sends one client for one destination (EDS), grouped per cluster and
 * locality, before any locality load balancing:
 *
 * - subset filtering (`subsetLabels.SubsetOf(ep.Labels)`) and cluster-local filtering
 *   (`pilot/pkg/xds/endpoints/endpoint_builder.go`, `filterIstioEndpoint`) drop endpoints first;
 * - then `EndpointsByNetworkFilter` (`pilot/pkg/xds/endpoints/ep_filters.go`) replaces the
 *   endpoints of a remote network by ONE endpoint per locality: that cluster's east-west gateway,
 *   weighted by the number of endpoints it stands for, in the same LocalityLbEndpoints.
 *
 * Each group also carries Envoy's view of it (which hosts Envoy may pick, and how many of the
 * requests sent there succeed), which depends on outlier detection: Istio configures no active
 * health checks, so without outlier detection Envoy never learns that an endpoint fails.
 * @internal
 */
import { ClusterShare, ExplainCluster } from './model';

/** The client proxy. @internal */
export interface ClientProxy {
  readonly cluster: ExplainCluster;
  readonly region: string;
  /** '' when the client's cluster has no zones. */
  readonly zone: string;
  /** '' when the client's zone has no sub-zones. */
  readonly subzone: string;
}

/**
 * One cluster's endpoints in one locality, as Envoy hosts. The Istio and Envoy passes annotate
 * the mutable fields.
 * @internal
 */
export interface EndpointGroup {
  readonly cluster: ExplainCluster;
  readonly region: string;
  /** '' when the cluster has no zones. */
  readonly zone: string;
  /** '' when the zone has no sub-zones. */
  readonly subzone: string;
  /** Endpoints Envoy has, not-Ready ones included when istiod sends them (as unhealthy). */
  readonly endpoints: number;
  readonly healthyEndpoints: number;
  readonly viaGateway: boolean;
  /** Envoy hosts: the endpoints, or the one gateway endpoint. */
  readonly hosts: number;
  /** Sum of host weights: each endpoint 1, the gateway the number of endpoints it replaces. */
  readonly hostWeight: number;
  /** Hosts Envoy considers healthy (not ejected by outlier detection). */
  readonly eligibleHosts: number;
  /** Their weight. */
  readonly eligibleWeight: number;
  /** Fraction of the requests sent to an eligible host that succeed. */
  readonly successWhenEligible: number;
  /** Weight of the hosts that answer when Envoy picks among all hosts (panic mode). */
  readonly answeringWeight: number;
  /** Priority (0 until the Istio locality pass sets it). */
  priority: number;
  /** Locality weight set by `distribute` (undefined: the sum of host weights). */
  distributeWeight?: number;
  /** Percent of this destination's requests sent here / sent here and failing (set by the Envoy pass). */
  traffic: number;
  failed: number;
}

/** Which endpoints one destination (the host or a subset) selects. @internal */
export interface EndpointSelection {
  /** Endpoints per cluster. */
  readonly replicas: { readonly [cluster: string]: number };
  /** Only these clusters' endpoints (subset labels on `topology.istio.io/cluster` or a version label that only exists there). */
  readonly clusters?: ReadonlySet<string>;
  /** Healthy fraction of every selected endpoint, instead of the per-cluster one. */
  readonly healthyOverride?: number;
}

/** The mesh state the endpoints are built in. @internal */
export interface EndpointContext {
  readonly clusters: readonly ExplainCluster[];
  readonly client: ClientProxy;
  /** More than one network in the mesh: istiod knows network gateways and `EndpointsByNetworkFilter` is active. */
  readonly multiNetwork: boolean;
  readonly clusterLocal: boolean;
  readonly outlierDetection: boolean;
  /**
   * Whether that outlier detection ejects the failing endpoints (which answer 503): 5xx ejection on
   * (`consecutive5xxErrors` unset or above 0) or gateway-error ejection on (`consecutiveGatewayErrors`
   * above 0). When false, Envoy treats them as healthy, as without outlier detection, although
   * the priorities and panic threshold that outlier detection brings stay.
   */
  readonly ejectsFailing: boolean;
  /** Envoy's `max_ejection_percent` (10 when not set or 0): caps how many failing hosts Envoy ejects. */
  readonly maxEjectionPercent: number;
  readonly healthy: { readonly [cluster: string]: number };
  readonly drained: { readonly [cluster: string]: number };
  readonly notReady: { readonly [cluster: string]: number };
  /** Whether istiod sends not-Ready endpoints to Envoy, as unhealthy hosts (`supportsUnhealthyEndpoints`). */
  readonly sendsUnhealthy: boolean;
}

/**
 * Round-robin spread: `count` items over `slots` slots, item i in slot `i % slots`.
 * @internal
 */
export function spreadRoundRobin(count: number, slots: number): number[] {
  const base = Math.floor(count / slots);
  const extra = count % slots;
  const out = new Array<number>(slots);
  for (let k = 0; k < slots; k++) out[k] = base + (k < extra ? 1 : 0);
  return out;
}

/** One piece of traffic that lands in a cluster: percent sent, percent failing, through its gateway or not. @internal */
export interface Landing {
  readonly cluster: ExplainCluster;
  readonly traffic: number;
  readonly failed: number;
  readonly viaGateway: boolean;
}

/** The requests per cluster, in the clusters' order, for every cluster some landing reaches (scaled by `scale` each). @internal */
export function clusterShares(clusters: Iterable<string>, landings: Iterable<{ landing: Landing; scale: number }>): ClusterShare[] {
  const shares = new Map<string, { percent: number; failed: number; viaGateway: boolean }>();
  for (const { landing: g, scale } of landings) {
    const share = shares.get(g.cluster.name) ?? { percent: 0, failed: 0, viaGateway: g.viaGateway };
    share.percent += g.traffic * scale;
    share.failed += g.failed * scale;
    shares.set(g.cluster.name, share);
  }
  return [...clusters].filter((n) => shares.has(n)).map((n) => {
    const s = shares.get(n)!;
    return { cluster: n, percent: clean(s.percent), failedPercent: clean(s.failed), viaGateway: s.viaGateway };
  });
}

/** Removes floating-point noise from a percentage (33.33333333333334 → 33.333333333). @internal */
export function clean(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/**
 * Healthy endpoints out of `endpoints` for a fraction: `round(endpoints × fraction)`, half up.
 * @internal
 */
export function healthyCount(endpoints: number, fraction: number): number {
  return Math.min(endpoints, Math.max(0, Math.round(endpoints * fraction)));
}

/**
 * The endpoint groups of one destination for the client, in cluster order then zone order.
 * @internal
 */
export function buildEndpointGroups(ctx: EndpointContext, selection: EndpointSelection): EndpointGroup[] {
  const groups: EndpointGroup[] = [];
  const counts = (cluster: ExplainCluster): EndpointCounts => {
    const present = Math.max(0, (selection.replicas[cluster.name] ?? 0) - (ctx.drained[cluster.name] ?? 0));
    const notReady = Math.min(present, ctx.notReady[cluster.name] ?? 0);
    const ready = present - notReady;
    const healthy = healthyCount(ready, selection.healthyOverride ?? ctx.healthy[cluster.name] ?? 1);
    // Not-Ready endpoints reach Envoy (as unhealthy hosts) only when istiod sends them.
    return { endpoints: ctx.sendsUnhealthy ? present : ready, ready, healthy };
  };
  // An east-west gateway serves its whole network (ISTIO_META_REQUESTED_NETWORK_VIEW), so it
  // answers while ANY cluster of its network has a healthy endpoint of the destination.
  const networks = new Map<string, { endpoints: number; healthy: number }>();
  for (const cluster of ctx.clusters) {
    if (selection.clusters && !selection.clusters.has(cluster.name)) continue;
    const n = networks.get(cluster.network) ?? { endpoints: 0, healthy: 0 };
    const c = counts(cluster);
    // the remote gateway balances over its Ready endpoints only
    networks.set(cluster.network, { endpoints: n.endpoints + c.ready, healthy: n.healthy + c.healthy });
  }
  for (const cluster of ctx.clusters) {
    if (!isSelected(ctx, selection, cluster)) continue;
    const c = counts(cluster);
    if (c.endpoints === 0) continue;
    addClusterGroups(ctx, groups, cluster, c, networks.get(cluster.network)!);
  }
  return groups;
}

interface EndpointCounts {
  /** Endpoints in EDS. */
  readonly endpoints: number;
  /** Of which Ready. */
  readonly ready: number;
  /** Of which Ready and answering. */
  readonly healthy: number;
}

/** A cluster's localities: each zone, or each sub-zone of it; `['', '']` when it has no zones. @internal */
export function clusterLocalities(cluster: ExplainCluster): Array<{ zone: string; subzone: string }> {
  const zones = cluster.zones.length > 0 ? cluster.zones : [''];
  return zones.flatMap((zone) => {
    const subzones = cluster.subzones?.[zone] ?? [];
    return subzones.length ? subzones.map((subzone) => ({ zone, subzone })) : [{ zone, subzone: '' }];
  });
}

function isSelected(ctx: EndpointContext, selection: EndpointSelection, cluster: ExplainCluster): boolean {
  // endpoint_builder.go: a cluster-local service drops endpoints whose ClusterID differs from the proxy's.
  if (ctx.clusterLocal && cluster.name !== ctx.client.cluster.name) return false;
  return !selection.clusters || selection.clusters.has(cluster.name);
}

function addClusterGroups(
  ctx: EndpointContext, out: EndpointGroup[], cluster: ExplainCluster, counts: EndpointCounts,
  network: { endpoints: number; healthy: number },
): void {
  const localities = clusterLocalities(cluster);
  // Round-robin over the localities: Ready endpoints first (so replica i is in locality i), then
  // the not-Ready ones, the answering ones among the Ready ones in the same order.
  const perLocality = spreadRoundRobin(counts.endpoints, localities.length);
  const readyPerLocality = spreadRoundRobin(counts.ready, localities.length);
  const healthyPerLocality = spreadRoundRobin(counts.healthy, localities.length);
  // ep_filters.go: remote-network endpoints are reached through a gateway when one is known; the
  // model gives every cluster of a multi-network mesh an east-west gateway.
  const viaGateway = ctx.multiNetwork && cluster.network !== ctx.client.cluster.network;
  for (let k = 0; k < localities.length; k++) {
    if (perLocality[k] === 0) continue;
    const group = viaGateway
      ? gatewayGroup(ctx.ejectsFailing, ctx.maxEjectionPercent, perLocality[k], healthyPerLocality[k], network.endpoints, network.healthy)
      : directGroup(ctx.ejectsFailing, perLocality[k], readyPerLocality[k], healthyPerLocality[k]);
    out.push({ cluster, region: cluster.region, ...localities[k], ...group, priority: 0, traffic: 0, failed: 0 });
  }
}

type HostView = Pick<EndpointGroup, 'endpoints' | 'healthyEndpoints' | 'viaGateway' | 'hosts' | 'hostWeight'
| 'eligibleHosts' | 'eligibleWeight' | 'successWhenEligible' | 'answeringWeight'>;

/**
 * Endpoints on the client's network: one host each, weight 1. `ejects`: outlier detection ejects
 * failing endpoints. Not-Ready endpoints in EDS (`endpoints - ready`) are unhealthy hosts: they
 * count for priority health and are never picked.
 */
function directGroup(ejects: boolean, endpoints: number, ready: number, healthy: number): HostView {
  // Without ejection every Ready endpoint is healthy to Envoy; failing ones still get their share.
  const eligible = ejects ? healthy : ready;
  return {
    endpoints,
    healthyEndpoints: healthy,
    viaGateway: false,
    hosts: endpoints,
    hostWeight: endpoints,
    eligibleHosts: eligible,
    eligibleWeight: eligible,
    successWhenEligible: ejects ? 1 : ready === 0 ? 0 : healthy / ready,
    answeringWeight: healthy,
  };
}

/**
 * Endpoints on another network: one gateway host whose weight is the number of endpoints it
 * replaces (ep_filters.go `gatewayWeights`). The gateway balances over its network's endpoints of
 * the destination (every cluster and locality of that network), so its health is the network's.
 */
function gatewayGroup(
  ejects: boolean, maxEjectionPercent: number, endpoints: number, healthy: number, networkEndpoints: number, networkHealthy: number,
): HostView {
  const answers = networkHealthy > 0;
  const eligible = !ejects || answers;
  // The gateway's own outlier detection is capped like the client's: of its network's failing
  // endpoints it ejects at most maxEjectable(...); the rest keep receiving their share.
  const stillUsed = ejects ? Math.max(0, networkEndpoints - networkHealthy - maxEjectable(maxEjectionPercent, networkEndpoints)) : 0;
  return {
    endpoints,
    healthyEndpoints: healthy,
    viaGateway: true,
    hosts: 1,
    hostWeight: endpoints,
    eligibleHosts: eligible ? 1 : 0,
    eligibleWeight: eligible ? endpoints : 0,
    // With ejection the gateway (same DestinationRule) ejects its own failing endpoints;
    // without it, it sprays over all of them like the client would.
    // a network with no Ready endpoint: the gateway endpoint (no health status of its own) still
    // takes its weight, and the remote gateway answers 503 for all of it
    successWhenEligible: ratio(networkHealthy, ejects ? networkHealthy + stillUsed : networkEndpoints),
    answeringWeight: answers ? endpoints : 0,
  };
}

/** `part / whole`, 0 when there is no whole. */
function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/**
 * How many of `hosts` Envoy may eject at once: it ejects while
 * `100 × (ejected + 1) / hosts ≤ maxEjectionPercent` (`DetectorImpl::ejectHost`; Istio does not set
 * `always_eject_one_host`), so `floor(maxEjectionPercent × hosts / 100)`.
 * @internal
 */
export function maxEjectable(maxEjectionPercent: number, hosts: number): number {
  return Math.floor((Math.min(100, Math.max(0, maxEjectionPercent)) * hosts) / 100);
}

/** What the ejection cap did to one destination. @internal */
export interface EjectionCap {
  /** All hosts of the destination (every priority). */
  readonly hosts: number;
  /** Failing hosts outlier detection would eject. */
  readonly failing: number;
  /** The most it may eject. */
  readonly ejectable: number;
  /** Failing hosts left in use (failing − ejectable, at least 0). */
  readonly stillUsed: number;
}

/**
 * Applies `maxEjectionPercent` to the client's view of one destination (after istiod's locality
 * pass, so over the hosts Envoy really has): when more hosts fail than may be ejected, the failing
 * hosts of the lowest priority numbers stay ejected (they receive the most requests, so they
 * reach the consecutive-error threshold first) and the rest stay in use, answering errors.
 * Returns the new groups (same order) and what happened.
 * @internal
 */
export function applyEjectionCap(groups: EndpointGroup[], maxEjectionPercent: number): { groups: EndpointGroup[]; cap: EjectionCap } {
  const hosts = groups.reduce((n, g) => n + g.hosts, 0);
  const failing = groups.reduce((n, g) => n + g.hosts - g.eligibleHosts, 0);
  const ejectable = maxEjectable(maxEjectionPercent, hosts);
  const cap = { hosts, failing, ejectable, stillUsed: Math.max(0, failing - ejectable) };
  if (cap.stillUsed === 0) return { groups, cap };
  let budget = ejectable;
  const order = groups.map((_g, i) => i).sort((a, b) => groups[a].priority - groups[b].priority || a - b);
  const out = [...groups];
  for (const i of order) {
    const g = groups[i];
    const down = g.hosts - g.eligibleHosts;
    if (down === 0) continue;
    const ejected = Math.min(budget, down);
    budget -= ejected;
    const kept = down - ejected;
    if (kept === 0) continue;
    out[i] = g.viaGateway
      // the gateway host answers nothing (its cluster has no healthy endpoint) but stays in use
      ? { ...g, eligibleHosts: 1, eligibleWeight: g.hostWeight, successWhenEligible: 0 }
      : {
        ...g,
        eligibleHosts: g.eligibleHosts + kept,
        eligibleWeight: g.eligibleWeight + kept,
        successWhenEligible: g.eligibleHosts / (g.eligibleHosts + kept),
      };
  }
  return { groups: out, cap };
}

/** `region[/zone[/subzone]]` of a group, Istio's locality label. @internal */
export function localityOf(group: { readonly region: string; readonly zone: string; readonly subzone?: string }): string {
  if (!group.zone) return group.subzone ? `${group.region}//${group.subzone}` : group.region;
  return group.subzone ? `${group.region}/${group.zone}/${group.subzone}` : `${group.region}/${group.zone}`;
}
