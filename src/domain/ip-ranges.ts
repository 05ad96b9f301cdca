import { isIPv4, isIPv6 } from 'node:net';

/**
 * What kind of address an IP is, for the outbound-webhook SSRF guard: only `public` addresses
 * may be called. Ranges follow the IANA IPv4/IPv6 special-purpose registries (RFC 6890 and
 * successors); an IPv6 address outside global unicast (2000::/3) is never public.
 */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'unique-local'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'documentation'
  | 'reserved';

interface Range {
  prefix: number[];
  bits: number;
  kind: Exclude<AddressKind, 'public'>;
}

const v4 = (text: string, bits: number, kind: Range['kind']): Range => ({ prefix: parseIPv4(text)!, bits, kind });
const v6 = (text: string, bits: number, kind: Range['kind']): Range => ({ prefix: parseIPv6(text)!, bits, kind });

const IPV4_RANGES: Range[] = [
  v4('0.0.0.0', 8, 'unspecified'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'cgnat'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'documentation'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'documentation'),
  v4('203.0.113.0', 24, 'documentation'),
  v4('224.0.0.0', 4, 'multicast'),
  // Class E and the limited broadcast address 255.255.255.255.
  v4('240.0.0.0', 4, 'reserved'),
];

/** IPv6 prefixes that carry an IPv4 address in their last 32 bits: the IPv4 inside decides. */
const IPV6_EMBEDDING_IPV4: Range[] = [
  v6('::ffff:0:0', 96, 'reserved'), // IPv4-mapped, e.g. ::ffff:127.0.0.1
  v6('64:ff9b::', 96, 'reserved'), // NAT64 well-known prefix: a gateway would reach the IPv4
];

const IPV6_RANGES: Range[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('::', 96, 'reserved'), // IPv4-compatible (deprecated)
  v6('::ffff:0:0:0', 96, 'reserved'), // IPv4-translated
  v6('64:ff9b:1::', 48, 'private'), // local-use NAT64
  v6('100::', 64, 'reserved'), // discard-only
  v6('2001::', 23, 'reserved'), // IETF protocol assignments, Teredo included
  v6('2001:db8::', 32, 'documentation'),
  v6('2002::', 16, 'reserved'), // 6to4 tunnels embed arbitrary IPv4 addresses
  v6('3fff::', 20, 'documentation'),
  v6('5f00::', 16, 'reserved'), // SRv6 SIDs
  v6('fc00::', 7, 'unique-local'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'private'), // site-local (deprecated)
  v6('ff00::', 8, 'multicast'),
];

const GLOBAL_UNICAST = v6('2000::', 3, 'reserved');

export function parseIPv4(text: string): number[] | null {
  return isIPv4(text) ? text.split('.').map(Number) : null;
}

/** 16 bytes of an IPv6 address; accepts brackets, a zone id and a dotted IPv4 tail. */
export function parseIPv6(text: string): number[] | null {
  const address = text.replace(/^\[(.*)\]$/, '$1').split('%')[0]!;
  if (!isIPv6(address)) return null;
  const groupsOf = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      const ipv4 = parseIPv4(group);
      return ipv4 ? [(ipv4[0]! << 8) | ipv4[1]!, (ipv4[2]! << 8) | ipv4[3]!] : [parseInt(group, 16)];
    });
  };
  const [head = '', tail] = address.split('::');
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

function inRange(bytes: number[], range: Range): boolean {
  if (bytes.length !== range.prefix.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (range.prefix[i]! & mask)) return false;
  }
  return true;
}

function classifyIPv4(bytes: number[]): AddressKind {
  return IPV4_RANGES.find((range) => inRange(bytes, range))?.kind ?? 'public';
}

function classifyIPv6(bytes: number[]): AddressKind {
  if (IPV6_EMBEDDING_IPV4.some((range) => inRange(bytes, range))) return classifyIPv4(bytes.slice(12));
  const reserved = IPV6_RANGES.find((range) => inRange(bytes, range));
  if (reserved) return reserved.kind;
  return inRange(bytes, GLOBAL_UNICAST) ? 'public' : 'reserved';
}

/** The kind of an IPv4 or IPv6 address (brackets and zone ids allowed); null when it is not an IP. */
export function classifyAddress(address: string): AddressKind | null {
  const ipv4 = parseIPv4(address);
  if (ipv4) return classifyIPv4(ipv4);
  const ipv6 = parseIPv6(address);
  return ipv6 ? classifyIPv6(ipv6) : null;
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

/**
 * The key one client is counted under (rate limits, stream caps): an IPv4 address as it is
 * (an IPv4-mapped IPv6 address included), an IPv6 address by its /64, since one subscriber or
 * machine usually holds a whole /64 and could otherwise take a fresh address per request.
 */
export function clientKey(address: string): string {
  const ipv4 = parseIPv4(address);
  if (ipv4) return ipv4.join('.');
  const ipv6 = parseIPv6(address);
  if (!ipv6) return address;
  if (inRange(ipv6, IPV6_EMBEDDING_IPV4[0]!)) return ipv6.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push(((ipv6[i]! << 8) | ipv6[i + 1]!).toString(16));
  return `${groups.join(':')}::/64`;
}
