// The serving instance of key-rotation-while-serving: verifies TOTP codes for its users, one
// after another on a clock it moves itself, until told `stop` on stdin. One line per
// verification on stdout (`ok <key id of the verified row>` or `fail <reason>`), then a summary.
import { createInterface } from 'node:readline';
import type { DataSourceOptions } from 'typeorm';
import {
  fromBase32,
  DEFAULT_TOTP_PROFILE,
  KeyRingOptions,
  ManualClock,
  MfaEngine,
  TotpFactor,
} from '../../libs/core/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { CapturingAuditSink } from './capturing-audit.sink';

export interface VerifyLoopJob {
  database: DataSourceOptions;
  encryption: KeyRingOptions;
  users: Array<{ userId: string; secret: string }>;
  /** Later than every enrollment's confirmation, so each code is on a fresh time step. */
  startAt: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.MFA_VERIFY_LOOP_JOB!) as VerifyLoopJob;
  const store = await TypeOrmMfaStore.connect(job.database);
  const clock = new ManualClock(job.startAt);
  const engine = new MfaEngine({
    encryption: job.encryption,
    store,
    clock,
    audit: new CapturingAuditSink(),
    backupCodes: { scrypt: { N: 1024, r: 8, p: 1 } },
  });
  let stopping = false;
  // `stop`, or the test's end: a parent that died never leaves this loop running.
  createInterface({ input: process.stdin })
    .on('line', (line) => (stopping ||= line.trim() === 'stop'))
    .on('close', () => (stopping = true));
  const totp = new TotpFactor();
  let ok = 0;
  let mixedSeen = 0;
  const failures: string[] = [];
  for (let i = 0; !stopping; i++) {
    // better-sqlite3 answers synchronously: without a turn of the event loop, `stop` would never be read.
    await new Promise((resolve) => setImmediate(resolve));
    const { userId, secret } = job.users[i % job.users.length];
    clock.advance(30);
    const subject = { userId, sessionId: `serving-${i}` };
    try {
      const challenge = await engine
        .enforce(subject, { requirement: { steps: [{ factors: 'any' }] } })
        .then(() => Promise.reject(new Error('enforce allowed without a verification')))
        .catch((e: { details?: { challenge?: { id: string } } }) => {
          if (!e.details?.challenge) throw e;
          return e.details.challenge;
        });
      const code = totp.generate(fromBase32(secret), DEFAULT_TOTP_PROFILE, clock.now());
      await engine.verifyChallenge(subject, challenge.id, 'totp', code);
      const keys: Array<{ key_id: string }> = await store.dataSource.query(
        'SELECT DISTINCT key_id FROM mfa_enrollments ORDER BY key_id',
      );
      if (keys.length > 1) mixedSeen++;
      const [row]: Array<{ key_id: string }> = await store.dataSource.query(
        store.dataSource.options.type === 'postgres'
          ? 'SELECT key_id FROM mfa_enrollments WHERE user_id = $1'
          : 'SELECT key_id FROM mfa_enrollments WHERE user_id = ?',
        [userId],
      );
      ok++;
      process.stdout.write(`ok ${row.key_id}\n`);
    } catch (err) {
      const reason = (err as { code?: string; message?: string }).code ?? (err as Error).message;
      failures.push(`${userId}: ${reason}`);
      process.stdout.write(`fail ${reason}\n`);
    }
  }
  process.stdout.write(`summary ${JSON.stringify({ ok, mixedSeen, failures })}\n`);
  await engine.close();
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
