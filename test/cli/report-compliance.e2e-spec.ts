// Invariant: `report compliance` lists, from the store (and with --users, from the host's whole
// directory), who mandatory enrollment covers and has no factor — by group, with the grace days
// the enforcer would give — who has only SMS or email and who has fewer than 3 backup codes;
// it exits 0 when it ran, 1 under --fail-on-gaps when anyone is overdue, on every dialect; a
// user with an enrollment exemption in force is shown exempt and is not a gap.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnrollmentType } from '../../libs/core/src';
import type { ComplianceReport } from '../../libs/core/src/compliance/compliance-report.types';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { createOwnDatabase, OwnDatabaseBackend, ownDatabaseBackends } from '../support/own-database';
import { databaseUrlOf, emptyOwnDatabase, jsonOf, runCli, sqliteFile } from '../support/cli-process';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const backends = ownDatabaseBackends('mfa_cli_report_compliance', sqliteFile('cli-report-compliance'));
const keys = `k1:${randomBytes(32).toString('base64')}`;
const dir = mkdtempSync(join(tmpdir(), 'report-compliance-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
// Mandatory for admins and finance, 7 days' grace; the rest of the policy is the defaults.
const config = file(
  'mfa.config.json',
  JSON.stringify({ issuer: 'compliance', policy: { enrollment: { required: { groups: ['admins', 'finance'] } } } }),
);

async function factor(store: TypeOrmMfaStore, userId: string, type: EnrollmentType): Promise<void> {
  const id = randomUUID();
  const now = Date.now();
  await store.createEnrollment({
    id,
    userId,
    type,
    status: 'pending',
    label: null,
    sealedSecret: 'not read by the report',
    keyId: 'k1',
    profile: null,
    maskedTarget: type === 'sms' ? '+90 *** *** **12' : null,
    lastStep: null,
    createdAt: now,
    confirmedAt: null,
    lastUsedAt: null,
  });
  await store.activateEnrollment(userId, id, null, now);
}

/** Users as the app's requests would have left them: seeded through the store's own port. */
async function seed(backend: OwnDatabaseBackend): Promise<void> {
  const store = await TypeOrmMfaStore.connect(backend.options);
  try {
    const now = Date.now();
    await factor(store, 'u-ok', 'totp');
    await store.markEnrollmentRequired('u-late', now - 10 * DAY - 60_000); // 3 days overdue
    await store.markEnrollmentRequired('u-grace', now - 2 * DAY - 60_000); // 5 days left, less a minute
    await factor(store, 'u-weak', 'sms');
    await factor(store, 'u-weak', 'email');
    const codes = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), codeHash: `hash-${i}` }));
    await store.replaceBackupCodes('u-weak', codes, now);
    for (const code of codes.slice(2)) await store.consumeBackupCode('u-weak', code.id, now);
  } finally {
    await store.close();
  }
}

describe.each(backends.map((b) => [b.name, b] as const))('nestjs-mfa report compliance on %s', (_name, given) => {
  let env: Record<string, string>;
  let backend: OwnDatabaseBackend;
  beforeAll(async () => {
    await createOwnDatabase(given);
    backend = await emptyOwnDatabase(given);
    await seed(backend);
    env = { MFA_DATABASE_URL: databaseUrlOf(backend), MFA_ENCRYPTION_KEYS: keys, MFA_CONFIG: config };
  });

  it('reports the users the store knows as JSON, and exits 0 though it lists gaps', async () => {
    const run = await runCli(['report', 'compliance', '--json'], env);
    expect(run.code).toBe(0);
    const report = jsonOf<ComplianceReport>(run);
    expect(report).toMatchObject({
      coverage: 'store',
      mandatoryEnrollment: { everyone: false, groups: ['admins', 'finance'], graceDays: 7 },
      totals: { usersChecked: 4, missingFactor: 2, overdue: 1, exempt: 0, weakFactorsOnly: 1, lowBackupCodes: 1 },
      byGroup: [{ group: '(unknown)', missingFactor: 2, overdue: 1, exempt: 0 }],
      weakFactorsOnly: [{ userId: 'u-weak', factors: ['email', 'sms'] }],
      lowBackupCodes: [{ userId: 'u-weak', remaining: 2 }],
    });
    expect(report.missingFactor).toEqual([
      expect.objectContaining({ userId: 'u-grace', status: 'in_grace', graceDaysLeft: 5, overdue: false }),
      expect.objectContaining({ userId: 'u-late', status: 'overdue', graceDaysLeft: -3, overdue: true }),
    ]);
  });

  it("covers the host's whole directory with --users, by group, as CSV", async () => {
    const users = file(
      'users.csv',
      'userId,groups\nu-ok,admins\nu-late,staff;finance\nu-grace,staff\nu-new,admins;finance\nu-weak,staff\n',
    );
    const run = await runCli(['report', 'compliance', '--users', users, '--format', 'csv'], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'finding,user_id,groups,status,grace_days_left,grace_ends_at,factors,backup_codes_left,exempt_until,exemption_id',
    );
    // u-grace is staff only: the requirement does not cover them any more.
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'missing_factor,u-late,finance,overdue,-3',
      'missing_factor,u-new,admins;finance,not_started,7',
      'weak_factors_only,u-weak,,,',
      'low_backup_codes,u-weak,,,',
    ]);
    expect(run.stderr).toContain('Checked 5 users of the --users file: 2 without a factor (1 overdue, 0 exempt)');

    const json = file('users.json', JSON.stringify([{ userId: 'u-new', groups: ['finance'] }]));
    const byJson = jsonOf<ComplianceReport>(await runCli(['--json', 'report', 'compliance', '--users', json], env));
    expect(byJson).toMatchObject({ coverage: 'directory', byGroup: [{ group: 'finance', missingFactor: 1 }] });
  });

  it('exits 1 under --fail-on-gaps when anyone is overdue, still printing the report', async () => {
    const text = await runCli(['report', 'compliance', '--fail-on-gaps'], env);
    expect(text.code).toBe(1);
    expect(JSON.parse(text.stdout).totals.overdue).toBe(1);
    expect(text.stderr).toContain('1 user(s) covered by mandatory enrollment are overdue');

    const json = await runCli(['report', 'compliance', '--fail-on-gaps', '--json'], env);
    expect(json.code).toBe(1);
    const { error } = jsonOf<{ error: { code: string; details: ComplianceReport } }>(json);
    expect(error.code).toBe('COMPLIANCE_GAPS');
    expect(error.details.missingFactor.map((m) => m.userId)).toEqual(['u-grace', 'u-late']);

    const none = file('in-grace.json', JSON.stringify({ users: [{ userId: 'u-grace', groups: ['admins'] }] }));
    expect((await runCli(['report', 'compliance', '--fail-on-gaps', '--users', none], env)).code).toBe(0);
  });

  it('refuses a bad --users file row by row, and an unknown format, before reporting anything', async () => {
    const bad = file('bad.csv', 'userId,groups\nu-1,admins\n,admins\nu-1,staff\n');
    const run = await runCli(['report', 'compliance', '--users', bad, '--json'], env);
    expect(run.code).toBe(1);
    expect(jsonOf<{ error: unknown }>(run).error).toMatchObject({
      code: 'USERS_FILE_INVALID',
      details: {
        errors: [
          { path: 'line 3', message: 'userId is missing' },
          { path: 'line 4', message: 'userId "u-1" is listed twice' },
        ],
      },
    });
    const noHeader = await runCli(['report', 'compliance', '--users', file('x.csv', 'id\nu-1\n'), '--json'], env);
    expect(jsonOf<{ error: { code: string } }>(noHeader).error.code).toBe('USERS_FILE_INVALID');
    const missing = await runCli(['report', 'compliance', '--users', join(dir, 'nope.csv')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Cannot read ${join(dir, 'nope.csv')}`);
    const xml = await runCli(['report', 'compliance', '--format', 'xml'], env);
    expect(xml.code).toBe(2);
    expect(xml.stderr).toContain('--format must be json or csv');
  });

  it('passes --fail-on-gaps when the only overdue user holds an enrollment exemption in force', async () => {
    const store = await TypeOrmMfaStore.connect(backend.options);
    const now = Date.now();
    const id = randomUUID();
    try {
      await store.createExemption({
        id,
        userId: 'u-late',
        scope: 'enrollment',
        ruleId: null,
        ruleFingerprint: null,
        reason: 'new phone on its way',
        grantedBy: 'u-admin',
        createdAt: now,
        expiresAt: now + 5 * DAY,
        revokedAt: null,
        revokedBy: null,
      });
    } finally {
      await store.close();
    }
    const run = await runCli(['report', 'compliance', '--fail-on-gaps', '--json'], env);
    expect(run.code).toBe(0);
    const report = jsonOf<ComplianceReport>(run);
    expect(report.totals).toMatchObject({ missingFactor: 2, overdue: 0, exempt: 1 });
    expect(report.missingFactor).toContainEqual(
      expect.objectContaining({
        userId: 'u-late',
        status: 'exempt',
        overdue: false,
        exemptionId: id,
        exemptUntil: new Date(now + 5 * DAY).toISOString(),
      }),
    );
    const csv = await runCli(['report', 'compliance', '--format', 'csv', '--fail-on-gaps'], env);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain(`,${new Date(now + 5 * DAY).toISOString()},${id}`);
    expect(csv.stderr).toContain('(0 overdue, 1 exempt)');
  });
});
