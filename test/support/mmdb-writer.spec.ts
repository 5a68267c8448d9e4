// The test writer must produce files the real reader accepts, or every GeoIP test proves
// nothing: each shape and type it writes is read back through `maxmind` itself.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import maxmind, { CityResponse, Reader } from 'maxmind';
import { FIXTURE_NETWORKS, GEO, writeGeoIpFixture } from './geoip-fixture';
import { mmdbDouble, MmdbValue, writeMmdb } from './mmdb-writer';

const reader = (bytes: Buffer) => new Reader<any>(bytes);

describe('mmdb writer', () => {
  it.each([
    [4, 24],
    [4, 28],
    [4, 32],
    [6, 24],
    [6, 28],
    [6, 32],
  ] as const)('writes a tree maxmind walks (IPv%d, %d-bit records)', (ipVersion, recordSize) => {
    const networks = FIXTURE_NETWORKS.filter((n) => ipVersion === 6 || !n.network.includes(':'));
    const db = reader(writeMmdb({ networks, ipVersion, recordSize }));
    expect(db.metadata).toMatchObject({ ipVersion, recordSize, databaseType: 'GeoLite2-City', languages: ['en'] });
    const [london, prefix] = db.getWithPrefixLength(GEO.london.ip);
    expect(london.country.iso_code).toBe('GB');
    expect(london.location).toEqual({ accuracy_radius: 10, latitude: 51.5142, longitude: -0.0931, time_zone: 'UTC' });
    expect(prefix).toBe(24); // counted from the IPv4 subtree, as for MaxMind's own files
    expect(db.get('81.2.69.0')?.country.iso_code).toBe('GB');
    expect(db.get('81.2.69.255')?.country.iso_code).toBe('GB');
    expect(db.get('81.2.70.0')).toBeNull();
    expect(db.get('2.125.175.255')?.location.latitude).toBe(51.75); // the far end of the /20
    expect(db.get('2.125.176.0')).toBeNull();
    expect(db.get('10.0.0.1')).toBeNull();
    if (ipVersion === 6) {
      expect(db.get(GEO.tokyo.ip)?.country.iso_code).toBe('JP');
      expect(db.get('2001:219::1')).toBeNull();
      expect(db.get(`::ffff:${GEO.milton.ip}`)?.country.iso_code).toBe('US'); // the IPv4-mapped alias
    }
  });

  it('lets a more specific network win over the one around it, in any order', () => {
    const networks = [
      { network: '10.1.2.0/24', data: 'inner' },
      { network: '10.0.0.0/8', data: 'outer' },
    ];
    const db = reader(writeMmdb({ networks, ipVersion: 4 }));
    expect(db.getWithPrefixLength('10.1.2.3')).toEqual(['inner', 24]);
    expect(db.getWithPrefixLength('10.1.3.3')).toEqual(['outer', 24]);
    expect(db.getWithPrefixLength('10.200.0.1')).toEqual(['outer', 9]);
  });

  it('round-trips every type the writer knows', () => {
    const long = 'x'.repeat(300);
    const longer = 'y'.repeat(70_000);
    const value: MmdbValue = {
      text: 'Linköping',
      empty: '',
      long,
      longer,
      double: mmdbDouble(60),
      fraction: -0.0931,
      zero: 0,
      uint16: 65_535,
      uint32: 4_294_967_295,
      int32: -42,
      uint64: 2n ** 63n,
      yes: true,
      no: false,
      list: [1, 'two', [mmdbDouble(3)]],
      many: Array.from({ length: 40 }, (_, i) => i),
      nested: { a: { b: { c: 'deep' } } },
    };
    const db = reader(writeMmdb({ networks: [{ network: '192.0.2.0/24', data: value }] }));
    expect(db.get('192.0.2.1')).toEqual({ ...value, double: 60, list: [1, 'two', [3]] });
  });

  it('writes the metadata the reader checks', () => {
    const db = reader(
      writeMmdb({
        networks: [],
        databaseType: 'GeoLite2-Country',
        languages: ['en', 'de'],
        buildEpoch: 1_700_000_000,
        description: { en: 'fixture', de: 'Testdaten' },
      }),
    );
    expect(db.metadata).toMatchObject({
      binaryFormatMajorVersion: 2,
      binaryFormatMinorVersion: 0,
      buildEpoch: new Date(1_700_000_000_000),
      databaseType: 'GeoLite2-Country',
      description: { en: 'fixture', de: 'Testdaten' },
      languages: ['en', 'de'],
    });
  });

  it('writes a file maxmind.open() reads', async () => {
    const path = writeGeoIpFixture();
    try {
      const db = await maxmind.open<CityResponse>(path);
      expect(db.get(GEO.linkoping.ip)?.country?.iso_code).toBe('SE');
    } finally {
      rmSync(dirname(path), { recursive: true, force: true });
    }
  });

  it('refuses networks it cannot place', () => {
    expect(() => writeMmdb({ networks: [{ network: '2001:db8::/32', data: 'x' }], ipVersion: 4 })).toThrow(/IPv4/);
    expect(() => writeMmdb({ networks: [{ network: '300.1.1.0/24', data: 'x' }] })).toThrow(/not a network/);
    expect(() => writeMmdb({ networks: [{ network: '1.1.1.0/33', data: 'x' }] })).toThrow(/prefix/);
  });
});
