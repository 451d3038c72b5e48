import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { brandSymbol, hasBrand, setBrand } from './private/brand';
import { cidrError } from './private/cidr';
import { invalid, show } from './private/invalid';
import { labelKeyError } from './private/istio-rules';
import { InternetFacingExposureOptionsKeys, LoadBalancerExposureOptionsKeys, NodePortExposureOptionsKeys } from './private/props-keys';
import { validator } from './private/validator';

const CONSTRUCT = 'GatewayExposure';
const EXPOSURE_BRAND = brandSymbol('GatewayExposure');

/** The annotation istiod reads to use node addresses for a NodePort network gateway (JSON map of node labels). */
const ISTIO_NODE_SELECTOR_ANNOTATION = 'traffic.istio.io/nodeSelector';

/** The Kubernetes Service type of the east-west gateway (`spec.type`). */
export enum GatewayServiceType {
  /** `LoadBalancer`: a cloud or on-prem (MetalLB, F5, …) load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
  /** `NodePort`: a port on every node. */
  NODE_PORT = 'NodePort',
}

/**
 * Where a cluster runs. It decides which Service annotations make the east-west gateway's load
 * balancer internal (reachable from the VPC, peered networks and VPN, not from the internet).
 */
export enum CloudProvider {
  /**
   * Google Kubernetes Engine: `networking.gke.io/load-balancer-type: "Internal"` (an internal
   * passthrough Network Load Balancer). The older `cloud.google.com/load-balancer-type: "internal"`
   * still works, but GKE reads the `networking.gke.io` key first, so only the current key is emitted
   * (GKE docs: "LoadBalancer Service parameters").
   */
  GKE = 'GKE',
  /**
   * Amazon EKS with the AWS Load Balancer Controller: an internal NLB with IP targets
   * (`aws-load-balancer-type: external`, `aws-load-balancer-nlb-target-type: ip`,
   * `aws-load-balancer-scheme: internal`). Without the controller installed the Service stays
   * `<pending>` (the in-tree controller ignores `type: external`), which fails closed.
   */
  EKS = 'EKS',
  /** Azure Kubernetes Service: `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`. */
  AKS = 'AKS',
  /**
   * A cluster whose load balancer already hands out private addresses (MetalLB or a hardware load
   * balancer with a private pool): no annotations. Pick the
   * pool with `annotations` (e.g. `metallb.io/address-pool`) if you have several.
   */
  ON_PREM = 'ON_PREM',
}

/** Options for load-balancer exposures (`GatewayExposure.internal`, `onPrem`, `internetFacing`). */
export interface LoadBalancerExposureOptions {
  /**
   * Client CIDRs the load balancer accepts (`spec.loadBalancerSourceRanges`), e.g. the other
   * clusters' node and pod ranges. Canonical CIDRs only (`10.0.0.0/8`, not `10.0.0.1/8`).
   * @default - no restriction beyond the load balancer's own reachability
   */
  readonly loadBalancerSourceRanges?: string[];
  /**
   * Extra Service annotations, e.g. GKE global access for clients in other regions
   * (`networking.gke.io/internal-load-balancer-allow-global-access: "true"`) or a MetalLB pool.
   * They may not override the annotations that make the load balancer internal.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Options for `GatewayExposure.internetFacing`. */
export interface InternetFacingExposureOptions extends LoadBalancerExposureOptions {
  /**
   * Acknowledge that the gateway accepts connections from any internet address. Required when
   * `loadBalancerSourceRanges` is not given (or contains `0.0.0.0/0` or `::/0`); the gateway then
   * relies on Istio mTLS alone.
   * @default false
   */
  readonly allowFromAnywhere?: boolean;
}

/** Options for `GatewayExposure.nodePort`: `sourceRanges` or `allowFromAnywhere: true` is required. */
export interface NodePortExposureOptions {
  /**
   * Client CIDRs that may reach the gateway through its node ports, e.g. the other clusters' node
   * and egress ranges. Canonical CIDRs only (`10.0.0.0/8`, not `10.0.0.1/8`). A NodePort Service has
   * no `loadBalancerSourceRanges`, so `EastWestGateway` enforces them with a NetworkPolicy and sets
   * `externalTrafficPolicy: Local` (see `GatewayExposure.nodePort` for what that requires).
   * @default - none; then `allowFromAnywhere: true` is required
   */
  readonly sourceRanges?: string[];
  /**
   * Acknowledge that the gateway's node ports accept connections from any address that can reach
   * a node. Required when `sourceRanges` is not given; the gateway then relies on Istio mTLS alone
   * (and on whatever firewall is in front of the nodes).
   * @default false
   */
  readonly allowFromAnywhere?: boolean;
  /**
   * A fixed node port for the `tls` port 15443 (30000-32767), so that the address you give the
   * other clusters (for example in `meshNetworks`) never changes.
   * @default - allocated by Kubernetes
   */
  readonly tlsNodePort?: number;
  /**
   * Node labels selecting the nodes whose addresses istiod advertises to the other networks
   * (annotation `traffic.istio.io/nodeSelector`). istiod only uses nodes with an `ExternalIP`
   * address; nodes with only an `InternalIP` (typical on bare metal) are ignored, and then the
   * other clusters need this gateway's `<node address>:<tlsNodePort>` in their `meshNetworks`.
   * @default - all nodes (`{}`)
   */
  readonly nodeSelector?: { [key: string]: string };
}

/**
 * How the east-west gateway's Service is reached from the other networks. Internal by default:
 * pick a provider with `GatewayExposure.internal(CloudProvider.GKE)`; an internet-facing load
 * balancer has to be asked for by name and must be limited to source ranges or explicitly opened.
 *
 * @example
 * GatewayExposure.internal(CloudProvider.GKE)
 * GatewayExposure.onPrem()
 * GatewayExposure.nodePort({ tlsNodePort: 31443, sourceRanges: ['198.51.100.0/24'] })
 * GatewayExposure.internetFacing({ loadBalancerSourceRanges: ['203.0.113.0/24'] })
 */
export class GatewayExposure {
  /**
   * True for an object made by one of the factories, also from another copy of this library
   * (JavaScript callers may pass anything). @internal
   */
  public static _isExposure(x: unknown): x is GatewayExposure {
    return hasBrand(x, EXPOSURE_BRAND);
  }

  /**
   * An internal load balancer for the given provider (the default exposure).
   * @param provider where the cluster runs; decides the annotations
   * @param options source ranges and extra annotations (default: none)
   */
  public static internal(provider: CloudProvider, options: LoadBalancerExposureOptions = {}): GatewayExposure {
    const where = `${CONSTRUCT}.internal()`;
    if (!Object.values(CloudProvider).includes(provider)) {
      invalid(where, CONSTRUCT, 'provider', provider, 'not a CloudProvider', Object.values(CloudProvider).map((p) => `CloudProvider.${p}`).join(', '));
    }
    validator(where, CONSTRUCT).props('options', options, LoadBalancerExposureOptionsKeys, '{ loadBalancerSourceRanges?, annotations? }');
    const internalAnnotations = INTERNAL_ANNOTATIONS[provider];
    const extra = validateAnnotations(where, options.annotations);
    for (const key of Object.keys(extra)) {
      if (key in internalAnnotations && extra[key] !== internalAnnotations[key]) {
        invalid(where, CONSTRUCT, `annotations["${key}"]`, extra[key], `overrides the annotation that makes the ${provider} load balancer internal (${show(internalAnnotations[key])})`,
          'leave it out; use GatewayExposure.internetFacing() for an internet-facing load balancer');
      }
    }
    return new GatewayExposure({
      serviceType: GatewayServiceType.LOAD_BALANCER,
      provider,
      annotations: { ...internalAnnotations, ...extra },
      loadBalancerSourceRanges: validateSourceRanges(where, 'loadBalancerSourceRanges', options.loadBalancerSourceRanges, false),
      sourceRanges: [],
      internetFacing: false,
    });
  }

  /**
   * A load balancer that already hands out private addresses (MetalLB, on-prem hardware): no
   * provider annotations. Same as `internal(CloudProvider.ON_PREM, options)`.
   * @param options source ranges and extra annotations (default: none)
   */
  public static onPrem(options: LoadBalancerExposureOptions = {}): GatewayExposure {
    return GatewayExposure.internal(CloudProvider.ON_PREM, options);
  }

  /**
   * A NodePort Service: ports 15443 and 15021 (and any other Service port) open on every node.
   * Like `internetFacing`, refused unless it is limited with `sourceRanges` or opened explicitly
   * with `allowFromAnywhere: true`.
   *
   * **How the other networks find it.** istiod treats a `NodePort` Service with the
   * `traffic.istio.io/nodeSelector` annotation as its network's gateway, at the node port of 15443,
   * and advertises the `ExternalIP` addresses of the selected nodes; nodes without an `ExternalIP`
   * are skipped (Istio 1.30.3, `pilot/pkg/serviceregistry/kube/`: `conversion.go` maps service
   * ports to node ports, `controller/controller.go` `onNodeEvent` keeps only `ExternalIP`s,
   * `controller/network.go` `updateServiceNodePortAddresses`). Without node ExternalIPs (typical
   * on bare metal), the other clusters' istiod must be told in `meshNetworks`:
   * `<network>: { endpoints: [{ fromRegistry: <cluster> }], gateways: [{ address: <node IP>, port: <tlsNodePort> }] }`
   * (istio-discovery chart `values.yaml`: for a NodePort gateway "it still need to be configured
   * manually"), which is why a fixed `tlsNodePort` is recommended.
   *
   * **What `sourceRanges` does.** `EastWestGateway` writes a `networking.k8s.io/v1` NetworkPolicy
   * `<gateway name>-source-ranges` in the gateway namespace that selects the gateway pods and
   * admits the Service's target ports (15021, 15443, plus 15012/15017 with `exposeIstiod` and any
   * `extraPorts`) only from `sourceRanges`; the metrics ports 15020 and 15090 stay open to any
   * source (in-cluster scrapers), every other port of the gateway pods is closed. A NetworkPolicy
   * sees a connection after kube-proxy has translated it, so the Service gets
   * `externalTrafficPolicy: Local`, which keeps the client's address. (With `Cluster`, kube-proxy
   * may replace it with a node address, which the policy would refuse, or always admit when it is
   * the pod's own node.) Consequences:
   * - a node accepts the node port only while it runs a gateway pod, so advertise only such nodes
   *   (run the gateway pods on the nodes `nodeSelector` picks, e.g. with a pod `nodeSelector` patched
   *   onto `gateway.apiObject`, or list only those nodes in `meshNetworks`);
   * - it needs a CNI that enforces NetworkPolicy (Calico, Cilium, GKE Dataplane V2, …): without
   *   one the policy is accepted and ignored.
   * `EastWestGatewayOperator` refuses `sourceRanges`: an IstioOperator cannot carry the NetworkPolicy.
   *
   * @param options `sourceRanges` or `allowFromAnywhere: true`, node ports and the node selector
   */
  public static nodePort(options: NodePortExposureOptions): GatewayExposure {
    const where = `${CONSTRUCT}.nodePort()`;
    // nodePort() with no arguments used to be valid: report the missing choice, not a missing object.
    const opts: NodePortExposureOptions = options === undefined ? {} : options;
    validator(where, CONSTRUCT).props('options', opts, NodePortExposureOptionsKeys, '{ sourceRanges: ["10.0.0.0/8"] } or { allowFromAnywhere: true }');
    const ranges = limitedOrOpen(where, 'sourceRanges', opts.sourceRanges, opts.allowFromAnywhere,
      'a NodePort east-west gateway opens its ports on every node and must be limited to the other clusters\' addresses',
      'sourceRanges such as ["198.51.100.0/24"] (enforced with a NetworkPolicy), or allowFromAnywhere: true to accept any address that reaches a node (mTLS only)');
    if (opts.tlsNodePort !== undefined) validateNodePort(where, 'tlsNodePort', opts.tlsNodePort);
    const nodeSelector = opts.nodeSelector ?? {};
    if (nodeSelector === null || typeof nodeSelector !== 'object' || Array.isArray(nodeSelector)) {
      invalid(where, CONSTRUCT, 'nodeSelector', nodeSelector, 'must be a map of node labels', '{ "node-role.example.com/edge": "true" }');
    }
    for (const [k, v] of Object.entries(nodeSelector)) {
      const err = labelKeyError(k);
      if (err) invalid(where, CONSTRUCT, 'nodeSelector', k, err, 'a node label key such as "kubernetes.io/os"');
      if (typeof v !== 'string') invalid(where, CONSTRUCT, `nodeSelector["${k}"]`, v, 'label values are strings', 'a label value such as "linux"');
    }
    const sorted = Object.fromEntries(Object.entries(nodeSelector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return new GatewayExposure({
      serviceType: GatewayServiceType.NODE_PORT,
      annotations: { [ISTIO_NODE_SELECTOR_ANNOTATION]: JSON.stringify(sorted) },
      loadBalancerSourceRanges: [],
      sourceRanges: ranges,
      tlsNodePort: opts.tlsNodePort,
      internetFacing: false,
    });
  }

  /**
   * An internet-facing load balancer (no internal annotations). Refused unless it is limited with
   * `loadBalancerSourceRanges` or opened explicitly with `allowFromAnywhere: true`. (Not named
   * `public`, a reserved word in Java and C#.)
   */
  public static internetFacing(options: InternetFacingExposureOptions): GatewayExposure {
    const where = `${CONSTRUCT}.internetFacing()`;
    validator(where, CONSTRUCT).props('options', options, InternetFacingExposureOptionsKeys, '{ loadBalancerSourceRanges: ["203.0.113.0/24"] } or { allowFromAnywhere: true }');
    const ranges = limitedOrOpen(where, 'loadBalancerSourceRanges', options.loadBalancerSourceRanges, options.allowFromAnywhere,
      'an internet-facing east-west gateway must be limited to the other clusters\' egress addresses',
      'loadBalancerSourceRanges such as ["203.0.113.0/24"], or allowFromAnywhere: true to accept any address (mTLS only)');
    return new GatewayExposure({
      serviceType: GatewayServiceType.LOAD_BALANCER,
      annotations: validateAnnotations(where, options.annotations),
      loadBalancerSourceRanges: ranges,
      sourceRanges: [],
      internetFacing: true,
    });
  }

  /** The Service type. */
  public readonly serviceType: GatewayServiceType;
  /** The provider, for `internal`/`onPrem` exposures. */
  public readonly provider?: CloudProvider;
  /** The fixed node port of 15443, if any. */
  public readonly tlsNodePort?: number;
  /** Whether this is an internet-facing load balancer (`GatewayExposure.internetFacing`). */
  public readonly isInternetFacing: boolean;
  private readonly _annotations: { [key: string]: string };
  private readonly _sourceRanges: string[];
  private readonly _nodePortSourceRanges: string[];

  private constructor(props: ExposureSettings) {
    setBrand(this, EXPOSURE_BRAND);
    this.serviceType = props.serviceType;
    this.provider = props.provider;
    this.tlsNodePort = props.tlsNodePort;
    this.isInternetFacing = props.internetFacing;
    this._annotations = props.annotations;
    this._sourceRanges = props.loadBalancerSourceRanges;
    this._nodePortSourceRanges = props.sourceRanges;
  }

  /** Service annotations (a copy). */
  public get annotations(): { [key: string]: string } {
    return { ...this._annotations };
  }

  /** `spec.loadBalancerSourceRanges` (a copy; empty when unrestricted). */
  public get loadBalancerSourceRanges(): string[] {
    return [...this._sourceRanges];
  }

  /**
   * The CIDRs that may reach the node ports (`nodePort({ sourceRanges })`, enforced with a
   * NetworkPolicy; a copy, empty when unrestricted or not a NodePort exposure).
   */
  public get sourceRanges(): string[] {
    return [...this._nodePortSourceRanges];
  }
}

interface ExposureSettings {
  readonly serviceType: GatewayServiceType;
  readonly provider?: CloudProvider;
  readonly annotations: { [key: string]: string };
  readonly loadBalancerSourceRanges: string[];
  /** NodePort only: the CIDRs the NetworkPolicy admits. */
  readonly sourceRanges: string[];
  readonly tlsNodePort?: number;
  readonly internetFacing: boolean;
}

const INTERNAL_ANNOTATIONS: Record<CloudProvider, { [key: string]: string }> = {
  [CloudProvider.GKE]: { 'networking.gke.io/load-balancer-type': 'Internal' },
  [CloudProvider.EKS]: {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  },
  [CloudProvider.AKS]: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
  [CloudProvider.ON_PREM]: {},
};

function validateAnnotations(where: string, annotations: unknown): { [key: string]: string } {
  if (annotations === undefined) return {};
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) {
    invalid(where, CONSTRUCT, 'annotations', annotations, 'must be a map of annotation keys to strings', '{ "networking.gke.io/internal-load-balancer-allow-global-access": "true" }');
  }
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    const err = labelKeyError(k);
    if (err) invalid(where, CONSTRUCT, 'annotations', k, err.replace('tag key', 'annotation key'), 'a key such as "example.com/name" (prefix ≤ 253, name ≤ 63 characters)');
    if (typeof v !== 'string') invalid(where, CONSTRUCT, `annotations["${k}"]`, v, 'annotation values are strings', 'a string, e.g. "true"');
    out[k] = v;
  }
  return out;
}

/** @internal */
export function validateNodePort(where: string, field: string, value: unknown, construct = CONSTRUCT): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 30000 || value > 32767) {
    invalid(where, construct, field, value, 'not in the default Kubernetes node-port range', 'an integer from 30000 to 32767');
  }
  return value;
}

/**
 * An exposure reachable from outside the cluster is limited to source ranges or explicitly open
 * (`allowFromAnywhere: true`), never both and never neither. Returns the checked ranges.
 */
function limitedOrOpen(where: string, field: string, ranges: unknown, allowFromAnywhere: unknown, why: string, valid: string): string[] {
  const anywhere = allowFromAnywhere ?? false;
  if (typeof anywhere !== 'boolean') invalid(where, CONSTRUCT, 'allowFromAnywhere', anywhere, 'must be a boolean', 'true or false');
  const checked = validateSourceRanges(where, field, ranges, !anywhere);
  if (anywhere && checked.length > 0) {
    invalid(where, CONSTRUCT, 'allowFromAnywhere', true, `contradicts ${field} ${show(checked)}`, `either ${field} (recommended) or allowFromAnywhere: true, not both`);
  }
  if (!anywhere && checked.length === 0) invalid(where, CONSTRUCT, field, ranges, why, valid);
  return checked;
}

function validateSourceRanges(where: string, name: string, ranges: unknown, rejectAnywhere: boolean): string[] {
  if (ranges === undefined) return [];
  if (!Array.isArray(ranges)) invalid(where, CONSTRUCT, name, ranges, 'must be a list of CIDRs', '["10.0.0.0/8"]');
  const seen = new Set<string>();
  return ranges.map((r, i) => {
    const field = `${name}[${i}]`;
    const err = cidrError(r);
    if (err) invalid(where, CONSTRUCT, field, r, err, 'a canonical IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fd00::/8"');
    if (seen.has(r)) invalid(where, CONSTRUCT, field, r, 'listed twice', 'each CIDR once');
    seen.add(r);
    if (rejectAnywhere && /\/0$/.test(r)) {
      invalid(where, CONSTRUCT, field, r, 'matches every address, which makes the source-range restriction meaningless',
        'the other clusters\' egress CIDRs, or allowFromAnywhere: true without source ranges');
    }
    return r as string;
  });
}

/** Gateway pod ports that no Service port opens: Prometheus scrapes them in the cluster. */
const METRICS_PORTS = [
  15020, // merged Prometheus stats (`prometheus.io/port`)
  15090, // Envoy's own stats (`http-envoy-prom`)
];

/** The gateway a source-range NetworkPolicy protects. @internal */
export interface SourceRangesPolicyTarget {
  /** Name of the gateway's Service and Deployment. */
  readonly name: string;
  readonly namespace: string;
  /** Labels of the policy object itself. */
  readonly labels: { [key: string]: string };
  /** The Deployment's pod selector. */
  readonly podLabels: { [key: string]: string };
  /** The Service ports, by the container port and protocol they reach. */
  readonly ports: ReadonlyArray<{ readonly targetPort: number; readonly protocol: string }>;
}

/**
 * For `GatewayExposure.nodePort({ sourceRanges })`: the NetworkPolicy `<name>-source-ranges` that
 * admits the Service's target ports only from `sourceRanges` (the metrics ports from anywhere, as
 * before). Undefined for every other exposure, and for an exposure made by an older copy of this
 * library (which had no source ranges). The Service needs `externalTrafficPolicy: Local` with it.
 * @internal
 */
export function sourceRangesPolicy(
  scope: Construct, id: string, exposure: GatewayExposure, gateway: SourceRangesPolicyTarget,
): ApiObject | undefined {
  const ranges = exposure.serviceType === GatewayServiceType.NODE_PORT ? (exposure.sourceRanges ?? []) : [];
  if (ranges.length === 0) return undefined;
  // Two Service ports may reach one container port: list each container port once.
  const ports = new Map(gateway.ports.map((p) => [`${p.targetPort}/${p.protocol}`, p]));
  const metrics = METRICS_PORTS.filter((port) => !ports.has(`${port}/TCP`));
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: `${gateway.name}-source-ranges`, namespace: gateway.namespace, labels: { ...gateway.labels } },
    spec: {
      podSelector: { matchLabels: { ...gateway.podLabels } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: ranges.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [...ports.values()].map((p) => ({ port: k8s.IntOrString.fromNumber(p.targetPort), protocol: p.protocol })),
        },
        ...(metrics.length ? [{ ports: metrics.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })) }] : []),
      ],
    },
  });
}
