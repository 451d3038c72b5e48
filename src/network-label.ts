import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ValidationError } from './errors';
import type { IEastWestGateway } from './gateway-reference';
import { TopologyLabel } from './labels';
import { brandSymbol, hasBrand, setBrand } from './private/brand';
import { addSynthCheck, invalid, show, validationError } from './private/invalid';
import { isDns1123Label } from './private/istio-rules';
import { NetworkLabelPropsKeys } from './private/props-keys';
import { validator } from './private/validator';

const CONSTRUCT = 'NetworkLabel';
const BRAND = brandSymbol('NetworkLabel');

/** Options for `NetworkLabel` that do not name the network (used by `EastWestGateway.addNetworkLabel`). */
export interface NetworkLabelOptions {
  /**
   * Namespace of istiod, the namespace that gets the label.
   * @default - the gateway's `istioNamespace`, else 'istio-system'
   */
  readonly istioNamespace?: string;
  /**
   * Annotate the Namespace object so that GitOps tools never delete or prune it when it
   * disappears from the chart: Argo CD `argocd.argoproj.io/sync-options: Prune=false,Delete=false`,
   * Flux `kustomize.toolkit.fluxcd.io/prune: disabled`, Helm `helm.sh/resource-policy: keep`.
   * Deleting the Istio namespace takes istiod down with it.
   * @default true
   */
  readonly protectFromDeletion?: boolean;
}

/** Properties for `NetworkLabel`. Give the gateway or the network (or both, if they agree). */
export interface NetworkLabelProps extends NetworkLabelOptions {
  /**
   * The cluster's network, e.g. `kuchima-demo-vpc01`.
   * @default - the gateway's network
   */
  readonly network?: string;
  /**
   * The cluster's east-west gateway; its network is used, so the namespace label, the gateway's
   * `topology.istio.io/network` labels and `ISTIO_META_REQUESTED_NETWORK_VIEW` come from one value.
   * @default - none; `network` is then required
   */
  readonly gateway?: IEastWestGateway;
}

/**
 * Labels the Istio system namespace with the cluster's network (`topology.istio.io/network`).
 * istiod uses that label as the network of every endpoint in the cluster that has no network label
 * of its own (istio/istio `pilot/pkg/serviceregistry/kube/controller/network.go`); Istio's
 * multi-network guides do it with `kubectl label namespace istio-system topology.istio.io/network=<net>`.
 *
 * It is emitted as a Namespace object that carries only this label (and, by default, annotations
 * that keep GitOps tools from deleting it). Applying it to the existing namespace merges the label:
 * client-side `kubectl apply` changes only fields it applied before, server-side apply owns only
 * this label. That is safe with Istio installed by Helm (the charts never manage the namespace;
 * `--create-namespace` creates it untracked) or by istioctl. Two things are not safe:
 * - `kubectl delete -f` on the file (or `kubectl apply --prune` after removing this construct)
 *   would delete the Istio namespace. To remove the label, run
 *   `kubectl label namespace istio-system topology.istio.io/network-` instead.
 * - No `istio.io/rev` or injection label is added: the Istio namespace must not select an injector.
 */
export class NetworkLabel extends Construct {
  /** The network. */
  public readonly network: string;
  /** The labelled namespace. */
  public readonly istioNamespace: string;
  /** The Namespace object (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(label)` returns it). */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: NetworkLabelProps = {}) {
    super(scope, id);
    validator(this, CONSTRUCT).props('', props, NetworkLabelPropsKeys, '{ gateway } or { network }');
    const gateway = props.gateway;
    if (gateway !== undefined && (gateway === null || typeof gateway !== 'object' || typeof gateway.network !== 'string')) {
      invalid(this, CONSTRUCT, 'gateway', gateway, 'not an east-west gateway', 'an EastWestGateway, or EastWestGateway.fromAttributes(...)');
    }
    if (props.network === undefined && gateway === undefined) {
      invalid(this, CONSTRUCT, 'network', undefined, 'one of network and gateway is required', 'gateway: <the cluster\'s EastWestGateway>, or network: "kuchima-demo-vpc01"');
    }
    if (props.network !== undefined && gateway !== undefined && props.network !== gateway.network) {
      invalid(this, CONSTRUCT, 'network', props.network, `contradicts the gateway's network ${show(gateway.network)}; the namespace label and the gateway must name the same network`,
        'leave network out and pass only the gateway');
    }
    this.network = validator(this, CONSTRUCT).network('network', props.network === undefined ? gateway!.network : props.network);
    const istioNamespace = props.istioNamespace ?? gateway?.istioNamespace ?? 'istio-system';
    if (typeof istioNamespace !== 'string' || !isDns1123Label(istioNamespace)) {
      invalid(this, CONSTRUCT, 'istioNamespace', istioNamespace, 'not a DNS-1123 label', 'the namespace of istiod, e.g. "istio-system"');
    }
    this.istioNamespace = istioNamespace;
    const protect = props.protectFromDeletion ?? true;
    if (typeof protect !== 'boolean') invalid(this, CONSTRUCT, 'protectFromDeletion', protect, 'must be a boolean', 'true or false');

    this.apiObject = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.istioNamespace,
        labels: { [TopologyLabel.NETWORK]: this.network },
        annotations: protect ? {
          'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
          'kustomize.toolkit.fluxcd.io/prune': 'disabled',
          'helm.sh/resource-policy': 'keep',
        } : undefined,
      },
    });
    setBrand(this, BRAND);
    // its own check (below) explains the clash better than the generic checkUniqueObjects
    addSynthCheck(this, () => this.checkUnique());
  }

  private checkUnique(): ValidationError[] {
    const chart = Chart.of(this);
    const twins = chart.node.findAll().filter((c) => c !== this && hasBrand(c, BRAND)
      && (c as NetworkLabel).istioNamespace === this.istioNamespace && Chart.of(c) === chart);
    if (twins.length === 0) return [];
    return [validationError(this, CONSTRUCT, 'istioNamespace', this.istioNamespace, `the namespace is also labelled by ${twins.map((t) => t.node.path).join(', ')} in the same chart`, 'one NetworkLabel per cluster')];
  }
}
