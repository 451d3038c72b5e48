/**
 * The reference to an east-west gateway that other constructs bind to (`CrossNetworkGateway`,
 * `IstiodGateway`, `NetworkLabel`): the interface, the attributes of a gateway installed elsewhere,
 * and the object `EastWestGateway.fromAttributes` returns. No construct module is imported here, so
 * the constructs that take a gateway do not import the gateway construct.
 */
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_NAMESPACE, validateGatewayName, DEFAULT_NAME, DEFAULT_ISTIO_NAMESPACE, selectorValue } from './gateway-options';
import { EastWestGatewayAttributesKeys } from './private/props-keys';
import { validator } from './private/validator';

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

/** What `EastWestGateway.fromAttributes` returns. @internal */
export class ImportedEastWestGateway extends Construct implements IEastWestGateway {
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
    this.network = validator(this, where).network('network', attrs.network);
    const v = validator(this, where);
    this.namespace = v.namespace('namespace', v.string('namespace', attrs.namespace, 'the gateway\'s namespace, e.g. "istio-gateways"'), DEFAULT_NAMESPACE);
    this.name = validateGatewayName(this, where, attrs.name ?? DEFAULT_NAME);
    this.revision = v.revision('revision', attrs.revision);
    this.istioNamespace = v.namespace('istioNamespace', attrs.istioNamespace, DEFAULT_ISTIO_NAMESPACE);
    this._selector = v.labels('selector', attrs.selector, '{ istio: "eastwestgateway" }', true) ?? { istio: selectorValue(this.name) };
  }

  public get selector(): { [key: string]: string } {
    return { ...this._selector };
  }
}
