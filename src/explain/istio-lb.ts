/**
 * How istiod turns `localityLbSetting` into Envoy priorities and locality weights for one client,
 * after the network filter (`pilot/pkg/networking/core/loadbalancer/loadbalancer.go`,
 * `ApplyLocalityLoadBalancer` and helpers; `pilot/pkg/networking/util/util.go` `LbPriority`,
 * `LocalityMatch`). Istio 1.29–1.31 semantics (1.31: the `failoverPriority` network rule).
 * @internal
 */
import { TopologyLabel } from '../labels';
import { ClientProxy, EndpointGroup } from './endpoints';
import { ExplainCluster } from './model';
import { LocalityDistribution, LocalityFailover } from '../locality';

/** Istio's `label.SplitLocalityLabel`: region, zone, subzone; extra segments are ignored. @internal */
export function splitLocalityLabel(locality: string): [string, string, string] {
  const items = locality.split('/');
  return [items[0], items[1] ?? '', items[2] ?? ''];
}

/**
 * `util.LocalityMatch`: `*` matches anything; a missing zone or subzone is a wildcard.
 * @internal
 */
export function localityMatch(region: string, zone: string, subzone: string, rule: string): boolean {
  const [ruleRegion, ruleZone, ruleSubzone] = splitLocalityLabel(rule);
  const regionMatch = ruleRegion === '*' || region === ruleRegion;
  const zoneMatch = ruleZone === '*' || ruleZone === '' || zone === ruleZone;
  const subzoneMatch = ruleSubzone === '*' || ruleSubzone === '' || subzone === ruleSubzone;
  return regionMatch && zoneMatch && subzoneMatch;
}

/**
 * `util.LbPriority`: 0 same region, zone and sub-zone; 1 same region and zone; 2 same region; 3 otherwise.
 * @internal
 */
export function lbPriority(client: ClientProxy, group: EndpointGroup): number {
  if (client.region !== group.region) return 3;
  if (client.zone !== group.zone) return 2;
  if (client.subzone !== group.subzone) return 1;
  return 0;
}

/**
 * `applyLocalityFailover`: default priorities against the client's locality (0 same zone, 2 same
 * region, 3 elsewhere), 4 for other regions than `to` when a `failover` entry starts from the
 * client's region, combined with an earlier failoverPriority pass as `prev × 5 + p`, then
 * compacted to 0..N.
 * @internal
 */
export function applyLocalityFailover(groups: EndpointGroup[], client: ClientProxy, failover: readonly LocalityFailover[]): void {
  const entry = failover.find((f) => f.from === client.region);
  for (const group of groups) {
    let p = lbPriority(client, group);
    // "region not match, apply failover settings when specified": only the first entry whose
    // `from` is the client's region counts (the Go loop breaks on it).
    if (p === 3 && entry && group.region !== entry.to) p = 4;
    group.priority = group.priority * 5 + p;
  }
  compactPriorities(groups);
}

/**
 * `applyFailoverPriorities` + `applyFailoverPriorityPerLocality`: with labels `[k1..kN]`, an endpoint
 * whose labels match the client's on the first j keys (stopping at the first mismatch) gets
 * `N - j`; `key=value` compares with the fixed value; a label missing on either side reads as ''
 * (Go's map lookup), so missing on both sides is a match. Up to Istio 1.30 a network mismatch also
 * stops the match, so another network always ranks lowest when the network is the first key.
 * `networkPreferred` (Istio 1.31, istio/istio#60829): when the first entry is exactly
 * `topology.istio.io/network`, a mismatch on it adds N and the match goes on with the next key
 * (`includesNetwork`), so `[network, region, zone]` ranks net+region+zone, net+region, net,
 * region+zone, region, none.
 * `declared`: the pod label keys some cluster declares (`ExplainCluster.labels`). Returns the keys
 * the model cannot evaluate (neither a topology label nor declared).
 * @internal
 */
export function applyFailoverPriority(
  groups: EndpointGroup[], client: ClientProxy, keys: readonly string[], declared: ReadonlySet<string>, networkPreferred: boolean,
): string[] {
  const parsed = keys.map(parseFailoverPriorityKey);
  const proxy = proxyLabels(client);
  // loadbalancer.go: `includesNetwork := lowestPriority > 0 && failoverPriorities[0] == label.TopologyNetwork.Name`
  // (the raw entry: `topology.istio.io/network=x` does not count)
  const includesNetwork = networkPreferred && keys[0] === TopologyLabel.NETWORK;
  for (const group of groups) {
    let priority = 0;
    let adjust = 0;
    for (let j = 0; j < parsed.length; j++) {
      const { label, value } = parsed[j];
      const expected = value ?? proxy(label);
      const actual = endpointLabel(group, label, declared);
      if (actual === undefined || actual !== expected) {
        if (j === 0 && includesNetwork) {
          adjust = parsed.length;
          continue;
        }
        priority = parsed.length - j;
        break;
      }
    }
    group.priority = priority + adjust;
  }
  compactPriorities(groups);
  return parsed.filter((k) => !isModelledLabel(k.label, declared)).map((k) => k.label);
}

/** `priorityLabelOverrides`: `key=value` overrides the client's value; anything else is a bare key. @internal */
export function parseFailoverPriorityKey(entry: string): { label: string; value?: string } {
  const parts = entry.split('=');
  return parts.length === 2 ? { label: parts[0], value: parts[1] } : { label: parts[0] };
}

/**
 * Labels istiod adds to endpoints and proxies itself (`label.AugmentLabels`): the engine takes
 * their values from the cluster's name, network, region and zones (and the node model below),
 * never from `ExplainCluster.labels`.
 */
const TOPOLOGY_LABELS = new Set<string>([
  TopologyLabel.NETWORK, TopologyLabel.CLUSTER, TopologyLabel.REGION, TopologyLabel.ZONE, TopologyLabel.SUBZONE, TopologyLabel.HOSTNAME,
]);

/** Whether the engine knows a label's value on every endpoint and on the client: a topology label, or one some cluster declares. @internal */
export function isModelledLabel(label: string, declared: ReadonlySet<string>): boolean {
  return TOPOLOGY_LABELS.has(label) || declared.has(label);
}

/** Whether a label is a pod label the clusters declare (not a topology label). @internal */
export function isDeclaredPodLabel(label: string, declared: ReadonlySet<string>): boolean {
  return !TOPOLOGY_LABELS.has(label) && declared.has(label);
}

/** The pod label keys the clusters declare (`ExplainCluster.labels`), topology labels left out. @internal */
export function declaredLabelKeys(clusters: readonly ExplainCluster[]): Set<string> {
  return new Set(clusters.flatMap((c) => Object.keys(c.labels ?? {})).filter((k) => !TOPOLOGY_LABELS.has(k)));
}

/**
 * The engine has no nodes: the client's node and the endpoints' node are placeholders that differ
 * from each other and from any real label value (`<` is not allowed in label values), so
 * `kubernetes.io/hostname` never matches a non-gateway endpoint: "every endpoint runs on another
 * node than the client", and no endpoint runs on the node a `kubernetes.io/hostname=<node>` entry names.
 */
const CLIENT_NODE = '<client node>';
const ENDPOINT_NODE = '<endpoint node>';

/**
 * The proxy's labels (`ads.go` `setTopologyLabels`: the pod's labels plus `AugmentLabels`); absent
 * labels read as ''. The client pod is assumed to carry its cluster's declared labels.
 */
function proxyLabels(client: ClientProxy): (label: string) => string {
  const topology = new Map<string, string>([
    [TopologyLabel.NETWORK, client.cluster.network],
    [TopologyLabel.CLUSTER, client.cluster.name],
    [TopologyLabel.REGION, client.region],
    [TopologyLabel.ZONE, client.zone],
    [TopologyLabel.SUBZONE, client.subzone],
    [TopologyLabel.HOSTNAME, CLIENT_NODE],
  ]);
  return (label) => topology.get(label) ?? podLabel(client.cluster, label);
}

/**
 * An endpoint's label as istiod sees it (`label.AugmentLabels` over the pod's labels, set by the
 * Kubernetes endpoint builder). A gateway endpoint is a fake IstioEndpoint whose labels are
 * `AugmentLabels(nil, cluster, "", "", network)` (ep_filters.go `EndpointsByNetworkFilter`, which
 * istiod runs before the locality pass): cluster and network only, so its region, zone, hostname
 * and every pod label read as ''. Returns undefined for labels the model does not know (treated
 * as a mismatch).
 */
function endpointLabel(group: EndpointGroup, label: string, declared: ReadonlySet<string>): string | undefined {
  switch (label) {
    case TopologyLabel.NETWORK: return group.cluster.network;
    case TopologyLabel.CLUSTER: return group.cluster.name;
    case TopologyLabel.REGION: return group.viaGateway ? '' : group.region;
    case TopologyLabel.ZONE: return group.viaGateway ? '' : group.zone;
    case TopologyLabel.SUBZONE: return group.viaGateway ? '' : group.subzone;
    case TopologyLabel.HOSTNAME: return group.viaGateway ? '' : ENDPOINT_NODE;
    default:
      if (!declared.has(label)) return undefined;
      return group.viaGateway ? '' : podLabel(group.cluster, label);
  }
}

/** A declared pod label of a cluster's pods; '' when the cluster does not declare it. */
function podLabel(cluster: ExplainCluster, label: string): string {
  const labels = cluster.labels ?? {};
  return Object.prototype.hasOwnProperty.call(labels, label) ? labels[label] : '';
}

/** Renumbers priorities to 0..N in order, with no gaps ("Priorities should range from 0 (highest) to N (lowest) without skipping"). @internal */
export function compactPriorities(groups: EndpointGroup[]): void {
  const distinct = [...new Set(groups.map((g) => g.priority))].sort((a, b) => a - b);
  const index = new Map(distinct.map((p, i) => [p, i]));
  for (const group of groups) group.priority = index.get(group.priority)!;
}

/** What `distribute` did for the client. @internal */
export interface DistributeOutcome {
  /** The entry used: the first whose `from` matches the client's locality. */
  readonly entry?: LocalityDistribution;
  /** Groups of localities no `to` key matches: istiod strips their endpoints. */
  readonly removed: EndpointGroup[];
  /** `to` keys with weight 0, whose localities keep their original weight (`if destWeight > 0`). */
  readonly zeroWeightKeys: string[];
}

/**
 * `applyLocalityWeights`: the first entry whose `from` matches the client's locality is used. Each
 * `to` locality's weight is shared by the localities it matches in proportion to their current
 * weight, `ceil(orig × weight / total)`; localities no `to` key matches lose all their endpoints
 * ("remove groups of endpoints in a locality that miss matched"). No priority changes.
 * @internal
 */
export function applyDistribute(groups: EndpointGroup[], client: ClientProxy, distribute: readonly LocalityDistribution[]): DistributeOutcome {
  const entry = distribute.find((d) => localityMatch(client.region, client.zone, client.subzone, d.from));
  if (!entry) return { removed: [], zeroWeightKeys: [] };
  const unclaimed = localityEntries(groups);
  const zeroWeightKeys: string[] = [];
  for (const [to, weight] of Object.entries(entry.to)) {
    const matched = [...unclaimed.values()].filter((e) => localityMatch(e.region, e.zone, e.subzone, to));
    const total = matched.reduce((sum, e) => sum + e.weight, 0);
    for (const e of matched) {
      unclaimed.delete(e.key);
      const destWeight = (e.weight * weight) / total;
      // Go: `if destWeight > 0 { LoadBalancingWeight = ceil(destWeight) }`, else the original weight stays.
      const lbWeight = destWeight > 0 ? Math.ceil(destWeight) : e.weight;
      for (const g of e.groups) g.distributeWeight = lbWeight;
    }
    if (weight <= 0 && matched.length > 0) zeroWeightKeys.push(to);
  }
  const removed = [...unclaimed.values()].flatMap((e) => e.groups);
  return { entry, removed, zeroWeightKeys };
}

interface LocalityEntry {
  readonly key: string; readonly region: string; readonly zone: string; readonly subzone: string; readonly groups: EndpointGroup[]; weight: number;
}

/** The LocalityLbEndpoints of one priority: istiod groups endpoints by locality label, whatever their cluster. */
function localityEntries(groups: EndpointGroup[]): Map<string, LocalityEntry> {
  const entries = new Map<string, LocalityEntry>();
  for (const g of groups) {
    const key = `${g.region}/${g.zone}/${g.subzone}`;
    let e = entries.get(key);
    if (!e) {
      e = { key, region: g.region, zone: g.zone, subzone: g.subzone, groups: [], weight: 0 };
      entries.set(key, e);
    }
    e.groups.push(g);
    e.weight += g.hostWeight;
  }
  return entries;
}
