/**
 * The Istio and Kubernetes releases a mesh targets, and the Kubernetes Service traffic
 * distribution values. Releases select what is validated and emitted (fields and values a release
 * lacks are refused or written another way) and how the explain engine models istiod.
 */
import { IConstruct } from 'constructs';
import { invalid } from './private/invalid';
import { warn } from './warnings';

// 1.MINOR[.PATCH][-suffix]: release candidates (1.31.0-rc.0) and distributions (1.23.2-asm.2) name the same minor
const VERSION = /^1\.(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2}))?([-+][0-9A-Za-z.-]+)?$/;

function parseMinor(construct: string, version: unknown, example: string): number {
  const match = typeof version === 'string' ? VERSION.exec(version) : null;
  if (!match) invalid(`${construct}.of`, construct, 'version', version, 'not a release number', `"major.minor" or "major.minor.patch" (a "-suffix" is allowed), e.g. ${JSON.stringify(example)}`);
  return Number(match[1]);
}

/**
 * An Istio release (minor version). It decides:
 *
 * - what the explain engine models: from 1.31, a `topology.istio.io/network` mismatch at the head of
 *   `failoverPriority` no longer ends the match (istio/istio#60829), and istiod sends not-Ready
 *   endpoints to Envoy as unhealthy unless `outlierDetection.minHealthPercent` is above 0
 *   (`PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS`, istio/istio#60690);
 * - what is accepted: Service traffic distribution needs 1.25 (sidecars honour it from 1.25,
 *   istio/istio#54715), `PreferSameZone`/`PreferSameNode` 1.27 (istio/istio#56042);
 * - which CRDs the test suite validates the output against (1.29, 1.30, 1.31).
 *
 * Releases before 1.22 do not serve `networking.istio.io/v1`, which every object here uses, and
 * are refused.
 */
export class IstioVersion {
  /** Istio 1.29. */
  public static readonly V1_29 = new IstioVersion(29);
  /** Istio 1.30. */
  public static readonly V1_30 = new IstioVersion(30);
  /** Istio 1.31 (released 2026-08-20), the newest release this library models. */
  public static readonly V1_31 = new IstioVersion(31);
  /** The newest release the library models; the default of every `istioVersion`. */
  public static readonly LATEST = IstioVersion.V1_31;

  /**
   * Any Istio release from 1.22 (the first to serve `networking.istio.io/v1`), e.g. `"1.28"` or
   * `"1.30.3"` (the patch is ignored). Releases newer than the newest modelled one (1.31) are
   * modelled as 1.31.
   * @param version the release, "1.MINOR" or "1.MINOR.PATCH"
   */
  public static of(version: string): IstioVersion {
    const minor = parseMinor('IstioVersion', version, '1.30');
    if (minor < 22) {
      invalid('IstioVersion.of', 'IstioVersion', 'version', version, `Istio ${version} does not serve networking.istio.io/v1 (served from 1.22), which every object of this library uses`,
        'Istio 1.22 or newer (IstioVersion.V1_29, V1_30, V1_31); upgrade Istio first');
    }
    return new IstioVersion(minor);
  }

  /** The release as "1.MINOR". */
  public readonly version: string;
  /** The minor version number (31 for 1.31). */
  public readonly minor: number;

  private constructor(minor: number) {
    this.minor = minor;
    this.version = `1.${minor}`;
  }

  /**
   * Whether this release is `other` or newer.
   * @param other the release to compare with
   */
  public isAtLeast(other: IstioVersion): boolean {
    return this.minor >= other.minor;
  }

  /** Whether this release is newer than any the library models (its behaviour is modelled as the newest one's). */
  public get isNewerThanModelled(): boolean {
    return this.minor > IstioVersion.LATEST.minor;
  }

  /** "1.MINOR". */
  public toString(): string {
    return this.version;
  }
}

/**
 * A Kubernetes release (minor version) of the clusters. It decides how Service settings are
 * written: `spec.trafficDistribution` is beta (on by default) from 1.31, and its values
 * `PreferSameZone` and `PreferSameNode` are accepted by default from 1.34 (beta; GA in 1.35).
 */
export class KubernetesVersion {
  /** Kubernetes 1.31: `spec.trafficDistribution: PreferClose` (beta). */
  public static readonly V1_31 = new KubernetesVersion(31);
  /** Kubernetes 1.32, the oldest release Istio 1.30 and 1.31 support: the default. */
  public static readonly V1_32 = new KubernetesVersion(32);
  /** Kubernetes 1.33 (`trafficDistribution` GA). */
  public static readonly V1_33 = new KubernetesVersion(33);
  /** Kubernetes 1.34 (`PreferSameZone`, `PreferSameNode` beta, on by default). */
  public static readonly V1_34 = new KubernetesVersion(34);
  /** Kubernetes 1.35. */
  public static readonly V1_35 = new KubernetesVersion(35);
  /** Kubernetes 1.36. */
  public static readonly V1_36 = new KubernetesVersion(36);

  /**
   * Any Kubernetes release, e.g. `"1.30"` or `"1.34.2"` (the patch is ignored).
   * @param version the release, "1.MINOR" or "1.MINOR.PATCH"
   */
  public static of(version: string): KubernetesVersion {
    return new KubernetesVersion(parseMinor('KubernetesVersion', version, '1.34'));
  }

  /** The release as "1.MINOR". */
  public readonly version: string;
  /** The minor version number. */
  public readonly minor: number;

  private constructor(minor: number) {
    this.minor = minor;
    this.version = `1.${minor}`;
  }

  /**
   * Whether this release is `other` or newer.
   * @param other the release to compare with
   */
  public isAtLeast(other: KubernetesVersion): boolean {
    return this.minor >= other.minor;
  }

  /** "1.MINOR". */
  public toString(): string {
    return this.version;
  }
}

/**
 * Kubernetes Service `spec.trafficDistribution` (KEP-4444, KEP-3015), as Istio reads it
 * (`pilot/pkg/model/service.go` `GetTrafficDistribution`). For sidecars, gateways and waypoints
 * istiod turns it into a forced `failoverPriority` (`loadbalancer.go` `GetEffectiveLbSetting`):
 * no outlier detection needed, unhealthy (not Ready) endpoints sent to Envoy so failover follows
 * readiness, panic threshold 0. A DestinationRule `localityLbSetting` for the host overrides it.
 */
export enum TrafficDistribution {
  /**
   * `PreferClose`: Istio treats it exactly as `PreferSameZone` (Kubernetes deprecates it as an
   * alias of `PreferSameZone` from 1.33).
   */
  PREFER_CLOSE = 'PreferClose',
  /**
   * `PreferSameZone`: Istio ranks endpoints by `[topology.istio.io/network,
   * topology.kubernetes.io/region, topology.kubernetes.io/zone]`.
   */
  PREFER_SAME_ZONE = 'PreferSameZone',
  /**
   * `PreferSameNode`: as `PreferSameZone`, then `topology.istio.io/subzone` and
   * `kubernetes.io/hostname`.
   */
  PREFER_SAME_NODE = 'PreferSameNode',
}

/** Istio's annotation for clusters whose Kubernetes lacks the field or value (Istio 1.24+). @internal */
export const TRAFFIC_DISTRIBUTION_ANNOTATION = 'networking.istio.io/traffic-distribution';

/**
 * The `failoverPriority` istiod forces for a traffic distribution (`GetEffectiveLbSetting`; in
 * 1.25 and 1.26 `GetLocalityLbSetting`, whose PreferClose also ranked the sub-zone). @internal
 */
export function trafficDistributionPriority(td: TrafficDistribution, version: IstioVersion = IstioVersion.LATEST): string[] {
  const zone = ['topology.istio.io/network', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone'];
  if (td === TrafficDistribution.PREFER_SAME_NODE) return [...zone, 'topology.istio.io/subzone', 'kubernetes.io/hostname'];
  return version.minor < 27 ? [...zone, 'topology.istio.io/subzone'] : zone;
}

/** Istio reads PreferClose and PreferSameZone the same; before 1.27 it knows only PreferClose. @internal */
export function sameDistribution(a: string, b: string): boolean {
  const norm = (x: string) => (x.toLowerCase() === 'preferclose' ? 'prefersamezone' : x.toLowerCase());
  return norm(a) === norm(b);
}

/** How a traffic distribution is written on a Service for a Kubernetes release. @internal */
export interface TrafficDistributionRendering {
  /** The `spec.trafficDistribution` value, when the release accepts one that Istio reads the same. */
  readonly field?: string;
  /** The `networking.istio.io/traffic-distribution` annotation value, when the field cannot carry it. */
  readonly annotation?: string;
}

/**
 * `spec.trafficDistribution` is beta (on) from 1.31; `PreferSameZone`/`PreferSameNode` are
 * accepted by default from 1.34. `PreferSameZone` on 1.31–1.33 is written as `PreferClose`, which
 * Kubernetes and Istio treat the same; `PreferSameNode` below 1.34 (and anything below 1.31) as
 * Istio's annotation, which only Istio reads. @internal
 */
export function renderTrafficDistribution(
  td: TrafficDistribution, k8s: KubernetesVersion, istio: IstioVersion = IstioVersion.LATEST,
): TrafficDistributionRendering {
  // Istio before 1.27 knows only PreferClose, which it reads as PreferSameZone is read later
  if (istio.minor < 27 && td === TrafficDistribution.PREFER_SAME_ZONE) td = TrafficDistribution.PREFER_CLOSE;
  if (k8s.minor >= 34) return { field: td };
  if (k8s.minor >= 31 && td !== TrafficDistribution.PREFER_SAME_NODE) return { field: TrafficDistribution.PREFER_CLOSE };
  return { annotation: td };
}

/** Istio releases already warned about, per App root. */
const WARNED_RELEASES = new WeakMap<IConstruct, Set<string>>();

/**
 * The `istioVersion` prop of a construct: an `IstioVersion` (also from another copy of this
 * package), defaulting to the newest modelled release. A release newer than that is modelled as it,
 * with a warning. @internal
 */
export function checkIstioVersion(scope: IConstruct, construct: string, field: string, value: unknown): IstioVersion {
  if (value === undefined) return IstioVersion.LATEST;
  const version = releaseOf(value);
  if (version === undefined) {
    invalid(scope, construct, field, value, 'not an IstioVersion', 'IstioVersion.V1_29, V1_30, V1_31 or IstioVersion.of("1.MINOR")');
  }
  const v = IstioVersion.of(version);
  // a fact about the release, not about one construct: said once per App (the mesh passes its
  // release to every construct it creates, which would repeat it per rule and gateway)
  const warned = WARNED_RELEASES.get(scope.node.root) ?? new Set<string>();
  WARNED_RELEASES.set(scope.node.root, warned);
  if (warned.has(v.version)) return v;
  warned.add(v.version);
  if (v.minor < 29) {
    warn(scope, construct, field, v.version, `Istio ${v.version} is older than the releases this library models (1.29–1.31): its version gates apply, but explain follows 1.29 otherwise and the output is not tested against its CRDs`,
      'Istio 1.29 or newer (older releases are out of Istio\'s support)');
  }
  if (v.isNewerThanModelled) {
    warn(scope, construct, field, v.version, `Istio ${v.version} is newer than the newest release this library models (${IstioVersion.LATEST.version}): validation and explain follow ${IstioVersion.LATEST.version}`,
      `IstioVersion.LATEST, or a library release that knows ${v.version}`);
  }
  return v;
}

/** The `kubernetesVersion` prop: a `KubernetesVersion`, default 1.32. @internal */
export function checkKubernetesVersion(scope: IConstruct, construct: string, field: string, value: unknown): KubernetesVersion {
  if (value === undefined) return KubernetesVersion.V1_32;
  const version = releaseOf(value);
  if (version === undefined) {
    invalid(scope, construct, field, value, 'not a KubernetesVersion', 'KubernetesVersion.V1_31 … V1_36 or KubernetesVersion.of("1.MINOR")');
  }
  return KubernetesVersion.of(version);
}

/** The release string of an IstioVersion/KubernetesVersion, also from another copy of the package; undefined for anything else. @internal */
export function releaseOf(value: unknown): string | undefined {
  const v = value as { version?: unknown; minor?: unknown } | null;
  return v !== null && typeof v === 'object' && typeof v.version === 'string' && typeof v.minor === 'number' ? v.version : undefined;
}

/**
 * Refuses a setting the target Istio release lacks, naming the release that introduced it. @internal
 */
export function requireIstio(
  scope: IConstruct, construct: string, field: string, value: unknown, target: IstioVersion, since: number, what: string, source: string,
): void {
  if (target.minor >= since) return;
  invalid(scope, construct, field, value, `${what} needs Istio 1.${since} (${source}); the target is Istio ${target.version}`,
    `istioVersion IstioVersion.of("1.${since}") or newer, or leave the setting out`);
}
