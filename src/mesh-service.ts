import { Chart, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ExplainLocalityLb, ExplainProxy, ExplainService } from './explain/model';
import { LocalityDistribution, LocalityFailover } from './locality';
import { LocalityFailoverRule, LocalityFailoverRuleProps } from './locality-failover-rule';
import type { MultiClusterMesh } from './mesh';
import { PerClusterSubsetRouting } from './per-cluster-subset-routing';
import { brandSymbol, hasBrand, setBrand } from './private/brand';
import { invalid, show, asCaller } from './private/invalid';
import { isDns1123Label, wildcardDomainError } from './private/istio-rules';
import { DistributeIntentKeys, FailoverIntentKeys, MeshServicePropsKeys, RoutePerClusterIntentKeys } from './private/props-keys';
import { ServiceLink } from './private/service-link';
import { hostsSeenBy } from './private/topology';
import { validator } from './private/validator';
import { ConnectionPoolSettings, LoadBalancerAlgorithm, OutlierDetection } from './traffic-policy';
import { IstioVersion, TRAFFIC_DISTRIBUTION_ANNOTATION, TrafficDistribution, renderTrafficDistribution, requireIstio } from './versions';


const CONSTRUCT = 'MultiClusterMesh';
/** The ambient profile's service-scope selector (`serviceScopeConfigs`): Services labelled so are GLOBAL. */
const AMBIENT_GLOBAL_LABEL = 'istio.io/global';
const SERVICE_BRAND = brandSymbol('MeshService');

/** Properties for `MultiClusterMesh.addService`. */
export interface MeshServiceProps {
  /** Kubernetes Service name. */
  readonly name: string;
  /** Namespace. @default 'default' */
  readonly namespace?: string;
  /** Clusters where the service runs (has endpoints). */
  readonly clusters: string[];
  /**
   * Clusters whose workloads call the service. Routing rules are only honoured in the client's
   * cluster (Istio issue 44863), so every rule is emitted into each of these charts.
   * @default - every cluster of the mesh
   */
  readonly clients?: string[];
  /** Endpoints per cluster, for `explain`. @default - 1 in each cluster of `clusters` */
  readonly replicas?: { [cluster: string]: number };
  /** Cluster DNS domain. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /**
   * The app's own Kubernetes Service objects, per cluster: a cdk8s-plus `Service` (any version) or
   * an `ApiObject` of kind Service (e.g. `k8s.KubeService`); one object may serve several clusters
   * when one chart is applied to each. Intents that live on the Service (`trafficDistribution`)
   * are set on these objects with a JSON patch or an annotation — the mesh never emits a Service
   * of its own, which would overwrite yours. Each must be the Service of this name and namespace.
   * @default - none: the mesh emits no Service setting, and the traffic report says what to set
   */
  readonly kubernetesServices?: { [cluster: string]: IConstruct };
  /**
   * Ambient meshes only: the waypoint (a Gateway of class `istio-waypoint`, named the same in every
   * cluster) the service's traffic goes through, set as `istio.io/use-waypoint` on the
   * `kubernetesServices`. `failover()`/`distribute()` need one: ztunnel ignores DestinationRules,
   * the waypoint (Envoy) applies them. Label the waypoint's own Service `istio.io/global: "true"`
   * too (istio/istio#58064); the traffic report reminds you.
   * @default - none: ztunnel balances the service's connections itself
   */
  readonly waypoint?: string;
}

/** Options for `MeshService.failover`. */
export interface FailoverIntent {
  /** Explicit region failover (Istio `failover`). @default - default failover: zone, region, anywhere */
  readonly failover?: LocalityFailover[];
  /** Label-ordered failover (Istio `failoverPriority`). @default - none */
  readonly failoverPriority?: string[];
  /** Outlier detection. @default LocalityFailoverRule.DEFAULT_OUTLIER_DETECTION */
  readonly outlierDetection?: OutlierDetection;
  /** Load-balancing algorithm. @default - Istio's default */
  readonly loadBalancer?: LoadBalancerAlgorithm;
  /** Connection pool. @default - none */
  readonly connectionPool?: ConnectionPoolSettings;
}

/** Options for `MeshService.distribute`. */
export interface DistributeIntent {
  /** Weighted distribution entries (Istio `distribute`). */
  readonly distribute: LocalityDistribution[];
  /** Outlier detection. @default - none */
  readonly outlierDetection?: OutlierDetection;
  /** Load-balancing algorithm. @default - Istio's default */
  readonly loadBalancer?: LoadBalancerAlgorithm;
  /** Connection pool. @default - none */
  readonly connectionPool?: ConnectionPoolSettings;
}

/** Options for `MeshService.routePerCluster`. */
export interface RoutePerClusterIntent {
  /** See `PerClusterSubsetRoutingProps.fallbackToAllClusters`. @default false */
  readonly fallbackToAllClusters?: boolean;
}

/**
 * A service of the mesh and the traffic intents declared for it. Each intent materializes the
 * right construct in every chart whose clients call the service.
 */
export class MeshService {
  /** Whether `x` is a MeshService, also one made by another copy of this package. @internal */
  public static _isService(x: unknown): x is MeshService {
    return hasBrand(x, SERVICE_BRAND);
  }

  /**
   * Created by `MultiClusterMesh.addService` only. @internal
   */
  public static _create(mesh: MultiClusterMesh, props: MeshServiceProps, index: number): MeshService {
    return new MeshService(mesh, props, index);
  }

  /** Service name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The FQDN. */
  public readonly host: string;
  /** Clusters where it runs. */
  public readonly clusters: string[];
  /** Clusters whose workloads call it. */
  public readonly clients: string[];

  private readonly mesh: MultiClusterMesh;
  private readonly replicas: { [cluster: string]: number };
  private readonly rules = new Map<string, LocalityFailoverRule>();
  private perCluster?: RoutePerClusterIntent;
  private local = false;
  private readonly links = new Map<string, ServiceLink>();
  private distribution?: TrafficDistribution;
  private readonly waypoint?: string;
  private readonly where: string;
  private readonly id: string;

  private constructor(mesh: MultiClusterMesh, props: MeshServiceProps, index: number) {
    setBrand(this, SERVICE_BRAND);
    this.mesh = mesh;
    this.where = `addService(${show(props?.name)})`;
    const construct = 'MeshService';
    validator(mesh, CONSTRUCT).props(`addService[${index}]`, props, MeshServicePropsKeys, '{ name, clusters }');
    if (typeof props.name !== 'string' || !isDns1123Label(props.name)) invalid(mesh, construct, `${this.where}.name`, props.name, 'not a DNS-1123 label', 'a Kubernetes Service name such as "echo-svc"');
    this.name = props.name;
    this.namespace = validator(mesh, construct).namespace(`${this.where}.namespace`, props.namespace, 'default');
    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    if (typeof clusterDomain !== 'string' || clusterDomain.includes('*') || !clusterDomain.includes('.') || wildcardDomainError(clusterDomain)) {
      invalid(mesh, construct, `${this.where}.clusterDomain`, clusterDomain, 'not a DNS domain', 'the clusters\' DNS domain, e.g. "cluster.local"');
    }
    this.host = `${this.name}.${this.namespace}.svc.${clusterDomain}`;
    // construct ids: the host cannot collide ("x-y" in "ns" and "y" in "ns-x" would as "ns-x-y")
    this.id = `${this.name}.${this.namespace}`;
    if (!Array.isArray(props.clusters) || props.clusters.length === 0) invalid(mesh, construct, `${this.where}.clusters`, props.clusters, 'at least one cluster is required', `clusters of the mesh: ${mesh.clusterNames.join(', ')}`);
    props.clusters.forEach((c, i) => mesh._cluster(c, `${this.where}.clusters[${i}]`));
    if (new Set(props.clusters).size !== props.clusters.length) invalid(mesh, construct, `${this.where}.clusters`, props.clusters, 'a cluster is listed twice', 'each cluster once');
    this.clusters = [...props.clusters];
    if (props.clients !== undefined && !Array.isArray(props.clients)) invalid(mesh, construct, `${this.where}.clients`, props.clients, 'must be a list', `clusters of the mesh: ${mesh.clusterNames.join(', ')}`);
    this.clients = [...(props.clients ?? mesh.clusterNames)];
    this.clients.forEach((c, i) => {
      mesh._cluster(c, `${this.where}.clients[${i}]`);
      if (this.clients.indexOf(c) !== i) invalid(mesh, construct, `${this.where}.clients[${i}]`, c, 'a cluster is listed twice', 'each client cluster once');
    });
    this.replicas = {};
    for (const c of this.clusters) this.replicas[c] = 1;
    if (props.replicas !== undefined && (props.replicas === null || typeof props.replicas !== 'object' || Array.isArray(props.replicas))) {
      invalid(mesh, construct, `${this.where}.replicas`, props.replicas, 'must be a map of cluster to endpoint count', '{ gke: 2, onprem: 2 }');
    }
    for (const [c, n] of Object.entries(props.replicas ?? {})) {
      mesh._cluster(c, `${this.where}.replicas`);
      if (!this.clusters.includes(c)) invalid(mesh, construct, `${this.where}.replicas["${c}"]`, n, `the service does not run in ${c}`, `replicas only for its clusters: ${this.clusters.join(', ')}`);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) invalid(mesh, construct, `${this.where}.replicas["${c}"]`, n, 'not a whole number', 'an integer ≥ 0');
      this.replicas[c] = n;
    }
    if (props.waypoint !== undefined) {
      if (!mesh._ambient) invalid(mesh, construct, `${this.where}.waypoint`, props.waypoint, 'waypoints exist only in ambient meshes', 'dataPlaneMode: DataPlaneMode.AMBIENT, or leave waypoint out');
      if (typeof props.waypoint !== 'string' || !isDns1123Label(props.waypoint)) invalid(mesh, construct, `${this.where}.waypoint`, props.waypoint, 'not a DNS-1123 label', 'the waypoint Gateway\'s name, e.g. "waypoint"');
      this.waypoint = props.waypoint;
    }
    const objects = props.kubernetesServices;
    if (objects !== undefined && (objects === null || typeof objects !== 'object' || Array.isArray(objects))) {
      invalid(mesh, construct, `${this.where}.kubernetesServices`, objects, 'must be a map of cluster to Service object', '{ gke: service, onprem: service }');
    }
    for (const [c, obj] of Object.entries(objects ?? {})) {
      mesh._cluster(c, `${this.where}.kubernetesServices`);
      // a client cluster without endpoints usually has the Service too (for DNS), and its istiod
      // reads that one first (aggregate/controller.go: "services in the primary cluster will be used for default settings")
      if (!this.clusters.includes(c) && !this.clients.includes(c)) {
        invalid(mesh, construct, `${this.where}.kubernetesServices["${c}"]`, c, `neither runs nor calls the service in ${c}`, `Service objects for its clusters and clients: ${this.serviceClusters().join(', ')}`);
      }
      this.links.set(c, ServiceLink.of(mesh, construct, `${this.where}.kubernetesServices["${c}"]`, obj, this.host, clusterDomain));
    }
    if (mesh._ambient) {
      // service scope: global unless keepLocal() (decided when the objects render)
      for (const link of new Set(this.links.values())) {
        link.apiObject.metadata.addLabel(AMBIENT_GLOBAL_LABEL, Lazy.any({ produce: () => (this.local ? undefined : 'true') }) as unknown as string);
        if (this.waypoint) link.apiObject.metadata.addLabel('istio.io/use-waypoint', this.waypoint);
      }
    }
  }

  /**
   * Kubernetes Service traffic distribution (`spec.trafficDistribution`), which Istio (1.25+)
   * applies as a forced `failoverPriority` on network, region and zone (and sub-zone and node for
   * `PREFER_SAME_NODE`): no outlier detection needed, failover follows readiness, panic threshold 0.
   * It is the locality control Istio's maintainers point to first (istio/istio#54715).
   *
   * It is set on the `kubernetesServices` objects (the field from Kubernetes 1.31, `PreferSameZone`
   * and `PreferSameNode` from 1.34, else Istio's `networking.istio.io/traffic-distribution`
   * annotation, which only Istio reads); without them nothing is emitted and the traffic report
   * says what to set. A failover or distribute intent for the same host would override it
   * (a DestinationRule `localityLbSetting` wins), so the two are refused together.
   * @param distribution the traffic distribution
   */
  public trafficDistribution(distribution: TrafficDistribution): void {
    const field = `${this.where}.trafficDistribution`;
    if (!Object.values(TrafficDistribution).includes(distribution)) {
      invalid(this.mesh, 'MeshService', field, distribution, 'not a traffic distribution', 'TrafficDistribution.PREFER_CLOSE, PREFER_SAME_ZONE or PREFER_SAME_NODE');
    }
    if (this.distribution !== undefined) invalid(this.mesh, 'MeshService', field, distribution, `already declared (${this.distribution})`, 'one trafficDistribution per service');
    if (this.rules.size) {
      invalid(this.mesh, 'MeshService', field, distribution, 'the service has a failover or distribute intent, whose DestinationRule localityLbSetting overrides the Service\'s traffic distribution (GetEffectiveLbSetting), so it would never apply',
        'either trafficDistribution() or failover()/distribute()');
    }
    // every cluster whose istiod reads the Service must support it (a cluster's own release, if it names one)
    for (const c of this.serviceClusters()) {
      const version = this.mesh.istioVersionOf(c);
      const where = version.version === this.mesh.istioVersion.version ? '' : ` in cluster ${c} (its istiod reads the Service)`;
      requireIstio(this.mesh, 'MeshService', field, distribution, version, 25, `Service traffic distribution in sidecars${where}`, 'istio/istio#54715');
      // before 1.27 PreferSameZone is written as PreferClose, which those releases read (with the sub-zone)
      if (distribution === TrafficDistribution.PREFER_SAME_NODE) requireIstio(this.mesh, 'MeshService', field, distribution, version, 27, `${distribution}${where}`, 'istio/istio#56042');
    }
    this.distribution = distribution;
    this.warnNotLoadBalanced('trafficDistribution');
    if (this.local || this.perCluster) {
      validator(this.mesh, 'MeshService').warn(field, distribution,
        `the service is ${this.local ? 'kept local' : 'routed per cluster'}, so the traffic distribution only ranks zones inside each client's own cluster and never fails over to another`,
        'nothing, if zone preference inside the cluster is what you want; otherwise drop keepLocal()/routePerCluster()');
    }
    for (const [c, link] of this.links) {
      link.setTrafficDistribution(this.mesh, 'MeshService', `${field} (kubernetesServices["${c}"])`, distribution, this.mesh.kubernetesVersionOf(c), this.mesh.istioVersionOf(c));
    }
  }

  /**
   * What the user must set on Services the mesh has no object for, one line per cluster group
   * (for the traffic report). @internal
   */
  public _serviceSettings(): string[] {
    // clusters without an object, grouped by what they need (the field depends on each cluster's releases)
    const groups = new Map<string, string[]>();
    for (const c of this.serviceClusters().filter((x) => !this.links.has(x))) {
      const what: string[] = [];
      if (this.distribution !== undefined) {
        const r = renderTrafficDistribution(this.distribution, this.mesh.kubernetesVersionOf(c), this.mesh.istioVersionOf(c));
        what.push(r.field !== undefined ? `spec.trafficDistribution: ${r.field}` : `annotation ${TRAFFIC_DISTRIBUTION_ANNOTATION}: ${r.annotation}`);
      }
      if (this.mesh._ambient && !this.local) what.push(`label ${AMBIENT_GLOBAL_LABEL}: "true" (service scope GLOBAL)`);
      if (this.waypoint) what.push(`label istio.io/use-waypoint: ${this.waypoint}`);
      if (what.length === 0) continue;
      const text = `set ${what.join(', ')} (Kubernetes ${this.mesh.kubernetesVersionOf(c).version}; no object was given in kubernetesServices)`;
      groups.set(text, [...(groups.get(text) ?? []), c]);
    }
    const out = [...groups].map(([text, clusters]) => `Service ${this.name} in namespace ${this.namespace}, clusters ${clusters.join(', ')}: ${text}`);
    // kube-dns resolves a Service name only in its own cluster: a client cluster where the service
    // does not run needs the Service too (sidecars resolve through kube-dns unless Istio's DNS
    // proxying is on)
    const resolvesNowhere = this.mesh._ambient ? [] : this.clients.filter((c) => !this.clusters.includes(c) && !this.links.has(c));
    if (resolvesNowhere.length) {
      out.push(`Service ${this.name} in namespace ${this.namespace}, clusters ${resolvesNowhere.join(', ')}: create it there (it may select no pods), or the name does not resolve `
        + 'and requests never reach the sidecar — Kubernetes DNS knows only its own cluster\'s Services — unless Istio DNS proxying is on (proxyMetadata ISTIO_META_DNS_CAPTURE: "true")');
    }
    if (this.mesh._ambient) out.push(`namespace ${this.namespace}, every cluster of the service: label istio.io/dataplane-mode: ambient (enrolls its pods in ambient)`);
    if (this.waypoint) {
      out.push(`waypoint ${this.waypoint} in namespace ${this.namespace}, every cluster: label its Service ${AMBIENT_GLOBAL_LABEL}: "true", or remote waypoints are not used (istio/istio#58064); deploy it with the same name everywhere`);
    }
    return out;
  }

  /**
   * Locality failover with outlier detection, in every client cluster.
   * @param intent failover targets, priorities and outlier detection (default: Istio's default
   *   priorities with the library's default outlier detection)
   */
  public failover(intent: FailoverIntent = {}): void {
    this.checkIntent('failover', intent);
    this.checkNoRule('failover');
    if (this.local && this.mesh._crossCluster(intent)) {
      invalid(this.mesh, 'MeshService', `${this.where}.failover`, this.name, 'the service is kept local (keepLocal or clusterLocal), so cross-cluster failover can never happen',
        'either keepLocal() or cross-cluster failover; zone failover inside a cluster (failoverPriority on zone/region, or no entries) is fine');
    }
    (Array.isArray(intent.failover) ? intent.failover : []).forEach((f, i) => {
      this.mesh._checkLocality('MeshService', `${this.where}.failover[${i}].from`, f?.from, true);
      this.mesh._checkLocality('MeshService', `${this.where}.failover[${i}].to`, f?.to, true);
    });
    (Array.isArray(intent.failoverPriority) ? intent.failoverPriority : []).forEach((p, i) => {
      this.mesh._checkPriorityValue('MeshService', `${this.where}.failoverPriority[${i}]`, p);
    });
    this.materialize({
      failover: intent.failover,
      failoverPriority: intent.failoverPriority,
      endpointLabels: this.mesh._declaredLabelKeys(),
      outlierDetection: intent.outlierDetection,
      loadBalancer: intent.loadBalancer,
      connectionPool: intent.connectionPool,
    });
    if (intent.outlierDetection !== undefined && intent.outlierDetection.maxEjectionPercent === undefined) this.warnDefaultEjectionCap();
  }

  /**
   * Envoy ejects a host only while `100 × (ejected + 1) / hosts ≤ maxEjectionPercent`, and Istio's
   * default is 10: with fewer than 10 hosts in a client's view (a remote network counts as one
   * host per locality, its east-west gateway), failing pods are never ejected and never fail over.
   */
  private warnDefaultEjectionCap(): void {
    const small = this.clients
      .map((client) => ({ client, hosts: hostsSeenBy(this.mesh.explain(this, { from: client })) }))
      .filter((v) => v.hosts > 0 && v.hosts < 10);
    if (small.length === 0) return;
    validator(this.mesh, 'MeshService').warn(`${this.where}.failover.outlierDetection.maxEjectionPercent`, undefined,
      `Envoy's default of 10% ejects no host out of fewer than 10, and clients see ${small.map((v) => `${v.hosts} in ${v.client}`).join(', ')}: failing pods are never ejected, so they never fail over`,
      'maxEjectionPercent: 100 (as LocalityFailoverRule.DEFAULT_OUTLIER_DETECTION does)');
  }

  /** Weighted distribution, in every client cluster. */
  public distribute(intent: DistributeIntent): void {
    this.checkIntent('distribute', intent);
    if (!Array.isArray(intent.distribute) || intent.distribute.length === 0) {
      invalid(this.mesh, 'MeshService', `${this.where}.distribute.distribute`, intent.distribute, 'at least one { from, to } entry is required (without one the rule is plain failover)',
        '[{ from: "region-a/*", to: { "region-a/*": 50, "region-b/*": 50 } }], or failover() for priority-based failover');
    }
    this.checkNoRule('distribute');
    if (this.local && this.mesh._crossCluster(intent)) {
      invalid(this.mesh, 'MeshService', `${this.where}.distribute`, this.name, 'the service is kept local, so it cannot be spread across clusters', 'either keepLocal() or a distribute across clusters');
    }
    (intent?.distribute ?? []).forEach((d, i) => {
      this.mesh._checkLocality('MeshService', `${this.where}.distribute[${i}].from`, d?.from, false);
      Object.keys(d?.to ?? {}).forEach((l) => this.mesh._checkLocality('MeshService', `${this.where}.distribute[${i}].to`, l, false));
    });
    this.materialize({
      distribute: intent.distribute,
      outlierDetection: intent.outlierDetection,
      loadBalancer: intent.loadBalancer,
      connectionPool: intent.connectionPool,
    });
  }

  /** Keeps every client on its own cluster's endpoints (cluster-local host in every client cluster). */
  public keepLocal(): void {
    if (this.crossClusterRule()) {
      invalid(this.mesh, 'MeshService', `${this.where}.keepLocal`, this.name, 'the service already has cross-cluster failover or distribution', 'either keepLocal() or failover()/distribute()');
    }
    const missing = this.clients.filter((c) => !this.clusters.includes(c));
    if (missing.length) {
      invalid(this.mesh, 'MeshService', `${this.where}.keepLocal`, missing, `clients in ${missing.join(', ')} would get 503 no healthy upstream: the service does not run there`, `clients limited to ${this.clusters.join(', ')}`);
    }
    if (this.waypoint) {
      invalid(this.mesh, 'MeshService', `${this.where}.keepLocal`, this.name,
        'the service uses a waypoint, which must be global to serve remote clusters (istio/istio#58064), and a service whose waypoint is global is global too (Istio docs, ambient multicluster limitations)',
        'no waypoint for a service kept local, or no keepLocal()');
    }
    this.local = true;
    this.warnNarrowed('keepLocal');
    // ambient: cluster-local is the default (service scope LOCAL); the service is just not made global
    if (this.mesh._ambient) return;
    for (const c of this.clients) this.mesh._clusterLocalPolicy(c).addClusterLocal(this.host);
  }

  /**
   * Routes every caller to its own cluster's subset (no cross-cluster failover; see PerClusterSubsetRouting).
   * @param intent whether callers from clusters without the service get a catch-all route (default: no)
   */
  public routePerCluster(intent: RoutePerClusterIntent = {}): void {
    if (this.perCluster) invalid(this.mesh, 'MeshService', `${this.where}.routePerCluster`, this.name, 'already declared', 'one routePerCluster per service');
    if (this.mesh._ambient) {
      invalid(this.mesh, 'MeshService', `${this.where}.routePerCluster`, this.name,
        'per-cluster subsets with sourceLabels VirtualServices have no ambient equivalent: ztunnel ignores them, and with waypoints "Gateway API has no ability to address subsets" (istio.io, ambient L7 features)',
        'keepLocal() (the service is not made global), or a sidecar mesh');
    }
    validator(this.mesh, 'MeshService').props(`${this.where}.routePerCluster`, intent, RoutePerClusterIntentKeys, '{ fallbackToAllClusters?: boolean }');
    const fallback = validator(this.mesh, 'MeshService').boolean(`${this.where}.routePerCluster.fallbackToAllClusters`, intent?.fallbackToAllClusters, false);
    const missing = this.clients.filter((c) => !this.clusters.includes(c));
    if (missing.length && !fallback) {
      invalid(this.mesh, 'MeshService', `${this.where}.routePerCluster`, missing, `clients in ${missing.join(', ')} have no route (the service does not run there)`, 'fallbackToAllClusters: true, or clients limited to the service\'s clusters');
    }
    this.perCluster = { fallbackToAllClusters: fallback };
    this.warnNotLoadBalanced('routePerCluster');
    this.warnNarrowed('routePerCluster');
    const id = `${this.id}-per-cluster`;
    this.perClient<PerClusterSubsetRouting>('routePerCluster', (c, chart, istioVersion, template) => (template
      ? PerClusterSubsetRouting._like(template, chart, id, this.ruleIn(c))
      : new PerClusterSubsetRouting(chart, id, {
        istioVersion,
        host: this.host,
        name: this.name,
        namespace: this.namespace,
        clusters: this.clusters,
        fallbackToAllClusters: fallback,
        destinationRule: this.ruleIn(c),
      })));
  }

  /**
   * Builds one construct per client cluster with `make`: the first client of each Istio release
   * gets no template (its construct validates the intent), the others get that construct to copy
   * (`_like`), so the same rule is validated once per release, not once per client.
   */
  private perClient<T>(field: string, make: (client: string, chart: Chart, istioVersion: IstioVersion, template: T | undefined) => T): void {
    const templates = new Map<string, T>();
    for (const c of this.clients) {
      const istioVersion = this.mesh.istioVersionOf(c);
      const template = templates.get(istioVersion.version);
      const built = make(c, this.mesh._cluster(c, field).chart, istioVersion, template);
      if (!template) templates.set(istioVersion.version, built);
    }
  }

  /** Clusters whose Service object istiod reads: where it runs and where it is called. */
  private serviceClusters(): string[] {
    return this.mesh.clusterNames.filter((c) => this.clusters.includes(c) || this.clients.includes(c));
  }

  private warnNarrowed(intent: string): void {
    if (this.distribution === undefined) return;
    validator(this.mesh, 'MeshService').warn(`${this.where}.${intent}`, this.name,
      `the service has trafficDistribution(${this.distribution}), which then only ranks zones inside each client's own cluster and never fails over to another`,
      'nothing, if zone preference inside the cluster is what you want; otherwise drop keepLocal()/routePerCluster()');
  }

  /** @internal */
  public _checkClusterLocalConflict(): void {
    if (!this.crossClusterRule()) return;
    for (const c of this.clients) {
      if (this.mesh.isClusterLocal(c, this.host)) {
        invalid(this.mesh, 'MeshService', `${this.where}`, this.host, `the host is cluster-local in ${c}, so its failover/distribute rule can never send traffic to another cluster`, 'an exception for this host in clusterLocal(), or no cross-cluster rule');
      }
    }
  }

  /**
   * What `_explainModel(from)` reads of the client besides the service's own declarations, so that
   * clients with the same variant can share one model (the mesh's rules for a service are copies
   * of one rule: the same settings in every client cluster). @internal
   */
  public _explainVariant(from: string): string {
    const view = this.clientView(from);
    // the rule as the model reads it (the copies agree unless one was changed after the fact)
    return `${view.clusterLocal}|${view.routed}|${view.rule ? JSON.stringify(localityLbOf(view.rule)) : '-'}`;
  }

  /** @internal */
  public _explainModel(from: string | undefined): ExplainService {
    const view = this.clientView(from);
    return {
      host: this.host,
      replicas: { ...this.replicas },
      localityLb: view.rule ? localityLbOf(view.rule) : undefined,
      clusterLocal: view.clusterLocal,
      perClusterRouting: view.routed && this.perCluster
        ? { clusters: [...this.clusters], fallbackToAllClusters: this.perCluster.fallbackToAllClusters ?? false } : undefined,
      trafficDistribution: this.distribution,
      proxy: this.mesh._ambient ? (this.waypoint ? ExplainProxy.WAYPOINT : ExplainProxy.ZTUNNEL) : undefined,
    };
  }

  /**
   * What the explain model takes from the client cluster (all of the client-dependent part, so
   * `_explainVariant` names exactly what `_explainModel` varies by): its rule, whether the host
   * is cluster-local there, whether its callers are routed per cluster. Without a client: the
   * first rule, cluster-local anywhere.
   */
  private clientView(from: string | undefined): { rule?: LocalityFailoverRule; clusterLocal: boolean; routed: boolean } {
    return {
      rule: from ? this.rules.get(from) : this.rules.values().next().value as LocalityFailoverRule | undefined,
      clusterLocal: this.mesh._ambient ? this.local
        : from ? this.mesh.isClusterLocal(from, this.host) : this.local || this.clients.some((c) => this.mesh.isClusterLocal(c, this.host)),
      // The VirtualService exists only in client clusters' charts; elsewhere the caller has no rule.
      routed: this.perCluster !== undefined && (from === undefined || this.clients.includes(from)),
    };
  }

  /**
   * Whether the declared rule is meant to reach other clusters: explicit `failover` entries,
   * `failoverPriority` on the network or cluster label, or a `distribute` whose targets span more
   * than one cluster. Zone failover inside a cluster (no entries, or zone/region priorities) works
   * with a cluster-local host, so it is no conflict.
   */
  private crossClusterRule(): boolean {
    const rule = this.rules.values().next().value as LocalityFailoverRule | undefined;
    return rule !== undefined && this.mesh._crossCluster(rule);
  }

  private checkIntent(intent: 'failover' | 'distribute', value: unknown): void {
    const keys = intent === 'distribute' ? DistributeIntentKeys : FailoverIntentKeys;
    validator(this.mesh, 'MeshService').props(`${this.where}.${intent}`, value as object, keys,
      intent === 'distribute' ? '{ distribute: [{ from, to }] }' : '{ failover?, failoverPriority?, outlierDetection? }');
  }

  private checkAmbientRule(intent: string): void {
    if (!this.mesh._ambient || this.waypoint) return;
    invalid(this.mesh, 'MeshService', `${this.where}.${intent}`, this.name,
      'in an ambient mesh ztunnel balances the connections and ignores DestinationRules (pilot/pkg/serviceregistry/ambient reads none), so this rule would do nothing',
      'addService({ waypoint: "waypoint" }) so a waypoint applies the rule (as Istio\'s ambient failover guide does), or trafficDistribution() for ztunnel');
  }

  private checkNoRule(intent: string): void {
    this.checkAmbientRule(intent);
    if (this.rules.size) invalid(this.mesh, 'MeshService', `${this.where}.${intent}`, this.name, 'a failover or distribute intent was already declared', 'one of failover() or distribute() per service');
    if (this.distribution !== undefined) {
      invalid(this.mesh, 'MeshService', `${this.where}.${intent}`, this.name, `the service has trafficDistribution(${this.distribution}); this intent's DestinationRule localityLbSetting would override it (GetEffectiveLbSetting), so it would never apply`,
        'either trafficDistribution() or failover()/distribute()');
    }
  }

  private ruleIn(cluster: string): LocalityFailoverRule | undefined {
    return this.rules.get(cluster);
  }

  /**
   * Warns when a Service object given in `kubernetesServices` is headless or ExternalName: istiod
   * load-balances neither (pilot/pkg/serviceregistry/kube/conversion.go `ConvertService`: headless
   * is resolution Passthrough, which a sidecar sends as an ORIGINAL_DST cluster to the address the
   * client resolved, core/cluster.go `convertResolution`; ExternalName is an alias of its target),
   * so locality priorities, failover, subsets and traffic distribution do not apply to it.
   */
  private warnNotLoadBalanced(intent: string): void {
    const kinds = new Map<string, string[]>();
    for (const [c, link] of this.links) {
      const spec = link.currentJson()?.spec;
      const kind = spec?.clusterIP === 'None' ? 'headless (clusterIP: None)' : spec?.type === 'ExternalName' ? 'of type ExternalName' : undefined;
      if (kind !== undefined) kinds.set(kind, [...(kinds.get(kind) ?? []), c]);
    }
    for (const [kind, clusters] of kinds) {
      validator(this.mesh, 'MeshService').warn(`${this.where}.${intent}`, this.name,
        `its Service in ${clusters.join(', ')} is ${kind}, which istiod does not load-balance (a sidecar sends headless traffic straight to the address the client resolved; an ExternalName Service is an alias of its target), so this ${intent} does not apply to it`,
        kind.startsWith('headless') ? 'a ClusterIP Service for the traffic the mesh balances (a headless Service can sit beside it for per-pod DNS)' : 'declare the intent on the Service the ExternalName points to');
    }
  }

  private materialize(props: Omit<LocalityFailoverRuleProps, 'host'>): void {
    if (this.perCluster) invalid(this.mesh, 'MeshService', this.where, this.name, 'declare failover()/distribute() before routePerCluster(), so the subsets join the same DestinationRule', 'call order: failover/distribute, then routePerCluster');
    // the intent's own settings are reported against the intent, not the rule built from it
    const intent = props.distribute ? 'distribute' : 'failover';
    const owns = (field: string) => (/^(failover|failoverPriority|distribute|outlierDetection|connectionPool|loadBalancer)\b/.test(field) ? field : undefined);
    this.perClient<LocalityFailoverRule>('clients', (c, chart, istioVersion, template) => {
      const rule = asCaller(this.mesh, 'MeshService', `${this.where}.${intent}`, owns,
        () => (template ? LocalityFailoverRule._like(template, chart, this.id) : new LocalityFailoverRule(chart, this.id, {
          ...props, host: this.host, name: this.name, namespace: this.namespace, istioVersion,
        })));
      this.rules.set(c, rule);
      return rule;
    });
    this._checkClusterLocalConflict();
    this.warnNotLoadBalanced(intent);
  }
}

/** What the explain model reads of a rule. */
function localityLbOf(rule: LocalityFailoverRule): ExplainLocalityLb {
  return {
    enabled: rule.enabled,
    failover: rule.failover,
    failoverPriority: rule.failoverPriority,
    distribute: rule.distribute,
    outlierDetection: rule.hasOutlierDetection,
    minHealthPercent: rule.outlierDetection?.minHealthPercent,
    maxEjectionPercent: rule.outlierDetection?.maxEjectionPercent,
    consecutive5xxErrors: rule.outlierDetection?.consecutive5xxErrors,
    consecutiveGatewayErrors: rule.outlierDetection?.consecutiveGatewayErrors,
    splitExternalLocalOriginErrors: rule.outlierDetection?.splitExternalLocalOriginErrors,
  };
}
