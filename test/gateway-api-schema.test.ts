import { addrString, isOpenApiIPv4, isOpenApiIPv6, parseAddr, parseKubernetesCIDR, parseKubernetesIP } from './support/cel-kubernetes-net';
import { SampleSchema, sampleOf } from './support/samples';
import { evaluateCelRule, compileCelRule, GATEWAY_API_RELEASE, gatewayApiCelRules, validateManifest } from './support/schema';

// ---------------------------------------------------------------------------------------------------------------
// fixtures: the east-west Gateway shapes the library is about to emit (fresh objects per call)
// ---------------------------------------------------------------------------------------------------------------

function gateway(gatewayClassName: string, spec: Record<string, unknown>, labels?: Record<string, string>): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'istio-eastwestgateway', namespace: 'istio-system', ...(labels ? { labels } : {}) },
    spec: { gatewayClassName, ...spec },
  };
}

const crossNetworkListener = (): any => ({
  name: 'cross-network',
  port: 15443,
  protocol: 'TLS',
  tls: { mode: 'Passthrough', options: { 'gateway.istio.io/listener-protocol': 'auto-passthrough' } },
});

/** Sidecar-mode east-west gateway: AUTO_PASSTHROUGH on 15443. */
const sidecarEastWest = (): any => gateway('istio', { listeners: [crossNetworkListener()] }, { 'topology.istio.io/network': 'net1' });

/** Ambient east-west gateway: HBONE on 15008, terminated with Istio mTLS. */
const ambientEastWest = (): any => gateway('istio-east-west', {
  listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', tls: { mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } } }],
}, { 'topology.istio.io/network': 'net1' });

/** A remote network's gateway, known by address. */
const remoteGateway = (address: Record<string, string>): any => gateway('istio-remote', { addresses: [address], listeners: [crossNetworkListener()] },
  { 'topology.istio.io/network': 'net2' });

const PREFIX = 'Gateway/istio-eastwestgateway: ';

describe(`Gateway API ${GATEWAY_API_RELEASE} objects`, () => {
  test('a sidecar east-west Gateway (class istio, TLS auto-passthrough on 15443) is valid', () => {
    expect(validateManifest(sidecarEastWest())).toEqual([]);
  });

  test('an ambient east-west Gateway (class istio-east-west, HBONE on 15008, ISTIO_MUTUAL) is valid', () => {
    expect(validateManifest(ambientEastWest())).toEqual([]);
  });

  test('an istio-remote Gateway with an IPAddress address or a Hostname address is valid', () => {
    expect(validateManifest(remoteGateway({ type: 'IPAddress', value: '203.0.113.10' }))).toEqual([]);
    expect(validateManifest(remoteGateway({ type: 'IPAddress', value: '2001:db8::10' }))).toEqual([]);
    expect(validateManifest(remoteGateway({ type: 'Hostname', value: 'eastwest.net2.example.com' }))).toEqual([]);
  });

  test('an address without a type is defaulted to IPAddress before validation (else its oneOf would be ambiguous)', () => {
    expect(validateManifest(remoteGateway({ value: '203.0.113.10' }))).toEqual([]);
    expect(validateManifest(remoteGateway({ value: 'eastwest.net2.example.com' }))).toEqual([
      expect.stringContaining(`${PREFIX}spec.addresses[0]: must match exactly one schema in oneOf`),
    ]);
  });

  test('validation does not modify the object (defaults are applied to a copy)', () => {
    const gw = remoteGateway({ value: '203.0.113.10' });
    const before = JSON.stringify(gw);
    validateManifest(gw);
    expect(JSON.stringify(gw)).toEqual(before);
  });

  test('tls mode Terminate without certificateRefs or options trips the CEL rule, also when the mode is defaulted', () => {
    const message = 'certificateRefs or options must be specified when mode is Terminate';
    const explicit = gateway('istio', { listeners: [{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Terminate' } }] });
    const defaulted = gateway('istio', { listeners: [{ name: 'tls', port: 443, protocol: 'TLS', tls: {} }] });
    for (const gw of [explicit, defaulted]) {
      const errors = validateManifest(gw);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`${PREFIX}spec.listeners[0].tls: ${message} (x-kubernetes-validations rule`);
    }
  });

  test('an IPAddress address whose value is not an IP is rejected (v1.5.1 checks it with format ipv4/ipv6 in a oneOf)', () => {
    const errors = validateManifest(remoteGateway({ type: 'IPAddress', value: 'eastwest.net2.example.com' }));
    expect(errors).toEqual([expect.stringContaining(`${PREFIX}spec.addresses[0]: must match exactly one schema in oneOf`)]);
    expect(errors[0]).toContain('spec.addresses[0].value: must match format "ipv4", got string "eastwest.net2.example.com"');
    expect(errors[0]).toContain('must match format "ipv6"');
  });

  test('duplicate IPAddress values trip the uniqueness CEL rule', () => {
    const gw = remoteGateway({ type: 'IPAddress', value: '203.0.113.10' });
    gw.spec.addresses.push({ type: 'IPAddress', value: '203.0.113.10' });
    expect(validateManifest(gw)).toEqual([expect.stringContaining(`${PREFIX}spec.addresses: IPAddress values must be unique (x-kubernetes-validations rule`)]);
  });

  test('an uppercase Hostname address value trips the CEL rule', () => {
    expect(validateManifest(remoteGateway({ type: 'Hostname', value: 'EastWest.example.com' }))).toEqual([
      expect.stringContaining(`${PREFIX}spec.addresses[0]: Hostname value must be empty or contain only valid characters`),
    ]);
  });

  test('two listeners with the same name trip the CEL rule (and the list-map key check)', () => {
    const gw = sidecarEastWest();
    gw.spec.listeners.push({ ...crossNetworkListener(), port: 15444 });
    expect(validateManifest(gw)).toEqual([
      expect.stringContaining(`${PREFIX}spec.listeners: Listener name must be unique within the Gateway (x-kubernetes-validations rule`),
      `${PREFIX}spec.listeners[1]: Duplicate value: same name ["cross-network"] as item 0`,
    ]);
  });

  test('a listener hostname with uppercase letters fails the OpenAPI pattern', () => {
    const gw = sidecarEastWest();
    gw.spec.listeners[0].hostname = 'Mesh.example.com';
    expect(validateManifest(gw)).toEqual([
      `${PREFIX}spec.listeners[0].hostname: must match pattern "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", got string "Mesh.example.com"`,
    ]);
  });

  test('spec.infrastructure.labels with more than 8 entries is rejected (maxProperties)', () => {
    const gw = sidecarEastWest();
    gw.spec.infrastructure = { labels: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`label-${i}`, 'v'])) };
    expect(validateManifest(gw)).toEqual([`${PREFIX}spec.infrastructure.labels: must NOT have more than 8 properties, got an object`]);
  });

  test('an invalid infrastructure label key trips the CEL rule', () => {
    const gw = sidecarEastWest();
    gw.spec.infrastructure = { labels: { 'bad key': 'v' } };
    expect(validateManifest(gw)).toEqual([expect.stringContaining(`${PREFIX}spec.infrastructure.labels: Label keys must be in the form of an optional DNS subdomain prefix`)]);
  });

  test('an unknown field is rejected', () => {
    const gw = sidecarEastWest();
    gw.spec.listener = [];
    expect(validateManifest(gw)).toEqual([`${PREFIX}spec.listener: unknown field "listener"`]);
  });

  test('a kind or version not served by the standard channel is an error, not skipped', () => {
    const tlsRoute = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', metadata: { name: 'r' }, spec: {} };
    expect(validateManifest(tlsRoute)).toEqual([
      'TLSRoute/r: unknown apiVersion/kind: no matches for kind "TLSRoute" in version "gateway.networking.k8s.io/v1alpha2" (TLSRoute v1alpha2 is not served; served versions: v1)',
    ]);
    const tcpRoute = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'r' }, spec: {} };
    expect(validateManifest(tcpRoute)).toEqual([expect.stringContaining('TCPRoute/r: unknown apiVersion/kind: no matches for kind "TCPRoute"')]);
    expect(validateManifest(tcpRoute)[0]).toContain('has BackendTLSPolicy, GRPCRoute, Gateway, GatewayClass, HTTPRoute, ListenerSet, ReferenceGrant, TLSRoute');
  });

  test('other kinds of the bundle are checked too: a TLSRoute v1 hostname must not be an IP (isIP)', () => {
    const route = (hostnames: string[]): any => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TLSRoute',
      metadata: { name: 'r', namespace: 'default' },
      spec: { parentRefs: [{ name: 'gw' }], hostnames, rules: [{ backendRefs: [{ name: 'svc', port: 443 }] }] },
    });
    expect(validateManifest(route(['echo.example.com']))).toEqual([]);
    expect(validateManifest(route(['10.0.0.1']))).toEqual([expect.stringContaining('TLSRoute/r: spec.hostnames: Hostnames cannot contain an IP')]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// CEL rules of the bundle
// ---------------------------------------------------------------------------------------------------------------


describe('Gateway API CEL rules', () => {
  const rules = gatewayApiCelRules();

  test('the bundle has CEL rules, isIP among them', () => {
    expect(rules.length).toBeGreaterThanOrEqual(70);
    expect(rules.map(r => r.rule)).toContain('self.all(h, !isIP(h))');
  });

  test.each(rules.filter(r => !/\boldSelf\b/.test(r.rule)).map(r => [`${r.where} (${r.message})`, r]))('rule at %s compiles and evaluates with bound functions', (_name, r) => {
    expect(() => compileCelRule(r.rule)).not.toThrow();
    for (const full of [false, true]) {
      const result = evaluateCelRule(r.rule, sampleOf(r.schema as SampleSchema, full, '1s'), r.schema);
      if (typeof result === 'string') expect(result).not.toMatch(/unbound function|no matching overload|unsupported/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// stand-ins for the Kubernetes CEL IP/CIDR libraries (k8s.io/apiserver/pkg/cel/library ip.go, cidr.go)
// ---------------------------------------------------------------------------------------------------------------

describe('Kubernetes CEL IP library stand-in', () => {
  test('isIP follows netip.ParseAddr and rejects zones and IPv4-mapped IPv6', () => {
    for (const ok of ['127.0.0.1', '0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8::1', 'fe80::1', '1:2:3:4:5:6:7:8', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4']) {
      expect([ok, evaluateCelRule('isIP(self)', ok)]).toEqual([ok, true]);
    }
    for (const bad of ['', 'example.com', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.4 ', ':::1', '1::2::3', '12345::1', '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8', '1:2:3:4:5:6:7:8::', 'fe80::1%eth0', '::ffff:1.2.3.4', '::ffff:0102:0304', '1.2.3.4/32', '[::1]', 'g::1', '1:2:3:4:5:1.2.3.4']) {
      expect([bad, evaluateCelRule('isIP(self)', bad)]).toEqual([bad, false]);
    }
  });

  test('ip() errors name the Kubernetes and netip reasons', () => {
    expect(evaluateCelRule('ip(self).family() == 4', '01.2.3.4')).toEqual(
      'IP Address "01.2.3.4" parse error during conversion from string: ParseAddr("01.2.3.4"): IPv4 field has octet with leading zero');
    expect(evaluateCelRule('ip(self).family() == 6', 'fe80::1%eth0')).toEqual('IP address "fe80::1%eth0" with zone value is not allowed');
    expect(evaluateCelRule('ip(self).family() == 6', '::ffff:1.2.3.4')).toEqual('IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed');
    expect(() => parseKubernetesIP('1::2::3')).toThrow('ParseAddr("1::2::3"): multiple :: in address (at ":3")');
  });

  test('family, predicates, equality, string() and ip.isCanonical', () => {
    expect(evaluateCelRule('ip(self).family() == 4', '10.0.0.1')).toBe(true);
    expect(evaluateCelRule('ip(self).family() == 6', '2001:db8::1')).toBe(true);
    expect(evaluateCelRule('ip(self).isLoopback()', '127.1.2.3')).toBe(true);
    expect(evaluateCelRule('ip(self).isLoopback()', '::1')).toBe(true);
    expect(evaluateCelRule('ip(self).isLoopback()', '::2')).toBe(false);
    expect(evaluateCelRule('ip(self).isUnspecified()', '::')).toBe(true);
    expect(evaluateCelRule('ip(self).isUnspecified()', '0.0.0.0')).toBe(true);
    expect(evaluateCelRule('ip(self).isLinkLocalUnicast()', '169.254.1.1')).toBe(true);
    expect(evaluateCelRule('ip(self).isLinkLocalUnicast()', 'febf::1')).toBe(true);
    expect(evaluateCelRule('ip(self).isLinkLocalUnicast()', 'fec0::1')).toBe(false);
    expect(evaluateCelRule('ip(self).isLinkLocalMulticast()', '224.0.0.251')).toBe(true);
    expect(evaluateCelRule('ip(self).isLinkLocalMulticast()', 'ff02::1')).toBe(true);
    expect(evaluateCelRule('ip(self).isLinkLocalMulticast()', 'ff05::1')).toBe(false);
    for (const [addr, global] of [['203.0.113.10', true], ['10.0.0.1', true], ['fd00::1', true], ['255.255.255.255', false], ['224.0.0.1', false], ['ff0e::1', false], ['fe80::1', false], ['127.0.0.1', false]] as const) {
      expect([addr, evaluateCelRule('ip(self).isGlobalUnicast()', addr)]).toEqual([addr, global]);
    }
    expect(evaluateCelRule("ip(self) == ip('2001:db8::1')", '2001:0db8:0:0::1')).toBe(true);
    expect(evaluateCelRule("string(ip(self)) == '2001:db8::1'", '2001:0DB8:0000::0001')).toBe(true);
    expect(evaluateCelRule('ip.isCanonical(self)', '2001:db8::1')).toBe(true);
    expect(evaluateCelRule('ip.isCanonical(self)', '2001:DB8::1')).toBe(false);
    expect(evaluateCelRule('ip.isCanonical(self)', '2001:db8:0:0:0:0:0:1')).toBe(false);
  });

  test('canonical text is RFC 5952 as netip.Addr.String() prints it', () => {
    const canonical = (s: string): string => addrString(parseAddr(s));
    expect(canonical('1:0:0:2:0:0:0:3')).toEqual('1:0:0:2::3'); // longest zero run
    expect(canonical('1:0:0:2:0:0:3:4')).toEqual('1::2:0:0:3:4'); // first of equal runs
    expect(canonical('1:0:2:3:4:5:6:7')).toEqual('1:0:2:3:4:5:6:7'); // a single zero group stays
    expect(canonical('::1.2.3.4')).toEqual('::102:304');
    expect(canonical('0:0:0:0:0:0:0:0')).toEqual('::');
  });
});

describe('Kubernetes CEL CIDR library stand-in', () => {
  test('isCIDR and cidr() follow netip.ParsePrefix', () => {
    for (const ok of ['10.0.0.0/8', '10.1.2.3/8', '0.0.0.0/0', '2001:db8::/32', '::1/128']) expect([ok, evaluateCelRule('isCIDR(self)', ok)]).toEqual([ok, true]);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/+8', '10.0.0.0/', '::/129', 'fe80::/10%eth0', 'fe80::%eth0/64', '::ffff:10.0.0.0/104']) {
      expect([bad, evaluateCelRule('isCIDR(self)', bad)]).toEqual([bad, false]);
    }
    expect(() => parseKubernetesCIDR('10.0.0.0/33')).toThrow('network address parse error during conversion from string: netip.ParsePrefix("10.0.0.0/33"): prefix length out of range');
  });

  test('containsIP, containsCIDR, ip, masked, prefixLength, string()', () => {
    expect(evaluateCelRule("cidr('10.0.0.0/8').containsIP(self)", '10.255.0.1')).toBe(true);
    expect(evaluateCelRule("cidr('10.0.0.0/8').containsIP(self)", '11.0.0.1')).toBe(false);
    expect(evaluateCelRule("cidr('10.0.0.0/8').containsIP(ip(self))", '10.0.0.1')).toBe(true);
    expect(evaluateCelRule("cidr('::/0').containsIP(self)", '10.0.0.1')).toBe(false); // families differ
    expect(evaluateCelRule("cidr('10.0.0.0/8').containsCIDR(self)", '10.1.0.0/16')).toBe(true);
    expect(evaluateCelRule("cidr('10.0.0.0/16').containsCIDR(self)", '10.0.0.0/8')).toBe(false);
    expect(evaluateCelRule("cidr('10.0.0.0/8').containsCIDR(cidr(self))", '10.0.0.0/8')).toBe(true);
    expect(evaluateCelRule("cidr(self).ip() == ip('10.1.2.3')", '10.1.2.3/8')).toBe(true);
    expect(evaluateCelRule("string(cidr(self).masked()) == '10.0.0.0/8'", '10.1.2.3/8')).toBe(true);
    expect(evaluateCelRule("string(cidr(self).masked()) == '2001:db8::/33'", '2001:db8:ffff::/33')).toBe(false);
    expect(evaluateCelRule("string(cidr(self).masked()) == '2001:db8:8000::/33'", '2001:db8:ffff::/33')).toBe(true);
    expect(evaluateCelRule('cidr(self).prefixLength() == 20', '10.0.0.0/20')).toBe(true);
  });
});

describe('kube-openapi ipv4/ipv6 formats', () => {
  test('are ParseIPSloppy plus a dot/colon check: leading zeros pass, zones and hostnames do not', () => {
    expect(isOpenApiIPv4('203.0.113.10')).toBe(true);
    expect(isOpenApiIPv4('010.0.0.1')).toBe(true); // sloppy, unlike isIP()
    expect(isOpenApiIPv4('::1')).toBe(false);
    expect(isOpenApiIPv4('example.com')).toBe(false);
    expect(isOpenApiIPv6('2001:db8::10')).toBe(true);
    expect(isOpenApiIPv6('::ffff:1.2.3.4')).toBe(true);
    expect(isOpenApiIPv6('00002001:db8::10')).toBe(true); // sloppy: group length is not limited
    expect(isOpenApiIPv6('fe80::1%eth0')).toBe(false);
    expect(isOpenApiIPv6('203.0.113.10')).toBe(false);
  });
});
