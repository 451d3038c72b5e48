/** `EastWestGatewayOperator`: the east-west gateway as an IstioOperator for `istioctl install`. */
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { EastWestGateway } from './east-west-gateway';
import type { ValidationError } from './errors';
import { resolveOptions, hpaSpec, gatewayNamespaceLabels, EastWestGatewayOptions } from './gateway-options';
import { IEastWestGateway } from './gateway-reference';
import { TopologyLabel } from './labels';
import { addSynthCheck, invalid, validationError } from './private/invalid';
import { isDns1123Label } from './private/istio-rules';
import { compact } from './private/objects';
import { checkUniqueObjects, findChart } from './private/registry';

const OPERATOR = 'EastWestGatewayOperator';

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
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c !== this.apiObject && Chart.of(c) === this);
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
