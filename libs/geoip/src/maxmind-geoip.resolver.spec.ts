// Invariant: a lookup never throws and only says what the operator's database says; every
// setup mistake (no maxmind, no file, a damaged or wrong file) stops boot with the fix.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MfaConfigurationError } from '../../core/src';
import { cityRecord, GEO, writeGeoIpFixture } from '../../../test/support/geoip-fixture';
import { writeMmdb } from '../../../test/support/mmdb-writer';
import { MaxmindGeoIp, maxmindGeoIp } from './maxmind-geoip.resolver';

const dirs: string[] = [];
const fixture = (...args: Parameters<typeof writeGeoIpFixture>) => {
  const path = writeGeoIpFixture(...args);
  dirs.push(dirname(path));
  return path;
};
const resolvers: MaxmindGeoIp[] = [];
const open = (database: string, options: { watchIntervalMs?: number; onReload?: (e?: Error) => void } = {}) => {
  const resolver = maxmindGeoIp({ database, ...options });
  resolvers.push(resolver);
  return resolver;
};
afterAll(() => {
  for (const r of resolvers) r.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['IPv6 database, 28-bit records', { ipVersion: 6, recordSize: 28 }],
  ['IPv4 database, 24-bit records', { ipVersion: 4, recordSize: 24 }],
] as const)('maxmindGeoIp over a %s', (_name, shape) => {
  let geoIp: MaxmindGeoIp;
  beforeAll(() => {
    const path = fixture(shape);
    geoIp = open(path);
  });

  it.each(Object.entries(GEO).filter(([, g]) => shape.ipVersion === 6 || !g.ip.includes(':')))(
    'locates %s',
    (_place, { ip, country, latitude, longitude, accuracyKm }) => {
      expect(geoIp(ip)).toEqual({ country, latitude, longitude, accuracyKm });
    },
  );

  it('looks up IPv4-mapped IPv6 addresses as IPv4', () => {
    const london = { country: 'GB', latitude: 51.5142, longitude: -0.0931, accuracyKm: 10 };
    expect(geoIp('::ffff:81.2.69.142')).toEqual(london);
    expect(geoIp('::FFFF:5102:458e')).toEqual(london);
    expect(geoIp('0:0:0:0:0:ffff:81.2.69.142')).toEqual(london);
  });

  it('gives a country without coordinates, and nothing for a network known only by its registration', () => {
    expect(geoIp('202.196.224.1')).toEqual({ country: 'PH' });
    expect(geoIp('67.43.156.1')).toBeUndefined();
  });

  it('answers undefined for addresses not in the database', () => {
    for (const ip of ['10.0.0.1', '127.0.0.1', '192.168.1.1', '81.2.70.1', '::1', '2001:db8::1', 'fe80::1%eth0'])
      expect(geoIp(ip)).toBeUndefined();
  });

  it('answers undefined, never throws, for anything that is not an address', () => {
    const junk: unknown[] = ['', 'abc', '1.2.3', '256.1.1.1', '01.2.69.142', ' 81.2.69.142', '81.2.69.142/24'];
    junk.push('81.2.69.142\n', '::ffff:999.1.1.1', ':::', 'x'.repeat(10_000), null, undefined, 42, {}, ['81.2.69.142']);
    for (const ip of junk) expect(geoIp(ip as string)).toBeUndefined();
  });
});

it('does not look IPv6 addresses up in an IPv4-only database', () => {
  const geoIp = open(fixture({ ipVersion: 4, networks: [{ network: '0.0.0.0/1', data: cityRecord('GB', 51, 0) }] }));
  expect(geoIp('1.2.3.4')).toMatchObject({ country: 'GB' });
  expect(geoIp('2001:218::1')).toBeUndefined(); // its first 32 bits would walk the IPv4 tree to a wrong answer
});

describe('setup mistakes stop boot with the fix', () => {
  const expectBootError = (run: () => unknown, ...fragments: RegExp[]) => {
    let error: unknown;
    try {
      run();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MfaConfigurationError);
    for (const fragment of fragments) expect((error as Error).message).toMatch(fragment);
  };
  const HOW_TO_GET_ONE = /Download GeoLite2-City\.mmdb from MaxMind with your licence key.*set `database` to its path/;

  it('without the maxmind package (which importing does not need)', () => {
    jest.isolateModules(() => {
      jest.doMock('maxmind', () => {
        throw Object.assign(new Error("Cannot find module 'maxmind' from 'maxmind-geoip.resolver.ts'"), {
          code: 'MODULE_NOT_FOUND',
        });
      });
      // Importing the entry point needs no maxmind; only using it does.
      const isolated = require('../../../src/geoip') as typeof import('../../../src/geoip');
      let error: Error | undefined;
      try {
        isolated.maxmindGeoIp({ database: '/nowhere/GeoLite2-City.mmdb' });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.name).toBe('MfaConfigurationError');
      expect(error?.message).toMatch(/run `npm install maxmind`/);
    });
    jest.dontMock('maxmind'); // the mock outlives the isolated registry otherwise
  });

  it('without a database path', () => {
    expectBootError(() => maxmindGeoIp({} as never), /needs `database`/, HOW_TO_GET_ONE);
  });

  it('when the file is not there', () => {
    expectBootError(() => maxmindGeoIp({ database: '/nowhere/GeoLite2-City.mmdb' }), /no file at/, HOW_TO_GET_ONE);
  });

  it('when the file is damaged, cut short, empty or not a MaxMind database', () => {
    const good = readFileSync(fixture());
    const broken = [good.subarray(0, good.length >> 1), Buffer.alloc(0), Buffer.from('not a database at all\n')];
    broken.push(Buffer.concat([Buffer.alloc(64, 0xff), good.subarray(-200)])); // metadata intact, tree gone
    for (const bytes of broken) {
      const path = fixture();
      writeFileSync(path, bytes);
      expectBootError(() => maxmindGeoIp({ database: path }), /is not a readable MaxMind database/, HOW_TO_GET_ONE);
    }
  });

  it('when the file is still the compressed download', () => {
    const path = fixture({}, 'GeoLite2-City.tar.gz');
    writeFileSync(path, gzipSync(readFileSync(path)));
    expectBootError(() => maxmindGeoIp({ database: path }), /compressed.*extract GeoLite2-City\.mmdb/);
  });

  it('when the database holds no locations', () => {
    const path = fixture({ databaseType: 'GeoLite2-ASN' });
    expectBootError(() => maxmindGeoIp({ database: path }), /GeoLite2-ASN database, which holds no locations/);
    expect(open(fixture({ databaseType: 'GeoLite2-Country' }))(GEO.london.ip)).toMatchObject({ country: 'GB' });
  });
});

describe('when the operator replaces the file', () => {
  const paris = cityRecord('FR', 48.8566, 2.3522, 20);
  const replace = (path: string, bytes: Buffer) => {
    const next = join(dirname(path), 'next.mmdb');
    writeFileSync(next, bytes);
    renameSync(next, path); // as geoipupdate does: the new file appears whole
  };

  it('reloads a good file, and keeps the loaded one when the new one is damaged', async () => {
    const path = fixture();
    const reloads: Array<Error | undefined> = [];
    let reloaded: () => void = () => undefined;
    const geoIp = open(path, {
      watchIntervalMs: 10,
      onReload: (error) => {
        reloads.push(error);
        reloaded();
      },
    });
    const nextReload = () => new Promise<void>((resolve) => (reloaded = resolve));
    expect(geoIp(GEO.london.ip)).toMatchObject({ country: 'GB' });

    let done = nextReload();
    replace(path, writeMmdb({ networks: [{ network: '81.2.69.0/24', data: paris }] }));
    await done;
    expect(reloads).toEqual([undefined]);
    expect(geoIp(GEO.london.ip)).toEqual({ country: 'FR', latitude: 48.8566, longitude: 2.3522, accuracyKm: 20 });
    expect(geoIp(GEO.milton.ip)).toBeUndefined();

    done = nextReload();
    replace(path, Buffer.from('half a file'));
    await done;
    expect(reloads[1]).toBeInstanceOf(MfaConfigurationError);
    expect(geoIp(GEO.london.ip)).toMatchObject({ country: 'FR' }); // still the last good database

    geoIp.close();
    replace(path, writeMmdb({ networks: [] }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reloads).toHaveLength(2);
    expect(geoIp(GEO.london.ip)).toMatchObject({ country: 'FR' });
  });
});
