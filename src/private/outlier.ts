/** What outlier detection can eject, as istiod configures Envoy: used by the rule's checks and by explain. @internal */

/** Envoy's `max_ejection_percent` when istiod sets none. @internal */
export const ENVOY_DEFAULT_MAX_EJECTION_PERCENT = 10;

/** The settings of {@link OutlierDetection} that decide what is ejected (also the explain engine's input). @internal */
export interface EjectionSettings {
  readonly consecutive5xxErrors?: number;
  readonly consecutiveGatewayErrors?: number;
  readonly splitExternalLocalOriginErrors?: boolean;
}

/**
 * Whether outlier detection ejects an endpoint that answers 503: istiod's `applyOutlierDetection`
 * (`pilot/pkg/networking/core/cluster_traffic_policy.go`, 1.30.3) leaves 5xx ejection at Envoy's
 * default (5, enforced 100%) when `consecutive5xxErrors` is unset, enforces it at 100% when it is
 * above 0 and at 0% when it is 0; gateway-error ejection (502/503/504) is enforced only when
 * `consecutiveGatewayErrors` is above 0.
 * @internal
 */
export function ejectsErrorResponses(od: EjectionSettings): boolean {
  return od.consecutive5xxErrors === undefined || od.consecutive5xxErrors > 0 || (od.consecutiveGatewayErrors ?? 0) > 0;
}

/**
 * Envoy's effective `max_ejection_percent`: istiod sets it only when `maxEjectionPercent` is above
 * 0 (`applyOutlierDetection`), otherwise Envoy's default 10 applies.
 * @internal
 */
export function effectiveMaxEjectionPercent(maxEjectionPercent: number | undefined): number {
  return maxEjectionPercent !== undefined && maxEjectionPercent > 0 ? maxEjectionPercent : ENVOY_DEFAULT_MAX_EJECTION_PERCENT;
}
