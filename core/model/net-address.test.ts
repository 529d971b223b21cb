import { strict as assert } from 'node:assert';
import { isIpAddress, isPrivateAddress } from './net-address';

describe('isPrivateAddress', () => {
  it('is true for RFC 1918, CGNAT, loopback and link-local IPv4', () => {
    for (const ip of ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.10', '100.64.0.1', '100.127.255.254', '127.0.0.1', '169.254.169.254']) {
      assert.equal(isPrivateAddress(ip), true, ip);
    }
  });

  it('is false for public IPv4 and the neighbours of private ranges', () => {
    for (const ip of ['20.190.160.1', '172.15.255.255', '172.32.0.1', '192.169.0.1', '100.63.255.255', '100.128.0.1', '169.253.0.1', '11.0.0.1']) {
      assert.equal(isPrivateAddress(ip), false, ip);
    }
  });

  it('handles IPv6 loopback, unique-local, link-local and IPv4-mapped', () => {
    for (const ip of ['::1', 'fc00::1', 'fd12:3456:789a::1', 'fe80::1%12', 'febf::1', '[fe80::abcd]', '::ffff:10.1.2.3', '::ffff:a01:203']) {
      assert.equal(isPrivateAddress(ip), true, ip);
    }
    for (const ip of ['2603:1030:20e:3::23c', '::', 'fec0::1', '::ffff:20.190.160.1', '2001:db8::1']) {
      assert.equal(isPrivateAddress(ip), false, ip);
    }
  });

  it('is false for text that is not an address', () => {
    for (const t of ['', 'wac.azure.com', '256.1.1.1', '10.0.0', '1::2::3', 'fe80::g']) assert.equal(isPrivateAddress(t), false, t);
    assert.equal(isIpAddress('1:2:3:4:5:6:7:8'), true);
    assert.equal(isIpAddress('1:2:3:4:5:6:7'), false);
    assert.equal(isIpAddress('20.190.160.1'), true);
  });
});
