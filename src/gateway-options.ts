/**
 * What `EastWestGateway` and `EastWestGatewayOperator` share: the options interface and its parts
 * (ports, resources, disruption budget), and their resolution into checked values. @internal
 */
import { Construct } from 'constructs';
import { CloudProvider, GatewayExposure, validateNodePort } from './gateway-exposure';
import { brandSymbol, hasBrand, setBrand } from './private/brand';
import { invalid, show } from './private/invalid';
import { isDns1123Label } from './private/istio-rules';
import { compact } from './private/objects';
import { EastWestGatewayOperatorPropsKeys, EastWestGatewayPropsKeys, GatewayServicePortKeys } from './private/props-keys';
import { validator } from './private/validator';
import { IstioVersion, checkIstioVersion } from './versions';

const CONSTRUCT = 'EastWestGateway';
const OPERATOR = 'EastWestGatewayOperator';

export const BUDGET_BRAND = brandSymbol('GatewayDisruptionBudget');

export const STATUS_PORT = 15021;

export const TLS_PORT = 15443;

export const ISTIOD_PORT = 15012;

export const WEBHOOK_PORT = 15017;

export const RESERVED_PORTS: { [port: number]: string } = {
  [STATUS_PORT]: 'status-port (readiness of the gateway)',
  [TLS_PORT]: 'tls (cross-network mTLS, AUTO_PASSTHROUGH)',
  [ISTIOD_PORT]: 'tls-istiod (set exposeIstiod: true instead)',
  [WEBHOOK_PORT]: 'tls-webhook (set exposeIstiod: true instead)',
};

export const RESERVED_PORT_NAMES = ['status-port', 'tls', 'tls-istiod', 'tls-webhook'];

/** Namespaces that exist in every cluster and must never be created (and later deleted) by a chart. */
export const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

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

  /** Whether `x` is a GatewayDisruptionBudget, also one made by another copy of this package. @internal */
  public static _isBudget(x: unknown): x is GatewayDisruptionBudget {
    return hasBrand(x, BUDGET_BRAND);
  }

  private constructor(private readonly field: 'maxUnavailable' | 'minAvailable' | undefined, private readonly pods: number | undefined) {
    setBrand(this, BUDGET_BRAND);
  }

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
   * The Istio release of the control plane that reads these objects. Every object here is
   * `networking.istio.io/v1` (or core Kubernetes), so any release from 1.22 works; the release
   * decides what `explain` models and which release-specific settings are accepted.
   * @default IstioVersion.LATEST
   */
  readonly istioVersion?: IstioVersion;
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

export const DEFAULT_NAME = 'istio-eastwestgateway';

export const DEFAULT_NAMESPACE = 'istio-gateways';

export const DEFAULT_ISTIO_NAMESPACE = 'istio-system';

export interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: string;
  readonly nodePort?: number;
}

export interface ResolvedResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

export interface ResolvedOptions {
  readonly istioVersion: IstioVersion;
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

export function resolveOptions(scope: Construct, construct: string, props: EastWestGatewayOptions): ResolvedOptions {
  validator(scope, construct).props('', props, construct === OPERATOR ? EastWestGatewayOperatorPropsKeys : EastWestGatewayPropsKeys,
    '{ network: "network1", provider: CloudProvider.GKE }');
  const network = validator(scope, construct).network('network', props.network);
  const istioVersion = checkIstioVersion(scope, construct, 'istioVersion', props.istioVersion);
  const v = validator(scope, construct);
  const revision = v.revision('revision', props.revision);
  const namespace = v.namespace('namespace', props.namespace, DEFAULT_NAMESPACE);
  const name = validateGatewayName(scope, construct, props.name ?? DEFAULT_NAME);
  const istioNamespace = v.namespace('istioNamespace', props.istioNamespace, DEFAULT_ISTIO_NAMESPACE);
  const exposure = resolveExposure(scope, construct, props.provider, props.exposure);
  const exposeIstiod = v.boolean('exposeIstiod', props.exposeIstiod, false);

  const maxReplicas = v.optionalInteger('maxReplicas', props.maxReplicas, 1, 1000, 5);
  const minReplicas = v.optionalInteger('minReplicas', props.minReplicas, 1, 1000, Math.min(2, maxReplicas));
  if (minReplicas > maxReplicas) {
    invalid(scope, construct, 'minReplicas', minReplicas, `greater than maxReplicas (${maxReplicas})`, `a number from 1 to ${maxReplicas}, or raise maxReplicas`);
  }
  if (props.targetCpuUtilizationPercentage !== undefined && minReplicas === maxReplicas) {
    invalid(scope, construct, 'targetCpuUtilizationPercentage', props.targetCpuUtilizationPercentage,
      `there is no autoscaler when minReplicas equals maxReplicas (${minReplicas})`, 'leave it out, or set maxReplicas above minReplicas');
  }
  const targetCpu = props.targetCpuUtilizationPercentage === undefined ? 80
    : v.integer('targetCpuUtilizationPercentage', props.targetCpuUtilizationPercentage, 1, 1000);

  const podDisruptionBudget = props.podDisruptionBudget ?? GatewayDisruptionBudget.maxUnavailable(1);
  if (!GatewayDisruptionBudget._isBudget(podDisruptionBudget)) {
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
    istioVersion,
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

export function resolveExposure(
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

export function resolveCreateNamespace(scope: Construct, value: unknown, r: ResolvedOptions): boolean {
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

export function resolvePorts(
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
    const port = validator(scope, construct).integer(`${field}.port`, p.port, 1, 65535);
    const targetPort = validator(scope, construct).optionalInteger(`${field}.targetPort`, p.targetPort, 1, 65535, port);
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

export function resolveResources(scope: Construct, construct: string, res: GatewayResourceRequirements | undefined): ResolvedResources {
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

export const MEMORY_SUFFIX: { [suffix: string]: number } = {
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
export function memoryBytes(amount: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(amount);
  return m ? Number(m[1]) * MEMORY_SUFFIX[m[2] ?? ''] : undefined;
}

export function cpuMillis(amount: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(amount);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

export function hpaSpec(r: ResolvedOptions) {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: r.name },
    minReplicas: r.minReplicas,
    maxReplicas: r.maxReplicas,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: r.targetCpu } } }],
  };
}

/** Labels of a namespace that holds east-west gateways. */
export function gatewayNamespaceLabels(revision: string | undefined): { [key: string]: string } {
  return compact({
    // With a revision, the namespace selects that revision's injector.
    // Without one, the pod label sidecar.istio.io/inject=true is enough for the default injector's
    // object selector, so the namespace needs no injection label.
    'istio.io/rev': revision,
    // Gateway pods need nothing privileged; the injected gateway template adds no init containers.
    'pod-security.kubernetes.io/enforce': 'baseline',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/audit': 'restricted',
  }) ?? {};
}

export function selectorValue(name: string): string {
  return name.startsWith('istio-') ? name.slice('istio-'.length) : name;
}

export function checkPods(field: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    invalid('GatewayDisruptionBudget', 'GatewayDisruptionBudget', field, value, 'not a whole number of pods', `an integer, at least ${min}`);
  }
}

export function validateGatewayName(scope: Construct, construct: string, name: unknown): string {
  if (typeof name !== 'string' || name.length > 63 || !DNS1035_LABEL.test(name)) {
    invalid(scope, construct, 'name', name, 'not a DNS-1035 label (it is a Service name)',
      'lowercase letters, digits and "-", starting with a letter, at most 63 characters, e.g. "istio-eastwestgateway"');
  }
  return name;
}
