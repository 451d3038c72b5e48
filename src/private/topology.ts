/** Mesh topology helpers: localities, cloud zone names, gateway host matching. @internal */
import { splitLocality } from './istio-rules';
import type { ExplainResult } from '../explain/model';

/**
 * The region a zone name belongs to when the zone follows a cloud's form for the cluster's region
 * (GKE `<region>-<letter>`, e.g. `asia-northeast1-a`; EKS `<region><letter>`, e.g. `us-east-1a`),
 * or undefined when the names follow neither form (on premises, Azure's `1`/`2`/`3`).
 */
export function cloudZoneRegion(zone: string, region: string): string | undefined {
  const gcp = /^[a-z]+-[a-z]+\d+$/;
  const aws = /^[a-z]{2}(-[a-z]+)+-\d+$/;
  let m = /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(zone);
  if (m && gcp.test(region)) return m[1];
  m = /^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$/.exec(zone);
  if (m && aws.test(region)) return m[1];
  return undefined;
}

/** Envoy hosts of a destination in one client's view (a remote network's gateway is one host per locality). */
export function hostsSeenBy(result: ExplainResult): number {
  return result.priorities.flatMap((p) => p.localities).reduce((n, l) => n + l.hosts, 0);
}

/** Whether every host matched by `narrow` is also matched by the Gateway host `wide` (`*`, `*.suffix` or an FQDN). */
export function hostCovers(wide: string, narrow: string): boolean {
  if (wide === '*') return true;
  if (wide.startsWith('*.')) return narrow.endsWith(wide.slice(1));
  return wide === narrow;
}

/**
 * Whether a locality (`region[/zone[/subzone]]`, `*` allowed) matches a cluster's region or one of
 * its zones (and sub-zones): a zone or sub-zone segment matches only a cluster that declares it
 * (istiod's `LocalityMatch` compares it with the node's labels).
 */
export function localityReaches(
  locality: string, region: string, zones: string[], subzones: { readonly [zone: string]: readonly string[] } = {},
): boolean {
  const [r, z, s] = splitLocality(locality);
  if (r !== '*' && r !== region) return false;
  if (z === undefined || (z === '*' && (s === undefined || s === '*'))) return true;
  const candidates = z === '*' ? zones : zones.filter((zone) => zone === z);
  if (s === undefined || s === '*') return candidates.length > 0;
  return candidates.some((zone) => (subzones[zone] ?? []).includes(s));
}
