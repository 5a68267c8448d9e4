import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { EncryptionKey, KeyRingOptions } from '../../core/src';
import type { MfaSetupOptions } from '../../setup/src';
import { CliRefusal, EXIT } from './cli-context';

/** Where the options come from: the global flags and the environment. */
export interface ConfigSources {
  config?: string;
  databaseUrl?: string;
  env: NodeJS.ProcessEnv;
}

const DATABASE_HELP =
  'Set MFA_DATABASE_URL (postgres://USER:PASSWORD@HOST:5432/DB, mysql://…, mariadb://…, or sqlite:path/to/mfa.sqlite), ' +
  'pass --database-url, or give --config a file whose options name `database`.';
const KEYS_HELP =
  'Set MFA_ENCRYPTION_KEYS to the keys your app uses, oldest first, the current one last ' +
  '(k1:<base64 32 bytes>,k2:<base64 32 bytes>), or give --config a file whose options name `encryption`.';

/**
 * The same options object `MfaModule.forRoot` / `createMfa` take, from a `--config` file (JSON,
 * or a JS module exporting the object, a function returning it, or a promise of it); the
 * environment fills what the file leaves out, and `--database-url` overrides both.
 */
export async function loadCliOptions(sources: ConfigSources): Promise<MfaSetupOptions> {
  const file = sources.config ?? sources.env.MFA_CONFIG;
  const options: MfaSetupOptions = file ? await loadConfigFile(file) : ({} as MfaSetupOptions);
  const url = sources.databaseUrl ?? (hasStore(options) ? undefined : sources.env.MFA_DATABASE_URL);
  if (url) {
    options.database = databaseFromUrl(url);
    delete options.dataSource;
  }
  if (!options.encryption?.keys?.length && sources.env.MFA_ENCRYPTION_KEYS)
    options.encryption = keysFromEnv(sources.env.MFA_ENCRYPTION_KEYS);
  if (!hasStore(options))
    throw new CliRefusal('CONFIG_NO_DATABASE', `No MFA database is configured. ${DATABASE_HELP}`, EXIT.config);
  if (!options.encryption?.keys?.length)
    throw new CliRefusal('CONFIG_NO_KEYS', `No encryption keys are configured. ${KEYS_HELP}`, EXIT.config);
  return options;
}

function hasStore(options: MfaSetupOptions): boolean {
  return !!(options.database || options.dataSource || options.store);
}

async function loadConfigFile(file: string): Promise<MfaSetupOptions> {
  const path = isAbsolute(file) ? file : resolve(process.cwd(), file);
  if (!existsSync(path))
    throw new CliRefusal('CONFIG_NOT_FOUND', `The config file ${path} does not exist.`, EXIT.config);
  let loaded: unknown;
  try {
    loaded = require(path);
  } catch (err) {
    throw new CliRefusal(
      'CONFIG_UNLOADABLE',
      `The config file ${path} does not load: ${(err as Error).message}`,
      EXIT.config,
    );
  }
  // A transpiled ES module puts the options under `default`.
  if (loaded && typeof loaded === 'object' && 'default' in loaded) loaded = (loaded as { default: unknown }).default;
  try {
    if (typeof loaded === 'function') loaded = await (loaded as () => unknown)();
    loaded = await loaded;
  } catch (err) {
    throw new CliRefusal('CONFIG_UNLOADABLE', `The config file ${path} failed: ${(err as Error).message}`, EXIT.config);
  }
  if (!loaded || typeof loaded !== 'object' || Array.isArray(loaded))
    throw new CliRefusal(
      'CONFIG_UNLOADABLE',
      `The config file ${path} must export the options object of MfaModule.forRoot / createMfa (or a function or promise of it).`,
      EXIT.config,
    );
  return { ...(loaded as MfaSetupOptions) };
}

/** postgres://, mysql://, mariadb://, sqlite:path, or a path to an SQLite file. */
export function databaseFromUrl(url: string): DataSourceOptions {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { type: 'postgres', url };
  if (scheme === 'mysql') return { type: 'mysql', url };
  if (scheme === 'mariadb') return { type: 'mariadb', url: url.replace(/^mariadb:/i, 'mysql:') };
  if (scheme === 'sqlite') return { type: 'better-sqlite3', database: url.replace(/^sqlite:(\/\/)?/i, '') };
  if (scheme && scheme.length > 1)
    throw new CliRefusal(
      'CONFIG_BAD_DATABASE_URL',
      `The database URL scheme "${scheme}:" is not supported. ${DATABASE_HELP}`,
      EXIT.config,
    );
  return { type: 'better-sqlite3', database: url };
}

/** `k1:<key>,k2:<key>` (the last is current), or JSON: a list of `{ id, key }` or `{ keys, currentKeyId }`. */
export function keysFromEnv(text: string): KeyRingOptions {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new CliRefusal('CONFIG_BAD_KEYS', `MFA_ENCRYPTION_KEYS is not valid JSON. ${KEYS_HELP}`, EXIT.config);
    }
    const ring = (Array.isArray(parsed) ? { keys: parsed } : parsed) as KeyRingOptions;
    if (!Array.isArray(ring.keys) || ring.keys.length === 0)
      throw new CliRefusal('CONFIG_BAD_KEYS', `MFA_ENCRYPTION_KEYS lists no keys. ${KEYS_HELP}`, EXIT.config);
    return { keys: ring.keys, currentKeyId: ring.currentKeyId ?? ring.keys.at(-1)!.id };
  }
  const keys: EncryptionKey[] = trimmed
    .split(',')
    .filter((part) => part.trim())
    .map((part, i) => {
      const at = part.indexOf(':');
      if (at <= 0)
        throw new CliRefusal(
          'CONFIG_BAD_KEYS',
          `MFA_ENCRYPTION_KEYS entry ${i + 1} is not id:key. ${KEYS_HELP}`,
          EXIT.config,
        );
      return { id: part.slice(0, at).trim(), key: part.slice(at + 1).trim() };
    });
  if (!keys.length)
    throw new CliRefusal('CONFIG_BAD_KEYS', `MFA_ENCRYPTION_KEYS lists no keys. ${KEYS_HELP}`, EXIT.config);
  return { keys, currentKeyId: keys.at(-1)!.id };
}
