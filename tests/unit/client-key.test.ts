import { describe, expect, it } from 'vitest';
import { clientKey } from '../../src/domain/client-key.js';

describe('the key a per-client cap counts under', () => {
  it('is an IPv4 address itself, also when it arrives IPv4-mapped on a dual-stack socket', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:cb00:7107')).toBe('203.0.113.7');
    expect(clientKey('127.0.0.2')).not.toBe(clientKey('127.0.0.1'));
  });

  it('groups IPv6 addresses by their /64, so one subscriber hopping addresses stays one client', () => {
    expect(clientKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:abcd::9')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('[2001:db8:1:2::5]')).toBe('2001:db8:1:2::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('puts requests without a usable address under one shared key', () => {
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not an address')).toBe('unknown');
  });
});
