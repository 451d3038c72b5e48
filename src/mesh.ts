import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterLocalIndex, ClusterLocalPolicy, istiodHost } from './cluster-local-policy';
import { CrossNetworkGateway } from './cross-network-gateway';
import { EastWestGateway } from './east-west-gateway';
import type { ValidationError } from './errors';
import { TrafficExplainer } from './explain/engine';
import { trustedModel } from './explain/explain-core';
import { diagramMarkdown } from './explain/mermaid';
import { ExplainCluster, ExplainQuery, ExplainResult, ExplainService } from './explain/model';
import { TrafficReport } from './explain/report';
import { AmbientEastWestGateway, GatewayApiEastWestGateway, gatewayApiNamespace } from './gateway-api';
import { CloudProvider, GatewayExposure, GatewayServiceType } from './gateway-exposure';
import { BUILT_IN_NAMESPACES } from './gateway-options';
import { EastWestGatewayAttributes, IEastWestGateway } from './gateway-reference';
import { TopologyLabel } from './labels';
import { LocalityDistribution, LocalityFailover } from './locality';
import { ENDPOINT_TOPOLOGY_LABELS, checkPriorityKey } from './locality-failover-rule';
import { MeshService, MeshServiceProps } from './mesh-service';
import { NetworkLabel } from './network-label';
import { brandSymbol, hasBrand, setBrand } from './private/brand';
import { addSynthCheck, invalid, show, validationError, asCaller } from './private/invalid';
import { isDns1123Label, labelKeyError, labelValueError, splitLocality } from './private/istio-rules';
import { compact } from './private/objects';
import {
  ClusterRegistrationKeys, EastWestGatewayAttributesKeys, ExplainQueryKeys, MeshClusterPropsKeys, MultiClusterMeshPropsKeys,
} from './private/props-keys';
import { localityReaches, hostCovers, cloudZoneRegion } from './private/topology';
import { subtree } from './private/tree';
import { validator } from './private/validator';
import { ClusterRegistration, ReaderTokenSecret, RemoteSecret } from './remote-secret';
import { IstioVersion, KubernetesVersion, checkIstioVersion, checkKubernetesVersion, requireIstio } from './versions';
import { ValidationWarning, Warnings } from './warnings';

const CONSTRUCT = 'MultiClusterMesh';
/** GKE's internal load balancer annotation for clients in other regions. */
const GKE_GLOBAL_ACCESS = 'networking.gke.io/internal-load-balancer-allow-global-access';
const MESH_BRAND = brandSymbol('MultiClusterMesh');
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

/** How workloads join the mesh. */
export enum DataPlaneMode {
  /** Sidecar proxies (Envoy) next to every workload; east-west gateways pass mTLS through on 15443. */
  SIDECAR = 'sidecar',
  /**
   * Ambient mode: ztunnel per node (and waypoints for L7); east-west gateways speak HBONE on 15008.
   * Multi-network ambient is beta from Istio 1.29 (alpha in 1.27 and 1.28); Istio's own docs still
   * say it should not be used in production.
   */
  AMBIENT = 'ambient',
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
   * Sub-zones of the zones (`topology.istio.io/subzone`, a node label you set yourself), e.g.
   * `{ 'us-east1-b': ['rack-1', 'rack-2'] }`. Localities may then name them
   * (`region/zone/subzone`) and explain places endpoints in them (round-robin).
   * @default - no sub-zones
   */
  readonly subzones?: { [zone: string]: string[] };
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
  /**
   * The Istio release of this cluster's control plane, when it is not the mesh's: an upgrade in
   * progress, one cluster at a time. The cluster's objects are checked against it (every cluster
   * whose istiod reads a Service must support its traffic distribution, every ambient cluster
   * must run 1.27+), and explain models this cluster's clients with it (istiod programs its own
   * cluster's sidecars).
   * @default - the mesh's `istioVersion`
   */
  readonly istioVersion?: IstioVersion;
  /**
   * The Kubernetes release of this cluster, when it is not the mesh's: it decides how the
   * cluster's Service objects get a traffic distribution (field or Istio's annotation).
   * @default - the mesh's `kubernetesVersion`
   */
  readonly kubernetesVersion?: KubernetesVersion;
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
  /**
   * Hosts other networks may reach through each cluster's `cross-network-gateway` (its server
   * `hosts`, see `CrossNetworkGatewayProps.hosts`). Every service with a client on another network
   * than one of its clusters must be covered, or its cross-network requests would find no route;
   * that is checked when the service's intents are declared.
   * @default - `["*.local"]`: every service of every cluster (with a warning)
   * @example ['*.default.svc.cluster.local', 'payments.shop.svc.cluster.local']
   */
  readonly exposedHosts?: string[];
  /**
   * The Istio release of the clusters' control planes (a cluster may name its own: see
   * `MeshClusterProps.istioVersion`). It selects what is accepted (e.g. Service traffic
   * distribution needs 1.25, `PreferSameZone` 1.27) and how explain models istiod (1.31's
   * `failoverPriority` network rule and not-Ready endpoints).
   * @default IstioVersion.LATEST (1.31)
   */
  readonly istioVersion?: IstioVersion;
  /**
   * The Kubernetes release of the clusters (a cluster may name its own: see
   * `MeshClusterProps.kubernetesVersion`). It selects how Service settings are written
   * (`spec.trafficDistribution` from 1.31, `PreferSameZone`/`PreferSameNode` from 1.34, Istio's
   * annotation otherwise).
   * @default KubernetesVersion.V1_32 - the oldest release Istio 1.30 and 1.31 support, so the
   * output is accepted by every cluster they run on
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Build each cluster's sidecar east-west gateway as one Gateway API object
   * (`GatewayApiEastWestGateway`: class `istio`, deployed and kept current by istiod) instead of
   * plain Kubernetes objects plus a `cross-network-gateway`. Needs the Gateway API CRDs (v1.2+) in
   * every cluster. The listener option it relies on is not yet formalized by Istio.
   * @default false
   */
  readonly gatewayApi?: boolean;
  /**
   * The data plane: `SIDECAR`, or `AMBIENT` (beta; see `DataPlaneMode.AMBIENT`). Ambient meshes get
   * an `AmbientEastWestGateway` per cluster, mark their services global (`istio.io/global` on the
   * `kubernetesServices`), and refuse what has no ambient equivalent.
   * @default DataPlaneMode.SIDECAR
   */
  readonly dataPlaneMode?: DataPlaneMode;
  /**
   * Turn warnings (settings Istio accepts that almost certainly do not do what was meant) into
   * errors, for this mesh and every construct in its charts. Sets `Warnings.STRICT_CONTEXT`.
   * @default false
   */
  readonly strict?: boolean;
}

interface ResolvedCluster {
  readonly props: MeshClusterProps;
  readonly chart: Chart;
  readonly istioVersion: IstioVersion;
  readonly kubernetesVersion: KubernetesVersion;
  readonly zones: string[];
  readonly subzones: { [zone: string]: string[] };
  readonly labels: { [key: string]: string };
  gateway?: IEastWestGateway;
  /** The exposure of the east-west gateway the mesh made for the cluster, if it made one. */
  exposure?: GatewayExposure;
  clusterLocal?: ClusterLocalPolicy;
}

/**
 * Declare an Istio multi-cluster mesh once; get one cdk8s Chart per cluster
 * (`dist/<cluster>.k8s.yaml`) with exactly the objects that cluster needs, validated across
 * clusters, plus a traffic report per cluster and a Mermaid picture of the mesh.
 *
 * Charts are created at the root of the App with the cluster name as id, so cdk8s names the files
 * after the clusters. Multi-network meshes get an EastWestGateway and a CrossNetworkGateway in
 * every cluster; single-network meshes get none. Create it in a `MeshApp` to have `synth()` write
 * the reports too (with a plain `App`, call `writeReports(app.outdir)`).
 */
export class MultiClusterMesh extends Construct {
  /** Whether `x` is a MultiClusterMesh, also one made by another copy of this package. @internal */
  public static _isMesh(x: unknown): x is MultiClusterMesh {
    return hasBrand(x, MESH_BRAND);
  }

  /** The mesh ID. */
  public readonly meshId: string;
  /** The revision, when set. */
  public readonly revision?: string;
  /** Whether the clusters span more than one network. */
  public readonly multiNetwork: boolean;
  /** Namespace of istiod. */
  public readonly istioNamespace: string;
  /** The Istio release of the control planes (of those that do not name their own: see `istioVersionOf`). */
  public readonly istioVersion: IstioVersion;
  /** The Kubernetes release of the clusters (of those that do not name their own: see `kubernetesVersionOf`). */
  public readonly kubernetesVersion: KubernetesVersion;
  /** The data plane. */
  public readonly dataPlaneMode: DataPlaneMode;
  /** Whether the sidecar east-west gateways are Gateway API objects. */
  public readonly gatewayApi: boolean;

  /** `exposedHosts`, when given (checked by each CrossNetworkGateway). */
  private readonly exposedHosts?: string[];
  private readonly _clusters = new Map<string, ResolvedCluster>();
  private readonly _services: MeshService[] = [];
  private readonly _hosts = new Set<string>();
  /** `name namespace` of each service (its rules' construct ids), for the duplicate check without a scan. */
  private readonly _serviceIds = new Set<string>();
  private readonly _seen = new Set<string>();
  /** Istio's built-in cluster-local hosts, for clusters without a ClusterLocalPolicy. */
  private defaultClusterLocal?: ClusterLocalIndex;

  public constructor(scope: Construct, id: string, props: MultiClusterMeshProps) {
    super(scope, id);
    setBrand(this, MESH_BRAND);
    validator(this, CONSTRUCT).props('', props, MultiClusterMeshPropsKeys, '{ meshId, clusters }');
    const strict = validator(this, CONSTRUCT).boolean('strict', props.strict, false);
    if (strict) this.node.setContext(Warnings.STRICT_CONTEXT, true);
    if (typeof props.meshId !== 'string' || labelValueError(props.meshId) || props.meshId === '') {
      invalid(this, CONSTRUCT, 'meshId', props.meshId, 'not a label value', 'a mesh ID such as "proj-123456" (letters, digits, "-", "_", ".")');
    }
    this.meshId = props.meshId;
    this.revision = validator(this, CONSTRUCT).revision('revision', props.revision);
    this.istioNamespace = validator(this, CONSTRUCT).namespace('istioNamespace', props.istioNamespace, 'istio-system');
    this.istioVersion = checkIstioVersion(this, CONSTRUCT, 'istioVersion', props.istioVersion);
    this.kubernetesVersion = checkKubernetesVersion(this, CONSTRUCT, 'kubernetesVersion', props.kubernetesVersion);
    if (!Array.isArray(props.clusters) || props.clusters.length === 0) {
      invalid(this, CONSTRUCT, 'clusters', props.clusters, 'at least one cluster is required', '[{ name, network, region }]');
    }
    const app = App.of(this);
    checkOutputType(this, app);
    this.dataPlaneMode = this.checkDataPlaneMode(props.dataPlaneMode);
    this.gatewayApi = validator(this, CONSTRUCT).boolean('gatewayApi', props.gatewayApi, this.dataPlaneMode === DataPlaneMode.AMBIENT);
    if (this.dataPlaneMode === DataPlaneMode.AMBIENT && !this.gatewayApi) {
      invalid(this, CONSTRUCT, 'gatewayApi', false, 'ambient east-west gateways exist only as Gateway API objects (class istio-east-west)', 'leave gatewayApi out (or true) with DataPlaneMode.AMBIENT');
    }
    const oneNetwork = Array.isArray(props.clusters) && new Set(props.clusters.map((c) => c?.network)).size < 2;
    if (this.dataPlaneMode === DataPlaneMode.SIDECAR && props.gatewayApi === true && oneNetwork) {
      invalid(this, CONSTRUCT, 'gatewayApi', true, 'every cluster is on the same network, so the mesh has no east-west gateway and this setting would be ignored', 'leave it out, or put the clusters on their own networks');
    }
    if (this.dataPlaneMode === DataPlaneMode.AMBIENT && props.exposedHosts !== undefined) {
      invalid(this, CONSTRUCT, 'exposedHosts', props.exposedHosts, 'an ambient east-west gateway carries HBONE for global services only: service scope (istio.io/global), not a host list, decides what other networks reach',
        'leave exposedHosts out; keepLocal() keeps a service off the other networks');
    }
    this.exposedHosts = this.checkExposedHosts(props.exposedHosts);
    props.clusters.forEach((c, i) => this.checkCluster(c, i));
    this.multiNetwork = new Set(props.clusters.map((c) => c.network)).size > 1;
    if (this.dataPlaneMode === DataPlaneMode.AMBIENT) this.checkAmbientTopology(props.clusters);

    for (const [i, c] of props.clusters.entries()) {
      if (app.node.tryFindChild(c.name)) {
        invalid(this, CONSTRUCT, `clusters[${i}].name`, c.name, 'the App already has a construct with this id (another chart, another mesh, or this mesh itself): the cluster\'s chart is created at the App root under its name',
          'a cluster name not used as an id at the App root (give the mesh another id, e.g. "mesh")');
      }
      this.checkIgnoredGatewaySettings(c, i);
      const chart = new Chart(app, c.name);
      if (strict) chart.node.setContext(Warnings.STRICT_CONTEXT, true);
      const istioVersion = c.istioVersion === undefined ? this.istioVersion : checkIstioVersion(this, CONSTRUCT, `clusters[${i}].istioVersion`, c.istioVersion);
      const kubernetesVersion = c.kubernetesVersion === undefined ? this.kubernetesVersion
        : checkKubernetesVersion(this, CONSTRUCT, `clusters[${i}].kubernetesVersion`, c.kubernetesVersion);
      if (this.dataPlaneMode === DataPlaneMode.AMBIENT && c.istioVersion !== undefined) {
        this.checkAmbientRelease(`clusters[${i}].istioVersion`, istioVersion.version, istioVersion, 'ambient multicluster (dataPlaneMode AMBIENT) in this cluster');
      }
      const resolved: ResolvedCluster = {
        props: c,
        chart,
        istioVersion,
        kubernetesVersion,
        zones: [...(c.zones ?? [])],
        subzones: copySubzones(c.subzones),
        labels: { ...(c.labels ?? {}) },
      };
      // the mesh's own gateway's exposure, kept for the cross-cluster checks
      const exposure = () => (resolved.exposure = c.exposure ?? GatewayExposure.internal(c.provider ?? this.missingProvider(c, i)));
      if (this.multiNetwork && c.existingGateway) {
        if (c.existingGateway.network !== c.network) {
          invalid(this, CONSTRUCT, `clusters[${i}].existingGateway.network`, c.existingGateway.network,
            `the gateway serves network ${show(c.existingGateway.network)} but the cluster is on ${show(c.network)}`, `the cluster's network ${show(c.network)}`);
        }
        resolved.gateway = EastWestGateway.fromAttributes(chart, 'eastwest', c.existingGateway);
        new CrossNetworkGateway(chart, 'cross-network', { gateway: resolved.gateway, hosts: this.exposedHosts, istioVersion });
      } else if (this.multiNetwork && this.gatewayApi) {
        // Gateway API gateways (ambient ones always): in Istio's namespace unless told otherwise
        const options = {
          istioVersion,
          network: c.network,
          revision: this.revision,
          namespace: props.gatewayNamespace ?? this.istioNamespace,
          exposure: exposure(),
        };
        if (this.dataPlaneMode === DataPlaneMode.AMBIENT) {
          new AmbientEastWestGateway(chart, 'eastwest', options);
          // ambient istiod takes a cluster's network only from this label (ambient/networks.go), not global.network
          new NetworkLabel(chart, 'network-label', { network: c.network, istioNamespace: this.istioNamespace });
        } else {
          new GatewayApiEastWestGateway(chart, 'eastwest', { ...options, hosts: this.exposedHosts });
        }
        this.gatewayNamespace(chart, options.namespace);
      } else if (this.multiNetwork) {
        resolved.gateway = new EastWestGateway(chart, 'eastwest', {
          istioVersion,
          network: c.network,
          revision: this.revision,
          namespace: props.gatewayNamespace,
          istioNamespace: this.istioNamespace,
          exposure: exposure(),
        });
        new CrossNetworkGateway(chart, 'cross-network', { gateway: resolved.gateway, hosts: this.exposedHosts, istioVersion });
      }
      this._clusters.set(c.name, resolved);
    }
    this.addRegistration();
    this.checkRegionalLoadBalancers();
    if (this.dataPlaneMode === DataPlaneMode.AMBIENT) addSynthCheck(this, () => this.sidecarGatewaysInAmbient());
    if (process.env[REGISTER_ENV] === '1') createdMeshes().push(this);
  }

  /**
   * The warnings of the mesh and of every construct in its charts (also printed once at synth and
   * listed in each cluster's traffic report).
   */
  public get warnings(): ValidationWarning[] {
    return [this, ...[...this._clusters.values()].map((c) => c.chart)].flatMap((scope) => Warnings.of(scope));
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
    const id = `${svc.name} ${svc.namespace}`;
    if (this._hosts.has(svc.host) || this._serviceIds.has(id)) {
      invalid(this, CONSTRUCT, `addService(${show(props.name)})`, svc.host, 'this service was already added', 'each service once; declare several intents on the returned MeshService');
    }
    this._hosts.add(svc.host);
    this._serviceIds.add(id);
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
    if (this._ambient) {
      invalid(this, CONSTRUCT, 'clusterLocal', hosts, 'in an ambient mesh services are cluster-local unless made global (service scope), and ztunnel never reads meshConfig serviceSettings (only Envoy proxies do)',
        'keepLocal() on the services that stay in their cluster');
    }
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
      invalid(this, CONSTRUCT, 'explain.service', MeshService._isService(service) ? service.host : service,
        MeshService._isService(service) ? 'the service belongs to another mesh' : 'not a service of this mesh',
        `what addService() returned: ${this._services.map((x) => `${x.name}.${x.namespace}`).join(', ') || '(no services yet)'}`);
    }
    validator(this, CONSTRUCT).props('explain.query', query, ExplainQueryKeys, `{ from: one of ${this.clusterNames.join(', ')} }`);
    this.resolved(query.from, 'explain.from');
    return TrafficExplainer.explain(this.explainClusters(), svc._explainModel(query.from), query);
  }

  /** The traffic report of one cluster (what `dist/<cluster>.traffic.md` holds). */
  public trafficReport(cluster: string): string {
    return this.reportOf(cluster, new ModelCache(this._services));
  }

  /** The Mermaid picture of the mesh (what `dist/mesh.md` holds). */
  public diagram(): string {
    return this.diagramOf(new ModelCache(this._services));
  }

  private reportOf(cluster: string, models: ModelCache): string {
    this.resolved(cluster, 'trafficReport');
    const warnings = [...Warnings.of(this), ...Warnings.of(this.resolved(cluster, 'trafficReport').chart)].map((w) => w.message);
    const involved = this._services.filter((s) => s.clusters.includes(cluster) || s.clients.includes(cluster));
    const settings = [...new Set(involved.flatMap((s) => s._serviceSettings()))];
    return TrafficReport.markdown(this.explainClusters(), models.forClient(cluster), cluster, warnings, settings);
  }

  private diagramOf(models: ModelCache): string {
    // each client's arrows come from the rules in ITS chart and its own cluster-local settings
    const services = this._services.map((s, i) => ({ summary: s._explainModel(undefined), forClient: (c: string) => models.forClient(c)[i] }));
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
    return Yaml.stringify(compact({
      revision: this.revision,
      global: {
        meshID: this.meshId,
        multiCluster: { clusterName: c.props.name },
        network: c.props.network,
        istioNamespace: this.istioNamespace === 'istio-system' ? undefined : this.istioNamespace,
      },
      // the ambient profile sets PILOT_ENABLE_AMBIENT; multi-network needs AMBIENT_ENABLE_MULTI_NETWORK on top
      profile: this.dataPlaneMode === DataPlaneMode.AMBIENT ? 'ambient' : undefined,
      pilot: compact({
        env: compact({
          SHARED_MESH_CONFIG: c.clusterLocal?.configMapName,
          // it gates ambient multicluster as a whole (ambientindex.go), single-network included
          AMBIENT_ENABLE_MULTI_NETWORK: this.dataPlaneMode === DataPlaneMode.AMBIENT && this._clusters.size > 1 ? 'true' : undefined,
        }),
      }),
    }));
  }

  /**
   * The ztunnel Helm values a cluster must be installed with in an ambient mesh (`istio/ztunnel`
   * chart): `multiCluster.clusterName` and `global.network`, as YAML.
   * @param cluster the cluster name
   */
  public ztunnelHelmValues(cluster: string): string {
    const c = this.resolved(cluster, 'ztunnelHelmValues');
    if (this.dataPlaneMode !== DataPlaneMode.AMBIENT) {
      invalid(this, CONSTRUCT, 'ztunnelHelmValues', cluster, 'the mesh uses sidecars: there is no ztunnel to configure', 'dataPlaneMode: DataPlaneMode.AMBIENT');
    }
    return Yaml.stringify(compact({
      revision: this.revision,
      profile: 'ambient',
      multiCluster: { clusterName: c.props.name },
      global: { network: c.props.network },
    }));
  }

  /** The cluster charts, in declaration order. @internal */
  public _charts(): Chart[] {
    return [...this._clusters.values()].map((c) => c.chart);
  }

  /** Writes `<cluster>.traffic.md` for every cluster and `mesh.md` into a folder (`MeshApp.synth()` does this for you). */
  public writeReports(outdir: string): void {
    // while the explain CLI loads the app, nothing is written (as MeshApp.synth)
    if (process.env[REGISTER_ENV] === '1') return;
    fs.mkdirSync(outdir, { recursive: true });
    // one model per service and client cluster for all the reports: nothing changes while they are written
    const models = new ModelCache(this._services);
    for (const name of this._clusters.keys()) {
      fs.writeFileSync(path.join(outdir, `${name}.traffic.md`), this.reportOf(name, models));
    }
    fs.writeFileSync(path.join(outdir, 'mesh.md'), this.diagramOf(models));
  }

  /** @internal */
  public _cluster(name: string, field: string): { chart: Chart; region: string; zones: string[]; network: string } {
    const c = this.resolved(name, field);
    return { chart: c.chart, region: c.props.region, zones: c.zones, network: c.props.network };
  }

  /** The Istio release of a cluster's control plane: its own `istioVersion`, else the mesh's. */
  public istioVersionOf(cluster: string): IstioVersion {
    return this.resolved(cluster, 'istioVersionOf').istioVersion;
  }

  /** The Kubernetes release of a cluster: its own `kubernetesVersion`, else the mesh's. */
  public kubernetesVersionOf(cluster: string): KubernetesVersion {
    return this.resolved(cluster, 'kubernetesVersionOf').kubernetesVersion;
  }

  /** Whether the mesh is ambient. @internal */
  public get _ambient(): boolean {
    return this.dataPlaneMode === DataPlaneMode.AMBIENT;
  }

  /** @internal */
  public _clusterLocalPolicy(name: string): ClusterLocalPolicy {
    return this.clusterLocalPolicy(this.resolved(name, 'keepLocal'));
  }

  /** Checks that a locality (`region[/zone[/subzone]]`, `*` allowed) matches at least one cluster. @internal */
  public _checkLocality(construct: string, field: string, locality: string, regionOnly: boolean): void {
    if (typeof locality !== 'string') invalid(this, construct, field, locality, 'must be a string', regionOnly ? 'a region of a cluster' : 'a locality such as "region/*"');
    const matches = [...this._clusters.values()]
      .some((c) => (regionOnly ? c.props.region === locality : localityReaches(locality, c.props.region, c.zones, c.subzones)));
    if (!matches) {
      const known = [...this._clusters.values()].map((c) => `${c.props.name}: ${c.props.region}${c.zones.length ? ' (' + c.zones.map((z) => (c.subzones[z] ? `${z} [${c.subzones[z].join(', ')}]` : z)).join(', ') + ')' : ''}`).join('; ');
      const subzone = splitLocality(locality)[2];
      const what = regionOnly ? 'region' : subzone !== undefined && subzone !== '*' ? 'region/zone/subzone (declare sub-zones with clusters[].subzones)' : 'region/zone';
      invalid(this, construct, field, locality, `matches no cluster's ${what}`, `a locality of a cluster in the mesh — ${known}`);
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
      const from = clusters.filter((c) => typeof d?.from === 'string' && localityReaches(d.from, c.props.region, c.zones, c.subzones));
      const to = clusters.filter((c) => targets.some((t) => localityReaches(t, c.props.region, c.zones, c.subzones)));
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
    // sub-zones are checked once the mesh declares any (they are optional in the model)
    const subzones = clusters.flatMap((c) => Object.values(c.subzones).flat());
    if (subzones.length) known['topology.istio.io/subzone'] = subzones;
    for (const c of clusters) for (const [k, v] of Object.entries(c.labels)) (known[k] ??= []).push(v);
    const values = known[key];
    if (values && !values.includes(value)) {
      invalid(this, construct, field, entry, `no cluster of the mesh has ${key}=${value}`, `one of ${[...new Set(values)].map((v) => JSON.stringify(`${key}=${v}`)).join(', ') || 'none: no cluster declares one'}`);
    }
  }

  private explainClusters(): ExplainCluster[] {
    // the declared pod labels let explain evaluate failoverPriority on them (clients and endpoints of a cluster carry them)
    return [...this._clusters.values()].map((c) => ({
      name: c.props.name,
      network: c.props.network,
      region: c.props.region,
      zones: [...c.zones],
      labels: { ...c.labels },
      subzones: copySubzones(c.subzones),
      istioVersion: c.istioVersion,
    }));
  }

  private clusterLocalPolicy(c: ResolvedCluster): ClusterLocalPolicy {
    if (!c.clusterLocal) c.clusterLocal = new ClusterLocalPolicy(c.chart, 'cluster-local', { istioNamespace: this.istioNamespace, revision: this.revision, istioVersion: c.istioVersion });
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

  private checkExposedHosts(hosts: unknown): string[] | undefined {
    const list = validator(this, CONSTRUCT).optionalList('exposedHosts', hosts as string[] | undefined, 'hosts such as ["*.default.svc.cluster.local"]');
    if (list === undefined) return undefined;
    if (list.length === 0) invalid(this, CONSTRUCT, 'exposedHosts', list, 'an empty list would expose nothing, so no cross-network request could succeed', 'hosts such as ["*.default.svc.cluster.local"], or leave it out for "*.local"');
    // each host is checked (Gateway host syntax) by every cluster's CrossNetworkGateway; here only
    // that every cross-network service is covered, once all intents are known
    addSynthCheck(this, () => this.uncoveredServices(list));
    return [...list];
  }

  /** Services some client reaches across networks whose host no exposed host covers. */
  private uncoveredServices(exposed: string[]): ValidationError[] {
    if (!this.multiNetwork) return [];
    const errors: ValidationError[] = [];
    for (const svc of this._services) {
      const networks = new Set(svc.clusters.map((c) => this.resolved(c, 'clusters').props.network));
      const crosses = svc.clients.some((client) => !this.isClusterLocal(client, svc.host)
        && [...networks].some((n) => n !== this.resolved(client, 'clients').props.network));
      if (!crosses) continue;
      if (exposed.some((h) => hostCovers(h.replace(/^\*\//, ''), svc.host))) continue;
      errors.push(validationError(this, CONSTRUCT, 'exposedHosts', exposed,
        `no entry covers ${show(svc.host)}, which clients on other networks call (addService(${show(svc.name)})): ${this.gatewayApi ? 'no listener of the east-west gateway would accept' : 'the cross-network-gateway would not accept'} its SNI, so those requests fail`,
        `add ${show(svc.host)} or a wildcard such as ${show(`*.${svc.host.split('.').slice(1).join('.')}`)}`));
    }
    return errors;
  }

  private checkDataPlaneMode(mode: unknown): DataPlaneMode {
    if (mode === undefined) return DataPlaneMode.SIDECAR;
    if (!Object.values(DataPlaneMode).includes(mode as DataPlaneMode)) {
      invalid(this, CONSTRUCT, 'dataPlaneMode', mode, 'not a DataPlaneMode', 'DataPlaneMode.SIDECAR or DataPlaneMode.AMBIENT');
    }
    if (mode === DataPlaneMode.AMBIENT) this.checkAmbientRelease('dataPlaneMode', mode, this.istioVersion, 'ambient multicluster');
    return mode as DataPlaneMode;
  }

  /** Ambient multicluster needs 1.27 in every cluster, and is alpha before 1.29. */
  private checkAmbientRelease(field: string, value: unknown, version: IstioVersion, what: string): void {
    requireIstio(this, CONSTRUCT, field, value, version, 27, what, 'alpha in Istio 1.27, beta for multi-network in 1.29');
    if (version.minor < 29) {
      validator(this, CONSTRUCT).warn(field, value, `ambient multicluster is alpha in Istio ${version.version} (beta for multi-network from 1.29)`, 'Istio 1.29 or newer');
    }
  }

  /**
   * Ambient multicluster as Istio supports it: multi-network, one cluster (so one east-west
   * gateway) per network, every gateway made by the mesh.
   */
  private checkAmbientTopology(clusters: MeshClusterProps[]): void {
    if (!this.multiNetwork) {
      validator(this, CONSTRUCT).warn('dataPlaneMode', DataPlaneMode.AMBIENT,
        'every cluster is on one network: single-network ambient multicluster is alpha and "untested, and may be broken" (Istio docs, ambient multicluster); only multi-network is beta',
        'one network per cluster');
    }
    const byNetwork = new Map<string, string[]>();
    clusters.forEach((c) => byNetwork.set(c.network, [...(byNetwork.get(c.network) ?? []), c.name]));
    for (const [network, names] of byNetwork) {
      if (this.multiNetwork && names.length > 1) {
        invalid(this, CONSTRUCT, 'clusters', names, `clusters ${names.join(', ')} share network ${show(network)}: each would get an east-west gateway, and ambient uses only the first gateway of a network (istio/istio#56960, #59319)`,
          'one cluster per network in an ambient mesh');
      }
    }
    clusters.forEach((c, i) => {
      if (c.exposure?.serviceType === GatewayServiceType.NODE_PORT) {
        invalid(this, CONSTRUCT, `clusters[${i}].exposure`, 'GatewayExposure.nodePort(...)', 'remote ztunnels dial an ambient gateway at its status address on 15008 (ambient/networks.go, multicluster.go); the node-port mapping exists only for sidecar gateways',
          'a load balancer: provider, GatewayExposure.internal(...) or onPrem()');
      }
      if (c.existingGateway !== undefined) {
        invalid(this, CONSTRUCT, `clusters[${i}].existingGateway`, c.existingGateway, 'an existing (sidecar, 15443) east-west gateway in an ambient mesh mixes sidecar multi-network with ambient, which Istio does not support across networks (istio/istio#60716, #61713)',
          'leave it out: the mesh creates the ambient istio-east-west gateway');
      }
    });
  }

  /** Sidecar east-west gateways (a 15443 gateway Service, a networking.istio.io Gateway) added to an ambient mesh's charts. */
  private sidecarGatewaysInAmbient(): ValidationError[] {
    const errors: ValidationError[] = [];
    for (const c of this._clusters.values()) {
      for (const o of subtree(c.chart)) {
        const api = o as Partial<ApiObject>;
        if (typeof api.kind !== 'string' || typeof api.apiVersion !== 'string' || typeof api.toJson !== 'function') continue;
        if (!['Gateway', 'Service'].includes(api.kind)) continue;
        const json = api.toJson();
        const classic = api.kind === 'Gateway' && api.apiVersion.startsWith('networking.istio.io/');
        // the sidecar gateway's Service (15443 with the network label) and Gateway API gateways of classes istio / istio-remote
        const service = api.kind === 'Service' && api.apiVersion === 'v1' && json?.metadata?.labels?.[TopologyLabel.NETWORK] !== undefined
          && (json?.spec?.ports ?? []).some((p: { port?: number }) => p?.port === 15443);
        const gatewayApi = api.kind === 'Gateway' && api.apiVersion.startsWith('gateway.networking.k8s.io/') && ['istio', 'istio-remote'].includes(json?.spec?.gatewayClassName);
        if (classic || service || gatewayApi) {
          errors.push(validationError(o, CONSTRUCT, 'dataPlaneMode', DataPlaneMode.AMBIENT,
            `${o.node.path} is a sidecar-mode east-west gateway object (${api.apiVersion} ${api.kind}) in an ambient mesh: Istio does not support sidecar and ambient multi-network together (istio/istio#60716, #61713)`,
            'remove it, or use a sidecar mesh'));
        }
      }
    }
    return errors;
  }

  /** The gateway namespace for Gateway API gateways, unless it is Istio's or a built-in one. */
  private gatewayNamespace(chart: Chart, namespace: string): void {
    if (namespace === this.istioNamespace || BUILT_IN_NAMESPACES.includes(namespace)) return;
    gatewayApiNamespace(chart, 'gateway-namespace', namespace, this.revision);
  }

  /**
   * A GKE internal load balancer takes clients from its own region only unless global access is
   * on (GKE docs, "Internal passthrough Network Load Balancer": global access); a GKE cluster on
   * another network in another region then cannot reach the east-west gateway. Only GKE peers are
   * judged: other clusters' regions are not Google Cloud regions (an on-prem cluster reaches it
   * through a VPN or Interconnect attachment whose region the mesh does not know).
   */
  private checkRegionalLoadBalancers(): void {
    const clusters = [...this._clusters.values()];
    const onGke = (o: ResolvedCluster) => o.props.provider === CloudProvider.GKE || o.props.exposure?.provider === CloudProvider.GKE;
    // per gateway without a global-access decision: a GKE peer on another network in another region
    const regional: Array<{ gateway: MeshClusterProps; peer: MeshClusterProps }> = [];
    for (const c of clusters) {
      const exposure = c.exposure;
      const internalLoadBalancer = exposure?.provider === CloudProvider.GKE && !exposure.isInternetFacing
        && exposure.serviceType === GatewayServiceType.LOAD_BALANCER;
      if (!internalLoadBalancer || GKE_GLOBAL_ACCESS in exposure.annotations) continue;
      const peer = clusters.find((o) => o.props.network !== c.props.network && o.props.region !== c.props.region && onGke(o));
      if (peer) regional.push({ gateway: c.props, peer: peer.props });
    }
    if (regional.length === 0) return;
    const [first] = regional;
    validator(this, CONSTRUCT).warn('clusters[].exposure', regional.map((r) => r.gateway.name),
      `a GKE internal load balancer accepts clients from its own region only unless global access is on, and GKE clusters on other networks in other regions would reach these east-west gateways (e.g. ${first.peer.name} in ${first.peer.region} → ${first.gateway.name} in ${first.gateway.region})`,
      `exposure: GatewayExposure.internal(CloudProvider.GKE, { annotations: { '${GKE_GLOBAL_ACCESS}': 'true' } }) on those clusters, or the annotation set to "false" where they reach it from the gateway's region`);
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
      const zoneRegion = cloudZoneRegion(z, c.region);
      if (zoneRegion !== undefined && zoneRegion !== c.region) {
        validator(this, CONSTRUCT).warn(`${field}.zones[${j}]`, z, `the zone follows the cloud form of region ${show(zoneRegion)}, not of the cluster's region ${show(c.region)}: `
          + 'nodes carry a zone of their own region, so no endpoint would be in this locality', `a zone of ${show(c.region)}, or the cluster's real region`);
      }
    });
    this.checkSubzones(c, field);
    this.checkClusterLabels(c.labels, `${field}.labels`);
    if (this._seen.has(c.name)) invalid(this, CONSTRUCT, `${field}.name`, c.name, 'duplicate cluster name', 'a unique cluster ID per cluster');
    this._seen.add(c.name);
  }

  /** Sub-zones: a map from a declared zone to label values, each once. */
  private checkSubzones(c: MeshClusterProps, field: string): void {
    const subzones = c.subzones;
    if (subzones === undefined) return;
    if (subzones === null || typeof subzones !== 'object' || Array.isArray(subzones)) {
      invalid(this, CONSTRUCT, `${field}.subzones`, subzones, 'must be a map of zone to sub-zones', '{ "us-east1-b": ["rack-1", "rack-2"] }');
    }
    for (const [zone, list] of Object.entries(subzones)) {
      const f = `${field}.subzones[${JSON.stringify(zone)}]`;
      if (!(c.zones ?? []).includes(zone)) invalid(this, CONSTRUCT, f, zone, 'not a zone of the cluster', `one of its zones: ${(c.zones ?? []).join(', ') || '(none declared: add zones first)'}`);
      if (!Array.isArray(list) || list.length === 0) invalid(this, CONSTRUCT, f, list, 'must be a non-empty list', 'sub-zones such as ["rack-1", "rack-2"]');
      list.forEach((s, j) => {
        if (typeof s !== 'string' || s === '' || labelValueError(s) || s.includes('/')) invalid(this, CONSTRUCT, `${f}[${j}]`, s, 'not a non-empty label value', 'a sub-zone such as "rack-1"');
        if (list.indexOf(s) !== j) invalid(this, CONSTRUCT, `${f}[${j}]`, s, 'sub-zone listed twice', 'each sub-zone once');
      });
    }
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
      const i = [...this._clusters.values()].indexOf(c);
      const owns = (field: string) => (field.startsWith('registration.') ? field.slice('registration.'.length) : undefined);
      new ReaderTokenSecret(c.chart, 'reader-token', this.istioNamespace);
      for (const other of this._clusters.values()) {
        if (other === c) continue;
        asCaller(this, CONSTRUCT, `clusters[${i}].registration`, owns,
          () => new RemoteSecret(other.chart, `remote-secret-${c.props.name}`, { clusterName: c.props.name, registration: c.props.registration!, istioNamespace: this.istioNamespace }));
      }
    }
  }
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
      'YamlOutputType.FILE_PER_CHART (the default: dist/<cluster>.k8s.yaml) or YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE (dist/<cluster>/...; apply its Namespace.*.k8s.yaml files first, file names do not keep the order)');
  }
}

function copySubzones(subzones: { readonly [zone: string]: readonly string[] } | undefined): { [zone: string]: string[] } {
  return Object.fromEntries(Object.entries(subzones ?? {}).map(([z, list]) => [z, [...list]]));
}

/** Each service's explain model as one client cluster sees it, built once per client for one set of reports. */
class ModelCache {
  private readonly byClient = new Map<string, ExplainService[]>();
  /** Per service, its model per variant (`_explainVariant`): clients that see a service alike share one model object. */
  private readonly byVariant = new Map<MeshService, Map<string, ExplainService>>();
  public constructor(private readonly services: readonly MeshService[]) {}
  public forClient(cluster: string): ExplainService[] {
    let models = this.byClient.get(cluster);
    if (!models) this.byClient.set(cluster, models = this.services.map((s) => this.modelOf(s, cluster)));
    return models;
  }

  private modelOf(service: MeshService, cluster: string): ExplainService {
    let variants = this.byVariant.get(service);
    if (!variants) this.byVariant.set(service, variants = new Map());
    const variant = service._explainVariant(cluster);
    let model = variants.get(variant);
    if (!model) {
      // built from the mesh's validated declarations: the renderers need not check it again
      variants.set(variant, model = trustedModel(service._explainModel(cluster)));
    }
    return model;
  }
}
