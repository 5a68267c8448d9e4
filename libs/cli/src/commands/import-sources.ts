import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DataSource, DataSourceOptions } from 'typeorm';
import {
  BetterAuthSecrets,
  BetterAuthTotpOptions,
  BetterAuthTwoFactorRow,
  fromBetterAuthRow,
  parseBetterAuthSecrets,
} from '../../../core/src/import/better-auth-twofactor';
import { ImportFileError, importFileFormat, parseImportFile } from '../../../core/src/import/import-file';
import type { ImportProblem, RawImportRow } from '../../../core/src/import/import-record';
import { CliRefusal, EXIT } from '../cli-context';
import { databaseFromUrl } from '../cli-config';
import { loadTypeOrm } from '../cli-runtime';

export type SourceRows = Array<RawImportRow | ImportProblem[]>;

/** A generic JSON or CSV file; a file that cannot be read as a whole imports nothing. */
export async function readImportFile(path: string, format?: string): Promise<SourceRows> {
  try {
    const kind = importFileFormat(path, format);
    if (!existsSync(path)) throw new ImportFileError(`The file ${path} does not exist.`);
    return parseImportFile(await readFile(path, 'utf8'), kind);
  } catch (err) {
    if (err instanceof ImportFileError) throw new CliRefusal('IMPORT_FILE_INVALID', err.message, EXIT.refused);
    throw err;
  }
}

export interface BetterAuthSource extends BetterAuthTotpOptions {
  database: string;
  secret?: string;
  secrets?: string;
  table: string;
}

/**
 * Every row of Better Auth's `twoFactor` table, decrypted: read-only, in user id order (so a
 * row's index is the same on every run). SQLite files, PostgreSQL and MySQL URLs.
 */
export async function readBetterAuth(source: BetterAuthSource): Promise<SourceRows> {
  const secrets: BetterAuthSecrets = { secret: source.secret };
  try {
    if (source.secrets) secrets.versions = parseBetterAuthSecrets(source.secrets);
  } catch (err) {
    throw new CliRefusal('USAGE', (err as Error).message, EXIT.usage);
  }
  if (!secrets.secret && !secrets.versions)
    throw new CliRefusal(
      'BETTER_AUTH_SECRET_REQUIRED',
      "Give Better Auth's secret: set BETTER_AUTH_SECRET (or BETTER_AUTH_SECRETS), or pass --secret / --secrets.",
      EXIT.usage,
    );
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(source.table))
    throw new CliRefusal('USAGE', `--table must be a plain table name, not "${source.table}".`, EXIT.usage);
  const rows = await selectTwoFactorRows(betterAuthDatabase(source.database), source.table);
  return rows.map((row, index) => fromBetterAuthRow(row, { index }, secrets, source));
}

function betterAuthDatabase(database: string): DataSourceOptions {
  const options = databaseFromUrl(database);
  if (options.type !== 'better-sqlite3') return options;
  if (!existsSync(options.database))
    throw new CliRefusal(
      'BETTER_AUTH_UNREACHABLE',
      `The Better Auth database ${options.database} does not exist.`,
      EXIT.store,
    );
  return { ...options, readonly: true };
}

async function selectTwoFactorRows(options: DataSourceOptions, table: string): Promise<BetterAuthTwoFactorRow[]> {
  const q =
    options.type === 'mysql' || options.type === 'mariadb' ? (n: string) => `\`${n}\`` : (n: string) => `"${n}"`;
  const columns = ['id', 'secret', 'backupCodes', 'userId', 'verified'].map(q).join(', ');
  loadTypeOrm(); // refuses with the packages to install when TypeORM is missing
  const { DataSource: TypeOrmDataSource } = require('typeorm') as typeof import('typeorm');
  let ds: DataSource | undefined;
  try {
    ds = await new TypeOrmDataSource(options).initialize();
    return await ds.query(`SELECT ${columns} FROM ${q(table)} ORDER BY ${q('userId')}, ${q('id')}`);
  } catch (err) {
    throw new CliRefusal(
      'BETTER_AUTH_UNREADABLE',
      `Better Auth's ${table} table cannot be read: ${(err as Error).message}`,
      EXIT.store,
    );
  } finally {
    await ds?.destroy();
  }
}
