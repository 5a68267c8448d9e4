// Invariant: policy changes made from the command line are audited with the operator's
// name, and refused without one; validation reports each problem by its JSON path.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EXIT } from '../../libs/cli/src/cli-context';
import { createOwnDatabase, ownDatabaseBackends } from '../support/own-database';
import { databaseUrlOf, emptyOwnDatabase, jsonOf, runCli, sqliteFile } from '../support/cli-process';

jest.setTimeout(240_000);

const dir = mkdtempSync(join(tmpdir(), 'cli-policy-'));
const file = (name: string, doc: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
};
const strict = file('strict.json', { services: { billing: { operations: { refund: { require: 'totp' } } } } });
const looser = file('looser.json', { services: { billing: { operations: { refund: { require: 'any' } } } } });
const invalid = file('invalid.json', {
  services: { billing: { operations: { refund: { require: 'carrier-pigeon' } } } },
  rules: [{ id: 'r1', when: { countries: ['KP'] }, deny: 'yes' }],
});

describe('nestjs-mfa policy validate (no store needed)', () => {
  it('answers 0 for a valid document and 1 with every problem by JSON path otherwise', async () => {
    const ok = await runCli(['policy', 'validate', strict, '--json']);
    expect(ok.code).toBe(EXIT.ok);
    expect(jsonOf(ok)).toMatchObject({ valid: true, errors: [] });

    const bad = await runCli(['--json', 'policy', 'validate', invalid]);
    expect(bad.code).toBe(EXIT.refused);
    const { error } = jsonOf<{ error: { code: string; details: { errors: Array<{ path: string }> } } }>(bad);
    expect(error.code).toBe('POLICY_INVALID');
    expect(error.details.errors.map((e) => e.path)).toContain('$.services.billing.operations.refund.require');

    const notJson = await runCli(['policy', 'validate', file('broken.json', '{ "services": ')]);
    expect(notJson.code).toBe(EXIT.refused);
    expect(notJson.stderr).toMatch(/is not JSON/);
  });
});

const backends = ownDatabaseBackends('mfa_cli_policy', sqliteFile('cli-policy'));

describe.each(backends.map((b) => [b.name, b] as const))('nestjs-mfa policy on %s', (_name, given) => {
  let env: Record<string, string>;
  let backend: typeof given;
  beforeAll(async () => {
    await createOwnDatabase(given);
    backend = await emptyOwnDatabase(given);
    env = { MFA_DATABASE_URL: databaseUrlOf(backend), MFA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` };
  });

  const auditRows = async (type: string) => {
    const ds = await new DataSource(backend.options).initialize();
    try {
      return await ds.query(`SELECT actor, policy_version FROM mfa_audit_events WHERE type = '${type}' ORDER BY at`);
    } finally {
      await ds.destroy();
    }
  };

  it('creates, diffs, activates and rolls back versions, each audited with the operator', async () => {
    const first = await runCli(['--json', 'policy', 'create', strict, '--actor', 'alice'], env);
    expect(first.code).toBe(EXIT.ok);
    const v1 = jsonOf<{ version: { version: number } }>(first).version.version;
    const second = await runCli(['--json', 'policy', 'create', looser], { ...env, MFA_OPERATOR: 'alice' });
    const v2 = jsonOf<{ version: { version: number } }>(second).version.version;
    expect(v2).toBe(v1 + 1);

    const diff = await runCli(['--json', 'policy', 'diff', String(v1), String(v2)], env);
    expect(diff.code).toBe(EXIT.ok);
    expect(jsonOf(diff)).toMatchObject({
      identical: false,
      services: [expect.objectContaining({ service: 'billing', operation: 'refund', change: 'changed' })],
    });

    const anonymous = await runCli(['--json', 'policy', 'activate', String(v1)], env);
    expect(anonymous.code).toBe(EXIT.usage);
    expect(jsonOf<{ error: { code: string } }>(anonymous).error.code).toBe('ACTOR_REQUIRED');

    expect((await runCli(['policy', 'activate', String(v1), '--actor', 'alice'], env)).code).toBe(EXIT.ok);
    const activated = await runCli(['--json', 'policy', 'activate', String(v2), '--actor', 'bob'], env);
    expect(jsonOf(activated)).toMatchObject({ active: { version: v2, active: true }, actor: 'bob' });
    const rolledBack = await runCli(['--json', 'policy', 'rollback'], { ...env, MFA_OPERATOR: 'carol' });
    expect(rolledBack.code).toBe(EXIT.ok);
    expect(jsonOf(rolledBack)).toMatchObject({ active: { version: v1 }, actor: 'carol' });

    expect(await auditRows('policy.activated')).toEqual([
      { actor: 'alice', policy_version: v1 },
      { actor: 'bob', policy_version: v2 },
    ]);
    expect(await auditRows('policy.rolled_back')).toEqual([{ actor: 'carol', policy_version: v1 }]);

    const list = await runCli(['--json', 'policy', 'list'], env);
    const versions = jsonOf<{ versions: Array<{ version: number; active: boolean; author: string }> }>(list).versions;
    expect(versions.filter((v) => v.active).map((v) => v.version)).toEqual([v1]);

    const missing = await runCli(['--json', 'policy', 'activate', '999', '--actor', 'alice'], env);
    expect(missing.code).toBe(EXIT.refused);
    expect(jsonOf<{ error: { code: string } }>(missing).error.code).toBe('POLICY_VERSION_NOT_FOUND');
  });

  it('explains what a user faces on a service operation under the active version', async () => {
    const explained = await runCli(
      [
        '--json',
        'policy',
        'explain',
        '--user',
        'u-42',
        '--groups',
        'staff',
        '--service',
        'billing',
        '--operation',
        'refund',
      ],
      env,
    );
    expect(explained.code).toBe(EXIT.ok);
    const { explanation } = jsonOf<{ explanation: { outcome: string; layers: Array<{ steps: unknown[] }> } }>(
      explained,
    );
    expect(explanation.outcome).not.toBe('allow');
    expect(JSON.stringify(explanation.layers)).toContain('totp');
  });
});
