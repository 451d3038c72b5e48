import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IstiodGateway } from './cross-network-gateway';
import { GatewayExposure, sourceRangesPolicy } from './gateway-exposure';
import { resolveOptions, resolveCreateNamespace, gatewayNamespaceLabels, hpaSpec, EastWestGatewayOptions } from './gateway-options';
import { EastWestGatewayAttributes, ImportedEastWestGateway, IEastWestGateway } from './gateway-reference';
import { TopologyLabel } from './labels';
import { NetworkLabel, NetworkLabelOptions } from './network-label';
import { compact } from './private/objects';
import { checkUniqueObjects } from './private/registry';
import { validator } from './private/validator';
import { IstioVersion } from './versions';

const CONSTRUCT = 'EastWestGateway';

const PROXY_UID = 1337;

/** Properties for `EastWestGateway`. */
export interface EastWestGatewayProps extends EastWestGatewayOptions {
  /**
   * Create the namespace (labelled `istio.io/rev` when a revision is given, and Pod Security
   * `enforce: baseline`, `warn`/`audit: restricted`). Set `false` when it exists already; it must
   * then not carry `istio-injection: disabled`.
   * @default - true, except for the Istio namespace and Kubernetes' built-in namespaces
   */
  readonly createNamespace?: boolean;
  /**
   * Create the Helm chart's Role and RoleBinding that let the gateway read Secrets in its
   * namespace. Only gateways that terminate TLS with `credentialName` need it; the east-west
   * gateway passes TLS through (`AUTO_PASSTHROUGH`, `PASSTHROUGH`) and uses no certificates.
   * @default false
   */
  readonly allowSecretAccess?: boolean;
  /**
   * Pin `runAsUser`/`runAsGroup` of `istio-proxy` to 1337, as the Helm chart does everywhere but
   * on OpenShift, so the kubelet can verify `runAsNonRoot`. Set `false` on OpenShift, where the
   * restricted SCC assigns the UID.
   * @default true
   */
  readonly runAsProxyUser?: boolean;
}

/**
 * The east-west gateway of a multi-network mesh as plain Kubernetes objects, equivalent to what
 * the `istio/gateway` Helm chart renders with `networkGateway: <network>`: no istioctl and no
 * IstioOperator. All names are fixed (no hash suffixes) and identical in every cluster.
 *
 * Objects (construct ids in brackets, for escape hatches):
 * - Namespace [`Namespace`], unless `createNamespace: false`.
 * - ServiceAccount [`ServiceAccount`]; Role and RoleBinding [`Role`, `RoleBinding`] only with
 *   `allowSecretAccess`.
 * - NetworkPolicy `<name>-source-ranges` [`SourceRanges`], only with `GatewayExposure.nodePort({ sourceRanges })`.
 * - Service [`Service`]: labelled `topology.istio.io/network`, which is how istiod discovers the
 *   network's gateway; ports `status-port` 15021 and `tls` 15443 (+ 15012/15017 with `exposeIstiod`).
 * - Deployment [`Resource`]: gateway injection (`inject.istio.io/templates: gateway`, label
 *   `sidecar.istio.io/inject: "true"`, container `istio-proxy` with `image: auto`),
 *   `ISTIO_META_REQUESTED_NETWORK_VIEW`, the chart's hardened container security context plus a
 *   `RuntimeDefault` seccomp profile, soft spreading over nodes and zones. No readiness probe: the
 *   injector adds `/healthz/ready` on 15021 with the mesh's proxy settings, and a probe in the
 *   Deployment would override them.
 * - HorizontalPodAutoscaler [`Autoscaler`] (autoscaling/v2, CPU) unless min = max replicas, and
 *   PodDisruptionBudget [`DisruptionBudget`].
 * - With `exposeIstiod`: the `istiod-gateway` Gateway and the `istiod-vs` VirtualService [`Istiod`].
 *
 * Bind `CrossNetworkGateway` to it to expose services to the other networks.
 *
 * @example
 * const eastWest = new EastWestGateway(chart, 'eastwest', {
 *   network: 'kuchima-demo-vpc01',
 *   revision: 'asm-1132-2',
 *   namespace: 'gateway',
 *   provider: CloudProvider.GKE,
 * });
 * new CrossNetworkGateway(chart, 'cross-network', { gateway: eastWest });
 */
export class EastWestGateway extends Construct implements IEastWestGateway {
  /**
   * Refers to an east-west gateway installed some other way (Helm, istioctl), so that
   * `CrossNetworkGateway`, `IstiodGateway` and `NetworkLabel` can bind to it. Creates no objects.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: EastWestGatewayAttributes): IEastWestGateway {
    return new ImportedEastWestGateway(scope, id, attrs);
  }

  /** The network the gateway serves (`topology.istio.io/network`, `ISTIO_META_REQUESTED_NETWORK_VIEW`). */
  public readonly network: string;
  /** Namespace of the gateway's objects. */
  public readonly namespace: string;
  /** Name of the Deployment, Service, ServiceAccount, HPA and PDB. */
  public readonly name: string;
  /** Istio revision (`istio.io/rev`), if any. */
  public readonly revision?: string;
  /** Namespace of istiod. */
  public readonly istioNamespace: string;
  /** How the Service is exposed. */
  public readonly exposure: GatewayExposure;
  /** Whether istiod is exposed through the gateway. */
  public readonly exposeIstiod: boolean;
  /** The Deployment (an escape hatch: `addJsonPatch` works on it, and `ApiObject.of(gateway)` returns it). */
  public readonly apiObject: ApiObject;
  /** The Service (an escape hatch, e.g. for a provider annotation this library does not know). */
  public readonly service: ApiObject;
  /** The NetworkPolicy that limits the node ports to `GatewayExposure.nodePort({ sourceRanges })`, if any. */
  public readonly networkPolicy?: ApiObject;
  /** Whether this construct creates the namespace. */
  public readonly createNamespace: boolean;
  /** Whether the secret-reading Role exists. */
  public readonly allowSecretAccess: boolean;
  /** Minimum number of pods. */
  public readonly minReplicas: number;
  /** Maximum number of pods (equal to `minReplicas` when there is no autoscaler). */
  public readonly maxReplicas: number;
  /** Name of the ServiceAccount. */
  public readonly serviceAccountName: string;
  private readonly _selector: { [key: string]: string };

  /** The Istio release the gateway is configured for. */
  public readonly istioVersion: IstioVersion;

  public constructor(scope: Construct, id: string, props: EastWestGatewayProps) {
    super(scope, id);
    const r = resolveOptions(this, CONSTRUCT, props);
    this.istioVersion = r.istioVersion;
    this.network = r.network;
    this.namespace = r.namespace;
    this.name = r.name;
    this.revision = r.revision;
    this.istioNamespace = r.istioNamespace;
    this.exposure = r.exposure;
    this.exposeIstiod = r.exposeIstiod;
    this.minReplicas = r.minReplicas;
    this.maxReplicas = r.maxReplicas;
    this.serviceAccountName = r.name;
    this._selector = r.selector;
    const v = validator(this, CONSTRUCT);
    this.allowSecretAccess = v.boolean('allowSecretAccess', props.allowSecretAccess, false);
    const runAsProxyUser = v.boolean('runAsProxyUser', props.runAsProxyUser, true);
    this.createNamespace = resolveCreateNamespace(this, props.createNamespace, r);

    const labels = { ...r.podLabels, [TopologyLabel.NETWORK]: r.network };
    const meta = { name: r.name, namespace: r.namespace, labels };

    const ns = this.createNamespace
      ? new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: r.namespace, labels: gatewayNamespaceLabels(r.revision) } })
      : undefined;
    const objects: ApiObject[] = [];

    objects.push(new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta }));

    if (this.allowSecretAccess) {
      objects.push(new k8s.KubeRole(this, 'Role', {
        metadata: meta,
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
      }));
      objects.push(new k8s.KubeRoleBinding(this, 'RoleBinding', {
        metadata: meta,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: r.name },
        subjects: [{ kind: 'ServiceAccount', name: r.name }],
      }));
    }

    // Before the Service, so that kubectl limits the node ports before it opens them.
    this.networkPolicy = sourceRangesPolicy(this, 'SourceRanges', r.exposure, { ...meta, podLabels: r.podLabels, ports: r.ports });
    if (this.networkPolicy) objects.push(this.networkPolicy);

    const annotations = r.exposure.annotations;
    const sourceRanges = r.exposure.loadBalancerSourceRanges;
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { ...meta, annotations: Object.keys(annotations).length ? annotations : undefined },
      spec: {
        type: r.exposure.serviceType,
        // The NetworkPolicy must see the client's address, not a node's.
        externalTrafficPolicy: this.networkPolicy ? 'Local' : undefined,
        selector: { ...r.podLabels },
        ports: r.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: k8s.IntOrString.fromNumber(p.targetPort),
          protocol: p.protocol,
          nodePort: p.nodePort,
        })),
        loadBalancerSourceRanges: sourceRanges.length ? sourceRanges : undefined,
      },
    });
    objects.push(this.service);

    const autoscaled = r.maxReplicas > r.minReplicas;
    this.apiObject = new k8s.KubeDeployment(this, 'Resource', {
      metadata: meta,
      spec: {
        // With an autoscaler the replica count is the HPA's: a value here would be reset on every apply.
        replicas: autoscaled ? undefined : r.minReplicas,
        selector: { matchLabels: { ...r.podLabels } },
        template: {
          metadata: {
            annotations: {
              'inject.istio.io/templates': 'gateway',
              'prometheus.io/path': '/stats/prometheus',
              'prometheus.io/port': '15020',
              'prometheus.io/scrape': 'true',
            },
            labels: compact({
              'sidecar.istio.io/inject': 'true',
              'istio.io/rev': r.revision,
              ...r.podLabels,
              [TopologyLabel.NETWORK]: r.network,
              // Never captured by ambient mode, whatever the namespace says (the chart's default label).
              'istio.io/dataplane-mode': 'none',
            }),
          },
          spec: {
            serviceAccountName: r.name,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'istio-proxy',
              // "auto" is replaced by the injector with the proxy image of the revision.
              image: 'auto',
              securityContext: compact({
                capabilities: { drop: ['ALL'] },
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: runAsProxyUser ? PROXY_UID : undefined,
                runAsGroup: runAsProxyUser ? PROXY_UID : undefined,
              }),
              env: [{ name: 'ISTIO_META_REQUESTED_NETWORK_VIEW', value: r.network }],
              ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
              resources: {
                requests: { cpu: k8s.Quantity.fromString(r.resources.cpuRequest), memory: k8s.Quantity.fromString(r.resources.memoryRequest) },
                limits: { cpu: k8s.Quantity.fromString(r.resources.cpuLimit), memory: k8s.Quantity.fromString(r.resources.memoryLimit) },
              },
            }],
            topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { ...r.podLabels } },
            })),
            terminationGracePeriodSeconds: 30,
          },
        },
      },
    });
    objects.push(this.apiObject);

    if (autoscaled) {
      objects.push(new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: meta,
        spec: hpaSpec(r),
      }));
    }

    const pdb = r.podDisruptionBudget._spec();
    if (pdb) {
      objects.push(new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: meta,
        spec: {
          selector: { matchLabels: { ...r.podLabels } },
          maxUnavailable: pdb.maxUnavailable === undefined ? undefined : k8s.IntOrString.fromNumber(pdb.maxUnavailable),
          minAvailable: pdb.minAvailable === undefined ? undefined : k8s.IntOrString.fromNumber(pdb.minAvailable),
          // A crash-looping gateway pod must not block node drains.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      }));
    }

    const istiod = r.exposeIstiod ? new IstiodGateway(this, 'Istiod', { gateway: this }) : undefined;

    // Everything lives in the namespace: apply it first.
    if (ns) {
      objects.forEach((o) => o.addDependency(ns));
      istiod?.node.addDependency(ns);
    }
    checkUniqueObjects(this);
  }

  /** Labels of the gateway pods that Istio `Gateway` resources select (a copy), e.g. `{ istio: 'eastwestgateway' }`. */
  public get selector(): { [key: string]: string } {
    return { ...this._selector };
  }

  /**
   * Labels the Istio namespace with this gateway's network, so the namespace label, the gateway
   * labels and `ISTIO_META_REQUESTED_NETWORK_VIEW` come from one value.
   * @param options where and how to label (default: the gateway's Istio namespace, created by the label construct)
   */
  public addNetworkLabel(options: NetworkLabelOptions = {}): NetworkLabel {
    return new NetworkLabel(this, 'NetworkLabel', { ...options, gateway: this });
  }
}
