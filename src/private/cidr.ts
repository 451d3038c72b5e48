import { show } from './invalid';
/** CIDR parsing for source ranges (IPv4 and IPv6, canonical form). @internal */

/**
 * Checks a CIDR the way it should be written in a Service: canonical address (no leading zeros),
 * a mask, and no host bits set. Returns the problem, or undefined. @internal
 */
export function cidrError(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  const slash = value.indexOf('/');
  if (slash < 0) {
    const v4 = parseIPv4(value) !== undefined;
    const v6 = !v4 && parseIPv6(value) !== undefined;
    if (v4) return `CIDR mask is missing; did you mean "${value}/32"?`;
    if (v6) return `CIDR mask is missing; did you mean "${value}/128"?`;
    return 'not a CIDR';
  }
  const addr = value.slice(0, slash);
  const maskText = value.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(maskText)) return `invalid prefix length ${show(maskText)}`;
  const mask = Number(maskText);
  for (const [groups, bits, family] of [[parseIPv4(addr), 8, 'IPv4'], [parseIPv6(addr), 16, 'IPv6']] as const) {
    if (groups === undefined) continue;
    const width = groups.length * bits;
    if (mask > width) return `prefix length /${mask} is longer than ${width} bits`;
    const network = maskGroups(groups, bits, mask);
    if (network.some((g, i) => g !== groups[i])) {
      return `host bits are set; did you mean "${family === 'IPv4' ? network.join('.') : formatIPv6(network)}/${mask}"?`;
    }
    return undefined;
  }
  return `${show(addr)} is not an IPv4 or IPv6 address`;
}

/** Clears the bits after the first `mask` bits (groups of `bits` bits each), with arithmetic only. */
function maskGroups(groups: number[], bits: number, mask: number): number[] {
  return groups.map((g, i) => {
    const kept = Math.min(bits, Math.max(0, mask - i * bits));
    const unit = 2 ** (bits - kept);
    return g - (g % unit);
  });
}

/** The four bytes of a dotted-quad IPv4 address without leading zeros, or undefined. */
function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  if (parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map(Number);
}

/** The eight 16-bit groups of an IPv6 address (`::` and an embedded IPv4 tail allowed; no zone), or undefined. */
function parseIPv6(s: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let text = s;
  let v4Tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    v4Tail = [v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]];
    // Keep a trailing "::" ("::192.0.2.1"); drop a single separating ":" ("::ffff:192.0.2.1").
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return undefined;
  const explicit = head.length + tail.length + v4Tail.length;
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    return [...head, ...new Array<number>(8 - explicit).fill(0), ...tail, ...v4Tail];
  }
  return explicit === 8 ? [...head, ...v4Tail] : undefined;
}

/** RFC 5952 text form: lowercase, the longest run (≥ 2) of zero groups compressed to `::`. */
function formatIPv6(groups: number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
