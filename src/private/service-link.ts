/**
 * The user's own Kubernetes Service objects: found by duck typing (a cdk8s-plus Service of any
 * version, an ApiObject of kind Service, from any copy of cdk8s), read, and changed only through
 * JSON patches and annotations on that object — never by emitting a second Service that would
 * overwrite it. @internal
 */
import { JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { addSynthCheck, invalid, validationError } from './invalid';
import { ServiceHost } from '../locality-failover-rule';
import {
  IstioVersion, KubernetesVersion, TRAFFIC_DISTRIBUTION_ANNOTATION, TrafficDistribution, TrafficDistributionRendering,
  renderTrafficDistribution, sameDistribution,
} from '../versions';
import { warn } from '../warnings';

/** What the library needs of a cdk8s ApiObject (any cdk8s copy). */
interface ServiceApiObject extends IConstruct {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { readonly name?: string; addAnnotation(key: string, value: string): void; addLabel(key: string, value: string): void };
  addJsonPatch(...ops: JsonPatch[]): void;
  toJson(): any;
}

function isServiceApiObject(x: unknown): x is ServiceApiObject {
  const o = x as Partial<ServiceApiObject> | null;
  return o !== null && typeof o === 'object' && o.kind === 'Service' && o.apiVersion === 'v1'
    && typeof o.addJsonPatch === 'function' && typeof o.toJson === 'function'
    && typeof o.metadata === 'object' && typeof o.metadata?.addAnnotation === 'function' && typeof o.metadata?.addLabel === 'function';
}

/** A user's Service object, checked to be the Service of `host`. @internal */
export class ServiceLink {
  /**
   * @param scope the construct errors are reported on
   * @param construct its name in messages
   * @param field the field the object was given in
   * @param service the object (or a construct whose default child is it)
   * @param host the FQDN the object must be the Service of
   * @param clusterDomain the cluster's DNS domain
   */
  public static of(scope: IConstruct, construct: string, field: string, service: unknown, host: string, clusterDomain: string): ServiceLink {
    const valid = 'a cdk8s-plus Service (any version) or an ApiObject of kind Service (apiVersion v1), e.g. k8s.KubeService';
    if (service === null || typeof service !== 'object' || typeof (service as IConstruct).node !== 'object') {
      invalid(scope, construct, field, service, 'not a construct', valid);
    }
    const c = service as IConstruct;
    const api: unknown = isServiceApiObject(c) ? c : c.node.defaultChild;
    if (!isServiceApiObject(api)) invalid(scope, construct, field, c.node.path || c.node.id, 'is not a Kubernetes Service object', valid);
    const objectHost = ServiceHost.of(api, clusterDomain);
    if (objectHost !== host) {
      invalid(scope, construct, field, api.node.path, `is the Service of ${JSON.stringify(objectHost)}, not of ${JSON.stringify(host)}`,
        'the Service object with the same name and namespace as the mesh service');
    }
    return new ServiceLink(api);
  }

  private constructor(public readonly apiObject: ServiceApiObject) {}

  /** The object as it renders now, or undefined when it cannot render yet (tokens resolved later). */
  public currentJson(): any | undefined {
    try {
      return this.apiObject.toJson();
    } catch {
      return undefined;
    }
  }

  /**
   * Sets the Service's traffic distribution as the Kubernetes release accepts it (field or Istio
   * annotation), after checking the object does not already say something else; a synth check
   * catches a later change. @internal
   */
  public setTrafficDistribution(
    scope: IConstruct, construct: string, field: string, td: TrafficDistribution, k8s: KubernetesVersion, istio: IstioVersion,
  ): TrafficDistributionRendering {
    let rendering = renderTrafficDistribution(td, k8s, istio);
    const path = this.apiObject.node.path;
    // Istio reads PreferClose as PreferSameZone and the annotation case-insensitively: only a
    // different distribution is a conflict
    const conflicts = (json: any): string | undefined => {
      const spec = json?.spec?.trafficDistribution;
      const annotation = json?.metadata?.annotations?.[TRAFFIC_DISTRIBUTION_ANNOTATION];
      const wanted = rendering.field ?? rendering.annotation!;
      if (typeof spec === 'string' && !sameDistribution(spec, wanted)) return `its spec.trafficDistribution is ${JSON.stringify(spec)}`;
      if (typeof annotation === 'string' && !sameDistribution(annotation, wanted)) return `its ${TRAFFIC_DISTRIBUTION_ANNOTATION} annotation is ${JSON.stringify(annotation)}`;
      return undefined;
    };
    const before = this.currentJson();
    const clash = conflicts(before);
    if (clash) {
      invalid(scope, construct, field, td, `the Service ${path} already sets another traffic distribution: ${clash}`, 'one traffic distribution: remove it from the Service, or declare the same one');
    }
    if (rendering.field !== undefined && before?.spec?.trafficDistribution === undefined) {
      this.apiObject.addJsonPatch(before?.spec === undefined
        ? JsonPatch.add('/spec', { trafficDistribution: rendering.field })
        : JsonPatch.add('/spec/trafficDistribution', rendering.field));
      // Service classes generated from a Kubernetes schema older than 1.30 (cdk8s-plus-27's
      // KubeService) drop fields they do not know after the patch: fall back to Istio's annotation
      const after = this.currentJson();
      if (after !== undefined && after?.spec?.trafficDistribution === undefined) {
        warn(scope, construct, field, td, `the Service ${path} drops spec.trafficDistribution (its class was generated from a Kubernetes schema without the field), so the mesh sets Istio's ${TRAFFIC_DISTRIBUTION_ANNOTATION} annotation instead, which kube-proxy does not read`,
          'a Service class of cdk8s-plus-30 or newer (or an ApiObject), to have Kubernetes honour it too');
        rendering = { annotation: rendering.field };
      }
    }
    if (rendering.annotation !== undefined) this.apiObject.metadata.addAnnotation(TRAFFIC_DISTRIBUTION_ANNOTATION, rendering.annotation);
    addSynthCheck(scope, () => {
      const after = this.currentJson();
      const later = conflicts(after);
      const set = rendering.field !== undefined ? typeof after?.spec?.trafficDistribution === 'string'
        : after?.metadata?.annotations?.[TRAFFIC_DISTRIBUTION_ANNOTATION] === rendering.annotation;
      if (after === undefined || (!later && set)) return [];
      return [validationError(scope, construct, field, td, `the Service ${path} was changed after the mesh set its traffic distribution: ${later ?? 'the setting is gone'}`,
        'leave spec.trafficDistribution and the networking.istio.io/traffic-distribution annotation to the mesh')];
    });
    return rendering;
  }
}
