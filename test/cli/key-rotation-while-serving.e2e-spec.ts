// Invariant: `nestjs-mfa keys rotate` re-seals every secret under the newest key while another
// instance keeps serving: no verification fails because its row was re-sealed under it, and
// afterwards `keys status --check` finds every row on the new key.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_TOTP_PROFILE, fromBase32, ManualClock, MfaEngine, TotpFactor } from '../../libs/core/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { EXIT } from '../../libs/cli/src/cli-context';
import { CapturingAuditSink } from '../support/capturing-audit.sink';
import { createOwnDatabase, ownDatabaseBackends } from '../support/own-database';
import { databaseUrlOf, emptyOwnDatabase, jsonOf, runCli, sqliteFile } from '../support/cli-process';
import type { VerifyLoopJob } from '../support/verify-loop.child';

jest.setTimeout(600_000);

const USERS = 40;
const backends = ownDatabaseBackends('mfa_cli_key_rotation', sqliteFile('cli-key-rotation'));

interface KeyStatusJson {
  currentKeyId: string;
  keys: Array<{ keyId: string; rows: number }>;
  notOnCurrentKey: number;
  allOnCurrentKey: boolean;
}

const running = new Set<ReturnType<typeof spawn>>();
afterAll(() => running.forEach((child) => child.kill()));

/** The serving process: its `ok`/`fail` lines as they come, and its summary when stopped. */
function startServing(job: VerifyLoopJob) {
  const child = spawn(
    process.execPath,
    ['-r', join(__dirname, '../support/transpile-ts.hook.js'), join(__dirname, '../support/verify-loop.child.ts')],
    { env: { ...process.env, MFA_VERIFY_LOOP_JOB: JSON.stringify(job) } },
  );
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    waiters.splice(0).forEach((wake) => wake());
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  running.add(child);
  void exited.then(() => running.delete(child));
  const verified = () => lines.filter((l) => l.startsWith('ok ')).length;
  return {
    lines,
    verified,
    /** Resolves once `n` verifications have succeeded in all; fails if the child dies first. */
    async untilVerified(n: number): Promise<void> {
      while (verified() < n) {
        const failed = lines.find((l) => l.startsWith('fail '));
        if (failed) throw new Error(`the serving process failed a verification: ${failed}`);
        const woke = new Promise<void>((resolve) => waiters.push(resolve));
        const died = exited.then((code) => Promise.reject(new Error(`serving process exited (${code}): ${stderr}`)));
        await Promise.race([woke, died]);
      }
    },
    async stop(): Promise<{ ok: number; mixedSeen: number; failures: string[] }> {
      child.stdin.end('stop\n');
      const code = await exited;
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      return JSON.parse(lines.find((l) => l.startsWith('summary '))!.slice('summary '.length));
    },
  };
}

describe.each(backends.map((b) => [b.name, b] as const))('keys rotate while serving on %s', (_name, given) => {
  beforeAll(() => createOwnDatabase(given));

  it('re-seals every row under the new key while every verification keeps succeeding', async () => {
    const backend = await emptyOwnDatabase(given);
    const k1 = { id: 'k1', key: randomBytes(32).toString('base64') };
    const k2 = { id: 'k2', key: randomBytes(32).toString('base64') };
    const clock = new ManualClock(Date.UTC(2026, 0, 1));

    // Enrolled while k1 was the only key.
    const store = await TypeOrmMfaStore.connect(backend.options);
    const users: VerifyLoopJob['users'] = [];
    try {
      const engine = new MfaEngine({
        encryption: { keys: [k1] },
        store,
        clock,
        audit: new CapturingAuditSink(),
        backupCodes: { scrypt: { N: 1024, r: 8, p: 1 } },
      });
      for (let i = 0; i < USERS; i++) {
        const subject = { userId: `user-${i}`, sessionId: `enroll-${i}` };
        const start = await engine.startTotpEnrollment(subject);
        const code = new TotpFactor().generate(fromBase32(start.secret), DEFAULT_TOTP_PROFILE, clock.now());
        await engine.confirmTotpEnrollment(subject, start.enrollmentId, code);
        users.push({ userId: subject.userId, secret: start.secret });
      }
    } finally {
      await store.close();
    }

    // The app is redeployed knowing both keys, k2 current; one instance serves throughout.
    const env = {
      MFA_DATABASE_URL: databaseUrlOf(backend),
      MFA_ENCRYPTION_KEYS: `k1:${k1.key},k2:${k2.key}`,
    };
    const serving = startServing({
      database: backend.options,
      encryption: { keys: [k2, k1], currentKeyId: 'k2' },
      users,
      startAt: clock.now() + 60_000,
    });
    await serving.untilVerified(3);

    const before = await runCli(['--json', 'keys', 'status', '--check'], env);
    expect(before.code).toBe(EXIT.refused);
    const pending = jsonOf<{ error: { code: string; details: KeyStatusJson } }>(before).error;
    expect(pending.code).toBe('KEYS_NOT_ROTATED');
    expect(pending.details).toMatchObject({ currentKeyId: 'k2', notOnCurrentKey: USERS });

    const startedAt = serving.verified();
    const rotate = await runCli(['--json', 'keys', 'rotate', '--batch-size', '2'], env);
    expect(rotate.stderr).toBe('');
    expect(rotate.code).toBe(EXIT.ok);
    expect(jsonOf(rotate)).toMatchObject({ resealed: USERS, allOnCurrentKey: true });
    const endedAt = serving.verified();
    await serving.untilVerified(endedAt + 5);
    const summary = await serving.stop();

    expect(summary.failures).toEqual([]);
    expect(serving.lines.filter((l) => l.startsWith('fail '))).toEqual([]);
    expect(endedAt).toBeGreaterThan(startedAt); // it kept verifying while the rotation ran
    // Verified rows sealed by the old key and by the new one, and saw the table half-rotated.
    expect(serving.lines).toEqual(expect.arrayContaining(['ok k1', 'ok k2']));
    expect(summary.mixedSeen).toBeGreaterThan(0);

    const after = await runCli(['--json', 'keys', 'status', '--check'], env);
    expect(after.code).toBe(EXIT.ok);
    expect(jsonOf<KeyStatusJson>(after)).toMatchObject({
      currentKeyId: 'k2',
      keys: [{ keyId: 'k2', rows: USERS }],
      notOnCurrentKey: 0,
      allOnCurrentKey: true,
    });
    // Resumable by nature: a second run finds nothing left.
    const again = await runCli(['--json', 'keys', 'rotate', '--batch-size', '2'], env);
    expect(jsonOf(again)).toMatchObject({ resealed: 0 });
  });
});
