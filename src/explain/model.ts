/**
 * Input and output types of the traffic explain engine (`TrafficExplainer`): a pure, offline model
 * of how istiod (1.29–1.31) programs Envoy's endpoint load balancing for one client, and of how Envoy
 * then spreads requests. The mesh construct fills the inputs from the same resolved model it builds
 * its charts from.
 */
import { LocalityDistribution, LocalityFailover } from '../locality';
import { IstioVersion, TrafficDistribution } from '../versions';

// ---------------------------------------------------------------------------------------------
// Input

/** One cluster of the mesh, as the explain engine sees it. */
export interface ExplainCluster {
  /** Cluster ID: `values.global.multiCluster.clusterName`, the `topology.istio.io/cluster` label. */
  readonly name: string;
  /** Network (`topology.istio.io/network`). Clusters on another network than the client are reached through their east-west gateway. */
  readonly network: string;
  /** Region of the cluster's nodes (`topology.kubernetes.io/region`). */
  readonly region: string;
  /**
   * Zones of the cluster's nodes (`topology.kubernetes.io/zone`). The service's endpoints are
   * spread round-robin over them (replica i runs in `zones[i % zones.length]`); an empty list
   * means the endpoints (and clients) have a region but no zone.
   */
  readonly zones: string[];
  /**
   * Pod labels the cluster's endpoints carry (the mesh's `clusters[].labels`), e.g.
   * `{ 'example.com/tier': 'gold' }`. `failoverPriority` compares them as istiod does: a client in
   * this cluster is assumed to carry them too, a label the cluster does not declare reads as '' on
   * its pods, and an endpoint reached through an east-west gateway carries none of them (istiod's
   * gateway endpoints have only cluster and network labels). A `failoverPriority` label that no
   * cluster declares is not modelled (every endpoint counts as a mismatch). Topology labels here
   * are ignored: they come from `name`, `network`, `region` and `zones`.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Sub-zones per zone (`topology.istio.io/subzone` on the nodes), e.g. `{ 'us-east1-b': ['rack-1', 'rack-2'] }`.
   * A zone's endpoints are spread round-robin over its sub-zones; a zone not listed has none.
   * @default - no sub-zones
   */
  readonly subzones?: { [zone: string]: string[] };
  /**
   * The Istio release of the cluster's istiod, which programs the sidecars of clients in this
   * cluster: it decides the `failoverPriority` network rule (1.31, istio/istio#60829) and whether
   * not-Ready endpoints reach Envoy (1.31 sends them as unhealthy, istio/istio#60690).
   * @default IstioVersion.LATEST
   */
  readonly istioVersion?: IstioVersion;
}

/**
 * The effective `trafficPolicy.loadBalancer.localityLbSetting` and `outlierDetection` of the
 * service's DestinationRule, as seen by the client's sidecar.
 */
export interface ExplainLocalityLb {
  /**
   * Whether the DestinationRule has a `localityLbSetting` at all. A rule with only outlier
   * detection (`false`) leaves the Service's `trafficDistribution` (or the mesh default) in effect
   * (`GetEffectiveLbSetting`), with this rule's outlier detection.
   * @default true
   */
  readonly hasLocalityLbSetting?: boolean;
  /** `localityLbSetting.enabled`: `false` turns locality load balancing off (no priorities, no weights). */
  readonly enabled: boolean;
  /** Explicit region failover (`localityLbSetting.failover`). */
  readonly failover: LocalityFailover[];
  /** Ordered endpoint labels (`localityLbSetting.failoverPriority`), `key=value` entries allowed. */
  readonly failoverPriority: string[];
  /** Weighted distribution (`localityLbSetting.distribute`). */
  readonly distribute: LocalityDistribution[];
  /**
   * Whether the effective traffic policy has `outlierDetection`. It turns on locality priorities
   * (istiod: `enableFailover := OutlierDetection != nil`) and is the only way Envoy learns that an
   * endpoint fails: Istio configures no active health checks.
   */
  readonly outlierDetection: boolean;
  /**
   * `outlierDetection.minHealthPercent`, which istiod copies to Envoy's `healthy_panic_threshold`
   * (`applyOutlierDetection`, `pilot/pkg/networking/core/cluster_traffic_policy.go`). Istio's
   * "outlier detection is disabled below minHealthPercent" is Envoy's panic mode, and the engine
   * models it as Envoy decides it (`LoadBalancerBase::isHostSetInPanic`): per priority, over that
   * priority's hosts, and only while the priorities' total health is under 100%; a priority in
   * panic is balanced over all its hosts, ejected ones included. Only meaningful with outlier
   * detection.
   * @default 0 - Istio's default: panic mode disabled
   */
  readonly minHealthPercent?: number;
  /**
   * `outlierDetection.maxEjectionPercent`: Envoy ejects a host only while
   * `100 × (ejected + 1) / hosts ≤ maxEjectionPercent`, counted over ALL hosts of the destination
   * (every priority, a gateway endpoint is one host). With 10% and fewer than 10 hosts nothing is
   * ejected, so failing endpoints keep their share and failover never starts. `0` is the same as
   * leaving it out: istiod passes the value to Envoy only when it is above 0
   * (`applyOutlierDetection`), so Envoy's 10% applies. Only meaningful with outlier detection.
   * @default 10 - Istio's and Envoy's default
   */
  readonly maxEjectionPercent?: number;
  /**
   * `outlierDetection.consecutive5xxErrors`. `0` turns 5xx ejection off (istiod sets Envoy's
   * `enforcing_consecutive_5xx` to 0, `applyOutlierDetection`): failing endpoints, which answer 503,
   * are then ejected only when `consecutiveGatewayErrors` is above 0. Only meaningful with outlier
   * detection.
   * @default 5 - Envoy's default, enforced 100% (istiod leaves it out)
   */
  readonly consecutive5xxErrors?: number;
  /**
   * `outlierDetection.consecutiveGatewayErrors`: above 0, Envoy ejects hosts that answer 502, 503 or
   * 504 that many times in a row (istiod sets `enforcing_consecutive_gateway_failure` to 100). A
   * failing endpoint answers 503, a gateway error, so this ejects it even with
   * `consecutive5xxErrors: 0`. Only meaningful with outlier detection.
   * @default 0 - off (Envoy enforces gateway-error ejection 0% unless istiod sets it)
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * `outlierDetection.splitExternalLocalOriginErrors`: local-origin failures (connect failures,
   * timeouts, resets) are counted apart and eject after `consecutiveLocalOriginFailures` (Envoy's
   * default 5). The engine's failing endpoints answer 503 (an external error, not a local-origin
   * one), so this changes no share; the explanation says what it would eject.
   * @default false
   */
  readonly splitExternalLocalOriginErrors?: boolean;
}

/**
 * Per-cluster routing: one DestinationRule subset per cluster
 * (`topology.istio.io/cluster: <name>`) and one VirtualService route per cluster matching
 * `sourceLabels: {topology.istio.io/cluster: <name>}`.
 */
export interface ExplainPerClusterRouting {
  /** Clusters that have a subset and a route, in route order. A caller in one of them sends 100% of its requests to its own subset. */
  readonly clusters: string[];
  /** Whether a final catch-all route to the whole host exists, used by callers in clusters not listed (otherwise they get 404 `NR`). */
  readonly fallbackToAllClusters: boolean;
}

/**
 * One weighted destination of a VirtualService route: a DestinationRule subset
 * that gets `weight` of the requests. Envoy never moves traffic from one subset to another:
 * a subset with no healthy endpoint answers 503 `no healthy upstream` for its share.
 */
export interface ExplainWeightedSubset {
  /** Subset name. */
  readonly name: string;
  /** Route weight (`route[].weight`); a destination with weight 0 gets nothing while another has weight. */
  readonly weight: number;
  /**
   * Clusters whose endpoints the subset selects (e.g. the version label only exists there).
   * @default - every cluster
   */
  readonly clusters?: string[];
  /**
   * Endpoints of this subset per cluster (pods carrying the subset's labels).
   * @default - the service's `replicas` in `clusters`
   */
  readonly replicas?: { [cluster: string]: number };
  /**
   * Fraction (0..1) of this subset's endpoints that answer, in every cluster, replacing the query's
   * per-cluster `healthy` (e.g. `0` for "v1 is down" while v2 is fine).
   * @default - the query's `healthy` fraction of each cluster
   */
  readonly healthyOverride?: number;
}

/** The proxy that balances the client's requests. */
export enum ExplainProxy {
  /** The client's sidecar (Envoy, programmed by istiod over EDS). */
  SIDECAR = 'sidecar',
  /** Ambient: the node's ztunnel (WDS): no DestinationRules, no outlier detection, readiness only. */
  ZTUNNEL = 'ztunnel',
  /** Ambient: the service's waypoint (Envoy, programmed like a sidecar: DestinationRules apply). */
  WAYPOINT = 'waypoint',
}

/** One service (host) of the mesh and the routing configuration that applies to it. */
export interface ExplainService {
  /** The service host, e.g. `echo-svc.default.svc.cluster.local`. */
  readonly host: string;
  /** Endpoints (ready pods) per cluster; a cluster that is absent or has 0 has none. */
  readonly replicas: { [cluster: string]: number };
  /**
   * The DestinationRule's locality load balancing and outlier detection.
   * @default - no DestinationRule: the mesh default (`localityLbSetting.enabled: true`) without
   * outlier detection, so every endpoint is at priority 0 and locality is ignored
   */
  readonly localityLb?: ExplainLocalityLb;
  /**
   * Whether the host is cluster-local for the client (`meshConfig.serviceSettings[].settings.clusterLocal`):
   * istiod then sends the client only its own cluster's endpoints.
   * @default false
   */
  readonly clusterLocal?: boolean;
  /**
   * Per-cluster subset routing. Mutually exclusive with `weightedSubsets`.
   * @default - no VirtualService: every request goes to the whole host
   */
  readonly perClusterRouting?: ExplainPerClusterRouting;
  /**
   * A VirtualService route split across subsets by weight. Mutually exclusive with `perClusterRouting`.
   * @default - no VirtualService: every request goes to the whole host
   */
  readonly weightedSubsets?: ExplainWeightedSubset[];
  /**
   * The Kubernetes Service's `spec.trafficDistribution` (or Istio's
   * `networking.istio.io/traffic-distribution` annotation). istiod applies it as a forced
   * `failoverPriority` (no outlier detection needed, failover on readiness, panic threshold 0)
   * unless the DestinationRule has a `localityLbSetting`, which wins.
   * @default - none
   */
  readonly trafficDistribution?: TrafficDistribution;
  /**
   * Which proxy balances the requests. `ZTUNNEL` models ambient without a waypoint: endpoints of
   * other networks collapse into one workload per network without locality, DestinationRules and
   * VirtualServices are ignored, `clusterLocal` means "not global" (service scope LOCAL).
   * @default ExplainProxy.SIDECAR
   */
  readonly proxy?: ExplainProxy;
}

/** Who asks, and in which state the mesh is. */
export interface ExplainQuery {
  /** The client's cluster. */
  readonly from: string;
  /**
   * The client's zone.
   * @default - the first zone of the client's cluster (none when it has no zones)
   */
  readonly zone?: string;
  /**
   * The client's sub-zone.
   * @default - the first sub-zone of the client's zone (none when it has none)
   */
  readonly subzone?: string;
  /**
   * Fraction (0..1) of each cluster's endpoints that answer. The others stay in the endpoint list
   * (Ready pods that answer 503): Envoy stops using them only when outlier detection ejects them
   * (5xx ejection, or gateway-error ejection with `consecutiveGatewayErrors`).
   * The healthy count is `round(endpoints × fraction)` (half up).
   * @default - 1 for every cluster
   */
  readonly healthy?: { [cluster: string]: number };
  /**
   * Endpoints per cluster whose pods are terminating or deleted: istiod no longer sends them, so
   * they count for nothing, not even for priority health (see `notReady` for failing readiness).
   * @default - none
   */
  readonly drained?: { [cluster: string]: number };
  /**
   * Endpoints per cluster whose pods are not Ready (a failing readiness probe). istiod 1.30 and
   * older leave them out like `drained` ones; from 1.31 (and always for a Service with
   * `trafficDistribution`) it sends them to Envoy as unhealthy, so they count against their
   * priority's health and failover follows readiness, unless the DestinationRule's
   * `outlierDetection.minHealthPercent` is above 0 (`supportsUnhealthyEndpoints`,
   * `pilot/pkg/xds/endpoints/endpoint_builder.go`). Counted after `drained`.
   * @default - none
   */
  readonly notReady?: { [cluster: string]: number };
}

// ---------------------------------------------------------------------------------------------
// Output

/** The endpoints of one cluster in one locality, at one priority, as one client's Envoy sees them. */
export interface LocalityGroup {
  /** The cluster the endpoints run in. */
  readonly cluster: string;
  /** The cluster's network. */
  readonly network: string;
  /** The endpoints' region. */
  readonly region: string;
  /**
   * The endpoints' zone.
   * @default - no zone
   */
  readonly zone?: string;
  /**
   * The endpoints' sub-zone.
   * @default - no sub-zone
   */
  readonly subzone?: string;
  /** Endpoints (pods) of the service in this locality of this cluster (not-Ready ones included when istiod sends them). */
  readonly endpoints: number;
  /** How many of them answer. */
  readonly healthyEndpoints: number;
  /**
   * Whether the endpoints are on another network than the client: istiod then replaces them with
   * ONE endpoint, the cluster's east-west gateway, whose weight is `endpoints`; outlier detection
   * ejects it as one host.
   */
  readonly viaGateway: boolean;
  /** Envoy hosts these endpoints are: `endpoints`, or 1 (the gateway) when `viaGateway`. */
  readonly hosts: number;
  /** Sum of the hosts' load-balancing weights (each endpoint weighs 1; the gateway weighs `endpoints`). */
  readonly hostWeight: number;
  /**
   * Weight of the Envoy locality (LocalityLbEndpoints) this group belongs to, when the cluster has
   * `LocalityWeightedLbConfig` (`distribute`, or `failover`/`failoverPriority` with outlier
   * detection). Groups of several clusters in one locality share it.
   * @default - not set: hosts are picked across the whole priority by host weight
   */
  readonly lbWeight?: number;
  /** Percent of all the client's requests to the host that are sent here (including those that fail). */
  readonly trafficPercent: number;
  /** Percent of all the client's requests that are sent here and fail (failing endpoints still picked). */
  readonly failedPercent: number;
}

/** Which setting decided the client's locality load balancing (istiod's `GetEffectiveLbSetting` order). */
export enum LocalitySettingSource {
  /** The DestinationRule's `localityLbSetting` (with `enabled: false`: turned off, Service traffic distribution included). */
  DESTINATION_RULE = 'DestinationRule',
  /** The Service's `trafficDistribution`: a forced `failoverPriority`. */
  TRAFFIC_DISTRIBUTION = 'TrafficDistribution',
  /** The mesh default `localityLbSetting: { enabled: true }`: priorities only with outlier detection. */
  MESH_DEFAULT = 'MeshDefault',
  /** No locality preference at all (ztunnel without a traffic distribution). */
  NONE = 'None',
}

/** One Envoy priority level of one destination (the host, or one subset of it). */
export interface PriorityLevel {
  /** The priority, compacted to 0..N with no gaps (0 = preferred). */
  readonly priority: number;
  /**
   * The DestinationRule subset this level belongs to.
   * @default - the whole host
   */
  readonly subset?: string;
  /** Envoy's priority health: `min(100, floor(140 × healthy hosts / hosts))` (overprovisioning factor 1.4). */
  readonly healthPercent: number;
  /** Envoy's priority load: percent of this destination's requests that this priority takes (before any VirtualService split). */
  readonly loadPercent: number;
  /** Whether the priority is in panic mode: Envoy then picks among all its hosts, failing ones included. */
  readonly panic: boolean;
  /** The endpoint groups at this priority. */
  readonly localities: LocalityGroup[];
}

/** Where one VirtualService destination sends its share. */
export interface RouteShare {
  /**
   * The DestinationRule subset.
   * @default - the whole host
   */
  readonly subset?: string;
  /** Percent of the client's requests routed to this destination. */
  readonly percent: number;
}

/** The share of requests that land in one cluster. */
export interface ClusterShare {
  /** The cluster. */
  readonly cluster: string;
  /** Percent of the client's requests that are sent to this cluster's endpoints (including those that fail). */
  readonly percent: number;
  /** Percent of the client's requests sent to this cluster that fail. */
  readonly failedPercent: number;
  /** Whether the requests reach it through its east-west gateway. */
  readonly viaGateway: boolean;
}

/**
 * Where one client's requests to one service go. The cluster shares, `noHealthyUpstreamPercent`
 * and `noRoutePercent` add up to 100.
 */
export interface ExplainResult {
  /** The client's cluster. */
  readonly from: string;
  /** The service host. */
  readonly host: string;
  /** The client's locality, `region[/zone[/subzone]]`. */
  readonly clientLocality: string;
  /** The Istio release whose istiod semantics were applied (the client cluster's). */
  readonly istioVersion: string;
  /** Which setting decided locality load balancing; `reasons` says why the others did not. */
  readonly localitySetting: LocalitySettingSource;
  /** The proxy whose behaviour was modelled. */
  readonly proxy: ExplainProxy;
  /** The VirtualService split (one entry without subset when there is no VirtualService). */
  readonly routes: RouteShare[];
  /** The Envoy priority levels, per destination. */
  readonly priorities: PriorityLevel[];
  /** Percent of requests per cluster, for every cluster whose endpoints the client sees. */
  readonly clusters: ClusterShare[];
  /** Percent of requests answered by Envoy with 503 `no healthy upstream` (response flag `UH`). */
  readonly noHealthyUpstreamPercent: number;
  /** Percent of requests sent to an endpoint that fails (5xx or connection failure); already counted in `clusters`. */
  readonly failedPercent: number;
  /** Percent of requests no route matches: 404 (response flag `NR`). */
  readonly noRoutePercent: number;
  /** Why: one line per decision istiod or Envoy made. */
  readonly reasons: string[];
  /** The modelling assumptions this answer relies on. */
  readonly assumptions: string[];
}
