// Invariant: an import never leaves half a user behind. A user's TOTP factor and backup codes
// are written in one transaction, after the duplicate check in that same transaction: a
// failure between the factor and its last code leaves nothing of the user; two importers of
// one user write it once; a run the store stops mid-way resumes where it stopped.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ImportedFactor } from '../../libs/core/src/ports/store/factor-import.store';
import { toBase32 } from '../../libs/core/src/factors/base32';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { databaseUrlOf, emptyOwnDatabase, jsonOf, runCli, sqliteFile } from '../support/cli-process';
import { createOwnDatabase, OwnDatabaseBackend, ownDatabaseBackends } from '../support/own-database';
import { newKeys } from './import-verify.helper';

jest.setTimeout(180_000);

const backends = ownDatabaseBackends('mfa_cli_half_import', sqliteFile('cli-half-import'));
const NOW = Date.UTC(2026, 5, 1);

function factorFor(userId: string, codeIds: string[]): ImportedFactor {
  return {
    enrollment: {
      id: randomUUID(),
      userId,
      type: 'totp',
      status: 'active',
      label: 'Authenticator app',
      sealedSecret: 'v1.k1.sealed-by-the-service',
      keyId: 'k1',
      profile: { algorithm: 'sha256', digits: 8, period: 30 },
      maskedTarget: null,
      lastStep: Math.floor(NOW / 30_000),
      createdAt: NOW,
      confirmedAt: NOW,
      lastUsedAt: null,
    },
    backupCodes: codeIds.map((id) => ({ id, codeHash: `scrypt$16384$8$1$salt$${id}` })),
  };
}

async function leftOf(store: TypeOrmMfaStore, userId: string) {
  return {
    enrollments: (await store.listEnrollments(userId)).length,
    codes: (await store.listUnusedBackupCodes(userId)).length,
  };
}

describe.each(backends.map((b) => [b.name, b] as const))('half import on %s', (_name, given) => {
  let backend: OwnDatabaseBackend;
  let store: TypeOrmMfaStore;
  const keys = newKeys();

  beforeAll(async () => {
    await createOwnDatabase(given);
    backend = await emptyOwnDatabase(given);
    store = await TypeOrmMfaStore.connect(backend.options);
  });
  afterAll(() => store.close());

  it('a failure after the factor and some codes are written leaves nothing of the user', async () => {
    const taken = randomUUID();
    expect(await store.importFactor(factorFor('first', [taken]), NOW)).toBe('imported');
    // The third code's id collides with a stored one: the database refuses it mid-transaction.
    await expect(store.importFactor(factorFor('victim', [randomUUID(), randomUUID(), taken]), NOW)).rejects.toThrow();
    expect(await leftOf(store, 'victim')).toEqual({ enrollments: 0, codes: 0 });
    expect(await store.importFactor(factorFor('victim', [randomUUID()]), NOW)).toBe('imported');
    expect(await leftOf(store, 'victim')).toEqual({ enrollments: 1, codes: 1 });
  });

  it('a user with an authenticator app, or with unused codes, gets nothing written', async () => {
    expect(await store.importFactor(factorFor('holder', [randomUUID()]), NOW)).toBe('imported');
    expect(await store.importFactor(factorFor('holder', []), NOW)).toBe('has_totp');
    expect(await store.importFactor(factorFor('holder', [randomUUID()]), NOW)).toBe('has_totp');
    await store.replaceBackupCodes('coded', [{ id: randomUUID(), codeHash: 'scrypt$x' }], NOW);
    expect(await store.importFactor(factorFor('coded', [randomUUID()]), NOW)).toBe('has_backup_codes');
    expect(await leftOf(store, 'holder')).toEqual({ enrollments: 1, codes: 1 });
    expect(await leftOf(store, 'coded')).toEqual({ enrollments: 0, codes: 1 });
  });

  // Two connections of one process cannot race on SQLite (better-sqlite3 blocks the thread); the CLI race below covers it.
  const onServer = given.options.type === 'better-sqlite3' ? it.skip : it;
  onServer('two importers of the same user, on two connections, write it once', async () => {
    const other = await TypeOrmMfaStore.connect(backend.options);
    try {
      for (let i = 0; i < 5; i++) {
        const userId = `raced-${i}`;
        const outcomes = await Promise.all([
          store.importFactor(factorFor(userId, [randomUUID(), randomUUID()]), NOW),
          other.importFactor(factorFor(userId, [randomUUID(), randomUUID()]), NOW),
        ]);
        expect(outcomes.sort()).toEqual(['has_totp', 'imported']);
        expect(await leftOf(store, userId)).toEqual({ enrollments: 1, codes: 2 });
      }
    } finally {
      await other.close();
    }
  });

  it('two import processes racing over one file write each user once', async () => {
    const env = { MFA_DATABASE_URL: databaseUrlOf(backend), MFA_ENCRYPTION_KEYS: keys, MFA_OPERATOR: 'ops' };
    const dir = mkdtempSync(join(tmpdir(), 'half-import-race-'));
    const file = join(dir, 'factors.json');
    const users = Array.from({ length: 6 }, (_, i) => `race-cli-${i}`);
    writeFileSync(
      file,
      JSON.stringify(
        users.map((userId) => ({ userId, secret: toBase32(randomBytes(20)), backupCodes: 'k7m9-x2p4-r8t6-w5z3' })),
      ),
    );
    const [one, two] = await Promise.all([
      runCli(['--json', 'import', 'file', file], env),
      runCli(['--json', 'import', 'file', file], env),
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    const reports = [
      jsonOf<{ imported: number; alreadyImported: number }>(one),
      jsonOf<{ imported: number; alreadyImported: number }>(two),
    ];
    expect(reports[0].imported + reports[1].imported).toBe(users.length);
    expect(reports[0].alreadyImported + reports[1].alreadyImported).toBe(users.length);
    for (const userId of users) expect(await leftOf(store, userId)).toEqual({ enrollments: 1, codes: 1 });
  });
});

describe('half import through the CLI (SQLite): a run the store stops resumes without a half user', () => {
  it('stops at the failing user with nothing of it written, and the same command then finishes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'half-import-'));
    const database = join(dir, 'mfa.sqlite');
    const env = { MFA_DATABASE_URL: `sqlite:${database}`, MFA_ENCRYPTION_KEYS: newKeys(), MFA_OPERATOR: 'ops' };
    const users = ['a-before', 'b-poison', 'c-after'];
    const file = join(dir, 'factors.json');
    writeFileSync(
      file,
      JSON.stringify(
        users.map((userId) => ({
          userId,
          secret: toBase32(randomBytes(20)),
          backupCodes: 'k7m9-x2p4-r8t6-w5z3 h2j4-k6m8-n9p3-q5r7',
        })),
      ),
    );
    expect((await runCli(['migrate'], env)).code).toBe(0);
    // A real failure inside the database, on the poisoned user's second backup code.
    const db = await new DataSource({ type: 'better-sqlite3', database }).initialize();
    await db.query(`CREATE TRIGGER poison BEFORE INSERT ON mfa_backup_codes
      WHEN NEW.user_id = 'b-poison' AND (SELECT COUNT(*) FROM mfa_backup_codes WHERE user_id = 'b-poison') >= 1
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    await db.destroy();

    const stopped = await runCli(['--json', 'import', 'file', file], env);
    expect(stopped.code).toBe(4);
    const error = jsonOf<{ error: { code: string; details: { imported: number } } }>(stopped).error;
    expect(error).toMatchObject({ code: 'IMPORT_ABORTED', details: { imported: 1 } });

    const store = await TypeOrmMfaStore.connect({ type: 'better-sqlite3', database });
    try {
      expect(await leftOf(store, 'a-before')).toEqual({ enrollments: 1, codes: 2 });
      expect(await leftOf(store, 'b-poison')).toEqual({ enrollments: 0, codes: 0 });
      expect(await leftOf(store, 'c-after')).toEqual({ enrollments: 0, codes: 0 });
      await store.dataSource.query('DROP TRIGGER poison');
    } finally {
      await store.close();
    }

    const resumed = await runCli(['--json', 'import', 'file', file], env);
    expect(resumed.code).toBe(0);
    expect(jsonOf(resumed)).toMatchObject({ imported: 2, alreadyImported: 1, duplicates: [], invalid: [] });
  });
});
