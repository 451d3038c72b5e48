import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as istio from './imports/networking.istio.io';
import { TopologyLabel } from './labels';
import { LocalityFailoverRule, SubsetGroup, exportToCovers, resolveName, subsetGroup, validateExportTo, validateHost, writtenNamespace } from './locality-failover-rule';
import { invalid, show } from './private/invalid';
import { labelValueError } from './private/istio-rules';
import { clusterSubsetName } from './private/names';
import { sharedPlain, sharesPlainData } from './private/object-json';
import { PerClusterSubsetRoutingPropsKeys } from './private/props-keys';
import { checkUniqueObjects } from './private/registry';
import { Templates } from './private/template';
import { validator } from './private/validator';
import { IstioVersion, checkIstioVersion } from './versions';

const CONSTRUCT = 'PerClusterSubsetRouting';

const CLUSTER_LABEL = TopologyLabel.CLUSTER;

/** Properties for `PerClusterSubsetRouting`. */
export interface PerClusterSubsetRoutingProps {
  /**
   * The Istio release of the control plane that reads these objects. Every object here is
   * `networking.istio.io/v1` (or core Kubernetes), so any release from 1.22 works; the release
   * decides what `explain` models and which release-specific settings are accepted.
   * @default IstioVersion.LATEST
   */
  readonly istioVersion?: IstioVersion;
  /** The service host, e.g. `mysvc.myns.svc.cluster.local`. No wildcards: a VirtualService route needs one destination host. */
  readonly host: string;
  /**
   * Cluster IDs, exactly as in `values.global.multiCluster.clusterName` (they are matched against
   * the `topology.istio.io/cluster` label). One subset and one route per cluster, in this order.
   */
  readonly clusters: string[];
  /**
   * Namespace of the DestinationRule and VirtualService.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Name of the VirtualService (and of the DestinationRule, when one is created).
   * @default - the first label of `host`
   */
  readonly name?: string;
  /**
   * Put the subsets on this existing rule instead of creating a DestinationRule, so one host has one
   * DestinationRule (Istio merges several rules for a host only partially). Its host must be `host`.
   * @default - a new DestinationRule with the subsets only
   */
  readonly destinationRule?: LocalityFailoverRule;
  /**
   * Add a final catch-all route to the whole host (all clusters) after the per-cluster routes.
   *
   * Trade-off: it only serves callers that match no per-cluster route (clients in a cluster not in
   * `clusters`); it does NOT give failover. A caller that matches its cluster's route gets 100% of
   * its requests sent to its own subset, and when that subset has no healthy endpoints it gets
   * `503 no healthy upstream`: Istio never falls back from one subset to another. For "local first,
   * then other clusters", use `LocalityFailoverRule` with `failoverPriority: ['topology.istio.io/cluster']`
   * instead of per-cluster routing.
   *
   * @default false - callers from clusters not listed get no route (HTTP 404 `NR`)
   */
  readonly fallbackToAllClusters?: boolean;
  /**
   * Namespaces the VirtualService and DestinationRule are visible to.
   * @default - all namespaces
   */
  readonly exportTo?: string[];
}

/**
 * Keeps each caller on its own cluster's endpoints: one DestinationRule subset per cluster, keyed
 * on `topology.istio.io/cluster`, and one VirtualService HTTP route per cluster matching
 * `sourceLabels: {topology.istio.io/cluster: <cluster>}` (Istio docs: "Multicluster traffic
 * management", keeping traffic in-cluster with per-cluster subsets).
 *
 * There is no cross-cluster failover with this pattern: see `fallbackToAllClusters`.
 * `istioctl analyze` reports IST0173 for cluster-keyed subsets; that is a known false positive
 * (the analyzer does not know the cluster ID).
 */
export class PerClusterSubsetRouting extends Construct {
  /**
   * The subset name for a cluster ID: lowercase, with `_` and `.` replaced by `-` (a DNS-1123
   * label, as Istio requires for subset names). Deterministic, so every cluster's chart agrees.
   */
  public static subsetName(cluster: string): string {
    return clusterSubsetName(cluster);
  }

  /**
   * The same routing in another scope with another rule (a mesh's routing of one service in every
   * client cluster's chart): the template's validated settings, subsets and VirtualService spec
   * are reused; only the rule is checked. A template without a namespace is validated again,
   * since its chart's namespace takes part, and so is every copy in an App with resolvers of its
   * own (nothing is shared there: see `sharesPlainData`). @internal
   */
  public static _like(template: PerClusterSubsetRouting, scope: Construct, id: string,
    destinationRule: LocalityFailoverRule | undefined): PerClusterSubsetRouting {
    const props: PerClusterSubsetRoutingProps = { ...template.props, destinationRule };
    if (template.namespace === undefined || !sharesPlainData(scope)) return new PerClusterSubsetRouting(scope, id, props);
    return COPIES.run(template, props, () => new PerClusterSubsetRouting(scope, id, props));
  }

  /** The service host. */
  public readonly host: string;
  /** The VirtualService name. */
  public readonly name: string;
  /** Namespace, when set. */
  public readonly namespace?: string;
  /** The clusters, in route order. */
  public readonly clusters: string[];
  /** Whether a catch-all route to the whole host follows the per-cluster routes. */
  public readonly fallbackToAllClusters: boolean;
  /** The DestinationRule carrying the subsets (created here or the one passed in); an escape hatch like `apiObject`. */
  public readonly destinationRule: ApiObject;
  /** The VirtualService (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(routing)` returns it). */
  public readonly apiObject: ApiObject;

  /** The Istio release the objects are for. */
  public readonly istioVersion: IstioVersion;

  private readonly props: PerClusterSubsetRoutingProps;
  /** The namespace the objects are written with. */
  private readonly written?: string;
  private readonly exportTo?: string[];
  /** The VirtualService spec (frozen, shared by every routing of the same host and clusters). */
  private readonly spec: istio.VirtualServiceSpec;
  /** The per-cluster subsets, validated once for this routing and its copies. */
  private group?: SubsetGroup;

  public constructor(scope: Construct, id: string, props: PerClusterSubsetRoutingProps) {
    super(scope, id);
    this.props = props;
    const like = COPIES.take(props);
    if (like !== undefined) {
      // the template validated everything but the rule (a copy differs from it only there)
      this.istioVersion = like.istioVersion;
      this.host = like.host;
      this.name = like.name;
      this.namespace = like.namespace;
      this.clusters = [...like.clusters];
      this.fallbackToAllClusters = like.fallbackToAllClusters;
      this.written = like.written;
      this.exportTo = like.exportTo;
      this.spec = like.spec;
      this.group = like.group;
    } else {
      validator(this, CONSTRUCT).props('', props, PerClusterSubsetRoutingPropsKeys, '{ host, clusters }');
      this.istioVersion = checkIstioVersion(this, CONSTRUCT, 'istioVersion', props.istioVersion);
      this.host = validateHost(this, CONSTRUCT, 'host', props.host);
      if (this.host.includes('*')) invalid(this, CONSTRUCT, 'host', this.host, 'a per-cluster route needs one concrete destination host', 'a service FQDN such as "mysvc.myns.svc.cluster.local"');
      this.name = resolveName(this, CONSTRUCT, props.name, this.host);
      this.namespace = validator(this, CONSTRUCT).namespace('namespace', props.namespace);
      this.clusters = validateClusters(this, props.clusters);
      this.fallbackToAllClusters = validator(this, CONSTRUCT).boolean('fallbackToAllClusters', props.fallbackToAllClusters, false);
      this.written = writtenNamespace(this, CONSTRUCT, this.namespace);
      this.exportTo = validateExportTo(this, CONSTRUCT, props.exportTo, this.written);
      // shared (frozen) by the copies of this routing, where the App lets the library share plain data
      const spec = routingSpec(this.host, this.exportTo, this.clusters, this.fallbackToAllClusters);
      this.spec = sharesPlainData(this) ? sharedPlain(spec) : spec;
    }
    const written = this.written;
    const exportTo = this.exportTo;
    const subsets = () => this.clusters.map((c) => ({ name: PerClusterSubsetRouting.subsetName(c), labels: { [CLUSTER_LABEL]: c } }));

    if (props.destinationRule) {
      const rule = props.destinationRule;
      if (!LocalityFailoverRule._isRule(rule)) invalid(this, CONSTRUCT, 'destinationRule', rule, 'must be a LocalityFailoverRule', 'a LocalityFailoverRule for the same host');
      if (rule.host !== this.host) invalid(this, CONSTRUCT, 'destinationRule', rule.host, `the rule is for host ${show(rule.host)}, not ${show(this.host)}`, 'a LocalityFailoverRule whose host is the routed host');
      const ruleNamespace = writtenNamespace(rule, 'LocalityFailoverRule', rule.namespace);
      if (ruleNamespace !== written) invalid(this, CONSTRUCT, 'destinationRule', ruleNamespace, `the rule is in namespace ${show(ruleNamespace)}, not ${show(written)}`, 'a rule in the same namespace');
      if (!exportToCovers(rule.exportTo, exportTo, written)) {
        // Sidecars that see the VirtualService but not the subsets get routes to a subset with no
        // cluster behind it: 503 for every request.
        invalid(this, CONSTRUCT, 'exportTo', exportTo ?? ['*'], `the VirtualService would be visible where destinationRule (exportTo ${show(rule.exportTo ?? ['*'])}) and its subsets are not`,
          `an exportTo within the rule's, e.g. ${show(rule.exportTo ?? ['*'])}`);
      }
      // validated once for this routing and its copies; a rule that already has subsets takes them one by one
      this.group ??= subsetGroup(rule, subsets());
      rule._addSubsets(this.group);
      this.destinationRule = rule.apiObject;
    } else {
      this.destinationRule = new istio.DestinationRule(this, 'DestinationRule', {
        metadata: { name: this.name, namespace: this.namespace },
        spec: { host: this.host, exportTo: exportTo === undefined ? undefined : [...exportTo], subsets: subsets() },
      });
    }

    this.apiObject = new istio.VirtualService(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: this.spec,
    });
    checkUniqueObjects(this);
  }
}

/** Hands a routing to `PerClusterSubsetRouting._like`'s constructor call. */
const COPIES = new Templates<PerClusterSubsetRouting>();

/** The VirtualService spec: one route per cluster (then the catch-all). */
function routingSpec(host: string, exportTo: string[] | undefined, clusters: string[], fallback: boolean): istio.VirtualServiceSpec {
  const http: istio.VirtualServiceSpecHttp[] = clusters.map((c) => ({
    name: `${PerClusterSubsetRouting.subsetName(c)}-local`,
    match: [{ sourceLabels: { [CLUSTER_LABEL]: c } }],
    route: [{ destination: { host, subset: PerClusterSubsetRouting.subsetName(c) } }],
  }));
  if (fallback) http.push({ name: 'all-clusters', route: [{ destination: { host } }] });
  return { hosts: [host], exportTo: exportTo === undefined ? undefined : [...exportTo], http };
}

/** Validates cluster IDs for use as label values and subset names. @internal */
export function validateClusters(scope: Construct, clusters: string[]): string[] {
  const list = validator(scope, CONSTRUCT).optionalList('clusters', clusters, 'a list of cluster IDs such as ["cluster-1", "cluster-2"]');
  if (!list || list.length === 0) invalid(scope, CONSTRUCT, 'clusters', clusters, 'at least one cluster is required', 'a list of cluster IDs such as ["cluster-1", "cluster-2"]');
  const bySubset = new Map<string, string>();
  list.forEach((c, i) => {
    const field = `clusters[${i}]`;
    if (typeof c !== 'string' || c === '') invalid(scope, CONSTRUCT, field, c, 'a cluster ID must be a non-empty string', 'the cluster\'s values.global.multiCluster.clusterName, e.g. "cluster-1"');
    const err = labelValueError(c);
    if (err) invalid(scope, CONSTRUCT, field, c, `${err}: it is matched as the ${CLUSTER_LABEL} label`, 'up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    const subset = PerClusterSubsetRouting.subsetName(c);
    const other = bySubset.get(subset);
    if (other !== undefined) {
      invalid(scope, CONSTRUCT, field, c, other === c ? 'duplicate cluster' : `maps to subset ${show(subset)} like ${show(other)}`, 'distinct cluster IDs (compared lowercase, with "_" and "." as "-")');
    }
    bySubset.set(subset, c);
  });
  return [...list];
}
