import { parseIpRanges } from './ip-ranges';

describe('untrusted IP ranges', () => {
  const { test, invalid } = parseIpRanges([
    '203.0.113.0/24',
    '2001:db8:abcd::/48',
    '198.51.100.7',
    '::1',
    'fe80::/10',
    '123.123.123.123',
  ]);

  it.each([
    ['203.0.113.200', true],
    ['203.0.114.1', false],
    ['::ffff:203.0.113.9', true], // how a dual-stack socket reports an IPv4 client
    ['::ffff:7b7b:7b7b', true], // the same, in hex: 123.123.123.123
    ['::FFFF:203.0.113.9', true],
    ['2001:db8:abcd:12::1', true],
    ['2001:DB8:ABCD:0:0:0:0:1', true],
    ['2001:db8:abce::1', false],
    ['198.51.100.7', true],
    ['198.51.100.8', false],
    ['::1', true],
    ['::', false],
    ['fe80::1%eth0', true],
    ['203.0.113.9/24', false], // a range is not a client address
    ['not an address', false],
    ['', false],
  ])('%s → %s', (ip, expected) => expect(test(ip)).toBe(expected));

  it('matches everything under /0, and each family only its own', () => {
    const v4 = parseIpRanges(['0.0.0.0/0']).test;
    expect([v4('8.8.8.8'), v4('::ffff:8.8.8.8'), v4('2001:db8::1')]).toEqual([true, true, false]);
    const v6 = parseIpRanges(['::/0']).test;
    expect([v6('2001:db8::1'), v6('8.8.8.8')]).toEqual([true, false]);
  });

  it('reports what it cannot read instead of guessing', () => {
    expect(invalid).toEqual([]);
    const bad = [
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0.0/8/1',
      'example.com',
      '10.0.0.0/x',
      '10.0.0.0/',
      'fe80::1%eth0',
      '01.2.3.4',
      '256.1.1.1',
      '1.2.3',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '12345::',
      '::ffff:1.2.3.256',
      42,
    ];
    expect(parseIpRanges(bad as string[]).invalid).toEqual(bad);
    expect(parseIpRanges(['::', '1::', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', ' 10.0.0.0/8 ']).invalid).toEqual([]);
  });
});
