/**
 * Well-known topology labels that Istio reads from nodes, pods, namespaces and services, and adds
 * to every endpoint and proxy (`AugmentLabels` in istio/istio `pilot/pkg/serviceregistry/util/label/label.go`,
 * tag 1.30.3).
 */
export class TopologyLabel {
  /** The cluster ID (`values.global.multiCluster.clusterName`); istiod sets it on every endpoint and proxy. */
  public static readonly CLUSTER = 'topology.istio.io/cluster';
  /** The network: on the Istio namespace (default for the cluster), on pods, and on the east-west gateway Service. */
  public static readonly NETWORK = 'topology.istio.io/network';
  /** The region of a node (set by the cloud provider; by hand on premises). */
  public static readonly REGION = 'topology.kubernetes.io/region';
  /** The zone of a node. */
  public static readonly ZONE = 'topology.kubernetes.io/zone';
  /** Istio's sub-zone label on nodes. */
  public static readonly SUBZONE = 'topology.istio.io/subzone';
  /**
   * The node a pod runs on: `AugmentLabels` sets it from the pod's `spec.nodeName` on Kubernetes
   * endpoints (`pilot/pkg/serviceregistry/kube/controller/endpoint_builder.go`) and on proxies
   * (`pilot/pkg/xds/ads.go`), istio/istio 1.30.3. WorkloadEntry and east-west gateway endpoints
   * do not carry it.
   */
  public static readonly HOSTNAME = 'kubernetes.io/hostname';

  private constructor() {}
}
