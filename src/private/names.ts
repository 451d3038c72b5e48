/**
 * The subset name for a cluster ID: lowercase, with `_` and `.` replaced by `-` (a DNS-1123 label,
 * as Istio requires for subset names). Deterministic, so every cluster's chart agrees.
 * @internal
 */
export function clusterSubsetName(cluster: string): string {
  return cluster.toLowerCase().replace(/[_.]/g, '-');
}
