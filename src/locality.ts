/** The locality settings of a DestinationRule's `localityLbSetting`, shared by the rule and the explain engine. */

/** One explicit failover target (`localityLbSetting.failover[]`): regions only. */
export interface LocalityFailover {
  /** The region of the clients this entry applies to, e.g. `tokyo-onprem`. */
  readonly from: string;
  /** The region their traffic fails over to when every endpoint in their own region is unhealthy, e.g. `asia-northeast1`. */
  readonly to: string;
}

/** One weighted-distribution entry (`localityLbSetting.distribute[]`). */
export interface LocalityDistribution {
  /** The clients' locality, `region/zone/subzone` with `*` as a whole final segment, e.g. `asia-northeast1/*`. */
  readonly from: string;
  /**
   * Destination localities and their weights: integers from 1 to 100 that add up to exactly 100.
   * istiod removes the endpoints of every locality not listed (`applyLocalityWeights`), so those
   * never receive traffic from these clients, not even when every listed locality is down (then:
   * 503 `no healthy upstream`). To keep a standby, list it with a small weight (e.g. 99/1).
   */
  readonly to: { [locality: string]: number };
}
