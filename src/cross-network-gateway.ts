import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { IEastWestGateway } from './gateway-reference';
import * as istio from './imports/networking.istio.io';
import { invalid, show } from './private/invalid';
import { isDns1123Label, isIstioDns1123Label, wildcardDomainError } from './private/istio-rules';
import { CrossNetworkGatewayPropsKeys, IstiodGatewayPropsKeys } from './private/props-keys';
import { checkUniqueObjects } from './private/registry';
import { hostCovers } from './private/topology';
import { validator } from './private/validator';
import { IstioVersion, checkIstioVersion } from './versions';

const CONSTRUCT = 'CrossNetworkGateway';
const ISTIOD_CONSTRUCT = 'IstiodGateway';
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Properties for `CrossNetworkGateway`. */
export interface CrossNetworkGatewayProps {
  /**
   * The Istio release of the control plane that reads these objects. Every object here is
   * `networking.istio.io/v1` (or core Kubernetes), so any release from 1.22 works; the release
   * decides what `explain` models and which release-specific settings are accepted.
   * @default IstioVersion.LATEST
   */
  readonly istioVersion?: IstioVersion;
  /** The east-west gateway that serves the Gateway (its namespace and pod selector are used). */
  readonly gateway: IEastWestGateway;
  /**
   * Hosts whose services other networks may reach through the gateway, in Gateway host syntax and
   * validated like istiod's `validateServer`: an FQDN, `*`, or a `*.` prefix wildcard
   * (`*.local`, `*.default.svc.cluster.local`), optionally prefixed with the any-namespace `*` and a slash.
   *
   * With `AUTO_PASSTHROUGH` the host list is what restricts exposure: istiod strips any
   * `namespace/` prefix when it builds the SNI matches (`GetSNIHostsForServer`), so
   * `default/*.local` would still expose every `*.local` service. A namespace prefix other than `*` is
   * therefore rejected; to expose one namespace, use `*.<ns>.svc.cluster.local` or `exposedNamespaces`.
   *
   * @default - `["*.local"]` (every service, `cluster.local` and `clusterset.local`) when
   * `exposedNamespaces` is not given either
   */
  readonly hosts?: string[];
  /**
   * Namespaces whose services other networks may reach: each adds the host
   * `*.<namespace>.svc.<clusterDomain>`.
   * @default - none
   * @example ['default', 'payments']
   */
  readonly exposedNamespaces?: string[];
  /**
   * The cluster DNS domain used by `exposedNamespaces`.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Name of the Gateway; identical in every cluster.
   * @default 'cross-network-gateway'
   */
  readonly name?: string;
}

/**
 * The `cross-network-gateway`: an Istio Gateway (`networking.istio.io/v1`) on the east-west
 * gateway's pods with one server, port 15443 named `tls`, protocol `TLS`, `tls.mode: AUTO_PASSTHROUGH`
 * (`samples/multicluster/expose-services.yaml`), in the east-west gateway's namespace.
 * Clients in other networks reach services through it with Istio mTLS; the SNI names the
 * service, subset and port, so no VirtualService is needed.
 *
 * The gateway only serves services (and DestinationRule subsets) visible in its namespace: a
 * DestinationRule with subsets must be exported to the gateway namespace (`exportTo`), or the
 * per-subset SNI routes are not built.
 *
 * @example
 * new CrossNetworkGateway(chart, 'cross-network', { gateway: eastWest, exposedNamespaces: ['default'] });
 */
export class CrossNetworkGateway extends Construct {
  /** Name of the Gateway. */
  public readonly name: string;
  /** Namespace of the Gateway (the east-west gateway's). */
  public readonly namespace: string;
  /** The east-west gateway it binds to. */
  public readonly gateway: IEastWestGateway;
  /** The Gateway (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(gateway)` returns it). */
  public readonly apiObject: ApiObject;
  private readonly _hosts: string[];

  /** The Istio release the objects are for. */
  public readonly istioVersion: IstioVersion;

  public constructor(scope: Construct, id: string, props: CrossNetworkGatewayProps) {
    super(scope, id);
    validator(this, CONSTRUCT).props('', props, CrossNetworkGatewayPropsKeys, '{ gateway: eastWest }');
    this.istioVersion = checkIstioVersion(this, CONSTRUCT, 'istioVersion', props.istioVersion);
    this.gateway = checkGateway(this, CONSTRUCT, props.gateway);
    this.namespace = this.gateway.namespace;
    this.name = props.name ?? 'cross-network-gateway';
    if (typeof this.name !== 'string' || !isDns1123Label(this.name)) {
      invalid(this, CONSTRUCT, 'name', this.name, `invalid gateway name: ${show(this.name)}`, 'a DNS-1123 label such as "cross-network-gateway"');
    }
    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    if (typeof clusterDomain !== 'string' || clusterDomain.includes('*') || wildcardDomainError(clusterDomain) || !clusterDomain.includes('.')) {
      invalid(this, CONSTRUCT, 'clusterDomain', clusterDomain, 'not a DNS domain', 'the cluster\'s DNS domain, e.g. "cluster.local"');
    }

    const hosts: string[] = [];
    const explicit = props.hosts;
    if (explicit !== undefined) {
      if (!Array.isArray(explicit)) invalid(this, CONSTRUCT, 'hosts', explicit, 'must be a list', '["*.local"]');
      if (explicit.length === 0) invalid(this, CONSTRUCT, 'hosts', explicit, 'server config must contain at least one host', 'omit hosts for ["*.local"], or list hosts such as "*.default.svc.cluster.local"');
      explicit.forEach((h, i) => hosts.push(this.checkHost(`hosts[${i}]`, h, hosts)));
    }
    const namespaces = props.exposedNamespaces;
    if (namespaces !== undefined) {
      if (!Array.isArray(namespaces) || namespaces.length === 0) {
        invalid(this, CONSTRUCT, 'exposedNamespaces', namespaces, 'must be a non-empty list of namespaces', '["default"]');
      }
      namespaces.forEach((ns, i) => {
        const field = `exposedNamespaces[${i}]`;
        if (typeof ns !== 'string' || !isDns1123Label(ns)) invalid(this, CONSTRUCT, field, ns, 'not a DNS-1123 label', 'a namespace name such as "default"');
        const host = `*.${ns}.svc.${clusterDomain}`;
        const hostErr = wildcardDomainError(host);
        if (hostErr) {
          invalid(this, CONSTRUCT, field, ns, `the server host ${show(host)} built from it and clusterDomain is invalid: ${hostErr}`,
            'a namespace and clusterDomain whose host "*.<namespace>.svc.<clusterDomain>" has at most 255 characters');
        }
        const wider = hosts.find((h) => h !== host && hostCovers(h.replace(/^\*\//, ''), host));
        if (wider) {
          invalid(this, CONSTRUCT, field, ns, `host ${show(wider)} already exposes every service in namespace ${show(ns)}, so listing the namespace restricts nothing`,
            'exposedNamespaces without a wider host such as "*.local" in hosts');
        }
        if (hosts.includes(host)) invalid(this, CONSTRUCT, field, ns, `host ${show(host)} is listed twice`, 'each namespace once');
        hosts.push(host);
      });
    }
    this._hosts = hosts.length ? hosts : ['*.local'];
    const everything = this._hosts.find((h) => exposesEveryNamespace(h.replace(/^\*\//, ''), clusterDomain));
    if (everything !== undefined) {
      validator(this, CONSTRUCT).warn(explicit === undefined ? 'hosts (default)' : 'hosts', everything,
        'every service of every namespace is reachable from the other networks through this gateway (Istio\'s sample does this; it is rarely what a platform team means)',
        'list only what other networks call: hosts such as "*.payments.svc.cluster.local" or exposedNamespaces (MultiClusterMesh: exposedHosts)');
    }

    this.apiObject = new istio.Gateway(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        selector: this.gateway.selector,
        servers: [{
          port: { number: 15443, name: 'tls', protocol: 'TLS' },
          tls: { mode: istio.GatewaySpecServersTlsMode.AUTO_UNDERSCORE_PASSTHROUGH },
          hosts: [...this._hosts],
        }],
      },
    });
    checkUniqueObjects(this);
  }

  /** Hosts of the server (a copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }

  private checkHost(field: string, host: unknown, previous: string[]): string {
    if (typeof host !== 'string') invalid(this, CONSTRUCT, field, host, 'must be a string', 'a host such as "*.local"');
    const err = gatewayHostError(host);
    if (err) invalid(this, CONSTRUCT, field, host, err, 'an FQDN, "*" or a "*." prefix wildcard such as "*.default.svc.cluster.local"');
    const slash = host.indexOf('/');
    if (slash >= 0 && host.slice(0, slash) !== '*') {
      const dns = host.slice(slash + 1);
      invalid(this, CONSTRUCT, field, host,
        `the namespace part selects VirtualServices, and AUTO_PASSTHROUGH has none: istiod ignores it, so this would expose every service matching ${show(dns)}`,
        `"*.<namespace>.svc.cluster.local" (or exposedNamespaces) to expose one namespace, or ${show(dns)} to expose all`);
    }
    const dns = slash >= 0 ? host.slice(slash + 1) : host;
    if (IPV4.test(dns) || dns.includes(':')) {
      invalid(this, CONSTRUCT, field, host, 'AUTO_PASSTHROUGH matches service host names, never an IP address', 'a host name such as "*.local"');
    }
    if (previous.some((p) => p.replace(/^\*\//, '') === dns)) invalid(this, CONSTRUCT, field, host, 'listed twice', 'each host once');
    return host;
  }
}

/** Whether a Gateway host matches the services of every namespace (`*`, `*.local`, `*.svc.cluster.local`). */
function exposesEveryNamespace(host: string, clusterDomain: string): boolean {
  if (host === '*') return true;
  if (!host.startsWith('*.')) return false;
  const suffix = host.slice(2);
  const svcDomain = `svc.${clusterDomain}`;
  return svcDomain === suffix || svcDomain.endsWith(`.${suffix}`) || suffix === 'local';
}

/** Properties for `IstiodGateway`. */
export interface IstiodGatewayProps {
  /** The east-west gateway that exposes istiod (its Service needs ports 15012 and 15017: `exposeIstiod: true`). */
  readonly gateway: IEastWestGateway;
  /**
   * Revision of the istiod to expose (`istiod-<revision>` Service).
   * @default - the gateway's revision
   */
  readonly revision?: string;
  /**
   * Namespace of istiod.
   * @default - the gateway's `istioNamespace`
   */
  readonly istioNamespace?: string;
}

/**
 * Exposes istiod to other networks through the east-west gateway, for primary-remote meshes:
 * the Gateway `istiod-gateway` (servers `tls-istiod` 15012 and `tls-istiodwebhook` 15017,
 * protocol TLS, `PASSTHROUGH`, hosts `*`) and the VirtualService `istiod-vs` routing both ports to
 * istiod (15017 to the webhook port 443), as `samples/multicluster/expose-istiod.yaml`. With a
 * revision it follows `expose-istiod-rev.yaml.tmpl`: VirtualService `istiod-vs-<rev>`, SNI hosts
 * `istiod-<rev>.<ns>.svc[.cluster.local]`, destination `istiod-<rev>.<ns>.svc.cluster.local`.
 *
 * `EastWestGateway` creates it with `exposeIstiod: true`; create it yourself for a gateway from
 * `EastWestGatewayOperator` or `EastWestGateway.fromAttributes`.
 */
export class IstiodGateway extends Construct {
  /** Name of the Gateway (`istiod-gateway`). */
  public readonly gatewayName: string;
  /** Name of the VirtualService (`istiod-vs` or `istiod-vs-<revision>`). */
  public readonly virtualServiceName: string;
  /** The istiod host the routes go to. */
  public readonly istiodHost: string;
  /** The Gateway (an escape hatch, like `apiObject` elsewhere; `ApiObject.of(istiodGateway)` returns it). */
  public readonly apiObject: ApiObject;
  /** The VirtualService (an escape hatch). */
  public readonly virtualService: ApiObject;

  public constructor(scope: Construct, id: string, props: IstiodGatewayProps) {
    super(scope, id);
    validator(this, ISTIOD_CONSTRUCT).props('', props, IstiodGatewayPropsKeys, '{ gateway: eastWest }');
    const gateway = checkGateway(this, ISTIOD_CONSTRUCT, props.gateway);
    const v = validator(this, ISTIOD_CONSTRUCT);
    const revision = v.revision('revision', props.revision ?? gateway.revision);
    const ns = v.namespace('istioNamespace', props.istioNamespace ?? gateway.istioNamespace ?? 'istio-system');

    const service = revision ? `istiod-${revision}` : 'istiod';
    this.gatewayName = 'istiod-gateway';
    this.virtualServiceName = revision ? `istiod-vs-${revision}` : 'istiod-vs';
    this.istiodHost = `${service}.${ns}.svc.cluster.local`;
    const sniHosts = revision ? [`${service}.${ns}.svc`, this.istiodHost] : ['*'];

    this.apiObject = new istio.Gateway(this, 'Resource', {
      metadata: { name: this.gatewayName, namespace: gateway.namespace },
      spec: {
        selector: gateway.selector,
        servers: [
          { port: { name: 'tls-istiod', number: 15012, protocol: 'TLS' }, tls: { mode: istio.GatewaySpecServersTlsMode.PASSTHROUGH }, hosts: ['*'] },
          { port: { name: 'tls-istiodwebhook', number: 15017, protocol: 'TLS' }, tls: { mode: istio.GatewaySpecServersTlsMode.PASSTHROUGH }, hosts: ['*'] },
        ],
      },
    });
    this.virtualService = new istio.VirtualService(this, 'VirtualService', {
      metadata: { name: this.virtualServiceName, namespace: gateway.namespace },
      spec: {
        hosts: ['*'],
        gateways: [this.gatewayName],
        tls: [
          { match: [{ port: 15012, sniHosts: [...sniHosts] }], route: [{ destination: { host: this.istiodHost, port: { number: 15012 } } }] },
          { match: [{ port: 15017, sniHosts: [...sniHosts] }], route: [{ destination: { host: this.istiodHost, port: { number: 443 } } }] },
        ],
      },
    });
  }
}

function checkGateway(scope: Construct, construct: string, gateway: unknown): IEastWestGateway {
  const g = gateway as Partial<IEastWestGateway> | null | undefined;
  if (g === null || typeof g !== 'object' || typeof g.namespace !== 'string' || g.selector === null || typeof g.selector !== 'object') {
    invalid(scope, construct, 'gateway', gateway, 'not an east-west gateway', 'an EastWestGateway, EastWestGatewayOperator.gateway or EastWestGateway.fromAttributes(...)');
  }
  return g as IEastWestGateway;
}

/**
 * Istio `validateServer` for one host of a Gateway server (`validateNamespaceSlashWildcardHostname`
 * with `isGateway`): returns the first of istiod's messages, or undefined. @internal
 */
export function gatewayHostError(host: string): string | undefined {
  const slash = host.indexOf('/');
  if (slash < 0) return gatewayHostnamePartError(host);
  const ns = host.slice(0, slash);
  const dns = host.slice(slash + 1);
  if (ns.length === 0 || dns.length === 0) return 'config namespace and dnsName in host entry cannot be empty';
  if (ns !== '*' && ns !== '.' && !isIstioDns1123Label(ns)) return `invalid namespace value ${JSON.stringify(ns)} in gateway`;
  return gatewayHostnamePartError(dns);
}

function gatewayHostnamePartError(host: string): string | undefined {
  if (host !== '*' && !host.includes('.')) return 'short names (non FQDN) are not allowed';
  const err = wildcardDomainError(host);
  if (err && !(IPV4.test(host) || (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host)))) return err;
  if (host.includes('*') && host.length !== 1 && !host.startsWith('*.')) return `partial wildcard ${JSON.stringify(host)} not allowed`;
  return undefined;
}
