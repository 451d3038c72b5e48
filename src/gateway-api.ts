/**
 * East-west gateways as Kubernetes Gateway API objects (`gateway.networking.k8s.io/v1`): istiod
 * deploys and configures the proxy itself (no istioctl, no IstioOperator, no Helm chart).
 *
 * - `GatewayApiEastWestGateway`: sidecar mode, class `istio`, a TLS listener on 15443 that istiod
 *   turns into `AUTO_PASSTHROUGH` (`pilot/pkg/serviceregistry/kube/conversion.go` `IsAutoPassthrough`).
 * - `AmbientEastWestGateway`: ambient multi-network, class `istio-east-west`, HBONE on 15008.
 * - `IstioRemoteGateway`: class `istio-remote`, a stand-in for a gateway that lives in a cluster
 *   the config cluster's istiod cannot read.
 */
import { ApiObject, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CloudProvider, GatewayExposure, GatewayServiceType, sourceRangesPolicy } from './gateway-exposure';
import { DEFAULT_ISTIO_NAMESPACE, DEFAULT_NAME, gatewayNamespaceLabels, resolveExposure } from './gateway-options';
import * as gwapi from './imports/gateway.networking.k8s.io';
import { TopologyLabel } from './labels';
import { cidrError } from './private/cidr';
import { invalid, show } from './private/invalid';
import { isDns1123Label } from './private/istio-rules';
import { compact } from './private/objects';
import {
  AmbientEastWestGatewayPropsKeys, GatewayApiEastWestGatewayPropsKeys, IstioRemoteGatewayPropsKeys,
} from './private/props-keys';
import { checkUniqueObjects } from './private/registry';
import { hostCovers } from './private/topology';
import { validator } from './private/validator';
import { IstioVersion, checkIstioVersion, requireIstio } from './versions';

/** `gateway.istio.io/listener-protocol: auto-passthrough`: Istio's option for AUTO_PASSTHROUGH ("TODO formalize this API"). */
const LISTENER_PROTOCOL_OPTION = 'gateway.istio.io/listener-protocol';
const TLS_TERMINATE_MODE_OPTION = 'gateway.istio.io/tls-terminate-mode';
const SERVICE_TYPE_ANNOTATION = 'networking.istio.io/service-type';
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** Gateway API v1.5: at most 8 infrastructure labels and 8 annotations. */
const MAX_INFRASTRUCTURE_ENTRIES = 8;
const HOSTNAME_PATTERN = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The type of a Gateway address. */
export enum GatewayAddressType {
  /** `IPAddress`. */
  IP_ADDRESS = 'IPAddress',
  /** `Hostname`. */
  HOSTNAME = 'Hostname',
}

/**
 * An address of a Gateway (`spec.addresses[]`), with its `type` always written: istiod's
 * Gateway-resource discovery skips addresses without one (`network.go` `handleGatewayResource`).
 */
export class GatewayAddress {
  /**
   * An IPv4 or IPv6 address.
   * @param value e.g. "10.0.0.10"
   */
  public static ipAddress(value: string): GatewayAddress {
    const bits = typeof value === 'string' && value.includes(':') ? 128 : 32;
    if (typeof value !== 'string' || cidrError(`${value}/${bits}`)) {
      invalid('GatewayAddress.ipAddress', 'GatewayAddress', 'value', value, 'not an IP address', 'an IPv4 or IPv6 address such as "10.0.0.10"');
    }
    return new GatewayAddress(GatewayAddressType.IP_ADDRESS, value);
  }

  /**
   * A DNS name (e.g. a cloud load balancer's host name).
   * @param value e.g. "eastwest.example.com"
   */
  public static hostname(value: string): GatewayAddress {
    if (typeof value !== 'string' || value.startsWith('*') || !HOSTNAME_PATTERN.test(value) || value.length > 253) {
      invalid('GatewayAddress.hostname', 'GatewayAddress', 'value', value, 'not a DNS name', 'a lowercase DNS name such as "eastwest.example.com"');
    }
    return new GatewayAddress(GatewayAddressType.HOSTNAME, value);
  }

  private constructor(public readonly type: GatewayAddressType, public readonly value: string) {}
}

/** Properties shared by the Gateway API east-west gateways. */
export interface GatewayApiGatewayOptions {
  /** The network the gateway serves: the `topology.istio.io/network` label istiod discovers it by. */
  readonly network: string;
  /** Name of the Gateway. @default 'istio-eastwestgateway' */
  readonly name?: string;
  /** Namespace of the Gateway (istiod deploys the proxy there). @default 'istio-system' */
  readonly namespace?: string;
  /** Istio revision (`istio.io/rev` label): which istiod deploys and programs it. @default - the default revision */
  readonly revision?: string;
  /** The Istio release. @default IstioVersion.LATEST */
  readonly istioVersion?: IstioVersion;
  /** Where the cluster runs: the internal load-balancer annotations. @default - none (then `exposure` is required) */
  readonly provider?: CloudProvider;
  /**
   * How the managed Service is exposed: its annotations go to `spec.infrastructure.annotations`,
   * NodePort to the `networking.istio.io/service-type` annotation, source ranges and a fixed node
   * port to a Service overlay ConfigMap (`spec.infrastructure.parametersRef`), NodePort source
   * ranges to a NetworkPolicy.
   * @default GatewayExposure.internal(provider)
   */
  readonly exposure?: GatewayExposure;
  /**
   * Labels for the objects istiod creates (`spec.infrastructure.labels`, at most 8). They replace
   * the Gateway's own labels on those objects, so the network label is added to them.
   * @default - none: the Gateway's labels are copied
   */
  readonly infrastructureLabels?: { [key: string]: string };
  /**
   * Addresses to request (`spec.addresses`, type always set), e.g. one static internal IP. More
   * than one address, or a host name, makes istiod bind to an existing Service instead of
   * deploying one (`IsManaged`), so only one IP is accepted. istiod also advertises it to the other
   * clusters as the gateway's address (`network.go` `handleGatewayResource`), so it must be the
   * address the load balancer really gets (some load balancers, e.g. AWS NLB, ignore a requested IP).
   * @default - none: the load balancer assigns one
   */
  readonly addresses?: GatewayAddress[];
}

/** Properties for `GatewayApiEastWestGateway`. */
export interface GatewayApiEastWestGatewayProps extends GatewayApiGatewayOptions {
  /**
   * Hosts other networks may reach through the gateway, one TLS listener each (`hostname`); `*`
   * for a listener without hostname. As with `CrossNetworkGateway.hosts`, the AUTO_PASSTHROUGH
   * filter chains match these SNI hosts.
   * @default ['*.local'] - every service of every namespace (with a warning)
   */
  readonly hosts?: string[];
}

/** What the two managed gateways share once checked. */
interface ResolvedGateway {
  readonly network: string;
  readonly name: string;
  readonly namespace: string;
  readonly revision?: string;
  readonly istioVersion: IstioVersion;
  readonly exposure: GatewayExposure;
  readonly labels: { [key: string]: string };
  readonly addresses: GatewayAddress[];
  readonly infrastructureLabels?: { [key: string]: string };
}

function resolveGateway(
  scope: Construct, construct: string, props: GatewayApiGatewayOptions, defaultNamespace: string, suffix: string,
): ResolvedGateway {
  const v = validator(scope, construct);
  const network = v.network('network', props.network);
  const istioVersion = checkIstioVersion(scope, construct, 'istioVersion', props.istioVersion);
  const name = props.name ?? DEFAULT_NAME;
  if (typeof name !== 'string' || !isDns1123Label(name) || name.length > 63 - suffix.length) {
    invalid(scope, construct, 'name', name, suffix ? `not a DNS-1123 label that leaves room for istiod's "${suffix}" suffix` : 'not a DNS-1123 label',
      `a name such as "istio-eastwestgateway" (at most ${63 - suffix.length} characters)`);
  }
  const namespace = v.namespace('namespace', props.namespace, defaultNamespace);
  const revision = v.revision('revision', props.revision);
  const exposure = resolveExposure(scope, construct, props.provider, props.exposure);
  const labels = compact({ [TopologyLabel.NETWORK]: network, 'istio.io/rev': revision }) ?? {};
  const extra = v.labels('infrastructureLabels', props.infrastructureLabels, '{ "team": "platform" }');
  let infrastructureLabels: { [key: string]: string } | undefined;
  if (extra !== undefined) {
    if (extra[TopologyLabel.NETWORK] !== undefined && extra[TopologyLabel.NETWORK] !== network) {
      invalid(scope, construct, `infrastructureLabels["${TopologyLabel.NETWORK}"]`, extra[TopologyLabel.NETWORK], `contradicts network ${show(network)}`, 'leave it out: the network label is added');
    }
    // they REPLACE the Gateway's labels on the generated objects: repeat the network (and revision)
    infrastructureLabels = { ...extra, ...labels };
    if (Object.keys(infrastructureLabels).length > MAX_INFRASTRUCTURE_ENTRIES) {
      invalid(scope, construct, 'infrastructureLabels', extra, `with the network${revision ? ' and revision' : ''} label(s) this is more than the ${MAX_INFRASTRUCTURE_ENTRIES} labels Gateway API v1.5 allows`, `at most ${MAX_INFRASTRUCTURE_ENTRIES - Object.keys(labels).length} labels`);
    }
  }
  const addresses = props.addresses ?? [];
  if (!Array.isArray(addresses)) invalid(scope, construct, 'addresses', addresses, 'must be a list', '[GatewayAddress.ipAddress("10.0.0.10")]');
  addresses.forEach((a, i) => checkAddress(scope, construct, `addresses[${i}]`, a));
  if (addresses.length > 1 || addresses.some((a) => a.type !== GatewayAddressType.IP_ADDRESS)) {
    invalid(scope, construct, 'addresses', addresses.map((a) => a.value), 'more than one address or a host name makes istiod bind to an existing Service instead of deploying the gateway (IsManaged)',
      'one GatewayAddress.ipAddress(...), or none');
  }
  return { network, name, namespace, revision, istioVersion, exposure, labels, addresses, infrastructureLabels };
}

/**
 * A Gateway istiod deploys a proxy for (classes `istio`, `istio-east-west`): the exposure as
 * Gateway API fields, and for `nodePort({ sourceRanges })` the NetworkPolicy on the pods istiod
 * deploys (`port`: the listeners' port).
 */
function managedGateway(
  scope: Construct, construct: string, r: ResolvedGateway, className: string, port: number, listeners: gwapi.GatewaySpecListeners[],
): ApiObject {
  const { annotations, infrastructure: infra } = infrastructure(scope, construct, r, [port]);
  const gateway = new gwapi.Gateway(scope, 'Resource', {
    metadata: gatewayMetadata(r, annotations),
    spec: { gatewayClassName: className, addresses: r.addresses.length ? addressesOf(r.addresses) : undefined, infrastructure: infra, listeners },
  });
  sourceRangesPolicy(scope, 'SourceRanges', r.exposure, {
    name: r.name,
    namespace: r.namespace,
    labels: { ...r.labels },
    podLabels: { [GATEWAY_NAME_LABEL]: r.name },
    ports: [{ targetPort: 15021, protocol: 'TCP' }, { targetPort: port, protocol: 'TCP' }],
  });
  return gateway;
}

/** `spec.addresses`, each with its type written. */
function addressesOf(addresses: readonly GatewayAddress[]): gwapi.GatewaySpecAddresses[] {
  return addresses.map((a) => ({ type: a.type, value: a.value }));
}

function gatewayMetadata(r: ResolvedGateway, annotations: { [key: string]: string }) {
  return { name: r.name, namespace: r.namespace, labels: { ...r.labels }, annotations: Object.keys(annotations).length ? annotations : undefined };
}

/** A GatewayAddress, also a plain `{ type, value }` (another copy of the package, JavaScript): re-checked by the factories. */
function checkAddress(scope: Construct, construct: string, field: string, a: unknown): GatewayAddress {
  const x = a as { type?: unknown; value?: unknown } | null;
  if (!x || typeof x !== 'object' || !Object.values(GatewayAddressType).includes(x.type as GatewayAddressType) || typeof x.value !== 'string') {
    invalid(scope, construct, field, a, 'not a GatewayAddress', 'GatewayAddress.ipAddress("10.0.0.10") or GatewayAddress.hostname("gw.example.com")');
  }
  try {
    return x.type === GatewayAddressType.IP_ADDRESS ? GatewayAddress.ipAddress(x.value) : GatewayAddress.hostname(x.value);
  } catch (e) {
    return invalid(scope, construct, field, x.value, x.type === GatewayAddressType.IP_ADDRESS ? 'not an IP address' : 'not a DNS name', 'a valid address of that type');
  }
}

/** The Service settings of an exposure, as the Gateway API carries them. */
function infrastructure(
  scope: Construct, construct: string, r: ResolvedGateway, listenerPorts: number[],
): { annotations: { [key: string]: string }; infrastructure?: gwapi.GatewaySpecInfrastructure } {
  const e = r.exposure;
  const serviceAnnotations = e.annotations;
  if (Object.keys(serviceAnnotations).length > MAX_INFRASTRUCTURE_ENTRIES) {
    invalid(scope, construct, 'exposure', Object.keys(serviceAnnotations), `more than the ${MAX_INFRASTRUCTURE_ENTRIES} infrastructure annotations Gateway API v1.5 allows`, 'fewer Service annotations');
  }
  // what annotations cannot say goes into a strategic-merge overlay of the managed Service
  const overlay = compact({
    spec: compact({
      loadBalancerSourceRanges: e.loadBalancerSourceRanges.length ? e.loadBalancerSourceRanges : undefined,
      externalTrafficPolicy: e.sourceRanges.length ? 'Local' : undefined,
      ports: e.tlsNodePort !== undefined ? [{ port: listenerPorts[0], nodePort: e.tlsNodePort }] : undefined,
    }),
  });
  let parametersRef: gwapi.GatewaySpecInfrastructureParametersRef | undefined;
  if (overlay) {
    const cm = new k8s.KubeConfigMap(scope, 'ServiceOverlay', {
      metadata: { name: `${r.name}-service-overlay`, namespace: r.namespace, labels: { ...r.labels } },
      data: { service: Yaml.stringify(overlay) },
    });
    parametersRef = { group: '', kind: 'ConfigMap', name: cm.name };
  }
  const annotations: { [key: string]: string } = e.serviceType === GatewayServiceType.NODE_PORT ? { [SERVICE_TYPE_ANNOTATION]: 'NodePort' } : {};
  const infra = compact({
    annotations: Object.keys(serviceAnnotations).length ? serviceAnnotations : undefined,
    labels: r.infrastructureLabels,
    parametersRef,
  }) as gwapi.GatewaySpecInfrastructure | undefined;
  return { annotations, infrastructure: infra };
}

/**
 * The sidecar-mode east-west gateway as one Gateway API object: class `istio`, the network label,
 * and one TLS Passthrough listener per exposed host on 15443 with Istio's
 * `gateway.istio.io/listener-protocol: auto-passthrough` option, which istiod turns into an
 * `AUTO_PASSTHROUGH` server (`conversion.go`). istiod deploys and keeps current the proxy
 * Deployment, Service and ServiceAccount `<name>-istio`, copies the network label to them (the
 * Service is how other clusters discover the gateway) and sets `ISTIO_META_REQUESTED_NETWORK_VIEW`.
 *
 * Istio marks the listener option as not yet formalized ("TODO formalize this API",
 * `pkg/config/constants/constants.go`) and no istio.io guide documents this form; it is what
 * Istio's own tests use (`pilot/pkg/config/kube/gateway/testdata/eastwest-tlsoption.yaml`). The
 * cluster needs the Gateway API CRDs (v1.2+ for `spec.infrastructure`). It cannot expose istiod
 * (primary-remote): use `EastWestGateway` with `exposeIstiod` for that.
 *
 * Objects (construct ids): Gateway [`Resource`]; ConfigMap `<name>-service-overlay`
 * [`ServiceOverlay`] when the exposure needs Service fields; NetworkPolicy
 * `<name>-source-ranges` [`SourceRanges`] for `GatewayExposure.nodePort({ sourceRanges })`.
 */
export class GatewayApiEastWestGateway extends Construct {
  /** The network. */
  public readonly network: string;
  /** Name of the Gateway. */
  public readonly name: string;
  /** Namespace of the Gateway. */
  public readonly namespace: string;
  /** The Istio revision, when set. */
  public readonly revision?: string;
  /** The Istio release. */
  public readonly istioVersion: IstioVersion;
  /** Name of the Service, Deployment and ServiceAccount istiod creates (`<name>-istio`). */
  public readonly serviceName: string;
  /** The Gateway object. */
  public readonly apiObject: ApiObject;
  private readonly _hosts: string[];

  public constructor(scope: Construct, id: string, props: GatewayApiEastWestGatewayProps) {
    super(scope, id);
    const construct = 'GatewayApiEastWestGateway';
    validator(this, construct).props('', props, GatewayApiEastWestGatewayPropsKeys, '{ network, provider }');
    const r = resolveGateway(this, construct, props, DEFAULT_ISTIO_NAMESPACE, '-istio');
    this.network = r.network;
    this.name = r.name;
    this.namespace = r.namespace;
    this.revision = r.revision;
    this.istioVersion = r.istioVersion;
    this.serviceName = `${r.name}-istio`;
    this._hosts = checkHosts(this, construct, props.hosts);
    const listeners: gwapi.GatewaySpecListeners[] = this._hosts.map((host, i) => ({
      name: i === 0 ? 'cross-network' : `cross-network-${i + 1}`,
      hostname: host === '*' ? undefined : host,
      port: 15443,
      protocol: 'TLS',
      tls: { mode: gwapi.GatewaySpecListenersTlsMode.PASSTHROUGH, options: { [LISTENER_PROTOCOL_OPTION]: 'auto-passthrough' } },
    }));
    this.apiObject = managedGateway(this, construct, r, 'istio', 15443, listeners);
    checkUniqueObjects(this);
  }

  /** The hosts other networks may reach (a copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }
}

function checkHosts(scope: Construct, construct: string, hosts: unknown): string[] {
  if (hosts === undefined) {
    validator(scope, construct).warn('hosts (default)', '*.local',
      'every service of every namespace is reachable from the other networks through this gateway (Istio\'s sample does this; it is rarely what a platform team means)',
      'list only what other networks call: hosts such as "*.payments.svc.cluster.local" (MultiClusterMesh: exposedHosts)');
    return ['*.local'];
  }
  if (!Array.isArray(hosts) || hosts.length === 0) invalid(scope, construct, 'hosts', hosts, 'must be a non-empty list', '["*.payments.svc.cluster.local"]');
  if (hosts.length > 64) invalid(scope, construct, 'hosts', hosts.length, 'a Gateway has at most 64 listeners, one per host', 'at most 64 hosts, or a wildcard such as "*.svc.cluster.local"');
  hosts.forEach((h, i) => {
    if (h === '*') return;
    if (typeof h !== 'string' || !HOSTNAME_PATTERN.test(h) || h.length > 253) {
      invalid(scope, construct, `hosts[${i}]`, h, 'not a Gateway API listener hostname (no namespace prefix, no bare or inner wildcard, lowercase)', 'an FQDN, a "*." wildcard such as "*.default.svc.cluster.local", or "*"');
    }
    if (hosts.indexOf(h) !== i) invalid(scope, construct, `hosts[${i}]`, h, 'listed twice', 'each host once');
  });
  // one server per listener: a service two listeners cover gets two filter chains with the same SNI,
  // and Envoy rejects the whole 15443 listener (pilot/pkg/networking/core/gateway.go builtAutoPassthroughFilterChains)
  hosts.forEach((h, i) => {
    const wider = hosts.find((w, j) => j !== i && hostCovers(w, h));
    if (wider !== undefined) {
      invalid(scope, construct, `hosts[${i}]`, h, `${JSON.stringify(wider)} already covers it: two listeners would give its services two filter chains with the same SNI, which Envoy rejects (the whole 15443 listener)`,
        `hosts that do not overlap, e.g. only ${JSON.stringify(wider)}`);
    }
  });
  return [...hosts] as string[];
}

/** Properties for `AmbientEastWestGateway`. */
export interface AmbientEastWestGatewayProps extends GatewayApiGatewayOptions {}

/**
 * The ambient-mode east-west gateway (beta for multi-network in Istio 1.29–1.31; Istio's docs
 * still say "not for production"): class `istio-east-west`, listener `mesh` on 15008, protocol
 * `HBONE`, `tls.mode: Terminate` with `gateway.istio.io/tls-terminate-mode: ISTIO_MUTUAL` (double
 * HBONE), and the network label other clusters' istiods need to use it
 * (`pilot/pkg/serviceregistry/ambient/networks.go`). The same object as
 * `samples/multicluster/gen-eastwest-gateway.sh --ambient`. istiod deploys `<name>` (no suffix).
 * Sidecars cannot use it (they need the 15443 AUTO_PASSTHROUGH gateway). Needs Istio 1.27 and
 * `AMBIENT_ENABLE_MULTI_NETWORK` (see `MultiClusterMesh.istiodHelmValues`).
 */
export class AmbientEastWestGateway extends Construct {
  /** The network. */
  public readonly network: string;
  /** Name of the Gateway (and of the Deployment and Service istiod creates). */
  public readonly name: string;
  /** Namespace of the Gateway. */
  public readonly namespace: string;
  /** The Istio release. */
  public readonly istioVersion: IstioVersion;
  /** The Gateway object. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: AmbientEastWestGatewayProps) {
    super(scope, id);
    const construct = 'AmbientEastWestGateway';
    validator(this, construct).props('', props, AmbientEastWestGatewayPropsKeys, '{ network, provider }');
    const r = resolveGateway(this, construct, props, DEFAULT_ISTIO_NAMESPACE, '');
    if (r.exposure.serviceType === GatewayServiceType.NODE_PORT) {
      invalid(this, construct, 'exposure', 'GatewayExposure.nodePort(...)', 'remote ztunnels dial an ambient gateway at its status address on 15008 (ambient/networks.go, multicluster.go); the node-port mapping exists only for sidecar gateways',
        'a load balancer: provider, GatewayExposure.internal(...) or onPrem()');
    }
    requireIstio(this, construct, 'istioVersion', r.istioVersion.version, r.istioVersion, 27, 'ambient multi-network (class istio-east-west)', 'Istio 1.27 release notes');
    this.network = r.network;
    this.name = r.name;
    this.namespace = r.namespace;
    this.istioVersion = r.istioVersion;
    this.apiObject = managedGateway(this, construct, r, 'istio-east-west', 15008, [{
      name: 'mesh',
      port: 15008,
      protocol: 'HBONE',
      tls: { mode: gwapi.GatewaySpecListenersTlsMode.TERMINATE, options: { [TLS_TERMINATE_MODE_OPTION]: 'ISTIO_MUTUAL' } },
    }]);
    checkUniqueObjects(this);
  }
}

/** Properties for `IstioRemoteGateway`. */
export interface IstioRemoteGatewayProps {
  /** The network whose gateway this stands for. */
  readonly network: string;
  /** Where other networks reach that gateway (at least one; `type` always written). */
  readonly addresses: GatewayAddress[];
  /** Name of the Gateway. @default - `<network>-eastwest` */
  readonly name?: string;
  /** Namespace (istiod reads `istio-remote` Gateways of the config cluster). @default 'istio-system' */
  readonly namespace?: string;
  /** The Istio release. @default IstioVersion.LATEST */
  readonly istioVersion?: IstioVersion;
}

/**
 * A Gateway of class `istio-remote`: tells this cluster's istiod that `network` is reached at
 * `addresses` on 15443 (AUTO_PASSTHROUGH), for a gateway in a cluster istiod cannot read itself. For
 * sidecar meshes: an ambient stand-in would need an HBONE listener and the real gateway's
 * `gateway.istio.io/service-account`, which this construct does not write
 * (`network.go` `handleGatewayResource`, flag `PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API`, on by
 * default from 1.23; Istio's test `tests/integration/pilot/workloadentry_test.go`). istiod
 * deploys nothing for it.
 */
export class IstioRemoteGateway extends Construct {
  /** The Gateway object. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: IstioRemoteGatewayProps) {
    super(scope, id);
    const construct = 'IstioRemoteGateway';
    const v = validator(this, construct);
    v.props('', props, IstioRemoteGatewayPropsKeys, '{ network, addresses }');
    const network = v.network('network', props.network);
    const istioVersion = checkIstioVersion(this, construct, 'istioVersion', props.istioVersion);
    requireIstio(this, construct, 'istioVersion', istioVersion.version, istioVersion, 23, 'istio-remote Gateway discovery by default (PILOT_MULTI_NETWORK_DISCOVER_GATEWAY_API)', 'Istio 1.23');
    if (!Array.isArray(props.addresses) || props.addresses.length === 0) {
      invalid(this, construct, 'addresses', props.addresses, 'at least one address is required: istiod skips a remote gateway without one', '[GatewayAddress.ipAddress("203.0.113.10")]');
    }
    if (props.addresses.length > 16) invalid(this, construct, 'addresses', props.addresses.length, 'a Gateway has at most 16 addresses', 'up to 16 addresses');
    props.addresses.forEach((a, i) => {
      checkAddress(this, construct, `addresses[${i}]`, a);
      if (props.addresses.findIndex((b) => b.type === a.type && b.value === a.value) !== i) {
        invalid(this, construct, `addresses[${i}]`, a.value, 'listed twice (the Gateway API requires unique addresses)', 'each address once');
      }
    });
    const name = props.name ?? `${network.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '')}-eastwest`;
    if (!isDns1123Label(name)) invalid(this, construct, 'name', name, 'not a DNS-1123 label', 'a name such as "network2-eastwest"');
    const namespace = v.namespace('namespace', props.namespace, DEFAULT_ISTIO_NAMESPACE);
    this.apiObject = new gwapi.Gateway(this, 'Resource', {
      metadata: { name, namespace, labels: { [TopologyLabel.NETWORK]: network } },
      spec: {
        gatewayClassName: 'istio-remote',
        addresses: addressesOf(props.addresses),
        listeners: [{
          name: 'cross-network',
          port: 15443,
          protocol: 'TLS',
          tls: { mode: gwapi.GatewaySpecListenersTlsMode.PASSTHROUGH, options: { [LISTENER_PROTOCOL_OPTION]: 'auto-passthrough' } },
        }],
      },
    });
    checkUniqueObjects(this);
  }
}

/** Namespace of a Gateway API gateway, labelled like the plain gateway's. @internal */
export function gatewayApiNamespace(scope: Construct, id: string, name: string, revision: string | undefined): ApiObject {
  return new k8s.KubeNamespace(scope, id, { metadata: { name, labels: gatewayNamespaceLabels(revision) } });
}
