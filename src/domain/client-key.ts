import { parseIPv4, parseIPv6 } from './ip-ranges.js';

/** An IPv6 subscriber is usually given a whole /64, so one person can use 2^64 addresses. */
export const IPV6_CLIENT_PREFIX_BITS = 64;

/**
 * The key a per-client limit counts under: an IPv4 address as it is (also when it arrives
 * IPv4-mapped, `::ffff:203.0.113.7`, as on a dual-stack socket), an IPv6 address as its /64
 * network (`2001:db8:1:2::/64`), so hopping between addresses of one subscriber gains nothing.
 * Anything else (no address known) is one shared key.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  if (parseIPv4(address)) return address;
  const bytes = parseIPv6(address);
  if (!bytes) return 'unknown';
  const mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < IPV6_CLIENT_PREFIX_BITS / 8; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `${groups.join(':')}::/${IPV6_CLIENT_PREFIX_BITS}`;
}
