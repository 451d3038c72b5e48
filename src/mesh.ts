import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Yaml, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterLocalIndex, ClusterLocalPolicy, istiodHost } from './cluster-local-policy';
import { CrossNetworkGateway } from './cross-network-gateway';
import { EastWestGateway, EastWestGatewayAttributes, IEastWestGateway } from './east-west-gateway';
import { TrafficExplainer } from './explain/engine';
import { diagramMarkdown } from './explain/mermaid';
import { ExplainCluster, ExplainQuery, ExplainResult, ExplainService } from './explain/model';
import { TrafficReport } from './explain/report';
import { CloudProvider, GatewayExposure } from './gateway-exposure';
import { TopologyLabel } from './labels';
import {
  checkPriorityKey, ENDPOINT_TOPOLOGY_LABELS, LocalityDistribution, LocalityFailover, LocalityFailoverRule, LocalityFailoverRuleProps,
  validateNamespace,
} from './locality-failover-rule';
import { PerClusterSubsetRouting } from './per-cluster-subset-routing';
import { ClusterRegistrationKeys, DistributeIntentKeys, EastWestGatewayAttributesKeys, ExplainQueryKeys, FailoverIntentKeys, MeshClusterPropsKeys, MeshServicePropsKeys, MultiClusterMeshPropsKeys, RoutePerClusterIntentKeys } from './private/props-keys';
import { validator } from './private/validator';
import { ClusterRegistration, ReaderTokenSecret, RemoteSecret } from './remote-secret';
import { ConnectionPoolSettings, LoadBalancerAlgorithm, OutlierDetection } from './traffic-policy';
import { invalid, isDns1123Label, optionalBoolean, labelKeyError, labelValueError, show, splitLocality, wildcardDomainError } from './validation';

const CONSTRUCT = 'MultiClusterMesh';
const REGISTRY = Symbol.for('cdk8s-istio-multicluster/meshes');
const REGISTER_ENV = 'CDK8S_ISTIO_MC_REGISTER';

/**
 * Meshes created in this process while the explain CLI is loading an app (the CLI sets
 * CDK8S_ISTIO_MC_REGISTER=1). Kept on globalThis so an app that loads another copy of the
 * library (e.g. TypeScript sources) is still found. Off otherwise, so nothing is retained. @internal
 */
export function createdMeshes(): MultiClusterMesh[] {
  const g = globalThis as unknown as { [REGISTRY]?: MultiClusterMesh[] };
  return (g[REGISTRY] ??= []);
}

/** One cluster of the mesh. */
export interface MeshClusterProps {
  /**
   * Cluster ID: `values.global.multiCluster.clusterName` of its istiod, the `topology.istio.io/cluster`
   * label value, the remote-secret key and the output file name (`dist/<name>.k8s.yaml`).
   * A lowercase DNS-1123 label.
   */
  readonly name: string;
  /** The cluster's network (`values.global.network`, the `topology.istio.io/network` label). */
  readonly network: string;
  /** The nodes' region (`topology.kubernetes.io/region`); on premises you label nodes with it yourself. */
  readonly region: string;
  /** The nodes' zones (`topology.kubernetes.io/zone`). @default - none */
  readonly zones?: string[];
  /**
   * Where the cluster runs, which picks the internal load-balancer annotations of its east-west gateway.
   * A multi-network mesh needs `provider` or `exposure` for every cluster: a LoadBalancer Service
   * without the provider's internal annotations is internet-facing on GKE, EKS and AKS.
   * @default - none (required in multi-network meshes unless `exposure` is given)
   */
  readonly provider?: CloudProvider;
  /**
   * How the east-west gateway is exposed.
   * @default GatewayExposure.internal(provider)
   */
  readonly exposure?: GatewayExposure;
  /**
   * An east-west gateway that already exists in this cluster (installed with the `istio/gateway`
   * Helm chart or istioctl): the mesh then emits only the `cross-network-gateway` for it. Its
   * `network` must be this cluster's network.
   * @default - the mesh creates an `EastWestGateway`
   */
  readonly existingGateway?: EastWestGatewayAttributes;
  /**
   * Opt-in cluster registration: how the other clusters' istiod reach this API server. With it,
   * every other cluster's chart gets `istio-remote-secret-<name>` (holding the token!) and this
   * cluster's chart the reader token Secret. @default - no registration objects
   */
  readonly registration?: ClusterRegistration;
  /**
   * Pod labels the cluster's endpoints carry, e.g. `{ 'example.com/tier': 'gold' }`. Their keys are
   * then valid bare `failoverPriority` keys for the mesh's services, and a `key=value` entry on one
   * of them must name a value some cluster declares. Topology labels come from `name`, `network`,
   * `region` and `zones` and cannot be declared here. Not written into any object.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** Properties for `MultiClusterMesh`. */
export interface MultiClusterMeshProps {
  /**
   * The mesh ID (`values.global.meshID`), e.g. `proj-123456`. It is an install-time setting: no
   * object in the charts carries it; `istiodHelmValues(cluster)` renders it with the other values
   * each cluster's istiod must be installed with.
   */
  readonly meshId: string;
  /** Istio revision (`istio.io/rev`) of every cluster's control plane. @default - the default revision */
  readonly revision?: string;
  /** The clusters. */
  readonly clusters: MeshClusterProps[];
  /** Namespace of the east-west gateways. @default - EastWestGateway's default */
  readonly gatewayNamespace?: string;
  /** Namespace of istiod. @default 'istio-system' */
  readonly istioNamespace?: string;
}

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

interface ResolvedCluster {
  readonly props: MeshClusterProps;
  readonly chart: Chart;
  readonly zones: string[];
  readonly labels: { [key: string]: string };
  gateway?: IEastWestGateway;
  clusterLocal?: ClusterLocalPolicy;
}

/**
 * Declare an Istio multi-cluster mesh once; get one cdk8s Chart per cluster
 * (`dist/<cluster>.k8s.yaml`) with exactly the objects that cluster needs, validated across
 * clusters, plus a traffic report per cluster and a Mermaid picture of the mesh.
 *
 * Charts are created at the root of the App with the cluster name as id, so cdk8s names the files
 * after the clusters. Multi-network meshes get an EastWestGateway and a CrossNetworkGateway in
 * every cluster; single-network meshes get none.
 */
export class MultiClusterMesh extends Construct {
  /** The mesh ID. */
  public readonly meshId: string;
  /** The revision, when set. */
  public readonly revision?: string;
  /** Whether the clusters span more than one network. */
  public readonly multiNetwork: boolean;
  /** Namespace of istiod. */
  public readonly istioNamespace: string;

  private readonly _clusters = new Map<string, ResolvedCluster>();
  private readonly _services: MeshService[] = [];
  private readonly _hosts = new Set<string>();
  private readonly _seen = new Set<string>();
  /** Istio's built-in cluster-local hosts, for clusters without a ClusterLocalPolicy. */
  private defaultClusterLocal?: ClusterLocalIndex;

  public constructor(scope: Construct, id: string, props: MultiClusterMeshProps) {
    super(scope, id);
    validator(this, CONSTRUCT).props('', props, MultiClusterMeshPropsKeys, '{ meshId, clusters }');
    if (typeof props.meshId !== 'string' || labelValueError(props.meshId) || props.meshId === '') {
      invalid(this, CONSTRUCT, 'meshId', props.meshId, 'not a label value', 'a mesh ID such as "proj-123456" (letters, digits, "-", "_", ".")');
    }
    this.meshId = props.meshId;
    if (props.revision !== undefined && (typeof props.revision !== 'string' || !isDns1123Label(props.revision))) {
      invalid(this, CONSTRUCT, 'revision', props.revision, 'not a DNS-1123 label', 'a revision such as "asm-1132-2"');
    }
    this.revision = props.revision;
    this.istioNamespace = validateNamespace(this, CONSTRUCT, props.istioNamespace) ?? 'istio-system';
    if (!Array.isArray(props.clusters) || props.clusters.length === 0) {
      invalid(this, CONSTRUCT, 'clusters', props.clusters, 'at least one cluster is required', '[{ name, network, region }]');
    }
    const app = App.of(this);
    checkOutputType(this, app);
    props.clusters.forEach((c, i) => this.checkCluster(c, i));
    this.multiNetwork = new Set(props.clusters.map((c) => c.network)).size > 1;

    for (const [i, c] of props.clusters.entries()) {
      if (app.node.tryFindChild(c.name)) {
        invalid(this, CONSTRUCT, `clusters[${i}].name`, c.name, 'the App already has a construct with this id (another chart, another mesh, or this mesh itself): the cluster\'s chart is created at the App root under its name',
          'a cluster name not used as an id at the App root (give the mesh another id, e.g. "mesh")');
      }
      this.checkIgnoredGatewaySettings(c, i);
      const chart = new Chart(app, c.name);
      const resolved: ResolvedCluster = { props: c, chart, zones: [...(c.zones ?? [])], labels: { ...(c.labels ?? {}) } };
      if (this.multiNetwork && c.existingGateway) {
        if (c.existingGateway.network !== c.network) {
          invalid(this, CONSTRUCT, `clusters[${i}].existingGateway.network`, c.existingGateway.network,
            `the gateway serves network ${show(c.existingGateway.network)} but the cluster is on ${show(c.network)}`, `the cluster's network ${show(c.network)}`);
        }
        resolved.gateway = EastWestGateway.fromAttributes(chart, 'eastwest', c.existingGateway);
        new CrossNetworkGateway(chart, 'cross-network', { gateway: resolved.gateway });
      } else if (this.multiNetwork) {
        resolved.gateway = new EastWestGateway(chart, 'eastwest', {
          network: c.network,
          revision: this.revision,
          namespace: props.gatewayNamespace,
          istioNamespace: this.istioNamespace,
          exposure: c.exposure ?? GatewayExposure.internal(c.provider ?? this.missingProvider(c, i)),
        });
        new CrossNetworkGateway(chart, 'cross-network', { gateway: resolved.gateway });
      }
      this._clusters.set(c.name, resolved);
    }
    this.addRegistration();
    wrapSynth(app, this);
    if (process.env[REGISTER_ENV] === '1') createdMeshes().push(this);
  }

  /** The chart of one cluster. */
  public cluster(name: string): Chart {
    return this.resolved(name, 'cluster').chart;
  }

  /** Cluster names, in declaration order. */
  public get clusterNames(): string[] {
    return [...this._clusters.keys()];
  }

  /** The services added so far (a copy). */
  public get services(): MeshService[] {
    return [...this._services];
  }

  /** Declares a service; its intents are then declared on the returned `MeshService`. */
  public addService(props: MeshServiceProps): MeshService {
    const svc = MeshService._create(this, props, this._services.length);
    // one service per name and namespace, whatever its clusterDomain: its rules' construct ids are name.namespace
    if (this._hosts.has(svc.host) || this._services.some((s) => s.name === svc.name && s.namespace === svc.namespace)) {
      invalid(this, CONSTRUCT, `addService(${show(props.name)})`, svc.host, 'this service was already added', 'each service once; declare several intents on the returned MeshService');
    }
    this._hosts.add(svc.host);
    this._services.push(svc);
    return svc;
  }

  /**
   * Makes hosts cluster-local in every cluster (mesh config `serviceSettings`, through a shared
   * mesh-config ConfigMap; see `ClusterLocalPolicy` for the one istiod setting this needs).
   * @param hosts hosts that stay in the caller's cluster, e.g. `*.default.svc.cluster.local`
   * @param exceptions hosts that stay global although a wider entry matches (default: none)
   */
  public clusterLocal(hosts: string[], exceptions?: string[]): void {
    if (!Array.isArray(hosts)) invalid(this, CONSTRUCT, 'clusterLocal.hosts', hosts, 'must be a list', 'hosts such as ["*.default.svc.cluster.local"]');
    if (exceptions !== undefined && !Array.isArray(exceptions)) invalid(this, CONSTRUCT, 'clusterLocal.exceptions', exceptions, 'must be a list', 'hosts such as ["echo.default.svc.cluster.local"]');
    for (const c of this._clusters.values()) {
      const policy = this.clusterLocalPolicy(c);
      policy.addClusterLocal(...hosts);
      if (exceptions) policy.addException(...exceptions);
    }
    for (const s of this._services) s._checkClusterLocalConflict();
  }

  /** Whether a host is cluster-local in the given cluster. */
  public isClusterLocal(cluster: string, host: string): boolean {
    if (typeof host !== 'string' || host === '') invalid(this, CONSTRUCT, 'isClusterLocal.host', host, 'must be a non-empty string', 'a service host such as "echo.default.svc.cluster.local"');
    const policy = this.resolved(cluster, 'cluster').clusterLocal;
    // without a policy, istiod's built-in defaults still apply (kube-system, kubernetes.default, istiod)
    if (policy) return policy.isClusterLocal(host);
    this.defaultClusterLocal ??= new ClusterLocalIndex([], [], istiodHost(this.istioNamespace, this.revision));
    return this.defaultClusterLocal.resolve(host);
  }

  /**
   * Predicts where a client's requests to a service go, the way Envoy would route them with the
   * generated configuration.
   */
  public explain(service: MeshService, query: ExplainQuery): ExplainResult {
    const svc = this._services.includes(service) ? service : undefined;
    if (svc === undefined) {
      invalid(this, CONSTRUCT, 'explain.service', service instanceof MeshService ? service.host : service,
        service instanceof MeshService ? 'the service belongs to another mesh' : 'not a service of this mesh',
        `what addService() returned: ${this._services.map((x) => `${x.name}.${x.namespace}`).join(', ') || '(no services yet)'}`);
    }
    validator(this, CONSTRUCT).props('explain.query', query, ExplainQueryKeys, `{ from: one of ${this.clusterNames.join(', ')} }`);
    this.resolved(query.from, 'explain.from');
    return TrafficExplainer.explain(this.explainClusters(), svc._explainModel(query.from), query);
  }

  /** The traffic report of one cluster (what `dist/<cluster>.traffic.md` holds). */
  public trafficReport(cluster: string): string {
    this.resolved(cluster, 'trafficReport');
    return TrafficReport.markdown(this.explainClusters(), this._services.map((s) => s._explainModel(cluster)), cluster);
  }

  /** The Mermaid picture of the mesh (what `dist/mesh.md` holds). */
  public diagram(): string {
    // each client's arrows come from the rules in ITS chart and its own cluster-local settings
    const services = this._services.map((s) => ({ summary: s._explainModel(undefined), forClient: (c: string) => s._explainModel(c) }));
    return diagramMarkdown(this.explainClusters(), services, this.multiNetwork);
  }

  /**
   * The istiod Helm values a cluster must be installed with for its chart to work, as YAML:
   * `global.meshID`, `global.multiCluster.clusterName` (the value the per-cluster subsets and
   * remote secrets use), `global.network`, `revision`, and `pilot.env.SHARED_MESH_CONFIG` when the
   * cluster has cluster-local settings. These are install-time settings no chart can change;
   * generating them from the same model keeps them from disagreeing with the chart.
   * @param cluster the cluster name
   */
  public istiodHelmValues(cluster: string): string {
    const c = this.resolved(cluster, 'istiodHelmValues');
    return Yaml.stringify(JSON.parse(JSON.stringify({
      revision: this.revision,
      global: {
        meshID: this.meshId,
        multiCluster: { clusterName: c.props.name },
        network: c.props.network,
        istioNamespace: this.istioNamespace === 'istio-system' ? undefined : this.istioNamespace,
      },
      pilot: c.clusterLocal ? { env: { SHARED_MESH_CONFIG: c.clusterLocal.configMapName } } : undefined,
    })));
  }

  /** Writes `<cluster>.traffic.md` for every cluster and `mesh.md` into a folder (App.synth does this for you). */
  public writeReports(outdir: string): void {
    fs.mkdirSync(outdir, { recursive: true });
    for (const name of this._clusters.keys()) {
      fs.writeFileSync(path.join(outdir, `${name}.traffic.md`), this.trafficReport(name));
    }
    fs.writeFileSync(path.join(outdir, 'mesh.md'), this.diagram());
  }

  /** @internal */
  public _cluster(name: string, field: string): { chart: Chart; region: string; zones: string[]; network: string } {
    const c = this.resolved(name, field);
    return { chart: c.chart, region: c.props.region, zones: c.zones, network: c.props.network };
  }

  /** @internal */
  public _clusterLocalPolicy(name: string): ClusterLocalPolicy {
    return this.clusterLocalPolicy(this.resolved(name, 'keepLocal'));
  }

  /** Checks that a locality (`region[/zone[/subzone]]`, `*` allowed) matches at least one cluster. @internal */
  public _checkLocality(construct: string, field: string, locality: string, regionOnly: boolean): void {
    if (typeof locality !== 'string') invalid(this, construct, field, locality, 'must be a string', regionOnly ? 'a region of a cluster' : 'a locality such as "region/*"');
    const subzone = splitLocality(locality)[2];
    if (!regionOnly && subzone !== undefined && subzone !== '*') {
      invalid(this, construct, field, locality, 'the mesh model has no sub-zones, so this locality cannot be checked against any cluster', 'region, region/*, region/zone or region/zone/*');
    }
    const matches = [...this._clusters.values()]
      .some((c) => (regionOnly ? c.props.region === locality : localityReaches(locality, c.props.region, c.zones)));
    if (!matches) {
      const known = [...this._clusters.values()].map((c) => `${c.props.name}: ${c.props.region}${c.zones.length ? ' (' + c.zones.join(', ') + ')' : ''}`).join('; ');
      invalid(this, construct, field, locality, `matches no cluster's ${regionOnly ? 'region' : 'region/zone'}`, `a locality of a cluster in the mesh — ${known}`);
    }
    if (!regionOnly && splitLocality(locality).length > 3) invalid(this, construct, field, locality, 'too many segments', 'region/zone/subzone');
  }

  /** Whether locality settings are meant to reach other clusters (see `MeshService.crossClusterRule`). @internal */
  public _crossCluster(lb: {
    readonly failover?: LocalityFailover[];
    readonly failoverPriority?: string[];
    readonly distribute?: LocalityDistribution[];
  }): boolean {
    if ((lb.failover ?? []).length > 0) return true;
    const crossLabels: string[] = [TopologyLabel.NETWORK, TopologyLabel.CLUSTER];
    if ((lb.failoverPriority ?? []).some((p) => typeof p === 'string' && crossLabels.includes(p.split('=')[0]))) return true;
    const clusters = [...this._clusters.values()];
    return (lb.distribute ?? []).some((d) => {
      const targets = Object.keys(d?.to ?? {});
      const from = clusters.filter((c) => typeof d?.from === 'string' && localityReaches(d.from, c.props.region, c.zones));
      const to = clusters.filter((c) => targets.some((t) => localityReaches(t, c.props.region, c.zones)));
      // spread over several clusters, or sent to a cluster the callers are not in
      return to.length > 1 || to.some((c) => !from.includes(c));
    });
  }

  /** Label keys declared in `clusters[].labels`, each once. @internal */
  public _declaredLabelKeys(): string[] {
    return [...new Set([...this._clusters.values()].flatMap((c) => Object.keys(c.labels)))];
  }

  /**
   * A bare failoverPriority key must be a label endpoints carry (a topology label or one declared
   * in `clusters[].labels`); a `key=value` entry on a topology or declared label must name
   * something the mesh has: a typo silently puts every endpoint at the lowest priority for that
   * label. @internal
   */
  public _checkPriorityValue(construct: string, field: string, entry: unknown): void {
    if (typeof entry !== 'string') return; // the rule reports it
    checkPriorityKey(this, construct, field, entry, this._declaredLabelKeys(), 'clusters[].labels');
    const eq = entry.indexOf('=');
    if (eq < 0) return;
    const key = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    const clusters = [...this._clusters.values()];
    const known: { [label: string]: string[] } = {
      'topology.istio.io/cluster': clusters.map((c) => c.props.name),
      'topology.istio.io/network': clusters.map((c) => c.props.network),
      'topology.kubernetes.io/region': clusters.map((c) => c.props.region),
      'topology.kubernetes.io/zone': clusters.flatMap((c) => c.zones),
    };
    for (const c of clusters) for (const [k, v] of Object.entries(c.labels)) (known[k] ??= []).push(v);
    const values = known[key];
    if (values && !values.includes(value)) {
      invalid(this, construct, field, entry, `no cluster of the mesh has ${key}=${value}`, `one of ${[...new Set(values)].map((v) => JSON.stringify(`${key}=${v}`)).join(', ') || 'none: no cluster declares one'}`);
    }
  }

  private explainClusters(): ExplainCluster[] {
    return [...this._clusters.values()].map((c) => ({ name: c.props.name, network: c.props.network, region: c.props.region, zones: [...c.zones] }));
  }

  private clusterLocalPolicy(c: ResolvedCluster): ClusterLocalPolicy {
    if (!c.clusterLocal) c.clusterLocal = new ClusterLocalPolicy(c.chart, 'cluster-local', { istioNamespace: this.istioNamespace, revision: this.revision });
    return c.clusterLocal;
  }

  /** Settings that would be silently dropped are refused instead. */
  private checkIgnoredGatewaySettings(c: MeshClusterProps, i: number): void {
    if (!this.multiNetwork) {
      for (const f of ['exposure', 'existingGateway'] as const) {
        if (c[f] !== undefined) {
          invalid(this, CONSTRUCT, `clusters[${i}].${f}`, c[f], `every cluster is on the same network (${show(c.network)}), so the mesh has no east-west gateway and this setting would be ignored`,
            'leave it out, or put the clusters on their own networks');
        }
      }
    } else if (c.existingGateway !== undefined && c.exposure !== undefined) {
      invalid(this, CONSTRUCT, `clusters[${i}].exposure`, c.exposure, 'the cluster uses existingGateway, whose Service the mesh does not create, so exposure would be ignored',
        'exposure or existingGateway, not both');
    }
  }

  private missingProvider(c: MeshClusterProps, i: number): never {
    return invalid(this, CONSTRUCT, `clusters[${i}].provider`, c.provider, 'a multi-network mesh exposes an east-west gateway in every cluster, and without a provider its load balancer would be internet-facing',
      'CloudProvider.GKE, EKS, AKS or ON_PREM (MetalLB and other private load balancers), or an explicit exposure such as GatewayExposure.nodePort()');
  }

  private resolved(name: string, field: string): ResolvedCluster {
    const c = this._clusters.get(name);
    if (!c) invalid(this, CONSTRUCT, field, name, 'unknown cluster', `one of ${[...this._clusters.keys()].map((k) => JSON.stringify(k)).join(', ')}`);
    return c;
  }

  private checkCluster(c: MeshClusterProps, i: number): void {
    const field = `clusters[${i}]`;
    const check = validator(this, CONSTRUCT);
    check.props(field, c, MeshClusterPropsKeys, '{ name, network, region }');
    check.optionalProps(`${field}.existingGateway`, c.existingGateway, EastWestGatewayAttributesKeys, '{ network, namespace }');
    check.optionalProps(`${field}.registration`, c.registration, ClusterRegistrationKeys, '{ server, certificateAuthorityData, token }');
    if (typeof c.name !== 'string' || !isDns1123Label(c.name)) {
      invalid(this, CONSTRUCT, `${field}.name`, c.name, 'not a lowercase DNS-1123 label', 'a cluster ID such as "gke-tokyo": it names the remote secret, the chart file and the topology.istio.io/cluster label');
    }
    for (const f of ['network', 'region'] as const) {
      const v = c[f];
      if (typeof v !== 'string' || v === '' || labelValueError(v)) {
        invalid(this, CONSTRUCT, `${field}.${f}`, v, 'not a non-empty label value', f === 'network' ? 'a network name such as "kuchima-demo-vpc01"' : 'a region such as "asia-northeast1"');
      }
      if (v.includes('/')) invalid(this, CONSTRUCT, `${field}.${f}`, v, 'must not contain "/"', 'a plain name');
    }
    if (c.zones !== undefined && !Array.isArray(c.zones)) invalid(this, CONSTRUCT, `${field}.zones`, c.zones, 'must be a list', 'zones such as ["asia-northeast1-a"]');
    (c.zones ?? []).forEach((z, j) => {
      if (typeof z !== 'string' || z === '' || labelValueError(z)) invalid(this, CONSTRUCT, `${field}.zones[${j}]`, z, 'not a non-empty label value', 'a zone such as "asia-northeast1-a"');
      if (c.zones!.indexOf(z) !== j) invalid(this, CONSTRUCT, `${field}.zones[${j}]`, z, 'zone listed twice', 'each zone once');
    });
    this.checkClusterLabels(c.labels, `${field}.labels`);
    if (this._seen.has(c.name)) invalid(this, CONSTRUCT, `${field}.name`, c.name, 'duplicate cluster name', 'a unique cluster ID per cluster');
    this._seen.add(c.name);
  }

  /** Declared endpoint labels: valid keys and values, and no topology label (those come from name, network, region, zones). */
  private checkClusterLabels(labels: { [key: string]: string } | undefined, field: string): void {
    if (labels === undefined) return;
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) invalid(this, CONSTRUCT, field, labels, 'must be a map of label key to value', '{ "example.com/tier": "gold" }');
    for (const [k, v] of Object.entries(labels)) {
      const keyErr = labelKeyError(k);
      if (keyErr) invalid(this, CONSTRUCT, field, k, keyErr, 'a pod label key such as "example.com/tier"');
      if (ENDPOINT_TOPOLOGY_LABELS.includes(k)) {
        invalid(this, CONSTRUCT, `${field}["${k}"]`, v, 'a topology label istiod sets itself', 'name, network, region and zones for the cluster, network, region and zone labels; other pod labels here');
      }
      const valErr = typeof v === 'string' ? labelValueError(v) : 'label values are strings';
      if (valErr) invalid(this, CONSTRUCT, `${field}["${k}"]`, v, valErr, 'up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    }
  }

  private addRegistration(): void {
    const registered = [...this._clusters.values()].filter((c) => c.props.registration);
    if (registered.length === 0) return;
    if (registered.length !== this._clusters.size) {
      const missing = [...this._clusters.values()].filter((c) => !c.props.registration).map((c) => c.props.name);
      invalid(this, CONSTRUCT, 'clusters[].registration', missing, 'registration is set for some clusters only; in a multi-primary mesh every istiod must reach every other cluster',
        'registration on every cluster, or on none (then run istioctl create-remote-secret yourself)');
    }
    for (const c of registered) {
      new ReaderTokenSecret(c.chart, 'reader-token', this.istioNamespace);
      for (const other of this._clusters.values()) {
        if (other === c) continue;
        new RemoteSecret(other.chart, `remote-secret-${c.props.name}`, { clusterName: c.props.name, registration: c.props.registration!, istioNamespace: this.istioNamespace });
      }
    }
  }
}

/**
 * A service of the mesh and the traffic intents declared for it. Each intent materializes the
 * right construct in every chart whose clients call the service.
 */
export class MeshService {
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
  private readonly where: string;
  private readonly id: string;

  private constructor(mesh: MultiClusterMesh, props: MeshServiceProps, index: number) {
    this.mesh = mesh;
    this.where = `addService(${show(props?.name)})`;
    const construct = 'MeshService';
    validator(mesh, CONSTRUCT).props(`addService[${index}]`, props, MeshServicePropsKeys, '{ name, clusters }');
    if (typeof props.name !== 'string' || !isDns1123Label(props.name)) invalid(mesh, construct, `${this.where}.name`, props.name, 'not a DNS-1123 label', 'a Kubernetes Service name such as "echo-svc"');
    this.name = props.name;
    this.namespace = validateNamespace(mesh, construct, props.namespace) ?? 'default';
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
    this.local = true;
    for (const c of this.clients) this.mesh._clusterLocalPolicy(c).addClusterLocal(this.host);
  }

  /**
   * Routes every caller to its own cluster's subset (no cross-cluster failover; see PerClusterSubsetRouting).
   * @param intent whether callers from clusters without the service get a catch-all route (default: no)
   */
  public routePerCluster(intent: RoutePerClusterIntent = {}): void {
    if (this.perCluster) invalid(this.mesh, 'MeshService', `${this.where}.routePerCluster`, this.name, 'already declared', 'one routePerCluster per service');
    validator(this.mesh, 'MeshService').props(`${this.where}.routePerCluster`, intent, RoutePerClusterIntentKeys, '{ fallbackToAllClusters?: boolean }');
    const fallback = optionalBoolean(this.mesh, 'MeshService', `${this.where}.routePerCluster.fallbackToAllClusters`, intent?.fallbackToAllClusters, false);
    const missing = this.clients.filter((c) => !this.clusters.includes(c));
    if (missing.length && !fallback) {
      invalid(this.mesh, 'MeshService', `${this.where}.routePerCluster`, missing, `clients in ${missing.join(', ')} have no route (the service does not run there)`, 'fallbackToAllClusters: true, or clients limited to the service\'s clusters');
    }
    this.perCluster = { fallbackToAllClusters: fallback };
    for (const c of this.clients) {
      const chart = this.mesh._cluster(c, 'routePerCluster').chart;
      new PerClusterSubsetRouting(chart, `${this.id}-per-cluster`, {
        host: this.host,
        name: this.name,
        namespace: this.namespace,
        clusters: this.clusters,
        fallbackToAllClusters: this.perCluster.fallbackToAllClusters,
        destinationRule: this.ruleIn(c),
      });
    }
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

  /** @internal */
  public _explainModel(from: string | undefined): ExplainService {
    const rule = from ? this.rules.get(from) : this.rules.values().next().value as LocalityFailoverRule | undefined;
    return {
      host: this.host,
      replicas: { ...this.replicas },
      localityLb: rule ? {
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
      } : undefined,
      clusterLocal: from ? this.mesh.isClusterLocal(from, this.host) : this.local || this.clients.some((c) => this.mesh.isClusterLocal(c, this.host)),
      // The VirtualService exists only in client clusters' charts; elsewhere the caller has no rule.
      perClusterRouting: this.perCluster && (from === undefined || this.clients.includes(from))
        ? { clusters: [...this.clusters], fallbackToAllClusters: this.perCluster.fallbackToAllClusters ?? false } : undefined,
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

  private checkNoRule(intent: string): void {
    if (this.rules.size) invalid(this.mesh, 'MeshService', `${this.where}.${intent}`, this.name, 'a failover or distribute intent was already declared', 'one of failover() or distribute() per service');
  }

  private ruleIn(cluster: string): LocalityFailoverRule | undefined {
    return this.rules.get(cluster);
  }

  private materialize(props: Omit<LocalityFailoverRuleProps, 'host'>): void {
    if (this.perCluster) invalid(this.mesh, 'MeshService', this.where, this.name, 'declare failover()/distribute() before routePerCluster(), so the subsets join the same DestinationRule', 'call order: failover/distribute, then routePerCluster');
    for (const c of this.clients) {
      const chart = this.mesh._cluster(c, 'clients').chart;
      this.rules.set(c, new LocalityFailoverRule(chart, this.id, { ...props, host: this.host, name: this.name, namespace: this.namespace }));
    }
    this._checkClusterLocalConflict();
  }
}

/**
 * Whether a locality (`region[/zone[/subzone]]`, `*` allowed) matches a cluster's region or one of
 * its zones: a zone segment matches only a cluster that declares that zone (istiod's
 * `LocalityMatch` compares it with the node's zone label).
 */
function localityReaches(locality: string, region: string, zones: string[]): boolean {
  const [r, z] = splitLocality(locality);
  if (r !== '*' && r !== region) return false;
  return z === undefined || z === '*' || zones.includes(z);
}

/**
 * Writes the reports next to the YAML whenever the App synthesizes. While the explain CLI loads
 * the app (CDK8S_ISTIO_MC_REGISTER=1), synth writes nothing: neither YAML (remote secrets hold
 * tokens) nor reports.
 */
function wrapSynth(app: App, mesh: MultiClusterMesh): void {
  const synth = app.synth.bind(app);
  app.synth = () => {
    if (process.env[REGISTER_ENV] === '1') return;
    synth();
    mesh.writeReports(app.outdir);
  };
}

/**
 * One file per cluster is the point of the mesh: FILE_PER_RESOURCE names files `Kind.name.k8s.yaml`,
 * so the clusters' objects of one name overwrite each other, and FILE_PER_APP writes every cluster
 * into one file that kubectl would apply to one cluster.
 */
function checkOutputType(mesh: Construct, app: App): void {
  const type = (app as { yamlOutputType?: YamlOutputType }).yamlOutputType;
  if (type === YamlOutputType.FILE_PER_RESOURCE || type === YamlOutputType.FILE_PER_APP) {
    invalid(mesh, CONSTRUCT, 'app.yamlOutputType', `YamlOutputType.${YamlOutputType[type]}`,
      type === YamlOutputType.FILE_PER_APP
        ? 'every cluster would be written into one file, with the same object names repeated for each cluster'
        : 'files are named Kind.name.k8s.yaml, so one cluster\'s objects would overwrite another\'s of the same name',
      'YamlOutputType.FILE_PER_CHART (the default: dist/<cluster>.k8s.yaml) or YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE (dist/<cluster>/...)');
  }
}
