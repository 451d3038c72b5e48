/**
 * Ambient mode without a waypoint: how the client node's ztunnel picks an endpoint, following
 * istio/ztunnel `src/state.rs` `ProxyState::load_balance` (62d8265, 2026-08-20) and istiod's WDS
 * (`pilot/pkg/serviceregistry/ambient`):
 *
 * - no DestinationRule, VirtualService or outlier detection; only Ready endpoints (health policy
 *   `ONLY_HEALTHY`), so a pod that fails while Ready keeps its share;
 * - a LOCAL (not global) service keeps only the client cluster's endpoints; a global one's
 *   endpoints on another network are one coalesced workload per network, reached through that
 *   network's east-west gateway, with capacity = its endpoints and NO locality
 *   (`multicluster.go` `createSplitHorizonWorkload`, istio/istio#60889);
 * - with a traffic distribution, `routingPreference [NETWORK, REGION, ZONE(, SUBZONE, NODE)]` in
 *   `FAILOVER` mode: each endpoint is ranked by consecutive matches, a network match adds
 *   `len - 1`, and only the best-ranked endpoints are used; without one, every endpoint;
 * - the pick is random, weighted by capacity.
 * @internal
 */
import { clean, clusterLocalities, ClientProxy, clusterShares, healthyCount, localityOf, spreadRoundRobin } from './endpoints';
import type { Explanation } from './explain-core';
import {
  ExplainCluster, ExplainProxy, ExplainService, LocalityGroup, LocalitySettingSource, PriorityLevel,
} from './model';
import { IstioVersion, TrafficDistribution } from '../versions';

type PerCluster = { readonly [cluster: string]: number };

interface ZtunnelGroup {
  readonly cluster: ExplainCluster;
  readonly region: string;
  readonly zone: string;
  readonly subzone: string;
  /** Ready endpoints (capacity). */
  readonly ready: number;
  /** Of which answer. */
  readonly healthy: number;
  readonly viaGateway: boolean;
  rank: number;
  traffic: number;
  failed: number;
}

/** ztunnel's `routingPreference` for a traffic distribution (`services.go` `preferSameZoneLoadBalancer`): no SUBZONE for PreferClose/PreferSameZone. */
function routingPreference(td: TrafficDistribution): string[] {
  return td === TrafficDistribution.PREFER_SAME_NODE ? ['NETWORK', 'REGION', 'ZONE', 'SUBZONE', 'NODE'] : ['NETWORK', 'REGION', 'ZONE'];
}

/** @internal */
export function explainZtunnel(
  clusters: readonly ExplainCluster[], service: ExplainService, client: ClientProxy,
  state: { healthy: PerCluster; drained: PerCluster; notReady: PerCluster }, version: IstioVersion,
): Explanation {
  const policy: string[] = [];
  const outcome: string[] = [];
  const assumptions: string[] = [];
  policy.push('ztunnel (ambient, no waypoint) balances the connections: DestinationRules and VirtualServices do not apply, and there is no outlier detection');
  if (service.localityLb || service.perClusterRouting || service.weightedSubsets?.length) {
    policy.push('the DestinationRule/VirtualService settings of this service are ignored by ztunnel (only a waypoint applies them)');
  }
  const local = service.clusterLocal ?? false;
  if (local) policy.push(`service not global (service scope LOCAL) → only endpoints in ${client.cluster.name}`);

  const groups: ZtunnelGroup[] = [];
  const remote = new Map<string, ExplainCluster[]>();
  for (const c of clusters) {
    if (local && c !== client.cluster) continue;
    const present = Math.max(0, (service.replicas[c.name] ?? 0) - (state.drained[c.name] ?? 0));
    const ready = Math.max(0, present - (state.notReady[c.name] ?? 0));
    const healthy = healthyCount(ready, state.healthy[c.name] ?? 1);
    if (ready === 0) continue;
    if (c.network !== client.cluster.network) {
      // coalesced per network, without locality; kept per cluster here for the shares
      groups.push({ cluster: c, region: '', zone: '', subzone: '', ready, healthy, viaGateway: true, rank: 0, traffic: 0, failed: 0 });
      remote.set(c.network, [...(remote.get(c.network) ?? []), c]);
      continue;
    }
    const localities = clusterLocalities(c);
    const perLocality = spreadRoundRobin(ready, localities.length);
    const healthyPerLocality = spreadRoundRobin(healthy, localities.length);
    localities.forEach((l, k) => {
      if (perLocality[k] > 0) {
        const counts = { ready: perLocality[k], healthy: healthyPerLocality[k] };
        groups.push({ cluster: c, region: c.region, ...l, ...counts, viaGateway: false, rank: 0, traffic: 0, failed: 0 });
      }
    });
  }
  for (const [network, members] of remote) {
    const capacity = groups.filter((g) => g.viaGateway && g.cluster.network === network).reduce((n, g) => n + g.ready, 0);
    policy.push(`network ${network} (${members.map((m) => m.name).join(', ')}) → one workload through its east-west gateway, capacity ${capacity}, no locality (istio/istio#60889)`);
  }

  const td = service.trafficDistribution;
  let source = LocalitySettingSource.NONE;
  let chosen = groups;
  if (td !== undefined) {
    source = LocalitySettingSource.TRAFFIC_DISTRIBUTION;
    const prefs = routingPreference(td);
    for (const g of groups) g.rank = rank(prefs, client, g);
    const max = Math.max(...groups.map((g) => g.rank), 0);
    chosen = groups.filter((g) => g.rank === max);
    policy.push(`Service trafficDistribution ${td} → routingPreference [${prefs.join(', ')}], FAILOVER: only the best-ranked Ready endpoints are used (a network match outranks everything else)`);
    if (prefs.includes('NODE')) assumptions.push('NODE: the engine has no nodes, so no endpoint runs on the client\'s node');
  } else {
    policy.push('no traffic distribution → every Ready endpoint, weighted by capacity (locality ignored)');
  }
  const capacity = chosen.reduce((n, g) => n + g.ready, 0);
  for (const g of chosen) {
    g.traffic = capacity === 0 ? 0 : (100 * g.ready) / capacity;
    g.failed = g.ready === 0 ? 0 : (g.traffic * (g.ready - g.healthy)) / g.ready;
  }
  const noEndpoint = groups.length === 0;
  if (noEndpoint) outcome.push('no Ready endpoint → ztunnel has nowhere to connect: the connection fails (503 for HTTP clients)');
  const failed = chosen.reduce((n, g) => n + g.failed, 0);
  if (failed > 0) outcome.push(`no outlier detection in ztunnel: failing but Ready endpoints keep their share → ${Math.round(failed * 10) / 10}% of requests fail`);

  assumptions.push(`Istio ${version.version} istiod and ztunnel; endpoints spread round-robin over their cluster's localities; only Ready endpoints are in WDS (health policy ONLY_HEALTHY)`);
  assumptions.push('connections spread in proportion to capacity (ztunnel picks at random, weighted by capacity); requests on one connection all go to the endpoint it picked');
  if (remote.size) assumptions.push('a remote network\'s gateway forwards to its network\'s Ready endpoints; requests through it fail in the proportion of that network\'s failing endpoints');

  // priorities: the rank groups, best first; only the best one is used
  const ranks = [...new Set(groups.map((g) => g.rank))].sort((a, b) => b - a);
  const priorities: PriorityLevel[] = ranks.map((r, i) => {
    const level = groups.filter((g) => g.rank === r);
    const used = level.some((g) => chosen.includes(g));
    return {
      priority: i,
      healthPercent: 100,
      loadPercent: used ? 100 : 0,
      panic: false,
      localities: level.map((g): LocalityGroup => ({
        cluster: g.cluster.name,
        network: g.cluster.network,
        region: g.viaGateway ? g.cluster.region : g.region,
        zone: g.zone || undefined,
        subzone: g.subzone || undefined,
        endpoints: g.ready,
        healthyEndpoints: g.healthy,
        viaGateway: g.viaGateway,
        hosts: 1,
        hostWeight: g.ready,
        trafficPercent: clean(g.traffic),
        failedPercent: clean(g.failed),
      })),
    };
  });
  if (priorities.length > 1) {
    const where = (l: LocalityGroup) => (l.viaGateway ? `${l.cluster} (gateway)` : [l.cluster, l.zone, l.subzone].filter(Boolean).join('/'));
    policy.push(`ranks: ${priorities.map((p) => `P${p.priority} ${[...new Set(p.localities.map(where))].join(' + ')}`).join('; ')}`);
  }
  const shares = clusterShares(clusters.map((c) => c.name), groups.map((landing) => ({ landing, scale: 1 })));
  return {
    policy,
    outcome,
    result: {
      from: client.cluster.name,
      host: service.host,
      clientLocality: localityOf(client),
      istioVersion: version.version,
      localitySetting: source,
      proxy: ExplainProxy.ZTUNNEL,
      routes: [{ percent: 100 }],
      priorities,
      clusters: shares,
      noHealthyUpstreamPercent: noEndpoint ? 100 : 0,
      failedPercent: clean(failed),
      noRoutePercent: 0,
      reasons: [...policy, ...outcome],
      assumptions,
    },
  };
}

/** ztunnel's rank: consecutive matches of the preference list; a network match adds `len - 1`, a mismatch goes on with the next scope. */
function rank(prefs: string[], client: ClientProxy, g: ZtunnelGroup): number {
  let r = 0;
  let adjust = 0;
  const networkPreferred = prefs[0] === 'NETWORK';
  for (const p of prefs) {
    let matches: boolean;
    switch (p) {
      case 'NETWORK':
        matches = g.cluster.network === client.cluster.network;
        if (networkPreferred) {
          if (!matches) continue;
          adjust = prefs.length - 1;
        }
        break;
      // the coalesced remote workload has no locality: '' never equals the client's
      case 'REGION': matches = !g.viaGateway && g.region === client.region; break;
      case 'ZONE': matches = !g.viaGateway && g.zone === client.zone; break;
      case 'SUBZONE': matches = !g.viaGateway && g.subzone === client.subzone; break;
      default: matches = false; // NODE: no nodes in the model
    }
    if (!matches) break;
    r += 1;
  }
  return r + adjust;
}
