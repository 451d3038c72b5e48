import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as istio from './imports/networking.istio.io';
import { invalid, show } from './private/invalid';
import { istioDuration } from './private/istio-rules';
import { compact } from './private/objects';
import { ejectsErrorResponses, ENVOY_DEFAULT_MAX_EJECTION_PERCENT } from './private/outlier';
import { ConnectionPoolSettingsKeys, OutlierDetectionKeys } from './private/props-keys';
import { validator } from './private/validator';

/**
 * Envoy load-balancing algorithm (`trafficPolicy.loadBalancer.simple`); values are Istio's wire values.
 */
export enum LoadBalancerAlgorithm {
  /** Istio's default: the proxy picks (currently LEAST_REQUEST). */
  UNSPECIFIED = 'UNSPECIFIED',
  /** Round robin. */
  ROUND_ROBIN = 'ROUND_ROBIN',
  /** Least request (power of two choices). */
  LEAST_REQUEST = 'LEAST_REQUEST',
  /** Random. */
  RANDOM = 'RANDOM',
  /** Forward to the original destination address (no load balancing). */
  PASSTHROUGH = 'PASSTHROUGH',
}

/**
 * Outlier detection (`trafficPolicy.outlierDetection`): what marks endpoints unhealthy so
 * that locality failover can happen at all. Field names and defaults are Istio's; what istiod
 * sends Envoy is `applyOutlierDetection` in `pilot/pkg/networking/core/cluster_traffic_policy.go`
 * (Istio 1.30.3).
 *
 * When failover is requested, `LocalityFailoverRule` refuses settings that Istio accepts but
 * that can never eject an endpoint: `consecutive5xxErrors: 0` without `consecutiveGatewayErrors`
 * or `splitExternalLocalOriginErrors`, and `maxEjectionPercent: 0`.
 */
export interface OutlierDetection {
  /**
   * Number of consecutive 5xx errors before a host is ejected. `0` turns 5xx ejection off:
   * istiod then sets Envoy's `enforcing_consecutive_5xx` to 0.
   * @default 5 (Istio's default: istiod leaves it out and Envoy ejects after 5, enforced 100%)
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Number of consecutive gateway errors (502, 503, 504) before a host is ejected. Above 0,
   * istiod sets Envoy's `enforcing_consecutive_gateway_failure` to 100; gateway errors are 5xx
   * errors too, so this only matters when it is below `consecutive5xxErrors` or that is 0.
   * @default - disabled (Envoy enforces gateway-error ejection 0% unless istiod sets it)
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Number of consecutive locally originated failures (connect failures, timeouts, resets)
   * before ejection; needs `splitExternalLocalOriginErrors`.
   * @default - Envoy's 5 when `splitExternalLocalOriginErrors` is set, otherwise disabled
   */
  readonly consecutiveLocalOriginFailures?: number;
  /**
   * Whether local-origin failures are counted separately from external errors (and eject
   * after `consecutiveLocalOriginFailures`). When false, they count as 5xx and gateway errors.
   * @default false
   */
  readonly splitExternalLocalOriginErrors?: boolean;
  /**
   * Time interval between ejection sweep analyses.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Minimum ejection duration; grows with each ejection of the same host.
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Maximum percentage of hosts that can be ejected. istiod passes it on only when it is above
   * 0, so `0` means Envoy's default 10%, not "eject nothing"; with 10% nothing is ejected
   * from fewer than 10 hosts.
   * @default 10 (Istio's default)
   */
  readonly maxEjectionPercent?: number;
  /**
   * istiod copies it to Envoy's `healthy_panic_threshold`. Istio describes it as "outlier
   * detection is disabled when the healthy share drops below it"; what Envoy does is panic mode:
   * a priority whose share of non-ejected hosts is below it (while the priorities' total health
   * is under 100%) is balanced over all its hosts, ejected ones included.
   * @default 0 (panic mode disabled)
   */
  readonly minHealthPercent?: number;
}

/**
 * Connection-pool settings (`trafficPolicy.connectionPool`), flattened: the `tcp` and `http`
 * groups of Istio are filled from the fields below.
 */
export interface ConnectionPoolSettings {
  /**
   * `tcp.maxConnections`: maximum number of connections to a destination host.
   * @default - Envoy's default (2^32-1)
   */
  readonly maxConnections?: number;
  /**
   * `tcp.connectTimeout`: TCP connection timeout.
   * @default Duration.seconds(10)
   */
  readonly connectTimeout?: Duration;
  /**
   * `http.http1MaxPendingRequests`: maximum queued requests.
   * @default - Envoy's default (2^32-1)
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * `http.http2MaxRequests`: maximum active requests.
   * @default - Envoy's default (2^32-1)
   */
  readonly http2MaxRequests?: number;
  /**
   * `http.maxRequestsPerConnection`: 1 disables keep-alive, so every request picks an endpoint again
   * (useful to watch failover happen in a test, where one connection would otherwise stick).
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * `http.maxRetries`: maximum outstanding retries.
   * @default - Envoy's default (2^32-1)
   */
  readonly maxRetries?: number;
  /**
   * `http.idleTimeout`: idle timeout for upstream connections.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;
}

const UINT32 = 4294967295;
const INT32 = 2147483647;

/** Renders {@link OutlierDetection} with Istio's webhook rules checked. @internal */
export function renderOutlierDetection(scope: Construct, construct: string, od: OutlierDetection, field = 'outlierDetection'): istio.DestinationRuleSpecTrafficPolicyOutlierDetection {
  validator(scope, construct).props(field, od, OutlierDetectionKeys, 'an OutlierDetection, e.g. { consecutive5xxErrors: 1, interval: Duration.seconds(1) }');
  const int = (name: keyof OutlierDetection, min: number, max: number) =>
    od[name] === undefined ? undefined : validator(scope, construct).integer(`${field}.${name}`, od[name], min, max);
  const pct = (name: 'maxEjectionPercent' | 'minHealthPercent') => {
    const v = od[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) {
      invalid(scope, construct, `${field}.${name}`, v, `percentage ${show(v)} is not in range 0..100`, 'an integer from 0 to 100');
    }
    return v;
  };
  const consecutiveLocalOriginFailures = int('consecutiveLocalOriginFailures', 0, UINT32);
  if (consecutiveLocalOriginFailures && !od.splitExternalLocalOriginErrors) {
    invalid(scope, construct, `${field}.consecutiveLocalOriginFailures`, consecutiveLocalOriginFailures,
      'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false',
      'set splitExternalLocalOriginErrors: true as well');
  }
  return compact<istio.DestinationRuleSpecTrafficPolicyOutlierDetection>({
    consecutive5XxErrors: int('consecutive5xxErrors', 0, UINT32),
    consecutiveGatewayErrors: int('consecutiveGatewayErrors', 0, UINT32),
    consecutiveLocalOriginFailures,
    splitExternalLocalOriginErrors: od.splitExternalLocalOriginErrors === undefined ? undefined
      : validator(scope, construct).boolean(`${field}.splitExternalLocalOriginErrors`, od.splitExternalLocalOriginErrors, false),
    interval: od.interval === undefined ? undefined : istioDuration(scope, construct, `${field}.interval`, od.interval),
    baseEjectionTime: od.baseEjectionTime === undefined ? undefined : istioDuration(scope, construct, `${field}.baseEjectionTime`, od.baseEjectionTime),
    maxEjectionPercent: pct('maxEjectionPercent'),
    minHealthPercent: pct('minHealthPercent'),
  // `{}` is valid for istiod and the CRD: outlier detection on with Envoy's defaults (which also
  // turns locality priorities on), so it is written as `{}`, not dropped
  }) ?? {};
}

/** Envoy's `max_ejection_percent` when istiod does not set it. */
/**
 * Refuses outlier detection that Istio accepts but that can never eject an endpoint, where failover
 * is requested: failover only starts when endpoints are ejected. Stricter than istiod.
 * @internal
 */
export function checkFailoverCanEject(scope: Construct, construct: string, od: OutlierDetection, field = 'outlierDetection'): void {
  const noFailover = 'no endpoint is ever ejected, so the failover requested here (failover, failoverPriority, or the default failover) never happens';
  if (!ejectsErrorResponses(od) && od.splitExternalLocalOriginErrors !== true) {
    const gateway = od.consecutiveGatewayErrors === undefined ? 'consecutiveGatewayErrors is not set' : 'consecutiveGatewayErrors is 0';
    invalid(scope, construct, `${field}.consecutive5xxErrors`, od.consecutive5xxErrors,
      `Istio accepts it, but 0 turns 5xx ejection off (istiod sets Envoy's enforcing_consecutive_5xx to 0), ${gateway} and local-origin ejection `
      + `(splitExternalLocalOriginErrors) is off: ${noFailover}`,
      'consecutive5xxErrors: 1 or more (e.g. 1), or leave it out for Istio\'s 5; or consecutiveGatewayErrors: 1 or more to eject on 502/503/504; '
      + 'or distribute / enabled: false when no failover is wanted');
  }
  if (od.maxEjectionPercent === 0) {
    invalid(scope, construct, `${field}.maxEjectionPercent`, od.maxEjectionPercent,
      `Istio accepts it, but istiod passes maxEjectionPercent to Envoy only when it is above 0, so Envoy applies its default ${ENVOY_DEFAULT_MAX_EJECTION_PERCENT}% `
      + `(not "eject nothing"): with fewer than ${100 / ENVOY_DEFAULT_MAX_EJECTION_PERCENT} hosts (an east-west gateway counts as one) ${noFailover}`,
      'maxEjectionPercent: 100 (a whole locality can be ejected, as in LocalityFailoverRule.DEFAULT_OUTLIER_DETECTION), or another value from 1 to 100');
  }
}

/** Renders {@link ConnectionPoolSettings} as Istio's `{tcp, http}`. @internal */
export function renderConnectionPool(scope: Construct, construct: string, cp: ConnectionPoolSettings, field = 'connectionPool'): istio.DestinationRuleSpecTrafficPolicyConnectionPool {
  validator(scope, construct).props(field, cp, ConnectionPoolSettingsKeys, 'a ConnectionPoolSettings, e.g. { maxRequestsPerConnection: 1 }');
  const int = (name: keyof ConnectionPoolSettings) =>
    cp[name] === undefined ? undefined : validator(scope, construct).integer(`${field}.${name}`, cp[name], 0, INT32);
  const rendered = compact<istio.DestinationRuleSpecTrafficPolicyConnectionPool>({
    tcp: {
      maxConnections: int('maxConnections'),
      connectTimeout: cp.connectTimeout === undefined ? undefined : istioDuration(scope, construct, `${field}.connectTimeout`, cp.connectTimeout),
    },
    http: {
      http1MaxPendingRequests: int('http1MaxPendingRequests'),
      http2MaxRequests: int('http2MaxRequests'),
      maxRequestsPerConnection: int('maxRequestsPerConnection'),
      maxRetries: int('maxRetries'),
      idleTimeout: cp.idleTimeout === undefined ? undefined : istioDuration(scope, construct, `${field}.idleTimeout`, cp.idleTimeout),
    },
  });
  return rendered ?? invalid(scope, construct, field, cp, 'connection pool must have at least one field', 'e.g. { maxRequestsPerConnection: 1 }');
}

/** Checks a load-balancer enum value coming from any jsii language. @internal */
export function checkLoadBalancer(scope: Construct, construct: string, lb: LoadBalancerAlgorithm): string {
  const valid = Object.values(LoadBalancerAlgorithm) as string[];
  if (!valid.includes(lb as string)) invalid(scope, construct, 'loadBalancer', lb, 'unknown load-balancing algorithm', valid.join(', '));
  return lb;
}
