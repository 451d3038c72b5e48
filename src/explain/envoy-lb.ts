/**
 * How Envoy spreads one destination's requests over the priorities and hosts istiod sent it,
 * reproducing `source/common/upstream/load_balancer_impl.cc` (`LoadBalancerBase::
 * recalculatePerPriorityState`, `distributeLoad`, `recalculatePerPriorityPanic`,
 * `recalculateLoadInTotalPanic`, `isHostSetInPanic`, `ZoneAwareLoadBalancerBase::hostSourceToUse`)
 * and `HostSetImpl::effectiveLocalityWeight`, in steady state:
 *
 * - priority health = `min(100, 140 × healthy / hosts)` in integer arithmetic (host counts, not
 *   weights: Istio never sets `weighted_priority_health`; overprovisioning factor 140 is Envoy's
 *   default, Istio does not set it);
 * - priority load = `min(remaining, health × 100 / normalized total health)`, rounding leftovers to
 *   the first priority with health;
 * - panic: only when the normalized total health is below 100, per priority, when
 *   `100 × healthy / hosts < healthy_panic_threshold`; all priorities in panic → load by host count;
 * - within a priority: in panic all hosts by weight; with `LocalityWeightedLbConfig` a locality
 *   by `weight × min(1, 1.4 × healthy / hosts)` then its healthy hosts by weight (no locality
 *   pickable → the priority's healthy hosts); otherwise the priority's healthy hosts by weight.
 * @internal
 */
import { EndpointGroup } from './endpoints';

/** Envoy's default overprovisioning factor (percent). @internal */
export const OVERPROVISIONING_FACTOR = 140;

/** One Envoy priority level. @internal */
export interface EnvoyPriority {
  readonly priority: number;
  readonly groups: EndpointGroup[];
  readonly hosts: number;
  readonly eligibleHosts: number;
  readonly health: number;
  load: number;
  panic: boolean;
}

/** The outcome for one destination. Percentages are of this destination's requests. @internal */
export interface EnvoyOutcome {
  readonly levels: EnvoyPriority[];
  readonly normalizedTotalHealth: number;
  /** Percent answered 503 `no healthy upstream`. */
  noHealthyUpstream: number;
}

/**
 * Spreads 100% of one destination's requests; sets `traffic` and `failed` on every group.
 * @internal
 */
export function balance(groups: EndpointGroup[], localityWeighted: boolean, panicThreshold: number): EnvoyOutcome {
  const levels = priorityLevels(groups);
  const normalizedTotalHealth = Math.min(100, sum(levels, (l) => l.health));
  const outcome: EnvoyOutcome = { levels, normalizedTotalHealth, noHealthyUpstream: 0 };
  if (levels.length === 0) {
    outcome.noHealthyUpstream = 100;
    return outcome;
  }
  if (normalizedTotalHealth === 0 && panicThreshold === 0) {
    // "panic is disabled and there is no hosts available": P0 gets the load, nothing is picked.
    levels[0].load = 100;
    outcome.noHealthyUpstream = 100;
    return outcome;
  }
  if (normalizedTotalHealth > 0) distributeLoad(levels, normalizedTotalHealth);
  markPanic(levels, normalizedTotalHealth, panicThreshold);
  if (levels.every((l) => l.panic)) loadInTotalPanic(levels);
  for (const level of levels) outcome.noHealthyUpstream += spreadInPriority(level, localityWeighted);
  return outcome;
}

function priorityLevels(groups: EndpointGroup[]): EnvoyPriority[] {
  const byPriority = new Map<number, EndpointGroup[]>();
  for (const g of groups) {
    const list = byPriority.get(g.priority);
    if (list) list.push(g); else byPriority.set(g.priority, [g]);
  }
  return [...byPriority.keys()].sort((a, b) => a - b).map((priority) => {
    const members = byPriority.get(priority)!;
    const hosts = sum(members, (g) => g.hosts);
    const eligibleHosts = sum(members, (g) => g.eligibleHosts);
    return { priority, groups: members, hosts, eligibleHosts, health: priorityHealth(eligibleHosts, hosts), load: 0, panic: false };
  });
}

/** `min(100, overprovisioningFactor × healthy / hosts)`, uint32 arithmetic. @internal */
export function priorityHealth(healthyHosts: number, hosts: number): number {
  if (hosts === 0) return 0;
  return Math.min(100, Math.floor((OVERPROVISIONING_FACTOR * healthyHosts) / hosts));
}

/** `distributeLoad` for healthy hosts, then leftovers to the first priority with health (no degraded hosts in Istio). */
function distributeLoad(levels: EnvoyPriority[], normalizedTotalHealth: number): void {
  let remaining = 100;
  let firstAvailable = -1;
  levels.forEach((level, i) => {
    if (firstAvailable < 0 && level.health > 0) firstAvailable = i;
    level.load = Math.min(remaining, Math.floor((level.health * 100) / normalizedTotalHealth));
    remaining -= level.load;
  });
  if (remaining > 0) levels[firstAvailable].load += remaining;
}

/** `recalculatePerPriorityPanic` + `isHostSetInPanic` (strict `<`, double arithmetic). */
function markPanic(levels: EnvoyPriority[], normalizedTotalHealth: number, panicThreshold: number): void {
  for (const level of levels) {
    const healthyPercent = level.hosts === 0 ? 0 : (100 * level.eligibleHosts) / level.hosts;
    level.panic = normalizedTotalHealth === 100 ? false : healthyPercent < panicThreshold;
  }
}

/** `recalculateLoadInTotalPanic`: load by host count, whatever the health; leftovers to the first non-empty priority. */
function loadInTotalPanic(levels: EnvoyPriority[]): void {
  const total = sum(levels, (l) => l.hosts);
  let remaining = 100;
  for (const level of levels) {
    level.load = Math.floor((100 * level.hosts) / total);
    remaining -= level.load;
  }
  levels.find((l) => l.hosts > 0)!.load += remaining;
}

/** Spreads one priority's load over its groups; returns the part no host can take (503 UH). */
function spreadInPriority(level: EnvoyPriority, localityWeighted: boolean): number {
  if (level.load === 0) return 0;
  if (level.panic) return spreadOverAllHosts(level.groups, level.load);
  if (localityWeighted) return spreadByLocality(level.groups, level.load);
  return spreadOverEligibleHosts(level.groups, level.load);
}

/** Panic mode (`HostsSource::AllHosts`): every host by weight; requests to hosts that do not answer fail. */
function spreadOverAllHosts(groups: EndpointGroup[], load: number): number {
  const totalWeight = sum(groups, (g) => g.hostWeight);
  for (const g of groups) {
    const share = (load * g.hostWeight) / totalWeight;
    g.traffic += share;
    g.failed += (share * (g.hostWeight - g.answeringWeight)) / g.hostWeight;
  }
  return 0;
}

/** `HostsSource::HealthyHosts` (or one locality's): eligible hosts by weight. */
function spreadOverEligibleHosts(groups: EndpointGroup[], load: number): number {
  const totalWeight = sum(groups, (g) => g.eligibleWeight);
  if (totalWeight === 0) return load;
  for (const g of groups) {
    const share = (load * g.eligibleWeight) / totalWeight;
    g.traffic += share;
    g.failed += share * (1 - g.successWhenEligible);
  }
  return 0;
}

/** `chooseHealthyLocality` over the priority's localities, then that locality's healthy hosts. */
function spreadByLocality(groups: EndpointGroup[], load: number): number {
  const localities = localitiesOf(groups);
  const effective = localities.map((l) => effectiveLocalityWeight(l.weight, l.eligibleHosts, l.hosts));
  const totalEffective = effective.reduce((a, b) => a + b, 0);
  // No locality can be picked: Envoy falls back to the priority's healthy hosts.
  if (totalEffective === 0) return spreadOverEligibleHosts(groups, load);
  let unserved = 0;
  localities.forEach((l, i) => {
    if (effective[i] > 0) unserved += spreadOverEligibleHosts(l.groups, (load * effective[i]) / totalEffective);
  });
  return unserved;
}

/** `effectiveLocalityWeight`: `weight × min(1, 1.4 × healthy / hosts)`. @internal */
export function effectiveLocalityWeight(weight: number, healthyHosts: number, hosts: number): number {
  if (hosts === 0) return 0;
  return weight * Math.min(1, (OVERPROVISIONING_FACTOR / 100) * (healthyHosts / hosts));
}

interface EnvoyLocality { readonly groups: EndpointGroup[]; weight: number; hosts: number; eligibleHosts: number }

/**
 * The LocalityLbEndpoints of one priority, keyed by locality (several clusters can share one).
 * Weight: set by `distribute`, else the sum of host weights (ep_filters.go `refreshWeight`,
 * `applyFailoverPriorityPerLocality` "reset weight").
 * @internal
 */
export function localitiesOf(groups: EndpointGroup[]): EnvoyLocality[] {
  const byKey = new Map<string, EnvoyLocality>();
  for (const g of groups) {
    const key = `${g.region}/${g.zone}/${g.subzone}`;
    let l = byKey.get(key);
    if (!l) {
      l = { groups: [], weight: 0, hosts: 0, eligibleHosts: 0 };
      byKey.set(key, l);
    }
    l.groups.push(g);
    l.weight = g.distributeWeight ?? l.weight + g.hostWeight;
    l.hosts += g.hosts;
    l.eligibleHosts += g.eligibleHosts;
  }
  return [...byKey.values()];
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += f(item);
  return total;
}
