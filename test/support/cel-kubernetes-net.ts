/* eslint-disable no-bitwise */ // address parsing and masking are bit operations
/**
 * Test support: stand-ins for the Kubernetes CEL IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library ip.go and
 * cidr.go), which @bufbuild/cel lacks, and the Kubernetes OpenAPI `ipv4`/`ipv6` string formats.
 *
 * Kubernetes parses with Go's `net/netip` (strict: no leading zeros in IPv4 octets, at most 4 hex digits per IPv6
 * group) and then rejects zones and IPv4-mapped IPv6 addresses; `parseAddr` follows `netip.ParseAddr` step by step,
 * error texts included. The OpenAPI formats (kube-openapi strfmt) use `netutils.ParseIPSloppy` instead, the
 * pre-Go-1.17 `net.ParseIP` (leading zeros allowed, no zones), plus a `.`/`:` check.
 *
 * CEL values: an IP is a map tagged with IP_TAG holding its canonical text (`netip.Addr.String()`), a CIDR one tagged
 * with CIDR_TAG holding the address text and prefix length, so `==` compares them as Kubernetes does.
 */
import { CelScalar, celFunc, celMethod, mapType, type CelFunc, type CelMap } from '@bufbuild/cel';

/** A parsed address: 4 bytes (IPv4) or 16 bytes (IPv6), and the zone (IPv6 only). */
export interface Addr {
  readonly bytes: number[];
  readonly zone: string;
}

const quote = (s: string): string => JSON.stringify(s);

class ParseAddrError extends Error {
  constructor(input: string, msg: string, at?: string) {
    super(`ParseAddr(${quote(input)}): ${msg}${at ? ` (at ${quote(at)})` : ''}`);
  }
}

/** `parseIPv4Fields` of net/netip; `sloppy`: leading zeros allowed (netutils.ParseIPSloppy). */
function parseIPv4Fields(input: string, s: string, sloppy: boolean): number[] {
  const fields: number[] = [];
  let val = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') {
      if (!sloppy && digits === 1 && val === 0) throw new ParseAddrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (val > 255) throw new ParseAddrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') throw new ParseAddrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (fields.length === 3) throw new ParseAddrError(input, 'IPv4 address too long');
      fields.push(val);
      val = 0;
      digits = 0;
    } else {
      throw new ParseAddrError(input, 'unexpected character', s.slice(i));
    }
  }
  if (fields.length < 3) throw new ParseAddrError(input, 'IPv4 address too short');
  fields.push(val);
  return fields;
}

/** `parseIPv6` of net/netip; `sloppy`: no 4-digit limit per group (only the value must fit 16 bits). */
function parseIPv6(input: string, sloppy: boolean): Addr {
  let s = input;
  let zone = '';
  const percent = s.indexOf('%');
  if (percent >= 0) {
    zone = s.slice(percent + 1);
    s = s.slice(0, percent);
    if (zone === '') throw new ParseAddrError(input, 'zone must be a non-empty string');
  }
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return { bytes: ip, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const digit = parseInt(s[off], 16);
      if (Number.isNaN(digit)) break;
      acc = acc * 16 + digit;
      if (!sloppy && off > 3) throw new ParseAddrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) throw new ParseAddrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) throw new ParseAddrError(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) throw new ParseAddrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) throw new ParseAddrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      parseIPv4Fields(input, s, sloppy).forEach((b, j) => { ip[i + j] = b; });
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') throw new ParseAddrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) throw new ParseAddrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) throw new ParseAddrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') throw new ParseAddrError(input, 'trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) throw new ParseAddrError(input, 'address string too short');
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    throw new ParseAddrError(input, 'the :: must expand to at least one field of zeros', input);
  }
  return { bytes: ip, zone };
}

/** Go's `netip.ParseAddr` (throws its error); `sloppy` relaxes it to `netutils.ParseIPSloppy`'s number syntax. */
export function parseAddr(s: string, sloppy = false): Addr {
  for (const c of s) {
    if (c === '.') return { bytes: parseIPv4Fields(s, s, sloppy), zone: '' };
    if (c === ':') return parseIPv6(s, sloppy);
    if (c === '%') throw new ParseAddrError(s, 'missing IPv6 address');
  }
  throw new ParseAddrError(s, 'unable to parse IP');
}

const is4In6 = (a: Addr): boolean =>
  a.bytes.length === 16 && a.bytes.slice(0, 10).every(b => b === 0) && a.bytes[10] === 0xff && a.bytes[11] === 0xff;

/** `netip.Addr.String()` without zone: dotted quad, or RFC 5952 (longest run of two or more zero groups as `::`). */
export function addrString(a: Addr): string {
  if (a.bytes.length === 4) return a.bytes.join('.');
  if (is4In6(a)) return `::ffff:${a.bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => (a.bytes[2 * i] << 8) | a.bytes[2 * i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map(g => g.toString(16)).join(':');
  return bestStart < 0 ? hex(0, 8) : `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** k8s `parseIPAddr`: netip.ParseAddr, then no zone and no IPv4-mapped IPv6. */
export function parseKubernetesIP(raw: string): Addr {
  let addr: Addr;
  try {
    addr = parseAddr(raw);
  } catch (e) {
    throw new Error(`IP Address ${quote(raw)} parse error during conversion from string: ${(e as Error).message}`);
  }
  if (addr.zone !== '') throw new Error(`IP address ${quote(raw)} with zone value is not allowed`);
  if (is4In6(addr)) throw new Error(`IPv4-mapped IPv6 address ${quote(raw)} is not allowed`);
  return addr;
}

/** A parsed prefix: address as written (not masked) and prefix length. */
export interface Prefix {
  readonly addr: Addr;
  readonly bits: number;
}

/** k8s `parseCIDR`: netip.ParsePrefix, then no IPv4-mapped IPv6 address. */
export function parseKubernetesCIDR(raw: string): Prefix {
  const fail = (msg: string): never => {
    throw new Error(`network address parse error during conversion from string: netip.ParsePrefix(${quote(raw)}): ${msg}`);
  };
  const slash = raw.lastIndexOf('/');
  if (slash < 0) return fail("no '/'");
  let addr: Addr;
  try {
    addr = parseAddr(raw.slice(0, slash));
  } catch (e) {
    return fail((e as Error).message);
  }
  if (addr.bytes.length === 16 && addr.zone !== '') fail('IPv6 zones cannot be present in a prefix');
  const bitsText = raw.slice(slash + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(bitsText)) fail(`bad bits after slash: ${quote(bitsText)}`);
  const bits = Number(bitsText);
  if (bits > addr.bytes.length * 8) fail('prefix length out of range');
  if (is4In6(addr)) throw new Error(`IPv4-mapped IPv6 address ${quote(raw)} is not allowed`);
  return { addr, bits };
}

function masked(p: Prefix): Addr {
  return { zone: '', bytes: p.addr.bytes.map((b, i) => b & (0xff << Math.max(0, Math.min(8, 8 * (i + 1) - p.bits))) & 0xff) };
}

function prefixContains(p: Prefix, a: Addr): boolean {
  if (a.bytes.length !== p.addr.bytes.length) return false;
  return addrString(masked({ addr: a, bits: p.bits })) === addrString(masked(p));
}

// ---------------------------------------------------------------------------------------------------------------
// netip.Addr predicates
// ---------------------------------------------------------------------------------------------------------------

const isUnspecified = (a: Addr): boolean => a.bytes.every(b => b === 0);
const isLoopback = (a: Addr): boolean => (a.bytes.length === 4 ? a.bytes[0] === 127 : a.bytes.slice(0, 15).every(b => b === 0) && a.bytes[15] === 1);
const isMulticast = (a: Addr): boolean => (a.bytes.length === 4 ? (a.bytes[0] & 0xf0) === 0xe0 : a.bytes[0] === 0xff);
const isLinkLocalMulticast = (a: Addr): boolean => (a.bytes.length === 4
  ? a.bytes[0] === 224 && a.bytes[1] === 0 && a.bytes[2] === 0
  : a.bytes[0] === 0xff && (a.bytes[1] & 0x0f) === 0x02);
const isLinkLocalUnicast = (a: Addr): boolean => (a.bytes.length === 4
  ? a.bytes[0] === 169 && a.bytes[1] === 254
  : a.bytes[0] === 0xfe && (a.bytes[1] & 0xc0) === 0x80);
const isGlobalUnicast = (a: Addr): boolean => !(a.bytes.length === 4 && a.bytes.every(b => b === 255))
  && !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a);

// ---------------------------------------------------------------------------------------------------------------
// CEL
// ---------------------------------------------------------------------------------------------------------------

/** Marker keys of the CEL maps `ip()` and `cidr()` return (stand-ins for the Kubernetes IP and CIDR types). */
export const IP_TAG = '\u0000kubernetes.IP';
export const CIDR_TAG = '\u0000kubernetes.CIDR';

const NET = mapType(CelScalar.DYN, CelScalar.DYN);

function ipValue(a: Addr): Map<string, string> {
  return new Map([[IP_TAG, ''], ['addr', addrString(a)]]);
}

function cidrValue(p: Prefix): Map<string, string | bigint> {
  return new Map<string, string | bigint>([[CIDR_TAG, ''], ['addr', addrString(p.addr)], ['bits', BigInt(p.bits)]]);
}

function ipOf(value: CelMap, what: string): Addr {
  if (!value.has(IP_TAG)) throw new Error(`${what} applies to ip() values only`);
  return parseAddr(String(value.get('addr')));
}

function cidrOf(value: CelMap, what: string): Prefix {
  if (!value.has(CIDR_TAG)) throw new Error(`${what} applies to cidr() values only`);
  return { addr: parseAddr(String(value.get('addr'))), bits: Number(value.get('bits')) };
}

/** k8s.io/apiserver/pkg/cel/library/ip.go: isIP, ip, ip.isCanonical, family, is* predicates, string(ip). */
export function kubernetesIpLibrary(): CelFunc[] {
  const predicate = (name: string, test: (a: Addr) => boolean): CelFunc =>
    celMethod(name, NET, [], CelScalar.BOOL, function (this: CelMap) { return test(ipOf(this, `${name}()`)); });
  return [
    celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s: string) => {
      try {
        parseKubernetesIP(s);
        return true;
      } catch {
        return false;
      }
    }),
    celFunc('ip', [CelScalar.STRING], NET, (s: string) => ipValue(parseKubernetesIP(s))),
    celFunc('ip.isCanonical', [CelScalar.STRING], CelScalar.BOOL, (s: string) => addrString(parseKubernetesIP(s)) === s),
    celMethod('family', NET, [], CelScalar.INT, function (this: CelMap) { return ipOf(this, 'family()').bytes.length === 4 ? 4n : 6n; }),
    predicate('isUnspecified', isUnspecified),
    predicate('isLoopback', isLoopback),
    predicate('isLinkLocalMulticast', isLinkLocalMulticast),
    predicate('isLinkLocalUnicast', isLinkLocalUnicast),
    predicate('isGlobalUnicast', isGlobalUnicast),
    celFunc('string', [NET], CelScalar.STRING, (v: CelMap) => {
      if (v.has(IP_TAG)) return String(v.get('addr'));
      if (v.has(CIDR_TAG)) return `${String(v.get('addr'))}/${String(v.get('bits'))}`;
      throw new Error('no such overload: string(map)');
    }),
  ];
}

/** k8s.io/apiserver/pkg/cel/library/cidr.go: isCIDR, cidr, containsIP, containsCIDR, ip, masked, prefixLength. */
export function kubernetesCidrLibrary(): CelFunc[] {
  return [
    celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (s: string) => {
      try {
        parseKubernetesCIDR(s);
        return true;
      } catch {
        return false;
      }
    }),
    celFunc('cidr', [CelScalar.STRING], NET, (s: string) => cidrValue(parseKubernetesCIDR(s))),
    celMethod('containsIP', NET, [CelScalar.STRING], CelScalar.BOOL, function (this: CelMap, s: string) {
      return prefixContains(cidrOf(this, 'containsIP()'), parseKubernetesIP(s));
    }),
    celMethod('containsIP', NET, [NET], CelScalar.BOOL, function (this: CelMap, ip: CelMap) {
      return prefixContains(cidrOf(this, 'containsIP()'), ipOf(ip, 'containsIP()'));
    }),
    ...[CelScalar.STRING, NET].map(arg => celMethod('containsCIDR', NET, [arg], CelScalar.BOOL, function (this: CelMap, other: string | CelMap) {
      const p = cidrOf(this, 'containsCIDR()');
      const q = typeof other === 'string' ? parseKubernetesCIDR(other) : cidrOf(other, 'containsCIDR()');
      // cidr.go: cidr.Masked() == netip.PrefixFrom(other.Addr(), cidr.Bits()) && cidr.Bits() <= other.Bits()
      return p.bits <= q.bits && prefixContains(p, q.addr);
    })),
    celMethod('ip', NET, [], NET, function (this: CelMap) { return ipValue(cidrOf(this, 'ip()').addr); }),
    celMethod('masked', NET, [], NET, function (this: CelMap) {
      const p = cidrOf(this, 'masked()');
      return cidrValue({ addr: masked(p), bits: p.bits });
    }),
    celMethod('prefixLength', NET, [], CelScalar.INT, function (this: CelMap) { return BigInt(cidrOf(this, 'prefixLength()').bits); }),
  ];
}

/** kube-openapi strfmt `ipv4`: ParseIPSloppy succeeds and the text contains a dot. */
export function isOpenApiIPv4(s: string): boolean {
  return s.includes('.') && parsesSloppy(s);
}

/** kube-openapi strfmt `ipv6`: ParseIPSloppy succeeds and the text contains a colon. */
export function isOpenApiIPv6(s: string): boolean {
  return s.includes(':') && parsesSloppy(s);
}

function parsesSloppy(s: string): boolean {
  try {
    return parseAddr(s, true).zone === ''; // net.ParseIP rejects zones
  } catch {
    return false;
  }
}
