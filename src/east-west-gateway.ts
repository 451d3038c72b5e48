import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { IstiodGateway } from './cross-network-gateway';
import type { ValidationError } from './errors';
import { CloudProvider, GatewayExposure, sourceRangesPolicy, validateNodePort } from './gateway-exposure';
import { TopologyLabel } from './labels';
import { NetworkLabel, NetworkLabelOptions, validateNetwork } from './network-label';
import { EastWestGatewayAttributesKeys, EastWestGatewayOperatorPropsKeys, EastWestGatewayPropsKeys, GatewayServicePortKeys } from './private/props-keys';
import { validator } from './private/validator';
import { addSynthCheck, compact, findChart, invalid, validationError, isDns1123Label, labelKeyError, labelValueError, show, checkUniqueObjects } from './validation';

const CONSTRUCT = 'EastWestGateway';
const OPERATOR = 'EastWestGatewayOperator';

const STATUS_PORT = 15021;
const TLS_PORT = 15443;
const ISTIOD_PORT = 15012;
const WEBHOOK_PORT = 15017;
const RESERVED_PORTS: { [port: number]: string } = {
  [STATUS_PORT]: 'status-port (readiness of the gateway)',
  [TLS_PORT]: 'tls (cross-network mTLS, AUTO_PASSTHROUGH)',
  [ISTIOD_PORT]: 'tls-istiod (set exposeIstiod: true instead)',
  [WEBHOOK_PORT]: 'tls-webhook (set exposeIstiod: true instead)',
};
const RESERVED_PORT_NAMES = ['status-port', 'tls', 'tls-istiod', 'tls-webhook'];
/** Namespaces that exist in every cluster and must never be created (and later deleted) by a chart. */
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PROXY_UID = 1337;

// ---------------------------------------------------------------------------------------------
// Public types

/**
 * An east-west gateway that other constructs can bind to: the one this library creates
 * (`EastWestGateway`), one installed with istioctl (`EastWestGatewayOperator.gateway`) or one
 * installed by Helm (`EastWestGateway.fromAttributes`).
 */
export interface IEastWestGateway extends IConstruct {
  /** The network the gateway serves (`topology.istio.io/network`). */
  readonly network: string;
  /** Namespace of the gateway's Deployment and Service. */
  readonly namespace: string;
  /** Name of the gateway's Service (and Deployment). */
  readonly name: string;
  /** Labels of the gateway pods that Istio `Gateway` resources select, e.g. `{ istio: 'eastwestgateway' }`. */
  readonly selector: { [key: string]: string };
  /** Istio revision (`istio.io/rev`) of the gateway, if any. */
  readonly revision?: string;
  /** Namespace of istiod. */
  readonly istioNamespace: string;
}

/** Attributes of an east-west gateway installed outside this library (for `EastWestGateway.fromAttributes`). */
export interface EastWestGatewayAttributes {
  /** The network the gateway serves (its `topology.istio.io/network` label). */
  readonly network: string;
  /** Namespace of the gateway (Istio's Helm instructions use `istio-system`). */
  readonly namespace: string;
  /**
   * Name of the gateway's Service.
   * @default 'istio-eastwestgateway'
   */
  readonly name?: string;
  /**
   * Labels of the gateway pods.
   * @default - `{ istio: <name without "istio-"> }`, as the `istio/gateway` Helm chart labels them
   */
  readonly selector?: { [key: string]: string };
  /**
   * Istio revision of the gateway.
   * @default - none
   */
  readonly revision?: string;
  /**
   * Namespace of istiod.
   * @default 'istio-system'
   */
  readonly istioNamespace?: string;
}

/** An extra port on the east-west gateway Service (for example 15008 for HBONE). */
export interface GatewayServicePort {
  /** Port name, a DNS-1123 label unique on the Service (`status-port`, `tls`, `tls-istiod` and `tls-webhook` are taken). */
  readonly name: string;
  /** Service port (1-65535; 15021, 15443, 15012 and 15017 are taken). */
  readonly port: number;
  /**
   * Container port the traffic goes to.
   * @default - same as `port`
   */
  readonly targetPort?: number;
  /**
   * Fixed node port (30000-32767).
   * @default - allocated by Kubernetes
   */
  readonly nodePort?: number;
  /**
   * Protocol.
   * @default GatewayPortProtocol.TCP
   */
  readonly protocol?: GatewayPortProtocol;
}

/** The protocol of a gateway Service port (`ports[].protocol`). */
export enum GatewayPortProtocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. */
  SCTP = 'SCTP',
}

/** CPU and memory amounts as Kubernetes quantities, e.g. `{ cpu: '500m', memory: '1Gi' }`. */
export interface GatewayResourceQuantities {
  /**
   * CPU: whole or decimal cores (`"2"`, `"0.5"`) or millicores (`"500m"`).
   * @default - the `istio/gateway` chart's value
   */
  readonly cpu?: string;
  /**
   * Memory: bytes with an optional binary or decimal suffix (`"128Mi"`, `"1Gi"`, `"512M"`).
   * @default - the `istio/gateway` chart's value
   */
  readonly memory?: string;
}

/**
 * CPU and memory of the `istio-proxy` container, in the shape of the `istio/gateway` Helm chart's
 * `resources` value (and of a Kubernetes container's `resources`).
 */
export interface GatewayResourceRequirements {
  /**
   * Requests.
   * @default - cpu `100m`, memory `128Mi`
   */
  readonly requests?: GatewayResourceQuantities;
  /**
   * Limits.
   * @default - cpu `2000m`, memory `1024Mi`
   */
  readonly limits?: GatewayResourceQuantities;
}

/**
 * The PodDisruptionBudget of the east-west gateway: how many gateway pods a node drain or cluster
 * upgrade may evict at once.
 */
export class GatewayDisruptionBudget {
  /**
   * At most `pods` gateway pods may be evicted at once (the default, with 1). Unlike
   * `minAvailable`, this never blocks a drain when the autoscaler has scaled down.
   */
  public static maxUnavailable(pods: number): GatewayDisruptionBudget {
    checkPods('maxUnavailable', pods, 1);
    return new GatewayDisruptionBudget('maxUnavailable', pods);
  }

  /** At least `pods` gateway pods must stay up; must be below `minReplicas`, or node drains hang. */
  public static minAvailable(pods: number): GatewayDisruptionBudget {
    checkPods('minAvailable', pods, 1);
    return new GatewayDisruptionBudget('minAvailable', pods);
  }

  /** No PodDisruptionBudget (the Helm chart's default). */
  public static none(): GatewayDisruptionBudget {
    return new GatewayDisruptionBudget(undefined, undefined);
  }

  private constructor(private readonly field: 'maxUnavailable' | 'minAvailable' | undefined, private readonly pods: number | undefined) {}

  /** `{ maxUnavailable: n }`, `{ minAvailable: n }` or undefined. @internal */
  public _spec(): { maxUnavailable?: number; minAvailable?: number } | undefined {
    return this.field === undefined ? undefined : { [this.field]: this.pods };
  }
}

/** Settings shared by `EastWestGateway` (plain Kubernetes objects) and `EastWestGatewayOperator` (IstioOperator). */
export interface EastWestGatewayOptions {
  /**
   * The network this gateway serves: the `topology.istio.io/network` label on the pods and the
   * Service (how istiod finds the gateway of a network) and `ISTIO_META_REQUESTED_NETWORK_VIEW`
   * (the gateway only forwards to endpoints of its own network). Must equal the cluster's
   * `values.global.network`, e.g. `kuchima-demo-vpc01`.
   */
  readonly network: string;
  /**
   * Istio revision of the control plane that injects and configures the gateway, e.g.
   * `asm-1132-2`. Sets the pod label and the namespace label `istio.io/rev`.
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Namespace of the gateway. Gateways get their own namespace (Istio docs: "Installing Gateways",
   * deploying gateways in a namespace separate from the control plane);
   * `istio-gateways` says what it holds and is not tied to one gateway.
   * @default 'istio-gateways'
   */
  readonly namespace?: string;
  /**
   * Name of the Deployment, Service, ServiceAccount, HPA and PDB. The pod selector follows the
   * Helm chart: `app: <name>`, `istio: <name without "istio-">`.
   * @default 'istio-eastwestgateway'
   */
  readonly name?: string;
  /**
   * Where the cluster runs: picks the internal load-balancer annotations when `exposure` is not
   * given. One of `provider` and `exposure` is required, because a Service of type LoadBalancer
   * without annotations is internet-facing on GKE, EKS and AKS.
   * @default - taken from `exposure`
   */
  readonly provider?: CloudProvider;
  /**
   * How the gateway is reached from the other networks.
   * @default GatewayExposure.internal(provider)
   */
  readonly exposure?: GatewayExposure;
  /**
   * Also expose istiod through this gateway (primary-remote on different networks): Service ports
   * `tls-istiod` 15012 and `tls-webhook` 15017 plus the `istiod-gateway` Gateway and `istiod-vs`
   * VirtualService. Multi-primary meshes don't need it, so it is off: fewer open ports.
   * @default false
   */
  readonly exposeIstiod?: boolean;
  /**
   * Namespace of istiod (for `exposeIstiod`).
   * @default 'istio-system'
   */
  readonly istioNamespace?: string;
  /**
   * Minimum number of gateway pods. Two, not the chart's one: every request to another network
   * passes through this gateway, so a single pod is a single point of failure during node drains.
   * @default - 2, or `maxReplicas` if that is smaller
   */
  readonly minReplicas?: number;
  /**
   * Maximum number of gateway pods (the HorizontalPodAutoscaler's limit). Equal to `minReplicas`:
   * a fixed number of replicas and no autoscaler.
   * @default 5
   */
  readonly maxReplicas?: number;
  /**
   * Average CPU use, in percent of the CPU request, that the autoscaler aims for.
   * @default 80
   */
  readonly targetCpuUtilizationPercentage?: number;
  /**
   * The PodDisruptionBudget.
   * @default GatewayDisruptionBudget.maxUnavailable(1)
   */
  readonly podDisruptionBudget?: GatewayDisruptionBudget;
  /**
   * CPU and memory of the `istio-proxy` container; unset fields keep the Helm chart's defaults.
   * @default - requests 100m CPU / 128Mi, limits 2000m CPU / 1024Mi (the `istio/gateway` chart's values)
   */
  readonly resources?: GatewayResourceRequirements;
  /**
   * Extra Service ports, for example HBONE 15008. Validated against the gateway's own ports.
   * @default - none
   */
  readonly extraPorts?: GatewayServicePort[];
}

/** Properties for `EastWestGateway`. */
export interface EastWestGatewayProps extends EastWestGatewayOptions {
  /**
   * Create the namespace (labelled `istio.io/rev` when a revision is given, and Pod Security
   * `enforce: baseline`, `warn`/`audit: restricted`). Set `false` when it exists already; it must
   * then not carry `istio-injection: disabled`.
   * @default - true, except for the Istio namespace and Kubernetes' built-in namespaces
   */
  readonly createNamespace?: boolean;
  /**
   * Create the Helm chart's Role and RoleBinding that let the gateway read Secrets in its
   * namespace. Only gateways that terminate TLS with `credentialName` need it; the east-west
   * gateway passes TLS through (`AUTO_PASSTHROUGH`, `PASSTHROUGH`) and uses no certificates.
   * @default false
   */
  readonly allowSecretAccess?: boolean;
  /**
   * Pin `runAsUser`/`runAsGroup` of `istio-proxy` to 1337, as the Helm chart does everywhere but
   * on OpenShift, so the kubelet can verify `runAsNonRoot`. Set `false` on OpenShift, where the
   * restricted SCC assigns the UID.
   * @default true
   */
  readonly runAsProxyUser?: boolean;
}

// ---------------------------------------------------------------------------------------------
// EastWestGateway

/**
 * The east-west gateway of a multi-network mesh as plain Kubernetes objects, equivalent to what
 * the `istio/gateway` Helm chart renders with `networkGateway: <network>`: no istioctl and no
 * IstioOperator. All names are fixed (no hash suffixes) and identical in every cluster.
 *
 * Objects (construct ids in brackets, for escape hatches):
 * - Namespace [`Namespace`], unless `createNamespace: false`.
 * - ServiceAccount [`ServiceAccount`]; Role and RoleBinding [`Role`, `RoleBinding`] only with
 *   `allowSecretAccess`.
 * - NetworkPolicy `<name>-source-ranges` [`SourceRanges`], only with `GatewayExposure.nodePort({ sourceRanges })`.
 * - Service [`Service`]: labelled `topology.istio.io/network`, which is how istiod discovers the
 *   network's gateway; ports `status-port` 15021 and `tls` 15443 (+ 15012/15017 with `exposeIstiod`).
 * - Deployment [`Resource`]: gateway injection (`inject.istio.io/templates: gateway`, label
 *   `sidecar.istio.io/inject: "true"`, container `istio-proxy` with `image: auto`),
 *   `ISTIO_META_REQUESTED_NETWORK_VIEW`, the chart's hardened container security context plus a
 *   `RuntimeDefault` seccomp profile, soft spreading over nodes and zones. No readiness probe: the
 *   injector adds `/healthz/ready` on 15021 with the mesh's proxy settings, and a probe in the
 *   Deployment would override them.
 * - HorizontalPodAutoscaler [`Autoscaler`] (autoscaling/v2, CPU) unless min = max replicas, and
 *   PodDisruptionBudget [`DisruptionBudget`].
 * - With `exposeIstiod`: the `istiod-gateway` Gateway and the `istiod-vs` VirtualService [`Istiod`].
 *
 * Bind `CrossNetworkGateway` to it to expose services to the other networks.
 *
 * @example
 * const eastWest = new EastWestGateway(chart, 'eastwest', {
 *   network: 'kuchima-demo-vpc01',
 *   revision: 'asm-1132-2',
 *   namespace: 'gateway',
 *   provider: CloudProvider.GKE,
 * });
 * new CrossNetworkGateway(chart, 'cross-network', { gateway: eastWest });
 */
export class EastWestGateway extends Construct implements IEastWestGateway {
  /**
   * Refers to an east-west gateway installed some other way (Helm, istioctl), so that
   * `CrossNetworkGateway`, `IstiodGateway` and `NetworkLabel` can bind to it. Creates no objects.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: EastWestGatewayAttributes): IEastWestGateway {
    return new ImportedEastWestGateway(scope, id, attrs);
  }

  /** The network the gateway serves (`topology.istio.io/network`, `ISTIO_META_REQUESTED_NETWORK_VIEW`). */
  public readonly network: string;
  /** Namespace of the gateway's objects. */
  public readonly namespace: string;
  /** Name of the Deployment, Service, ServiceAccount, HPA and PDB. */
  public readonly name: string;
  /** Istio revision (`istio.io/rev`), if any. */
  public readonly revision?: string;
  /** Namespace of istiod. */
  public readonly istioNamespace: string;
  /** How the Service is exposed. */
  public readonly exposure: GatewayExposure;
  /** Whether istiod is exposed through the gateway. */
  public readonly exposeIstiod: boolean;
  /** The Deployment (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(gateway)` returns it). */
  public readonly apiObject: ApiObject;
  /** The Service (an escape hatch, e.g. for a provider annotation this library does not know). */
  public readonly service: ApiObject;
  /** The NetworkPolicy that limits the node ports to `GatewayExposure.nodePort({ sourceRanges })`, if any. */
  public readonly networkPolicy?: ApiObject;
  /** Whether this construct creates the namespace. */
  public readonly createNamespace: boolean;
  /** Whether the secret-reading Role exists. */
  public readonly allowSecretAccess: boolean;
  /** Minimum number of pods. */
  public readonly minReplicas: number;
  /** Maximum number of pods (equal to `minReplicas` when there is no autoscaler). */
  public readonly maxReplicas: number;
  /** Name of the ServiceAccount. */
  public readonly serviceAccountName: string;
  private readonly _selector: { [key: string]: string };

  public constructor(scope: Construct, id: string, props: EastWestGatewayProps) {
    super(scope, id);
    const r = resolveOptions(this, CONSTRUCT, props);
    this.network = r.network;
    this.namespace = r.namespace;
    this.name = r.name;
    this.revision = r.revision;
    this.istioNamespace = r.istioNamespace;
    this.exposure = r.exposure;
    this.exposeIstiod = r.exposeIstiod;
    this.minReplicas = r.minReplicas;
    this.maxReplicas = r.maxReplicas;
    this.serviceAccountName = r.name;
    this._selector = r.selector;
    this.allowSecretAccess = optionalBoolean(this, CONSTRUCT, 'allowSecretAccess', props.allowSecretAccess, false);
    const runAsProxyUser = optionalBoolean(this, CONSTRUCT, 'runAsProxyUser', props.runAsProxyUser, true);
    this.createNamespace = resolveCreateNamespace(this, props.createNamespace, r);

    const labels = { ...r.podLabels, [TopologyLabel.NETWORK]: r.network };
    const meta = { name: r.name, namespace: r.namespace, labels };

    const ns = this.createNamespace
      ? new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: r.namespace, labels: gatewayNamespaceLabels(r.revision) } })
      : undefined;
    const objects: ApiObject[] = [];

    objects.push(new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta }));

    if (this.allowSecretAccess) {
      objects.push(new k8s.KubeRole(this, 'Role', {
        metadata: meta,
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
      }));
      objects.push(new k8s.KubeRoleBinding(this, 'RoleBinding', {
        metadata: meta,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: r.name },
        subjects: [{ kind: 'ServiceAccount', name: r.name }],
      }));
    }

    // Before the Service, so that kubectl limits the node ports before it opens them.
    this.networkPolicy = sourceRangesPolicy(this, 'SourceRanges', r.exposure, { ...meta, podLabels: r.podLabels, ports: r.ports });
    if (this.networkPolicy) objects.push(this.networkPolicy);

    const annotations = r.exposure.annotations;
    const sourceRanges = r.exposure.loadBalancerSourceRanges;
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { ...meta, annotations: Object.keys(annotations).length ? annotations : undefined },
      spec: {
        type: r.exposure.serviceType,
        // The NetworkPolicy must see the client's address, not a node's.
        externalTrafficPolicy: this.networkPolicy ? 'Local' : undefined,
        selector: { ...r.podLabels },
        ports: r.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: k8s.IntOrString.fromNumber(p.targetPort),
          protocol: p.protocol,
          nodePort: p.nodePort,
        })),
        loadBalancerSourceRanges: sourceRanges.length ? sourceRanges : undefined,
      },
    });
    objects.push(this.service);

    const autoscaled = r.maxReplicas > r.minReplicas;
    this.apiObject = new k8s.KubeDeployment(this, 'Resource', {
      metadata: meta,
      spec: {
        // With an autoscaler the replica count is the HPA's: a value here would be reset on every apply.
        replicas: autoscaled ? undefined : r.minReplicas,
        selector: { matchLabels: { ...r.podLabels } },
        template: {
          metadata: {
            annotations: {
              'inject.istio.io/templates': 'gateway',
              'prometheus.io/path': '/stats/prometheus',
              'prometheus.io/port': '15020',
              'prometheus.io/scrape': 'true',
            },
            labels: definedOnly({
              'sidecar.istio.io/inject': 'true',
              'istio.io/rev': r.revision,
              ...r.podLabels,
              [TopologyLabel.NETWORK]: r.network,
              // Never captured by ambient mode, whatever the namespace says (the chart's default label).
              'istio.io/dataplane-mode': 'none',
            }),
          },
          spec: {
            serviceAccountName: r.name,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'istio-proxy',
              // "auto" is replaced by the injector with the proxy image of the revision.
              image: 'auto',
              securityContext: compact({
                capabilities: { drop: ['ALL'] },
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: runAsProxyUser ? PROXY_UID : undefined,
                runAsGroup: runAsProxyUser ? PROXY_UID : undefined,
              }),
              env: [{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: r.network }],
              ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
              resources: {
                requests: { cpu: k8s.Quantity.fromString(r.resources.cpuRequest), memory: k8s.Quantity.fromString(r.resources.memoryRequest) },
                limits: { cpu: k8s.Quantity.fromString(r.resources.cpuLimit), memory: k8s.Quantity.fromString(r.resources.memoryLimit) },
              },
            }],
            topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { ...r.podLabels } },
            })),
            terminationGracePeriodSeconds: 30,
          },
        },
      },
    });
    objects.push(this.apiObject);

    if (autoscaled) {
      objects.push(new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: meta,
        spec: hpaSpec(r),
      }));
    }

    const pdb = r.podDisruptionBudget._spec();
    if (pdb) {
      objects.push(new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: meta,
        spec: {
          selector: { matchLabels: { ...r.podLabels } },
          maxUnavailable: pdb.maxUnavailable === undefined ? undefined : k8s.IntOrString.fromNumber(pdb.maxUnavailable),
          minAvailable: pdb.minAvailable === undefined ? undefined : k8s.IntOrString.fromNumber(pdb.minAvailable),
          // A crash-looping gateway pod must not block node drains.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      }));
    }

    const istiod = r.exposeIstiod ? new IstiodGateway(this, 'Istiod', { gateway: this }) : undefined;

    // Everything lives in the namespace: apply it first.
    if (ns) {
      objects.forEach((o) => o.addDependency(ns));
      istiod?.node.addDependency(ns);
    }
    checkUniqueObjects(this);
  }

  /** Labels of the gateway pods that Istio `Gateway` resources select (a copy), e.g. `{ istio: 'eastwestgateway' }`. */
  public get selector(): { [key: string]: string } {
    return { ...this._selector };
  }

  /**
   * Labels the Istio namespace with this gateway's network, so the namespace label, the gateway
   * labels and `ISTIO_META_REQUESTED_NETWORK_VIEW` come from one value.
   * @param options where and how to label (default: the gateway's Istio namespace, created by the label construct)
   */
  public addNetworkLabel(options: NetworkLabelOptions = {}): NetworkLabel {
    return new NetworkLabel(this, 'NetworkLabel', { ...options, gateway: this });
  }
}

class ImportedEastWestGateway extends Construct implements IEastWestGateway {
  public readonly network: string;
  public readonly namespace: string;
  public readonly name: string;
  public readonly revision?: string;
  public readonly istioNamespace: string;
  private readonly _selector: { [key: string]: string };

  public constructor(scope: Construct, id: string, attrs: EastWestGatewayAttributes) {
    super(scope, id);
    const where = 'EastWestGateway.fromAttributes';
    validator(this, where).props('attrs', attrs, EastWestGatewayAttributesKeys, '{ network, namespace }');
    this.network = validateNetwork(this, where, attrs.network);
    this.namespace = validateNamespaceName(this, where, 'namespace', attrs.namespace);
    this.name = validateGatewayName(this, where, attrs.name ?? DEFAULT_NAME);
    this.revision = validateRevision(this, where, attrs.revision);
    this.istioNamespace = validateNamespaceName(this, where, 'istioNamespace', attrs.istioNamespace ?? DEFAULT_ISTIO_NAMESPACE);
    this._selector = attrs.selector === undefined ? { istio: selectorValue(this.name) } : validateSelector(this, where, attrs.selector);
  }

  public get selector(): { [key: string]: string } {
    return { ...this._selector };
  }
}

// ---------------------------------------------------------------------------------------------
// IstioOperator output

/** Properties for `EastWestGatewayOperator`. */
export interface EastWestGatewayOperatorProps extends EastWestGatewayOptions {
  /**
   * `metadata.name` of the IstioOperator (`gen-eastwest-gateway.sh` prints `eastwest`).
   * @default 'eastwest'
   */
  readonly operatorName?: string;
}

/**
 * The east-west gateway as an `IstioOperator` (`install.istio.io/v1alpha1`) for teams that still
 * install with `istioctl install -f`: what `samples/multicluster/gen-eastwest-gateway.sh --network
 * <net> [--revision <rev>]` prints, plus this library's exposure (`k8s.serviceAnnotations`,
 * source ranges, node ports), replicas, PodDisruptionBudget and resources.
 *
 * An IstioOperator is input for istioctl, never something to `kubectl apply` (the in-cluster
 * operator was removed in Istio 1.24). So this construct **is its own Chart**: create it directly
 * in the `App` and cdk8s writes it to its own file, `dist/<id>.k8s.yaml`, next to (not inside) the
 * cluster's chart. It refuses to be nested in another chart, to hold any other object, or to be
 * synthesized with `YamlOutputType.FILE_PER_APP` (one file for everything).
 *
 * The kubectl side stays in the cluster chart: the namespace (`createNamespaceIn(chart)`; istioctl
 * does not create it), the `CrossNetworkGateway` (bind it to `operator.gateway`) and, with
 * `exposeIstiod`, an `IstiodGateway`. The legacy chart istioctl renders always creates its
 * `<name>-sds` Role for Secrets.
 *
 * @example
 * const app = new App();
 * const cluster = new Chart(app, 'gke');
 * const op = new EastWestGatewayOperator(app, 'gke-eastwest-operator', {
 *   network: 'kuchima-demo-vpc01', revision: 'asm-1132-2', namespace: 'gateway', provider: CloudProvider.GKE,
 * });
 * op.createNamespaceIn(cluster);
 * new CrossNetworkGateway(cluster, 'cross-network', { gateway: op.gateway });
 * app.synth(); // dist/gke.k8s.yaml (kubectl apply) + dist/gke-eastwest-operator.k8s.yaml (istioctl install -f)
 */
export class EastWestGatewayOperator extends Chart {
  /** The gateway istioctl will install, for `CrossNetworkGateway`, `IstiodGateway` and `NetworkLabel` in the cluster chart. */
  public readonly gateway: IEastWestGateway;
  /** `metadata.name` of the IstioOperator. */
  public readonly operatorName: string;
  /** The IstioOperator (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(operator)` returns it). */
  public readonly apiObject: ApiObject;
  private readonly revision?: string;
  private readonly gatewayNamespace: string;

  public constructor(scope: Construct, id: string, props: EastWestGatewayOperatorProps) {
    super(scope, id);
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      if (Chart.isChart(s)) {
        invalid(this, OPERATOR, 'scope', s.node.path, 'an IstioOperator must not share a chart (and its file) with objects that kubectl applies',
          'create the EastWestGatewayOperator directly in the App: new EastWestGatewayOperator(app, "<cluster>-eastwest-operator", {...})');
      }
    }
    const r = resolveOptions(this, OPERATOR, props);
    if (r.exposure.sourceRanges?.length) {
      invalid(this, OPERATOR, 'exposure.sourceRanges', r.exposure.sourceRanges,
        'an IstioOperator cannot carry the NetworkPolicy that enforces them, so istioctl would open the node ports to every address',
        'EastWestGateway (plain objects, with the NetworkPolicy), or GatewayExposure.nodePort({ allowFromAnywhere: true }) and your own NetworkPolicy in the cluster chart');
    }
    this.operatorName = props.operatorName ?? 'eastwest';
    if (typeof this.operatorName !== 'string' || !isDns1123Label(this.operatorName)) {
      invalid(this, OPERATOR, 'operatorName', this.operatorName, 'not a DNS-1123 label', 'lowercase letters, digits and "-", e.g. "eastwest"');
    }
    this.revision = r.revision;
    this.gatewayNamespace = r.namespace;

    const autoscaled = r.maxReplicas > r.minReplicas;
    const annotations = r.exposure.annotations;
    const sourceRanges = r.exposure.loadBalancerSourceRanges;
    const pdb = r.podDisruptionBudget._spec();
    const ingressGatewayValues = compact({
      injectionTemplate: 'gateway',
      autoscaleEnabled: autoscaled ? undefined : false,
    });
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name: this.operatorName },
      spec: compact({
        revision: r.revision,
        profile: 'empty',
        components: {
          ingressGateways: [{
            name: r.name,
            namespace: r.namespace,
            enabled: true,
            label: { ...r.podLabels, [TopologyLabel.NETWORK]: r.network },
            k8s: {
              // traffic through this gateway should be routed inside the network
              env: [{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: r.network }],
              serviceAnnotations: Object.keys(annotations).length ? annotations : undefined,
              service: {
                type: r.exposure.serviceType,
                loadBalancerSourceRanges: sourceRanges.length ? sourceRanges : undefined,
                ports: r.ports.map((p) => ({
                  name: p.name,
                  port: p.port,
                  targetPort: p.targetPort,
                  protocol: p.protocol === 'TCP' ? undefined : p.protocol,
                  nodePort: p.nodePort,
                })),
              },
              replicaCount: autoscaled ? undefined : r.minReplicas,
              hpaSpec: autoscaled ? hpaSpec(r) : undefined,
              podDisruptionBudget: pdb,
              // istioctl patches k8s.podDisruptionBudget onto the chart's PDB, which always has
              // `minAvailable: 1`; the API server refuses a PDB with both fields, so a
              // maxUnavailable budget also deletes minAvailable (an overlay path without a value).
              overlays: pdb?.maxUnavailable === undefined ? undefined : [{
                apiVersion: 'policy/v1',
                kind: 'PodDisruptionBudget',
                name: r.name,
                patches: [{ path: 'spec.minAvailable' }],
              }],
              resources: {
                requests: { cpu: r.resources.cpuRequest, memory: r.resources.memoryRequest },
                limits: { cpu: r.resources.cpuLimit, memory: r.resources.memoryLimit },
              },
            },
          }],
        },
        values: {
          gateways: { 'istio-ingressgateway': ingressGatewayValues },
          global: compact({
            network: r.network,
            defaultPodDisruptionBudget: pdb ? undefined : { enabled: false },
          }),
        },
      }),
    });

    this.gateway = EastWestGateway.fromAttributes(this, 'Gateway', {
      network: r.network,
      namespace: r.namespace,
      name: r.name,
      selector: r.selector,
      revision: r.revision,
      istioNamespace: r.istioNamespace,
    });

    addSynthCheck(this, () => this.validateAlone());
  }

  /**
   * Creates the gateway namespace in a chart that kubectl applies (istioctl expects it to exist):
   * labelled `istio.io/rev` when there is a revision, so the gateway pods get that revision's injector.
   * @param scope a construct in the cluster's chart
   * @param id construct id of the Namespace object (default `EastWestGatewayNamespace`)
   */
  public createNamespaceIn(scope: Construct, id: string = 'EastWestGatewayNamespace'): ApiObject {
    if (scope === null || typeof scope !== 'object' || typeof scope.node !== 'object' || !findChart(scope)) {
      const shown = typeof scope?.node === 'object' ? scope.node.path || '<root>' : scope;
      invalid(this, OPERATOR, 'createNamespaceIn.scope', shown, 'not a construct in a chart', 'a construct in the cluster\'s chart');
    }
    if (Chart.of(scope) === this) {
      invalid(this, OPERATOR, 'createNamespaceIn', scope.node.path, 'the namespace must be applied with kubectl, not written to the IstioOperator file', 'a construct in the cluster\'s chart');
    }
    const ns = new k8s.KubeNamespace(scope, id, { metadata: { name: this.gatewayNamespace, labels: gatewayNamespaceLabels(this.revision) } });
    checkUniqueObjects(ns);
    return ns;
  }

  private validateAlone(): ValidationError[] {
    const errors: ValidationError[] = [];
    const others = this.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && c !== this.apiObject && Chart.of(c) === this);
    if (others.length) {
      errors.push(validationError(this, OPERATOR, 'children', others.map((o) => `${o.kind} ${o.name}`),
        'this chart holds only the IstioOperator (istioctl input), and kubectl must never apply it', 'move these objects to the cluster\'s chart'));
    }
    const app = this.node.root as Partial<App>;
    if (app.yamlOutputType === YamlOutputType.FILE_PER_APP) {
      errors.push(validationError(this, OPERATOR, 'yamlOutputType', 'FILE_PER_APP', 'it would write the IstioOperator into app.k8s.yaml together with the objects kubectl applies', 'YamlOutputType.FILE_PER_CHART (the default)'));
    }
    return errors;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared resolution and validation

const DEFAULT_NAME = 'istio-eastwestgateway';
const DEFAULT_NAMESPACE = 'istio-gateways';
const DEFAULT_ISTIO_NAMESPACE = 'istio-system';

interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: string;
  readonly nodePort?: number;
}

interface ResolvedResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

interface ResolvedOptions {
  readonly network: string;
  readonly revision?: string;
  readonly namespace: string;
  readonly name: string;
  /** What Istio Gateways select (`istio: <x>`, as in Istio's samples). */
  readonly selector: { [key: string]: string };
  /** The Helm chart's selector labels (`app`, `istio`): Deployment, Service, PDB and spread constraints. */
  readonly podLabels: { [key: string]: string };
  readonly istioNamespace: string;
  readonly exposure: GatewayExposure;
  readonly exposeIstiod: boolean;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpu: number;
  readonly podDisruptionBudget: GatewayDisruptionBudget;
  readonly resources: ResolvedResources;
  readonly ports: ResolvedPort[];
}

function resolveOptions(scope: Construct, construct: string, props: EastWestGatewayOptions): ResolvedOptions {
  validator(scope, construct).props('', props, construct === OPERATOR ? EastWestGatewayOperatorPropsKeys : EastWestGatewayPropsKeys,
    '{ network: "network1", provider: CloudProvider.GKE }');
  const network = validateNetwork(scope, construct, props.network);
  const revision = validateRevision(scope, construct, props.revision);
  const namespace = validateNamespaceName(scope, construct, 'namespace', props.namespace ?? DEFAULT_NAMESPACE);
  const name = validateGatewayName(scope, construct, props.name ?? DEFAULT_NAME);
  const istioNamespace = validateNamespaceName(scope, construct, 'istioNamespace', props.istioNamespace ?? DEFAULT_ISTIO_NAMESPACE);
  const exposure = resolveExposure(scope, construct, props.provider, props.exposure);
  const exposeIstiod = optionalBoolean(scope, construct, 'exposeIstiod', props.exposeIstiod, false);

  const maxReplicas = props.maxReplicas === undefined ? 5 : checkInteger(scope, construct, 'maxReplicas', props.maxReplicas, 1, 1000);
  const minReplicas = props.minReplicas === undefined ? Math.min(2, maxReplicas) : checkInteger(scope, construct, 'minReplicas', props.minReplicas, 1, 1000);
  if (minReplicas > maxReplicas) {
    invalid(scope, construct, 'minReplicas', minReplicas, `greater than maxReplicas (${maxReplicas})`, `a number from 1 to ${maxReplicas}, or raise maxReplicas`);
  }
  if (props.targetCpuUtilizationPercentage !== undefined && minReplicas === maxReplicas) {
    invalid(scope, construct, 'targetCpuUtilizationPercentage', props.targetCpuUtilizationPercentage,
      `there is no autoscaler when minReplicas equals maxReplicas (${minReplicas})`, 'leave it out, or set maxReplicas above minReplicas');
  }
  const targetCpu = props.targetCpuUtilizationPercentage === undefined ? 80
    : checkInteger(scope, construct, 'targetCpuUtilizationPercentage', props.targetCpuUtilizationPercentage, 1, 1000);

  const podDisruptionBudget = props.podDisruptionBudget ?? GatewayDisruptionBudget.maxUnavailable(1);
  if (!(podDisruptionBudget instanceof GatewayDisruptionBudget) && typeof (podDisruptionBudget as Partial<GatewayDisruptionBudget>)?._spec !== 'function') {
    invalid(scope, construct, 'podDisruptionBudget', podDisruptionBudget, 'not a GatewayDisruptionBudget',
      'GatewayDisruptionBudget.maxUnavailable(1), GatewayDisruptionBudget.minAvailable(n) or GatewayDisruptionBudget.none()');
  }
  const minAvailable = podDisruptionBudget._spec()?.minAvailable;
  if (minAvailable !== undefined && minAvailable >= minReplicas) {
    invalid(scope, construct, 'podDisruptionBudget', `minAvailable(${minAvailable})`,
      `with minReplicas ${minReplicas}, no gateway pod could ever be evicted, so node drains and cluster upgrades would hang`,
      `minAvailable below minReplicas (at most ${minReplicas - 1}), or GatewayDisruptionBudget.maxUnavailable(1)`);
  }

  return {
    network,
    revision,
    namespace,
    name,
    istioNamespace,
    exposure,
    exposeIstiod,
    selector: { istio: selectorValue(name) },
    podLabels: { app: name, istio: selectorValue(name) },
    minReplicas,
    maxReplicas,
    targetCpu,
    podDisruptionBudget,
    resources: resolveResources(scope, construct, props.resources),
    ports: resolvePorts(scope, construct, exposure, exposeIstiod, props.extraPorts),
  };
}

function resolveExposure(
  scope: Construct, construct: string, provider: CloudProvider | undefined, exposure: GatewayExposure | undefined,
): GatewayExposure {
  if (provider !== undefined && !Object.values(CloudProvider).includes(provider)) {
    invalid(scope, construct, 'provider', provider, 'not a CloudProvider', Object.values(CloudProvider).map((p) => `CloudProvider.${p}`).join(', '));
  }
  if (exposure !== undefined) {
    if (!GatewayExposure._isExposure(exposure)) {
      invalid(scope, construct, 'exposure', exposure, 'not a GatewayExposure',
        'GatewayExposure.internal(CloudProvider.GKE), GatewayExposure.onPrem(), GatewayExposure.nodePort({...}) or GatewayExposure.internetFacing({...})');
    }
    if (provider !== undefined && exposure.provider !== undefined && exposure.provider !== provider) {
      invalid(scope, construct, 'provider', provider, `contradicts exposure, which is internal to ${exposure.provider}`, 'the same provider in both, or only one of them');
    }
    return exposure;
  }
  if (provider === undefined) {
    invalid(scope, construct, 'provider', undefined,
      'one of provider and exposure is required: a LoadBalancer Service without annotations is internet-facing on GKE, EKS and AKS',
      'provider: CloudProvider.GKE | EKS | AKS | ON_PREM (an internal load balancer), or exposure: GatewayExposure.nodePort({...}) / internetFacing({...})');
  }
  return GatewayExposure.internal(provider);
}

function resolveCreateNamespace(scope: Construct, value: unknown, r: ResolvedOptions): boolean {
  const sharedNamespace = BUILT_IN_NAMESPACES.includes(r.namespace) || r.namespace === r.istioNamespace;
  if (value === undefined) return !sharedNamespace;
  if (typeof value !== 'boolean') invalid(scope, CONSTRUCT, 'createNamespace', value, 'must be a boolean', 'true or false');
  if (value && sharedNamespace) {
    invalid(scope, CONSTRUCT, 'createNamespace', true,
      `namespace ${show(r.namespace)} belongs to ${r.namespace === r.istioNamespace ? 'the Istio installation' : 'Kubernetes'}; a chart that creates it would also delete it`,
      'createNamespace: false, or a dedicated namespace such as "istio-gateways"');
  }
  return value;
}

function resolvePorts(
  scope: Construct, construct: string, exposure: GatewayExposure, exposeIstiod: boolean, extra: GatewayServicePort[] | undefined,
): ResolvedPort[] {
  const ports: ResolvedPort[] = [
    { name: 'status-port', port: STATUS_PORT, targetPort: STATUS_PORT, protocol: 'TCP' },
    { name: 'tls', port: TLS_PORT, targetPort: TLS_PORT, protocol: 'TCP', nodePort: exposure.tlsNodePort },
  ];
  if (exposeIstiod) {
    ports.push({ name: 'tls-istiod', port: ISTIOD_PORT, targetPort: ISTIOD_PORT, protocol: 'TCP' });
    ports.push({ name: 'tls-webhook', port: WEBHOOK_PORT, targetPort: WEBHOOK_PORT, protocol: 'TCP' });
  }
  if (extra === undefined) return ports;
  if (!Array.isArray(extra)) invalid(scope, construct, 'extraPorts', extra, 'must be a list', '[{ name: "tls-hbone", port: 15008 }]');
  const protocols = Object.values(GatewayPortProtocol) as string[];
  extra.forEach((p, i) => {
    const field = `extraPorts[${i}]`;
    validator(scope, construct).props(field, p, GatewayServicePortKeys, '{ name: "tls-hbone", port: 15008 }');
    if (typeof p.name !== 'string' || !isDns1123Label(p.name)) {
      invalid(scope, construct, `${field}.name`, p.name, 'not a DNS-1123 label', 'lowercase letters, digits and "-", e.g. "tls-hbone"');
    }
    if (RESERVED_PORT_NAMES.includes(p.name)) {
      invalid(scope, construct, `${field}.name`, p.name, 'is one of the gateway\'s own port names', `a name other than ${RESERVED_PORT_NAMES.join(', ')}`);
    }
    const port = checkInteger(scope, construct, `${field}.port`, p.port, 1, 65535);
    const targetPort = p.targetPort === undefined ? port : checkInteger(scope, construct, `${field}.targetPort`, p.targetPort, 1, 65535);
    for (const [f, v] of [['port', port], ['targetPort', targetPort]] as const) {
      if (RESERVED_PORTS[v] !== undefined) {
        invalid(scope, construct, `${field}.${f}`, v, `collides with the gateway's own port ${v}, ${RESERVED_PORTS[v]}`, 'another port, e.g. 15008 for HBONE');
      }
    }
    const protocol = p.protocol ?? GatewayPortProtocol.TCP;
    if (!protocols.includes(protocol)) invalid(scope, construct, `${field}.protocol`, protocol, 'not a protocol', protocols.join(', '));
    const nodePort = p.nodePort === undefined ? undefined : validateNodePort(scope.node.path || '<root>', `${field}.nodePort`, p.nodePort, construct);
    const clash = ports.find((q) => q.name === p.name
      || (q.port === port && q.protocol === protocol)
      || (nodePort !== undefined && q.nodePort === nodePort));
    if (clash) {
      const what = clash.name === p.name ? `name ${show(p.name)}` : clash.port === port ? `port ${port}/${protocol}` : `node port ${nodePort}`;
      invalid(scope, construct, field, { name: p.name, port, nodePort }, `duplicate ${what} (already used by port ${show(clash.name)})`, 'unique port names, port numbers and node ports');
    }
    ports.push({ name: p.name, port, targetPort, protocol, nodePort });
  });
  return ports;
}

function resolveResources(scope: Construct, construct: string, res: GatewayResourceRequirements | undefined): ResolvedResources {
  const shape = '{ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "2", memory: "1Gi" } }';
  const object = (field: string, value: unknown, keys: string[]): Record<string, unknown> | undefined => {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(scope, construct, field, value, 'must be an object', shape);
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) invalid(scope, construct, `${field}.${key}`, (value as Record<string, unknown>)[key], 'is not a field', `${keys.join(' or ')}, e.g. ${shape}`);
    }
    return value as Record<string, unknown>;
  };
  const top = object('resources', res, ['requests', 'limits']);
  const sides: Record<string, Record<string, unknown> | undefined> = {
    requests: object('resources.requests', top?.requests, ['cpu', 'memory']),
    limits: object('resources.limits', top?.limits, ['cpu', 'memory']),
  };
  const cpu = (side: string, fallback: string): string => {
    const field = `resources.${side}.cpu`;
    const value = sides[side]?.cpu;
    if (value === undefined) return fallback;
    const millis = typeof value === 'string' ? cpuMillis(value) : undefined;
    if (millis === undefined || millis === 0) invalid(scope, construct, field, value, 'not a positive CPU quantity', '"500m", "0.5" or "2"');
    return value as string;
  };
  const memory = (side: string, fallback: string): string => {
    const field = `resources.${side}.memory`;
    const value = sides[side]?.memory;
    if (value === undefined) return fallback;
    const bytes = typeof value === 'string' ? memoryBytes(value) : undefined;
    if (bytes === undefined || bytes < 1024 * 1024) invalid(scope, construct, field, value, 'not a memory quantity of at least 1Mi', '"128Mi", "1Gi" or "512M"');
    return value as string;
  };
  const out: ResolvedResources = {
    cpuRequest: cpu('requests', '100m'),
    cpuLimit: cpu('limits', '2000m'),
    memoryRequest: memory('requests', '128Mi'),
    memoryLimit: memory('limits', '1024Mi'),
  };
  if (cpuMillis(out.cpuRequest)! > cpuMillis(out.cpuLimit)!) {
    invalid(scope, construct, 'resources', { requests: { cpu: out.cpuRequest }, limits: { cpu: out.cpuLimit } }, 'the CPU request is above the limit', 'a request at most the limit');
  }
  if (memoryBytes(out.memoryRequest)! > memoryBytes(out.memoryLimit)!) {
    invalid(scope, construct, 'resources', { requests: { memory: out.memoryRequest }, limits: { memory: out.memoryLimit } }, 'the memory request is above the limit', 'a request at most the limit');
  }
  return out;
}

const MEMORY_SUFFIX: { [suffix: string]: number } = {
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** Bytes of a Kubernetes memory quantity (decimal or binary suffix), or undefined. */
function memoryBytes(amount: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(amount);
  return m ? Number(m[1]) * MEMORY_SUFFIX[m[2] ?? ''] : undefined;
}

function cpuMillis(amount: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(amount);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

function hpaSpec(r: ResolvedOptions) {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: r.name },
    minReplicas: r.minReplicas,
    maxReplicas: r.maxReplicas,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: r.targetCpu } } }],
  };
}

/** Labels of a namespace that holds east-west gateways. */
function gatewayNamespaceLabels(revision: string | undefined): { [key: string]: string } {
  return definedOnly({
    // With a revision, the namespace selects that revision's injector.
    // Without one, the pod label sidecar.istio.io/inject=true is enough for the default injector's
    // object selector, so the namespace needs no injection label.
    'istio.io/rev': revision,
    // Gateway pods need nothing privileged; the injected gateway template adds no init containers.
    'pod-security.kubernetes.io/enforce': 'baseline',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/audit': 'restricted',
  });
}

/** Drops undefined values from a string map. */
function definedOnly(map: { [key: string]: string | undefined }): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(map)) if (v !== undefined) out[k] = v;
  return out;
}

function selectorValue(name: string): string {
  return name.startsWith('istio-') ? name.slice('istio-'.length) : name;
}

function checkPods(field: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    invalid('GatewayDisruptionBudget', 'GatewayDisruptionBudget', field, value, 'not a whole number of pods', `an integer, at least ${min}`);
  }
}

function checkInteger(scope: Construct, construct: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(scope, construct, field, value, 'must be a whole number in range', `an integer from ${min} to ${max}`);
  }
  return value;
}

function optionalBoolean(scope: Construct, construct: string, field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid(scope, construct, field, value, 'must be a boolean', 'true or false');
  return value;
}

function validateRevision(scope: Construct, construct: string, revision: unknown): string | undefined {
  if (revision === undefined) return undefined;
  if (typeof revision !== 'string' || !isDns1123Label(revision)) {
    invalid(scope, construct, 'revision', revision, 'not a DNS-1123 label (it is an istio.io/rev label value and part of the istiod Service name)',
      'lowercase letters, digits and "-", e.g. "asm-1132-2" or "1-30"');
  }
  return revision;
}

function validateNamespaceName(scope: Construct, construct: string, field: string, namespace: unknown): string {
  if (typeof namespace !== 'string' || !isDns1123Label(namespace)) {
    invalid(scope, construct, field, namespace, 'not a DNS-1123 label', 'a namespace name such as "istio-gateways" (lowercase letters, digits and "-", at most 63 characters)');
  }
  return namespace;
}

function validateGatewayName(scope: Construct, construct: string, name: unknown): string {
  if (typeof name !== 'string' || name.length > 63 || !DNS1035_LABEL.test(name)) {
    invalid(scope, construct, 'name', name, 'not a DNS-1035 label (it is a Service name)',
      'lowercase letters, digits and "-", starting with a letter, at most 63 characters, e.g. "istio-eastwestgateway"');
  }
  return name;
}

function validateSelector(scope: Construct, construct: string, selector: unknown): { [key: string]: string } {
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0) {
    invalid(scope, construct, 'selector', selector, 'must be a non-empty map of pod labels', '{ istio: "eastwestgateway" }');
  }
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(selector as Record<string, unknown>)) {
    const keyErr = labelKeyError(k);
    if (keyErr) invalid(scope, construct, 'selector', k, keyErr, 'a label key such as "istio"');
    if (typeof v !== 'string') invalid(scope, construct, `selector["${k}"]`, v, 'label values are strings', 'e.g. "eastwestgateway"');
    const valErr = labelValueError(v);
    if (valErr) invalid(scope, construct, `selector["${k}"]`, v, valErr, 'a label value such as "eastwestgateway"');
    out[k] = v;
  }
  return out;
}
