import { explainService } from './explain-core';
import { ExplainCluster, ExplainQuery, ExplainResult, ExplainService } from './model';

/**
 * Predicts, offline, where one client's requests to one service go: which clusters answer, at
 * which Envoy priority, how much fails over when endpoints fail, and when Envoy answers 503
 * `no healthy upstream`.
 *
 * It models what istiod (1.29–1.31, the client cluster's `istioVersion`) sends the client's sidecar
 * (subset and cluster-local filtering, remote networks collapsed into east-west gateway endpoints,
 * which setting decides locality — DestinationRule, Service `trafficDistribution` or the mesh
 * default —, `distribute` weights, locality and `failoverPriority` priorities, which exist only
 * with outlier detection or a traffic distribution, not-Ready endpoints) and what Envoy does with
 * it (priority health with overprovisioning factor 1.4, spill-over, panic threshold, locality
 * weights). Every answer lists its reasons and the modelling assumptions it relies on.
 *
 * @example
 * const result = TrafficExplainer.explain(
 *   [
 *     { name: 'gke', network: 'kuchima-demo-vpc01', region: 'asia-northeast1', zones: ['asia-northeast1-a'] },
 *     { name: 'onprem', network: 'default', region: 'tokyo-onprem', zones: [] },
 *   ],
 *   {
 *     host: 'echo-svc.default.svc.cluster.local',
 *     replicas: { gke: 2, onprem: 2 },
 *     localityLb: {
 *       enabled: true, failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }], failoverPriority: [],
 *       distribute: [], outlierDetection: true, maxEjectionPercent: 100,
 *     },
 *   },
 *   { from: 'onprem', healthy: { onprem: 0 } },
 * );
 * // result.clusters: gke 100% through its east-west gateway. Without maxEjectionPercent (Envoy's
 * // default 10%), nothing is ejected from 3 hosts and the failing on-prem pods keep 100%.
 */
export class TrafficExplainer {
  /**
   * Explains where `query.from`'s requests to `service` go.
   * @param clusters every cluster of the mesh
   * @param service the service and the routing configuration that applies to the client
   * @param query the client's cluster (and zone) and the health of each cluster's endpoints
   */
  public static explain(clusters: ExplainCluster[], service: ExplainService, query: ExplainQuery): ExplainResult {
    return explainService(clusters, service, query).result;
  }

  private constructor() {}
}
