import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { MfaConfigurationError } from '../../core/src/errors/mfa-configuration.error';
import { requireOptionalPeer } from '../../core/src/errors/optional-peer';
import type { GeoIpResolver, GeoLocation } from '../../core/src/ports/risk-history.port';
import { locationOf, lookupAddress, MmdbRecord } from './geoip-record';

export interface MaxmindGeoIpOptions {
  /**
   * Path to a GeoLite2-City (or GeoIP2-City, or a -Country edition: country only) `.mmdb`
   * file the operator downloads from MaxMind and keeps current, e.g. with geoipupdate.
   * nestjs-mfa never downloads or bundles one.
   */
  database: string;
  /**
   * Reload the file when the operator replaces it. A replacement that cannot be read keeps
   * the database already loaded.
   * @default true
   */
  watchForUpdates?: boolean;
  /** How often to check the file for a replacement, in ms. @default 60000 */
  watchIntervalMs?: number;
  /** Decoded records kept in memory. @default 10000 */
  cacheSize?: number;
  /** Called after each reload: with no argument when the new file took, with the error when it was refused. */
  onReload?: (error?: MfaConfigurationError) => void;
}

/** A GeoIpResolver over a MaxMind database, with a way to stop watching the file. */
export type MaxmindGeoIp = GeoIpResolver & {
  (ip: string): GeoLocation | undefined;
  /** Stops watching the file for replacements. Lookups keep working. */
  close(): void;
};

// Only what is read: maxmind's own types would put the optional peer into the published declarations.
interface MmdbReader {
  metadata: { databaseType: string; ipVersion: number; nodeCount: number; searchTreeSize: number };
  get(ip: string): MmdbRecord | null;
}
interface LookupCache {
  get(key: number): unknown;
  set(key: number, value: unknown): void;
}
type ReaderClass = new (db: Buffer, options?: { cache?: LookupCache }) => MmdbReader;

const INSTALL_MAXMIND =
  'geoIp: maxmindGeoIp reads the MaxMind database through the maxmind package: run `npm install maxmind`, or pass your own GeoIpResolver.';
const HOW_TO_GET_ONE =
  'Download GeoLite2-City.mmdb from MaxMind with your licence key (a free account; geoipupdate keeps it current) and set `database` to its path.';

/**
 * Locates IP addresses with a MaxMind DB file the operator provides. Everything that can be
 * wrong with the setup (no maxmind, no file, not a MaxMind City/Country database) throws a
 * MfaConfigurationError here, at boot; a lookup never throws and answers undefined for
 * anything it cannot place: a malformed address, a private one, one not in the database.
 */
export function maxmindGeoIp(options: MaxmindGeoIpOptions): MaxmindGeoIp {
  const path = options?.database;
  if (typeof path !== 'string' || !path)
    throw new MfaConfigurationError(
      `geoIp: maxmindGeoIp needs \`database\`, the path to a .mmdb file. ${HOW_TO_GET_ONE}`,
    );
  // Loaded here, not at the top: importing nestjs-mfa must work in apps that locate nobody.
  const { Reader } = requireOptionalPeer(
    'maxmind',
    () => require('maxmind') as { Reader: ReaderClass },
    INSTALL_MAXMIND,
  );
  const cacheSize = options.cacheSize ?? 10_000;
  // Read synchronously, once, so the factory works inline in the module options and still fails at boot.
  const loaded = readDatabase(path);
  let reader = openDatabase(Reader, path, loaded.bytes, cacheSize);

  const resolve = ((ip: string) => {
    try {
      const address = lookupAddress(ip, reader.metadata.ipVersion);
      return address === undefined ? undefined : locationOf(reader.get(address));
    } catch {
      return undefined; // one odd address or record must not fail a request
    }
  }) as MaxmindGeoIp;
  resolve.close = () => undefined;
  if (options.watchForUpdates ?? true) {
    resolve.close = watchDatabase(path, loaded.stamp, options.watchIntervalMs ?? 60_000, (next) => {
      let error: MfaConfigurationError | undefined;
      try {
        if (next instanceof MfaConfigurationError) error = next;
        else reader = openDatabase(Reader, path, next, cacheSize);
      } catch (err) {
        error = err as MfaConfigurationError;
      }
      try {
        options.onReload?.(error);
      } catch {
        // the host's hook failing must not stop the next reload
      }
    });
  }
  return resolve;
}

/**
 * Polls the file and hands over the bytes of each replacement. Not maxmind's own
 * watchForUpdates: it reloads without a guard, so a half-copied file throws in its watch
 * callback, an unhandled rejection that stops the process. Here a file that does not open
 * keeps the database already loaded. The timer is unref'd: it never keeps a process alive.
 */
function watchDatabase(
  path: string,
  bootStamp: string,
  intervalMs: number,
  reload: (next: Buffer | MfaConfigurationError) => void,
): () => void {
  let known = bootStamp;
  const check = async () => {
    let current: string;
    try {
      current = stampOf(await stat(path));
    } catch {
      return; // gone for now, as while the operator swaps it: keep the loaded one
    }
    if (current === known) return;
    known = current;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      return reload(fileError(path, err));
    }
    reload(bytes);
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void check().finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

const stampOf = (stats: Stats) => `${stats.ino}:${stats.size}:${stats.mtimeMs}`;

function readDatabase(path: string): { bytes: Buffer; stamp: string } {
  try {
    // Stamped before reading: a file replaced in between is then seen as new, and read again.
    const stamp = stampOf(statSync(path));
    return { bytes: readFileSync(path), stamp };
  } catch (err) {
    throw fileError(path, err);
  }
}

function fileError(path: string, err: unknown): MfaConfigurationError {
  const code = (err as { code?: string })?.code;
  if (code === 'ENOENT') return new MfaConfigurationError(`geoIp: there is no file at ${path}. ${HOW_TO_GET_ONE}`);
  return new MfaConfigurationError(
    `geoIp: cannot read ${path} (${code ?? String(err)}): give the app read access to it, or set \`database\` to a readable copy. ${HOW_TO_GET_ONE}`,
  );
}

function openDatabase(Reader: ReaderClass, path: string, bytes: Buffer, cacheSize: number): MmdbReader {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b)
    throw new MfaConfigurationError(
      `geoIp: ${path} is compressed: MaxMind ships the database as .tar.gz; extract GeoLite2-City.mmdb from it and set \`database\` to that file.`,
    );
  let reader: MmdbReader;
  try {
    reader = new Reader(bytes, { cache: boundedCache(cacheSize) });
    // mmdb-lib checks little of the header; a file whose tree runs past its end must fail now, not on lookups.
    const { nodeCount, searchTreeSize, ipVersion } = reader.metadata;
    if (!(nodeCount > 0) || searchTreeSize + 16 > bytes.length || (ipVersion !== 4 && ipVersion !== 6))
      throw new Error('its search tree is damaged');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new MfaConfigurationError(
      `geoIp: ${path} is not a readable MaxMind database (${reason}); it may be damaged or only partly copied. ${HOW_TO_GET_ONE}`,
    );
  }
  const type = String(reader.metadata.databaseType);
  if (!/city|country|enterprise/i.test(type))
    throw new MfaConfigurationError(
      `geoIp: ${path} is a ${type} database, which holds no locations. ${HOW_TO_GET_ONE} (GeoLite2-Country also works, country only.)`,
    );
  return reader;
}

/** The decoder's record cache, bounded: emptied when full, so memory stays flat whatever the traffic. */
function boundedCache(max: number): LookupCache {
  const entries = new Map<number, unknown>();
  return {
    get: (key) => entries.get(key),
    set: (key, value) => {
      if (max <= 0) return;
      if (entries.size >= max) entries.clear();
      entries.set(key, value);
    },
  };
}
