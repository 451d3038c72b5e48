import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as istio from './imports/networking.istio.io';
import { TopologyLabel } from './labels';
import { LocalityDistribution, LocalityFailover } from './locality';
import { brandSymbol, hasBrand, setBrand } from './private/brand';
import { invalid, show } from './private/invalid';
import {
  isDns1123Label, isIstioDns1123Label, labelKeyError, labelValueError, localitiesError, wildcardDomainError, UNRENDERABLE_KEY,
} from './private/istio-rules';
import { plainLazy, sharedPlain, sharesPlainData } from './private/object-json';
import { LocalityDistributionKeys, LocalityFailoverKeys, LocalityFailoverRulePropsKeys, RuleSubsetKeys } from './private/props-keys';
import { checkUniqueObjects, findChart } from './private/registry';
import { Templates } from './private/template';
import { validator } from './private/validator';
import {
  ConnectionPoolSettings, LoadBalancerAlgorithm, OutlierDetection, checkFailoverCanEject, checkLoadBalancer, renderConnectionPool,
  renderOutlierDetection,
} from './traffic-policy';
import { IstioVersion, checkIstioVersion } from './versions';

const CONSTRUCT = 'LocalityFailoverRule';
const RULE_BRAND = brandSymbol('LocalityFailoverRule');
const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

/** Properties for `LocalityFailoverRule`. */
export interface LocalityFailoverRuleProps {
  /**
   * The Istio release of the control plane that reads these objects. Every object here is
   * `networking.istio.io/v1` (or core Kubernetes), so any release from 1.22 works; the release
   * decides what `explain` models and which release-specific settings are accepted.
   * @default IstioVersion.LATEST
   */
  readonly istioVersion?: IstioVersion;
  /**
   * The service host the rule applies to: an FQDN such as `echo-svc.default.svc.cluster.local`
   * or an Istio wildcard host (`*.default.svc.cluster.local`). Use `ServiceHost.of(service)` for a
   * cdk8s-plus `Service`.
   */
  readonly host: string;
  /**
   * Namespace of the DestinationRule.
   * @default - the chart's namespace (none set: the namespace kubectl applies to)
   */
  readonly namespace?: string;
  /**
   * Name of the DestinationRule. It is identical in every cluster (no hash suffix).
   * @default - the first label of `host` (`echo-svc` for `echo-svc.default.svc.cluster.local`)
   */
  readonly name?: string;
  /**
   * Namespaces the rule is visible to (`exportTo`).
   * @default - all namespaces (Istio's default); the east-west gateway needs to see rules with subsets
   */
  readonly exportTo?: string[];
  /**
   * Whether locality load balancing is on (`localityLbSetting.enabled`). Set `false` to get
   * outlier detection without locality priorities: outlier detection alone turns them on.
   * @default true
   */
  readonly enabled?: boolean;
  /** Explicit region-to-region failover. Mutually exclusive with `distribute`. @default - none: default failover (same zone, same region, anywhere) */
  readonly failover?: LocalityFailover[];
  /**
   * Ordered labels that rank endpoints by how many of the client's labels they share, e.g.
   * `['topology.istio.io/network', 'topology.kubernetes.io/region']`; `key=value` entries compare
   * against a fixed value. Not combinable with region/zone/subzone labels when `failover` is set,
   * nor with `distribute` (istiod would silently ignore it).
   * @default - none
   */
  readonly failoverPriority?: string[];
  /**
   * Pod labels every endpoint of the host carries (e.g. `['app', 'example.com/tier']`), usable as
   * bare `failoverPriority` keys. A bare key must name a label some endpoint carries: one istiod
   * adds to endpoints (the `TopologyLabel` constants) or one listed here; anything else reads as ""
   * for every endpoint and client, so the entry would rank nothing. `key=value` entries need no
   * declaration. Not written into the DestinationRule.
   * @default - none: bare keys are limited to the topology labels istiod adds
   */
  readonly endpointLabels?: string[];
  /** Weighted distribution per client locality. Mutually exclusive with `failover` and `failoverPriority`. @default - none */
  readonly distribute?: LocalityDistribution[];
  /**
   * Outlier detection. Without it, nothing marks endpoints unhealthy and locality failover never
   * happens; when failover is requested (`failover`, `failoverPriority`, or default failover with
   * `enabled` left on) and this is omitted, `LocalityFailoverRule.DEFAULT_OUTLIER_DETECTION` is used.
   * With failover requested, outlier detection that can never eject an endpoint is refused
   * (`consecutive5xxErrors: 0` without gateway-error or local-origin ejection, `maxEjectionPercent: 0`).
   * @default - `LocalityFailoverRule.DEFAULT_OUTLIER_DETECTION` when failover is requested, otherwise none
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Set `false` to opt out of the default outlier detection. Failover then never happens at
   * runtime (istiod warns `outlier detection policy must be provided for failover`), and so does
   * this construct, unless `distribute` or `enabled: false` means no failover is wanted.
   * @default true
   */
  readonly defaultOutlierDetection?: boolean;
  /** Load-balancing algorithm (`loadBalancer.simple`). @default - Istio's default (LEAST_REQUEST) */
  readonly loadBalancer?: LoadBalancerAlgorithm;
  /** Connection-pool settings. @default - none */
  readonly connectionPool?: ConnectionPoolSettings;
}

/** A subset added to a {@link LocalityFailoverRule}. */
export interface RuleSubset {
  /** Subset name: a DNS-1123 label. */
  readonly name: string;
  /** Endpoint labels the subset selects; `{}` selects every endpoint (for a per-subset policy). */
  readonly labels: { [key: string]: string };
}

/**
 * Service hosts from Kubernetes Service objects, so users of cdk8s-plus or of plain `ApiObject`s
 * don't type FQDNs.
 */
export class ServiceHost {
  /**
   * The FQDN of a Kubernetes Service object: `<name>.<namespace>.svc.<clusterDomain>`.
   *
   * Takes a cdk8s-plus `Service` of any cdk8s-plus version (`cdk8s-plus-27` … `cdk8s-plus-34`), an
   * `ApiObject` of kind `Service` (for example `k8s.KubeService`), or any construct whose default
   * child is one. The namespace is the object's own, else its chart's, else `default`.
   *
   * @param service the Service object
   * @param clusterDomain the cluster's DNS domain (default `cluster.local`)
   */
  public static of(service: IConstruct, clusterDomain: string = 'cluster.local'): string {
    const metadata = serviceMetadata(service);
    const name = metadata.name;
    const namespace = metadata.namespace ?? findChart(service)?.namespace ?? 'default';
    if (!isDns1123Label(name)) invalid(service, 'ServiceHost', 'service.metadata.name', name, 'not a DNS-1123 label', 'a Kubernetes Service name such as "echo-svc"');
    if (!isDns1123Label(namespace)) invalid(service, 'ServiceHost', 'service.metadata.namespace', namespace, 'not a DNS-1123 label', 'a namespace name such as "default"');
    if (typeof clusterDomain !== 'string' || clusterDomain === '' || wildcardDomainError(clusterDomain) || clusterDomain.includes('*')) {
      invalid(service, 'ServiceHost', 'clusterDomain', clusterDomain, 'not a DNS domain', 'the cluster\'s DNS domain, e.g. "cluster.local"');
    }
    return ServiceHost.fqdn(name, namespace, clusterDomain);
  }

  /**
   * The FQDN of a Kubernetes service by name and namespace.
   * @param name the service name
   * @param namespace its namespace
   * @param clusterDomain the cluster's DNS domain (default `cluster.local`)
   */
  public static fqdn(name: string, namespace: string, clusterDomain: string = 'cluster.local'): string {
    if (!isDns1123Label(name)) invalid('ServiceHost.fqdn', 'ServiceHost', 'name', name, 'not a DNS-1123 label', 'a Kubernetes Service name such as "echo-svc"');
    if (!isDns1123Label(namespace)) invalid('ServiceHost.fqdn', 'ServiceHost', 'namespace', namespace, 'not a DNS-1123 label', 'a namespace name such as "default"');
    if (typeof clusterDomain !== 'string' || clusterDomain === '' || wildcardDomainError(clusterDomain) || clusterDomain.includes('*')) {
      invalid('ServiceHost.fqdn', 'ServiceHost', 'clusterDomain', clusterDomain, 'not a DNS domain', 'the cluster\'s DNS domain, e.g. "cluster.local"');
    }
    return `${name}.${namespace}.svc.${clusterDomain}`;
  }

  private constructor() {}
}

/**
 * The metadata of the `v1` `Service` ApiObject behind a construct: the construct itself or its default child
 * (cdk8s-plus resources keep theirs under the id `Resource`). Duck-typed, so that objects made
 * with another copy or version of cdk8s / cdk8s-plus are accepted.
 */
function serviceMetadata(service: IConstruct): { name: string; namespace?: string } {
  const valid = 'a cdk8s-plus Service, or an ApiObject of kind Service (apiVersion v1) with a name';
  if (service === null || typeof service !== 'object' || typeof (service as IConstruct).node !== 'object') {
    invalid('ServiceHost.of', 'ServiceHost', 'service', service, 'not a construct', valid);
  }
  const isApiObject = (c: unknown): c is { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } } =>
    c !== null && typeof c === 'object' && typeof (c as { kind?: unknown }).kind === 'string'
    && typeof (c as { apiVersion?: unknown }).apiVersion === 'string' && typeof (c as { metadata?: unknown }).metadata === 'object';
  const candidate: unknown = isApiObject(service) ? service : service.node.defaultChild;
  if (!isApiObject(candidate)) invalid(service, 'ServiceHost', 'service', service.node.path || service.node.id, 'has no Kubernetes object (neither an ApiObject nor a construct with one as its default child)', valid);
  if (candidate.kind !== 'Service' || candidate.apiVersion !== 'v1') {
    invalid(service, 'ServiceHost', 'service', `${candidate.apiVersion}/${candidate.kind}`, 'is not a Kubernetes Service', valid);
  }
  const name = candidate.metadata.name;
  if (typeof name !== 'string') invalid(service, 'ServiceHost', 'service.metadata.name', name, 'the Service has no name', 'an object with metadata.name');
  return { name, namespace: candidate.metadata.namespace };
}

/**
 * A DestinationRule with locality load balancing: explicit failover, label-ordered
 * `failoverPriority`, or weighted `distribute`, always with outlier detection when failover is
 * requested (it is what makes failover happen), validated like istiod's webhook.
 *
 * Routing rules are honoured only in the client's cluster: apply the rule in every cluster whose
 * workloads call the service (`MultiClusterMesh` does this for you).
 *
 * @example
 * new LocalityFailoverRule(chart, 'echo', {
 *   host: 'echo-svc.default.svc.cluster.local',
 *   failover: [{ from: 'tokyo-onprem', to: 'asia-northeast1' }],
 *   // maxEjectionPercent: 100, or Envoy's 10% default never ejects a host out of fewer than 10
 *   outlierDetection: { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(1), maxEjectionPercent: 100 },
 * });
 */
export class LocalityFailoverRule extends Construct {
  /**
   * Outlier detection added when failover is requested without one: eject a host after 5
   * consecutive 5xx errors, checked every 10s, for at least 30s, and allow every host to be
   * ejected (`maxEjectionPercent: 100`) so that a whole locality can fail over. Istio's own
   * default of 10% would keep most local hosts in rotation.
   */
  public static readonly DEFAULT_OUTLIER_DETECTION: OutlierDetection = {
    consecutive5xxErrors: 5,
    interval: Duration.seconds(10),
    baseEjectionTime: Duration.seconds(30),
    maxEjectionPercent: 100,
  };

  /**
   * The same rule in another scope (a mesh's rule for one service in every client cluster's
   * chart): the template's validated settings and its (frozen) traffic policy are reused instead
   * of validating the same props again. A template without a namespace is validated again, since
   * its chart's namespace takes part, and so is every copy in an App with resolvers of its own
   * (nothing is shared there: see `sharesPlainData`). @internal
   */
  public static _like(template: LocalityFailoverRule, scope: Construct, id: string): LocalityFailoverRule {
    if (template.namespace === undefined || !sharesPlainData(scope)) return new LocalityFailoverRule(scope, id, template.props);
    return COPIES.run(template, template.props, () => new LocalityFailoverRule(scope, id, template.props));
  }

  /** Whether `x` is a LocalityFailoverRule, also one made by another copy of this package. @internal */
  public static _isRule(x: unknown): x is LocalityFailoverRule {
    return hasBrand(x, RULE_BRAND);
  }

  /** The service host. */
  public readonly host: string;
  /** The DestinationRule's name. */
  public readonly name: string;
  /** The DestinationRule's namespace, when set. */
  public readonly namespace?: string;
  /** Whether locality load balancing is on. */
  public readonly enabled: boolean;
  /** Whether the rule carries outlier detection (given or default): locality priorities and failover are active only then. */
  public readonly hasOutlierDetection: boolean;
  /** Whether the default outlier detection was added because failover was requested without one. */
  public readonly outlierDetectionDefaulted: boolean;
  /** The resolved failover entries. */
  public readonly failover: LocalityFailover[];
  /** The resolved failoverPriority labels. */
  public readonly failoverPriority: string[];
  /** The resolved distribute entries. */
  public readonly distribute: LocalityDistribution[];

  /** The outlier detection the rule carries (given or the default), if any. */
  public readonly outlierDetection?: OutlierDetection;

  /** The rule's `exportTo`, when set (undefined: visible to all namespaces). */
  public readonly exportTo?: string[];

  /** The DestinationRule (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(rule)` returns it). */
  public readonly apiObject: ApiObject;

  private readonly _subsets: RuleSubset[] = [];
  /** The subsets as written, when they are exactly one group added with `_addSubsets` (shared, frozen). */
  private writtenSubsets?: object[];
  /** Built once and shared (frozen) by the rules copied from this one. */
  private readonly trafficPolicy: istio.DestinationRuleSpecTrafficPolicy;
  private readonly props: LocalityFailoverRuleProps;

  /** The Istio release the objects are for. */
  public readonly istioVersion: IstioVersion;

  public constructor(scope: Construct, id: string, props: LocalityFailoverRuleProps) {
    super(scope, id);
    setBrand(this, RULE_BRAND);
    this.props = props;
    const like = COPIES.take(props);
    if (like !== undefined) {
      // the template validated these props; with its namespace set nothing depends on the chart
      this.istioVersion = like.istioVersion;
      this.host = like.host;
      this.name = like.name;
      this.namespace = like.namespace;
      this.enabled = like.enabled;
      // copies all the way down: changing one cluster's rule must not change another's
      this.failover = copyFailover(like.failover);
      this.failoverPriority = [...like.failoverPriority];
      this.distribute = copyDistribute(like.distribute);
      this.outlierDetectionDefaulted = like.outlierDetectionDefaulted;
      this.hasOutlierDetection = like.hasOutlierDetection;
      this.outlierDetection = like.outlierDetection;
      this.trafficPolicy = like.trafficPolicy;
      this.exportTo = like.exportTo === undefined ? undefined : [...like.exportTo];
    } else {
      validator(this, CONSTRUCT).props('', props, LocalityFailoverRulePropsKeys, '{ host: "svc.ns.svc.cluster.local", ... }');
      this.istioVersion = checkIstioVersion(this, CONSTRUCT, 'istioVersion', props.istioVersion);
      this.host = validateHost(this, CONSTRUCT, 'host', props.host);
      this.name = resolveName(this, CONSTRUCT, props.name, this.host);
      this.namespace = validator(this, CONSTRUCT).namespace('namespace', props.namespace);
      this.enabled = validator(this, CONSTRUCT).boolean('enabled', props.enabled, true);
      this.failover = validateFailover(this, props.failover);
      this.failoverPriority = validateFailoverPriority(this, props.failoverPriority, validateEndpointLabels(this, props.endpointLabels));
      this.distribute = validateDistribute(this, props.distribute);
      checkLocalityCombination(this, this.failover, this.failoverPriority, this.distribute, this.enabled);

      const wantsFailover = this.enabled && this.distribute.length === 0;
      this.outlierDetectionDefaulted = props.outlierDetection === undefined && wantsFailover && validator(this, CONSTRUCT).boolean('defaultOutlierDetection', props.defaultOutlierDetection, true);
      const od = props.outlierDetection ?? (this.outlierDetectionDefaulted ? LocalityFailoverRule.DEFAULT_OUTLIER_DETECTION : undefined);
      this.hasOutlierDetection = od !== undefined;
      this.outlierDetection = od;

      const localityLbSetting: istio.DestinationRuleSpecTrafficPolicyLoadBalancerLocalityLbSetting = {
        enabled: this.enabled,
        failover: this.failover.length ? copyFailover(this.failover) : undefined,
        failoverPriority: this.failoverPriority.length ? [...this.failoverPriority] : undefined,
        distribute: this.distribute.length ? copyDistribute(this.distribute) : undefined,
      };
      // built from copies only, so freezing it freezes nothing of the caller's
      const trafficPolicy: istio.DestinationRuleSpecTrafficPolicy = {
        loadBalancer: {
          simple: props.loadBalancer === undefined ? undefined
            : checkLoadBalancer(this, CONSTRUCT, props.loadBalancer) as istio.DestinationRuleSpecTrafficPolicyLoadBalancerSimple,
          localityLbSetting,
        },
        outlierDetection: od === undefined ? undefined : renderOutlierDetection(this, CONSTRUCT, od),
        connectionPool: props.connectionPool === undefined ? undefined : renderConnectionPool(this, CONSTRUCT, props.connectionPool),
      };
      this.trafficPolicy = sharesPlainData(this) ? sharedPlain(trafficPolicy) : trafficPolicy;
      if (od !== undefined && wantsFailover) checkFailoverCanEject(this, CONSTRUCT, od);
      if (od === undefined && wantsFailover) {
        const explicit = this.failover.length > 0 || this.failoverPriority.length > 0;
        validator(this, CONSTRUCT).warn('defaultOutlierDetection', false,
          'without outlier detection istiod assigns no locality priorities (enableFailover := Force || outlierDetection != nil), so requests spread over every locality and nothing fails over'
          + (explicit ? ' (istiod\'s webhook warns: "outlier detection policy must be provided for failover")' : ''),
          'leave defaultOutlierDetection out (LocalityFailoverRule.DEFAULT_OUTLIER_DETECTION), or give outlierDetection; distribute or enabled: false if no failover is wanted');
      }
      this.exportTo = validateExportTo(this, CONSTRUCT, props.exportTo, writtenNamespace(this, CONSTRUCT, this.namespace));
    }

    this.apiObject = new istio.DestinationRule(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        host: this.host,
        exportTo: this.exportTo === undefined ? undefined : [...this.exportTo],
        trafficPolicy: this.trafficPolicy,
        subsets: plainLazy(Lazy.any({
          produce: () => this.writtenSubsets ?? (this._subsets.length ? this._subsets.map(writtenSubset) : undefined),
        })),
      },
    });
    checkUniqueObjects(this);
  }

  /** Subsets added with `addSubset` (a copy). */
  public get subsets(): RuleSubset[] {
    return this._subsets.map((s) => ({ name: s.name, labels: { ...s.labels } }));
  }

  /**
   * Adds a subset (validated like istiod: DNS-1123 name, unique, valid label keys and values).
   * The subset inherits the rule's traffic policy, including outlier detection.
   */
  public addSubset(subset: RuleSubset): void {
    validateSubset(this, CONSTRUCT, `subsets[${this._subsets.length}]`, subset, this._subsets.map((s) => s.name));
    this._subsets.push({ name: subset.name, labels: { ...subset.labels } });
    this.writtenSubsets = undefined;
  }

  /**
   * Adds a group of subsets validated once (`subsetGroup`) for many rules: to a rule without
   * subsets they are added as they are, and every such rule writes the same frozen list; otherwise
   * one by one with `addSubset` (also in an App with resolvers of its own). @internal
   */
  public _addSubsets(group: SubsetGroup): void {
    if (this._subsets.length > 0 || !sharesPlainData(this)) {
      group.subsets.forEach((s) => this.addSubset(s));
      return;
    }
    // the group's subsets are frozen copies: shared, not copied again for each rule
    this._subsets.push(...group.subsets);
    this.writtenSubsets = group.written;
  }
}

/** Copies of validated entries, all the way down (a rule's own, its spec's, a copied rule's). */
function copyFailover(list: readonly LocalityFailover[]): LocalityFailover[] {
  return list.map((f) => ({ from: f.from, to: f.to }));
}
function copyDistribute(list: readonly LocalityDistribution[]): LocalityDistribution[] {
  return list.map((d) => ({ from: d.from, to: { ...d.to } }));
}

/** Hands a rule to `LocalityFailoverRule._like`'s constructor call. */
const COPIES = new Templates<LocalityFailoverRule>();

/** A subset as the DestinationRule writes it: `labels: {}` selects every endpoint, so it is left out rather than emitted empty. */
function writtenSubset(s: RuleSubset): object {
  return Object.keys(s.labels).length ? { name: s.name, labels: { ...s.labels } } : { name: s.name };
}

/** Subsets validated once for every rule they go into (`LocalityFailoverRule._addSubsets`). @internal */
export interface SubsetGroup {
  readonly subsets: readonly RuleSubset[];
  /** What a rule with just these subsets writes (frozen, shared). */
  readonly written: object[];
}

/**
 * Validates subsets as `rule.addSubset` would for a rule without subsets (errors name the rule),
 * for adding them to that rule and others with `_addSubsets`. @internal
 */
export function subsetGroup(rule: LocalityFailoverRule, subsets: RuleSubset[]): SubsetGroup {
  const names: string[] = [];
  const copies = subsets.map((s, i) => {
    validateSubset(rule, CONSTRUCT, `subsets[${i}]`, s, names);
    names.push(s.name);
    return Object.freeze({ name: s.name, labels: Object.freeze({ ...s.labels }) });
  });
  return { subsets: copies, written: sharedPlain(copies.map(writtenSubset)) };
}

// ---------------------------------------------------------------------------------------------
// Shared checks (also used by PerClusterSubsetRouting)

/** @internal */
export function validateHost(scope: Construct, construct: string, field: string, host: unknown): string {
  const h = validator(scope, construct).string(field, host, 'a service FQDN such as "echo-svc.default.svc.cluster.local" or a wildcard host such as "*.default.svc.cluster.local"');
  const err = wildcardDomainError(h);
  if (err) invalid(scope, construct, field, h, err, 'an FQDN, or a wildcard only as the whole first label or its prefix ("*", "*.ns.svc.cluster.local")');
  return h;
}

/** @internal */
export function resolveName(scope: Construct, construct: string, name: unknown, host: string): string {
  if (name !== undefined) {
    if (typeof name !== 'string' || !isDns1123Label(name)) {
      invalid(scope, construct, 'name', name, 'not a DNS-1123 label', 'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
    }
    return name;
  }
  const first = host.split('.')[0];
  if (!isDns1123Label(first)) {
    invalid(scope, construct, 'name', undefined, `cannot be derived from host ${show(host)} (first label ${show(first)} is not a DNS-1123 label)`, 'set name explicitly, e.g. "all-default"');
  }
  return first;
}

/**
 * The namespace the object is written with: its own, else its chart's (validated: cdk8s writes a
 * chart's namespace onto every object without one), else none. @internal
 */
export function writtenNamespace(scope: Construct, construct: string, own: string | undefined): string | undefined {
  if (own !== undefined) return own;
  const chart = findChart(scope);
  const ns: unknown = chart?.namespace;
  if (chart === undefined || ns === undefined) return undefined;
  if (typeof ns !== 'string' || !isDns1123Label(ns)) {
    invalid(scope, construct, 'namespace', ns, `is the namespace of the enclosing chart ${show(chart.node.path)}, which the object would be written with, and it is not a DNS-1123 label`,
      'a Kubernetes namespace name such as "default" on the Chart, or the construct\'s own namespace');
  }
  return ns;
}

/**
 * istiod's `visibility.Instance.Validate` for DestinationRules and VirtualServices: ".", "*" or
 * namespace names; no "~" (only ServiceEntries may hide themselves); "*" alone; no entry twice
 * (with "." counting as the object's own namespace when it is known). @internal
 */
export function validateExportTo(scope: Construct, construct: string, exportTo: string[] | undefined, namespace?: string): string[] | undefined {
  const valid = '".", "*" or DNS-1123 namespace names, e.g. ["."] or ["*"]';
  const list = validator(scope, construct).optionalList('exportTo', exportTo, valid);
  if (list === undefined) return undefined;
  if (list.length === 0) invalid(scope, construct, 'exportTo', list, 'an empty list is the same as leaving it out', 'omit exportTo, or give ["."], ["*"] or namespace names');
  const seen = new Map<string, string>();
  list.forEach((e, i) => {
    if (e === '~') invalid(scope, construct, `exportTo[${i}]`, e, 'exportTo ~ (none) is not allowed for Istio configuration objects', valid);
    if (typeof e !== 'string' || !(e === '.' || e === '*' || isDns1123Label(e))) {
      invalid(scope, construct, `exportTo[${i}]`, e, 'not ".", "*" or a namespace name', valid);
    }
    const key = e === '.' && namespace !== undefined ? namespace : e;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const reason = earlier === e ? `duplicate entries in exportTo for entry ${e}` : `duplicate entries in exportTo: . and current namespace ${namespace}`;
      invalid(scope, construct, `exportTo[${i}]`, e, reason, 'each namespace once');
    }
    seen.set(key, e);
  });
  if (list.length > 1 && list.includes('*')) {
    invalid(scope, construct, 'exportTo', list, 'cannot have both public (*) and non-public exportTo values for a resource', '["*"] alone, or a list of namespaces');
  }
  return [...list];
}

/**
 * Whether every namespace that can see `inner` can also see `outer` (undefined = "*", Istio's
 * default; "." = the object's own namespace). @internal
 */
export function exportToCovers(outer: string[] | undefined, inner: string[] | undefined, namespace: string | undefined): boolean {
  const norm = (l: string[] | undefined) => new Set((l ?? ['*']).map((e) => (e === '.' ? namespace ?? '.' : e)));
  const o = norm(outer);
  if (o.has('*')) return true;
  const i = norm(inner);
  if (i.has('*')) return false;
  return [...i].every((e) => o.has(e));
}

/** @internal */
export function validateSubset(scope: Construct, construct: string, field: string, subset: RuleSubset, existing: string[]): void {
  if (subset === null || typeof subset !== 'object') invalid(scope, construct, field, subset, 'subset may not be null', '{ name, labels }');
  validator(scope, construct).knownKeys(field, subset, RuleSubsetKeys);
  const name = subset.name;
  if (typeof name !== 'string' || name === '') invalid(scope, construct, `${field}.name`, name, 'subset name cannot be empty', 'a DNS-1123 label');
  if (!isIstioDns1123Label(name)) invalid(scope, construct, `${field}.name`, name, `subset name is invalid: ${name}`, 'letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
  if (existing.includes(name)) invalid(scope, construct, `${field}.name`, name, `duplicate subset names: ${name}`, 'a name not used by another subset');
  if (subset.labels === null || typeof subset.labels !== 'object' || Array.isArray(subset.labels)) {
    invalid(scope, construct, `${field}.labels`, subset.labels, 'must be a map of label key to value', 'e.g. { "topology.istio.io/cluster": "cluster-1" }, or {} for every endpoint');
  }
  validateLabels(scope, construct, `${field}.labels`, subset.labels);
}

/** @internal */
export function validateLabels(scope: Construct, construct: string, field: string, labels: { [key: string]: string }): void {
  for (const [k, v] of Object.entries(labels)) {
    const keyErr = labelKeyError(k);
    if (keyErr) invalid(scope, construct, `${field}`, k, keyErr, 'a Kubernetes label key such as "topology.istio.io/cluster"');
    if (typeof v !== 'string') invalid(scope, construct, `${field}["${k}"]`, v, 'label values are strings', 'a label value such as "cluster-1"');
    const valErr = labelValueError(v);
    if (valErr) invalid(scope, construct, `${field}["${k}"]`, v, valErr, 'up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
  }
}

function validateFailover(scope: Construct, failover: LocalityFailover[] | undefined): LocalityFailover[] {
  const list = validator(scope, CONSTRUCT).optionalList('failover', failover, 'a list of { from: region, to: region }') ?? [];
  return list.map((f, i) => {
    const field = `failover[${i}]`;
    validator(scope, CONSTRUCT).props(field, f, LocalityFailoverKeys, '{ from: "region-a", to: "region-b" }');
    for (const side of ['from', 'to'] as const) {
      const v = validator(scope, CONSTRUCT).string(`${field}.${side}`, f[side], 'a region name such as "asia-northeast1"');
      if (v.includes('/')) invalid(scope, CONSTRUCT, `${field}.${side}`, v, 'locality lb failover only specify region', `a bare region such as ${show(v.split('/')[0])}; use failoverPriority or distribute for zones`);
      if (v.includes('*')) invalid(scope, CONSTRUCT, `${field}.${side}`, v, "locality lb failover region should not contain '*' wildcard", 'a bare region name');
      const labelErr = labelValueError(v);
      if (labelErr) invalid(scope, CONSTRUCT, `${field}.${side}`, v, `${labelErr}: a region is the value of the topology.kubernetes.io/region node label, so this matches no node`, 'a region such as "asia-northeast1"');
    }
    if (f.from === f.to) invalid(scope, CONSTRUCT, field, f, 'locality lb failover settings must specify different regions', 'two different regions');
    return { from: f.from, to: f.to };
  });
}

/**
 * The labels istiod adds to Kubernetes endpoints and to proxies, so that a bare failoverPriority key
 * on them compares the client's value with the endpoint's: `AugmentLabels` in istio/istio
 * `pilot/pkg/serviceregistry/util/label/label.go` (tag 1.30.3), called from
 * `pilot/pkg/serviceregistry/kube/controller/endpoint_builder.go` and `pilot/pkg/xds/ads.go`.
 * `applyFailoverPriorityPerLocality` (`pilot/pkg/networking/core/loadbalancer/loadbalancer.go`)
 * compares `proxyLabels[key]` with the endpoint's label, both '' when absent. @internal
 */
export const ENDPOINT_TOPOLOGY_LABELS: readonly string[] = [
  TopologyLabel.NETWORK, TopologyLabel.CLUSTER, TopologyLabel.REGION, TopologyLabel.ZONE, TopologyLabel.SUBZONE, TopologyLabel.HOSTNAME,
];

/**
 * Refuses a bare failoverPriority key that no endpoint carries (neither a label istiod adds nor a
 * declared one): the client and every endpoint would read it as '', so the entry would rank
 * nothing. `key=value` entries and malformed keys are left to the other checks. @internal
 */
export function checkPriorityKey(
  scope: Construct, construct: string, field: string, entry: string, declared: readonly string[], declaredIn: string,
): void {
  if (entry.includes('=') || labelKeyError(entry) || ENDPOINT_TOPOLOGY_LABELS.includes(entry) || declared.includes(entry)) return;
  const near = nearestLabel(entry, [...ENDPOINT_TOPOLOGY_LABELS, ...declared]);
  invalid(scope, construct, field, entry,
    `no endpoint carries label ${entry} (it is neither a topology label istiod adds to endpoints nor declared in ${declaredIn}), so the entry would behave as "no priority"${near ? ` (did you mean ${show(near)}?)` : ''}`,
    `a label istiod adds to endpoints (${ENDPOINT_TOPOLOGY_LABELS.join(', ')}), a label declared in ${declaredIn} (${declared.length ? declared.join(', ') : 'none declared'}), or "key=value" for any other pod label`);
}

/** The candidate a key most likely misspells: the same name after the prefix, or at most 3 edits on a long label. */
function nearestLabel(key: string, candidates: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  const name = (l: string) => l.slice(l.lastIndexOf('/') + 1);
  let best: { label: string; distance: number } | undefined;
  for (const c of candidates) {
    const distance = name(k) === name(c.toLowerCase()) ? 0 : editDistance(k, c.toLowerCase());
    if (distance <= 3 && distance * 4 <= c.length && (best === undefined || distance < best.distance)) best = { label: c, distance };
  }
  return best?.label;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

function validateEndpointLabels(scope: Construct, labels: string[] | undefined): string[] {
  const list = validator(scope, CONSTRUCT).optionalList('endpointLabels', labels, 'a list of pod label keys such as ["app", "example.com/tier"]') ?? [];
  list.forEach((key, i) => {
    validator(scope, CONSTRUCT).string(`endpointLabels[${i}]`, key, 'a pod label key such as "example.com/tier"');
    const keyErr = labelKeyError(key);
    if (keyErr) invalid(scope, CONSTRUCT, `endpointLabels[${i}]`, key, keyErr, 'a pod label key such as "example.com/tier"');
    if (list.indexOf(key) !== i) invalid(scope, CONSTRUCT, `endpointLabels[${i}]`, key, `label ${key} is listed twice`, 'each label once');
  });
  return [...list];
}

function validateFailoverPriority(scope: Construct, priority: string[] | undefined, declared: string[]): string[] {
  const list = validator(scope, CONSTRUCT).optionalList('failoverPriority', priority, 'a list of label keys, or key=value entries') ?? [];
  const keys = new Set<string>();
  list.forEach((entry, i) => {
    const field = `failoverPriority[${i}]`;
    validator(scope, CONSTRUCT).string(field, entry, 'a label key such as "topology.istio.io/network", or "key=value"');
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    const keyErr = labelKeyError(key);
    if (keyErr) invalid(scope, CONSTRUCT, field, entry, keyErr, 'a label key such as "topology.kubernetes.io/region", optionally "=value"');
    if (eq >= 0) {
      const value = entry.slice(eq + 1);
      const valErr = value === '' ? 'empty value after "="' : labelValueError(value);
      if (valErr) invalid(scope, CONSTRUCT, field, entry, valErr, '"key=value" with a label value');
    }
    if (keys.has(key)) invalid(scope, CONSTRUCT, field, entry, `label ${key} is listed twice`, 'each label once; the order is the priority');
    checkPriorityKey(scope, CONSTRUCT, field, entry, declared, 'endpointLabels');
    keys.add(key);
  });
  return [...list];
}

function validateDistribute(scope: Construct, distribute: LocalityDistribution[] | undefined): LocalityDistribution[] {
  const list = validator(scope, CONSTRUCT).optionalList('distribute', distribute, 'a list of { from: locality, to: { locality: weight } }') ?? [];
  const entries = list.map((d, i) => {
    const field = `distribute[${i}]`;
    validator(scope, CONSTRUCT).props(field, d, LocalityDistributionKeys, '{ from: "region/*", to: { "region/*": 100 } }');
    if (typeof d.from !== 'string') invalid(scope, CONSTRUCT, `${field}.from`, d.from, 'must be a string', 'a locality such as "asia-northeast1/*"');
    checkLocalitySegments(scope, `${field}.from`, d.from);
    if (d.to === null || typeof d.to !== 'object' || Array.isArray(d.to)) invalid(scope, CONSTRUCT, `${field}.to`, d.to, 'must be a map of locality to weight', '{ "asia-northeast1/*": 50, "asia-northeast2/*": 50 }');
    let total = 0;
    for (const [locality, weight] of Object.entries(d.to)) {
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight <= 0 || weight > 100) {
        invalid(scope, CONSTRUCT, `${field}.to["${locality}"]`, weight, 'locality weight must be in range [1, 100]', 'an integer from 1 to 100');
      }
      total += weight;
      if (locality === UNRENDERABLE_KEY) invalid(scope, CONSTRUCT, `${field}.to["${locality}"]`, locality, 'cdk8s cannot render an object with this key', 'a locality such as "asia-northeast1/*"');
      checkLocalitySegments(scope, `${field}.to["${locality}"]`, locality);
    }
    if (total !== 100) invalid(scope, CONSTRUCT, `${field}.to`, d.to, `total locality weight ${total} != 100`, 'weights that add up to exactly 100');
    const toErr = localitiesError(Object.keys(d.to));
    if (toErr) invalid(scope, CONSTRUCT, `${field}.to`, Object.keys(d.to), toErr, 'non-overlapping "region", "region/zone", "region/zone/subzone" or "region/*" localities');
    return { from: d.from, to: { ...d.to } };
  });
  // `from` is ordered (the first entry that matches the client wins): specific before general is
  // fine, general before specific shadows the later entry and is refused (as istiod does).
  const fromErr = localitiesError(entries.map((d) => d.from), true, true);
  if (fromErr) invalid(scope, CONSTRUCT, 'distribute[].from', entries.map((d) => d.from), fromErr, 'distinct client localities such as "asia-northeast1/*", a more specific one before a more general one');
  return entries;
}

/** Each segment other than `*` is a node label value (region, zone, sub-zone): anything else matches no node. */
function checkLocalitySegments(scope: Construct, field: string, locality: string): void {
  for (const segment of locality.split('/')) {
    if (segment === '' || segment.endsWith('*')) continue; // reported by the locality rules with Istio's messages
    const err = labelValueError(segment);
    if (err) invalid(scope, CONSTRUCT, field, locality, `${err}: region, zone and sub-zone are node label values, so this matches no node`, 'a locality such as "asia-northeast1/asia-northeast1-a" or "asia-northeast1/*"');
  }
}

function checkLocalityCombination(
  scope: Construct, failover: LocalityFailover[], priority: string[], distribute: LocalityDistribution[], enabled: boolean,
): void {
  if (distribute.length && failover.length) {
    invalid(scope, CONSTRUCT, 'distribute', distribute.length, "can not simultaneously specify 'distribute' and 'failover'", 'either distribute or failover');
  }
  if (failover.length) {
    // istiod compares the whole entry, so "topology.kubernetes.io/region=us-east" is allowed (and
    // combines with failover at runtime: failoverPriority × 5 + locality priority).
    const topo = priority.find((p) => TOPOLOGY_LABELS.includes(p));
    if (topo) {
      invalid(scope, CONSTRUCT, 'failoverPriority', topo, `can not simultaneously set 'failover' and topology label '${topo}' in 'failover_priority'`,
        'network, cluster or custom labels together with failover; or region/zone labels without failover');
    }
  }
  if (distribute.length && priority.length) {
    invalid(scope, CONSTRUCT, 'failoverPriority', priority, 'istiod ignores failoverPriority when distribute is set', 'either distribute or failoverPriority');
  }
  if (!enabled && (failover.length || priority.length || distribute.length)) {
    invalid(scope, CONSTRUCT, 'enabled', false, 'locality load balancing is disabled, so failover, failoverPriority and distribute would be ignored', 'enabled: true, or drop the locality settings');
  }
}
