import { EndpointGroup } from '../src/explain/endpoints';
import { balance, effectiveLocalityWeight, priorityHealth } from '../src/explain/envoy-lb';
import { ExplainCluster } from '../src/explain/model';

const C: ExplainCluster = { name: 'c', network: 'n', region: 'r', zones: [] };

/** A group of direct endpoints as seen with outlier detection (failing ones ejected). */
function direct(zone: string, endpoints: number, healthy: number, priority = 0): EndpointGroup {
  return {
    cluster: C,
    region: 'r',
    zone,
    subzone: '',
    endpoints,
    healthyEndpoints: healthy,
    viaGateway: false,
    hosts: endpoints,
    hostWeight: endpoints,
    eligibleHosts: healthy,
    eligibleWeight: healthy,
    successWhenEligible: 1,
    answeringWeight: healthy,
    priority,
    traffic: 0,
    failed: 0,
  };
}

/** A gateway host standing for `endpoints` remote endpoints. */
function gateway(zone: string, endpoints: number, up: boolean, priority = 0): EndpointGroup {
  return {
    cluster: C,
    region: 'r',
    zone,
    subzone: '',
    endpoints,
    healthyEndpoints: up ? endpoints : 0,
    viaGateway: true,
    hosts: 1,
    hostWeight: endpoints,
    eligibleHosts: up ? 1 : 0,
    eligibleWeight: up ? endpoints : 0,
    successWhenEligible: 1,
    answeringWeight: up ? endpoints : 0,
    priority,
    traffic: 0,
    failed: 0,
  };
}

describe('Envoy load balancer arithmetic', () => {
  test('priority health is integer: 140 × healthy / hosts, floored, capped at 100', () => {
    expect(priorityHealth(1, 3)).toBe(46);
    expect(priorityHealth(5, 10)).toBe(70);
    expect(priorityHealth(8, 10)).toBe(100);
    expect(priorityHealth(0, 0)).toBe(0);
  });

  test('a gateway counts as one host for priority health, whatever its weight', () => {
    // P0: 2 direct hosts (1 failing) + a healthy gateway of weight 10 → 2/3 hosts healthy → health 93
    const groups = [direct('a', 2, 1), gateway('b', 10, true), direct('x', 4, 4, 1)];
    const out = balance(groups, false, 0);
    expect(out.levels.map((l) => [l.health, l.load])).toEqual([[93, 93], [100, 7]]);
    // within P0 hosts are picked by weight: 1 healthy direct host (weight 1) vs gateway (weight 10)
    expect(groups[0].traffic).toBeCloseTo(93 / 11);
    expect(groups[1].traffic).toBeCloseTo((93 * 10) / 11);
  });

  test('locality-weighted: weight × min(1, 1.4 × healthy / hosts) picks the locality, not host weight', () => {
    expect(effectiveLocalityWeight(2, 1, 2)).toBeCloseTo(1.4);
    // same priority, two localities of weight 2: a (1 of 2 healthy), b (gateway up)
    const weighted = [direct('a', 2, 1), gateway('b', 2, true)];
    balance(weighted, true, 0);
    expect(weighted[0].traffic).toBeCloseTo((100 * 1.4) / 3.4);
    expect(weighted[1].traffic).toBeCloseTo((100 * 2) / 3.4);
    // the same hosts without LocalityWeightedLbConfig: healthy hosts by weight, 1 vs 2
    const unweighted = [direct('a', 2, 1), gateway('b', 2, true)];
    balance(unweighted, false, 0);
    expect(unweighted[0].traffic).toBeCloseTo(100 / 3);
  });

  test('leftover load from integer rounding goes to the first priority with health', () => {
    // P0 1/3 → 46, P1 1/3 → 46, P2 1/3 → 46: total 100 → 46, 46, 8 (min(remaining, 46))
    const groups = [direct('a', 3, 1, 0), direct('b', 3, 1, 1), direct('c', 3, 1, 2)];
    expect(balance(groups, false, 0).levels.map((l) => l.load)).toEqual([46, 46, 8]);
    // P0 1/7 → 20, P1 1/7 → 20: total 40 → floor(20 × 100 / 40) = 50 each
    const small = [direct('a', 7, 1, 0), direct('b', 7, 1, 1)];
    expect(balance(small, false, 0).levels.map((l) => l.load)).toEqual([50, 50]);
  });

  test('nothing healthy: 503 with panic disabled, every host (failing) in total panic otherwise', () => {
    const disabled = [direct('a', 2, 0), direct('b', 2, 0, 1)];
    expect(balance(disabled, false, 0).noHealthyUpstream).toBe(100);
    const panicking = [direct('a', 3, 0), direct('b', 1, 0, 1)];
    const out = balance(panicking, false, 50);
    expect(out.noHealthyUpstream).toBe(0);
    expect(out.levels.map((l) => [l.panic, l.load])).toEqual([[true, 75], [true, 25]]);
    expect(panicking[0].failed).toBeCloseTo(75);
  });
});
