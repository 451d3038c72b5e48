import { ApiObject, Lazy, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { addSynthCheck, invalid, show, validationError } from './private/invalid';
import { isDns1123Subdomain, wildcardDomainError } from './private/istio-rules';
import { ClusterLocalPolicyPropsKeys } from './private/props-keys';
import { checkUniqueObjects } from './private/registry';
import { validator } from './private/validator';
import { IstioVersion, checkIstioVersion } from './versions';

const CONSTRUCT = 'ClusterLocalPolicy';

/** Properties for `ClusterLocalPolicy`. */
export interface ClusterLocalPolicyProps {
  /**
   * The Istio release of the control plane that reads these objects. Every object here is
   * `networking.istio.io/v1` (or core Kubernetes), so any release from 1.22 works; the release
   * decides what `explain` models and which release-specific settings are accepted.
   * @default IstioVersion.LATEST
   */
  readonly istioVersion?: IstioVersion;
  /**
   * Hosts whose clients only see endpoints in their own cluster (`clusterLocal: true`), using
   * DestinationRule host syntax: an FQDN or a `*.` prefix wildcard, e.g. `*.default.svc.cluster.local`.
   * @default - none (add with `addClusterLocal`)
   */
  readonly hosts?: string[];
  /**
   * Hosts that stay global (`clusterLocal: false`) although a wider entry above matches: the most
   * specific match wins, so `*.default.svc.cluster.local` plus the exception
   * `echo.default.svc.cluster.local` keeps everything in `default` local except `echo`.
   *
   * Istio's built-in cluster-local defaults (`*.kube-system.svc.cluster.local`,
   * `kubernetes.default.svc.cluster.local`, the istiod host) are removed WHOLE by an exception that
   * equals them or lies under them: `foo.kube-system.svc.cluster.local` makes every kube-system
   * service global, not just `foo` (`pilot/pkg/model/cluster_local.go`). To keep the rest of
   * kube-system local, also list `*.kube-system.svc.cluster.local` in `hosts`.
   * @default - none
   */
  readonly exceptions?: string[];
  /**
   * Namespace of istiod, where the shared mesh-config ConfigMap must live.
   * @default 'istio-system'
   */
  readonly istioNamespace?: string;
  /**
   * Name of the ConfigMap that istiod reads through its `SHARED_MESH_CONFIG` environment variable.
   * @default 'istio-shared-mesh-config'
   */
  readonly configMapName?: string;
  /**
   * The Istio revision, which names the istiod host istiod keeps cluster-local
   * (`istiod-<revision>.<istioNamespace>.svc`); used only by `isClusterLocal`.
   * @default - no revision (`istiod.<istioNamespace>.svc`)
   */
  readonly revision?: string;
  /**
   * Whether to emit the ConfigMap. Set `false` when you apply the settings at install time with
   * `helmValues()` or `istioOperatorOverlay()` instead.
   * @default true
   */
  readonly emitConfigMap?: boolean;
}

/**
 * Keeps traffic for some hosts inside the caller's cluster: mesh configuration
 * `serviceSettings[].settings.clusterLocal` (Istio docs: "Multicluster traffic management",
 * `MeshConfig.ServiceSettings.Settings.cluster_local`).
 *
 * `clusterLocal` is mesh configuration, not a CRD. To apply it per cluster without istioctl, this
 * construct emits a ConfigMap (key `mesh`) that istiod loads as shared mesh config when started
 * with the environment variable `SHARED_MESH_CONFIG=<configMapName>`
 * (`pilot/pkg/bootstrap/configcontroller.go` / `features.SharedMeshConfig`: "Additional config map
 * to load for shared MeshConfig settings. The standard mesh config will take precedence").
 *
 * **The one istiod setting you must have**, once per cluster at install time:
 * Helm `--set pilot.env.SHARED_MESH_CONFIG=istio-shared-mesh-config` (or IstioOperator
 * `components.pilot.k8s.env`). After that, kubectl or GitOps manages this ConfigMap like any
 * other object. Keep `serviceSettings` out of the main `istio` ConfigMap: the standard mesh config
 * takes precedence and would replace this list.
 *
 * For install-time use, `helmValues()` and `istioOperatorOverlay()` render the same settings.
 */
export class ClusterLocalPolicy extends Construct {
  /** Namespace of istiod. */
  public readonly istioNamespace: string;
  /** Name of the shared mesh-config ConfigMap. */
  public readonly configMapName: string;
  /** The ConfigMap, when emitted (an escape hatch: `addJsonPatch` works on it). */
  public readonly configMap?: ApiObject;

  private readonly _hosts: string[] = [];
  private readonly _exceptions: string[] = [];
  private readonly revision?: string;
  private index?: ClusterLocalIndex;

  /** The Istio release the objects are for. */
  public readonly istioVersion: IstioVersion;

  public constructor(scope: Construct, id: string, props: ClusterLocalPolicyProps = {}) {
    super(scope, id);
    validator(this, CONSTRUCT).props('', props, ClusterLocalPolicyPropsKeys, '{ hosts: ["*.default.svc.cluster.local"] }');
    this.istioVersion = checkIstioVersion(this, CONSTRUCT, 'istioVersion', props.istioVersion);
    this.istioNamespace = validator(this, CONSTRUCT).namespace('istioNamespace', props.istioNamespace, 'istio-system');
    this.configMapName = props.configMapName ?? 'istio-shared-mesh-config';
    if (typeof this.configMapName !== 'string' || !isDns1123Subdomain(this.configMapName)) {
      invalid(this, CONSTRUCT, 'configMapName', this.configMapName, 'not a DNS-1123 subdomain', 'a ConfigMap name such as "istio-shared-mesh-config"');
    }
    this.revision = validator(this, CONSTRUCT).revision('revision', props.revision);
    this.addClusterLocal(...(validator(this, CONSTRUCT).optionalList('hosts', props.hosts, 'a list of hosts') ?? []));
    this.addException(...(validator(this, CONSTRUCT).optionalList('exceptions', props.exceptions, 'a list of hosts') ?? []));

    if (validator(this, CONSTRUCT).boolean('emitConfigMap', props.emitConfigMap, true)) {
      this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
        metadata: { name: this.configMapName, namespace: this.istioNamespace },
        data: { mesh: Lazy.any({ produce: () => Yaml.stringify(this.meshConfig()) }) as unknown as string },
      });
    }
    addSynthCheck(this, () => (this._hosts.length === 0 && this._exceptions.length === 0
      ? [validationError(this, CONSTRUCT, 'hosts', [], 'no hosts and no exceptions, so the policy changes nothing', 'add cluster-local hosts with addClusterLocal() or exceptions with addException()')] : []));
    checkUniqueObjects(this);
  }

  /** Cluster-local hosts (a copy). */
  public get hosts(): string[] { return [...this._hosts]; }
  /** Global exceptions (a copy). */
  public get exceptions(): string[] { return [...this._exceptions]; }

  /** Makes these hosts cluster-local. */
  public addClusterLocal(...hosts: string[]): void {
    hosts.forEach((h) => this._hosts.push(this.checkHost('hosts', h)));
    this.index = undefined;
  }

  /** Keeps these hosts global although a wider cluster-local entry matches them. */
  public addException(...hosts: string[]): void {
    hosts.forEach((h) => this._exceptions.push(this.checkHost('exceptions', h)));
    this.index = undefined;
  }

  /**
   * Whether a service host is cluster-local under this policy and Istio's defaults: the most
   * specific matching entry wins (exact host, then the longest wildcard suffix).
   */
  public isClusterLocal(host: string): boolean {
    validator(this, CONSTRUCT).string('isClusterLocal.host', host, 'a service host such as "echo.default.svc.cluster.local"');
    this.index ??= new ClusterLocalIndex(this._hosts, this._exceptions, istiodHost(this.istioNamespace, this.revision));
    return this.index.resolve(host);
  }

  /** The `serviceSettings` mesh config as a YAML document (`serviceSettings: [...]`). */
  public meshConfigYaml(): string {
    return Yaml.stringify(this.meshConfig());
  }

  /**
   * Helm values for the `istiod` chart, as YAML. With the ConfigMap emitted (the default) this is
   * only `pilot.env.SHARED_MESH_CONFIG`: the settings live in the ConfigMap, and a copy in
   * `meshConfig` would take precedence and make later edits of the ConfigMap do nothing. With
   * `emitConfigMap: false` it is only `meshConfig.serviceSettings`, applied at install time.
   */
  public helmValues(): string {
    return Yaml.stringify(this.configMap
      ? { pilot: { env: { SHARED_MESH_CONFIG: this.configMapName } } }
      : { meshConfig: this.meshConfig() });
  }

  /** An IstioOperator overlay (`spec.meshConfig.serviceSettings`) for `istioctl install -f`, as YAML. */
  public istioOperatorOverlay(): string {
    return Yaml.stringify({
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name: 'cluster-local', namespace: this.istioNamespace },
      spec: { meshConfig: this.meshConfig() },
    });
  }

  private meshConfig() {
    const serviceSettings = [];
    if (this._hosts.length) serviceSettings.push({ settings: { clusterLocal: true }, hosts: [...this._hosts] });
    if (this._exceptions.length) serviceSettings.push({ settings: { clusterLocal: false }, hosts: [...this._exceptions] });
    return { serviceSettings };
  }

  private checkHost(field: string, host: string): string {
    const index = field === 'hosts' ? this._hosts.length : this._exceptions.length;
    const h = validator(this, CONSTRUCT).string(`${field}[${index}]`, host, 'a host such as "*.default.svc.cluster.local"');
    const err = wildcardDomainError(h);
    if (err) invalid(this, CONSTRUCT, `${field}[${index}]`, h, err, 'an FQDN, or a host with a leading "*" wildcard such as "*.default.svc.cluster.local"');
    if (this._hosts.includes(h) || this._exceptions.includes(h)) {
      invalid(this, CONSTRUCT, `${field}[${index}]`, h, `host ${show(h)} is already listed${this._hosts.includes(h) ? ' as cluster-local' : ' as an exception'}`, 'each host once, either cluster-local or an exception');
    }
    return h;
  }
}

/**
 * Cluster-local resolution as istiod does it (`pilot/pkg/model/cluster_local.go`, Istio 1.24+):
 * the built-in defaults (`*.kube-system.svc.cluster.local`, `kubernetes.default.svc.cluster.local`
 * and the istiod discovery host) are added unless a `clusterLocal: false` host equals one of them
 * or ends with a default wildcard's suffix — then that whole default is dropped, so the exception
 * `foo.kube-system.svc.cluster.local` makes every kube-system service global. Then the most
 * specific entry wins: an exact host before any wildcard, a longer wildcard before a shorter one.
 * Exact hosts are indexed, so a lookup costs the number of wildcard entries, not of all hosts.
 * @internal
 */
export class ClusterLocalIndex {
  private readonly exact = new Map<string, boolean>();
  private readonly wildcards: Array<[string, boolean]> = [];

  public constructor(local: string[], global: string[], discoveryHost = 'istiod.istio-system.svc.cluster.local') {
    const defaults = ['*.kube-system.svc.cluster.local', 'kubernetes.default.svc.cluster.local', discoveryHost]
      .filter((d) => !global.some((h) => h === d || (d.startsWith('*') && h.endsWith(d.slice(1)))));
    // user entries first; a default for the same host survives only when no `false` entry removed it
    const entries: Array<[string, boolean]> = [
      ...local.map((h): [string, boolean] => [h, true]),
      ...global.map((h): [string, boolean] => [h, false]),
      ...defaults.map((h): [string, boolean] => [h, true]),
    ];
    for (const [h, v] of entries) {
      if (h.startsWith('*')) this.wildcards.push([h, v]);
      else if (!this.exact.has(h)) this.exact.set(h, v);
    }
  }

  /** Whether `host` is cluster-local. */
  public resolve(host: string): boolean {
    const exact = this.exact.get(host);
    if (exact !== undefined) return exact;
    let best: [string, boolean] | undefined;
    for (const w of this.wildcards) {
      if (hostMatches(w[0], host) && (!best || w[0].length > best[0].length)) best = w;
    }
    return best?.[1] ?? false;
  }
}

/** The istiod discovery host istiod treats as cluster-local: `istiod[-<revision>].<namespace>.svc.cluster.local`. @internal */
export function istiodHost(istioNamespace: string, revision?: string): string {
  return `istiod${revision && revision !== 'default' ? `-${revision}` : ''}.${istioNamespace}.svc.cluster.local`;
}

/** Istio host matching: `*` matches everything, `*.x` / `*x` match by suffix, otherwise exact. @internal */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1)) || host === pattern;
  return pattern === host;
}

