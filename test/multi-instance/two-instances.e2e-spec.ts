// Invariant: two real sample-app processes behind one "load balancer" (alternating requests),
// sharing PostgreSQL (store + audit), Redis (counters) and the session store, behave as one:
// a code is spent once, a lock counted on one holds on the other, and a SIGKILL mid-burst
// leaves no half-spent code and no lock that never ends.
// Runs when MFA_TEST_POSTGRES_URL and MFA_TEST_REDIS_URL are both set; use databases of your own:
//   MFA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/mfa_multi MFA_TEST_REDIS_URL=redis://127.0.0.1:6379/7 \
//     npx jest --runInBand test/multi-instance
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BackupCodeFactor, DEFAULT_TOTP_PROFILE, fromBase32, TotpFactor } from '../../libs/core/src';
import { call, compileSample, freePort, Reply, report, SampleBuild, SampleProcess } from './sample-processes';
import { resetSharedState, SharedState } from './shared-state';

const POSTGRES_URL = process.env.MFA_TEST_POSTGRES_URL;
const REDIS_URL = process.env.MFA_TEST_REDIS_URL;
const USER = 'u-alice';
const BURST = 1000;

/** TOTP codes from the real clock (child processes run on it); each step is used at most once, as a user would. */
class TotpCodes {
  private last = -Infinity;
  constructor(private readonly secret: string) {}

  private at(step: number): string {
    return new TotpFactor().generate(fromBase32(this.secret), DEFAULT_TOTP_PROFILE, step * 30_000);
  }

  /** The code of the current step, or of the next one (accepted: tolerance 1) when the current was used. */
  async next(): Promise<string> {
    for (;;) {
      const now = Date.now();
      const step = Math.max(this.last + 1, Math.floor(now / 30_000));
      if (step <= Math.floor(now / 30_000) + 1) return this.at((this.last = step));
      await new Promise((resolve) => setTimeout(resolve, 30_000 - (now % 30_000) + 50));
    }
  }

  /** Six digits that match no step the server could accept now. */
  wrong(): string {
    const step = Math.floor(Date.now() / 30_000);
    const valid = new Set([-2, -1, 0, 1, 2].map((d) => this.at(step + d)));
    for (;;) {
      const guess = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
      if (!valid.has(guess)) return guess;
    }
  }
}

async function signIn(via: SampleProcess): Promise<string> {
  const res = await call(via, 'POST', '/auth/login', { body: { username: 'alice', password: 'alice-password' } });
  expect(res.status).toBe(200);
  expect(res.setCookie).toMatch(/^connect\.sid=/);
  return res.setCookie!;
}

async function challenge(via: SampleProcess, cookie: string): Promise<string> {
  const res = await call(via, 'GET', '/profile/security', { cookie });
  expect(res.status).toBe(401);
  expect(res.code).toBe('MFA_REQUIRED');
  return res.body.challenge.id;
}

function verify(
  via: SampleProcess,
  cookie: string,
  challengeId: string,
  method: 'totp' | 'backup_code',
  code: string,
): Promise<Reply> {
  return call(via, 'POST', `/mfa/challenges/${challengeId}/verify`, { cookie, body: { method, code } });
}

/** Every request started at once, alternating between the instances; resolves when all have answered. */
async function burst(
  count: number,
  send: (i: number) => Promise<Reply>,
): Promise<{ replies: Reply[]; wallMs: number }> {
  const started = performance.now();
  const replies = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
  return { replies, wallMs: performance.now() - started };
}

// A copy that reaches an instance after the one success renewed the session id finds its
// cookie signed out (ASVS 7.2.4): refused too, never a 5xx.
const refusedProperly = (r: Reply) =>
  (r.status === 401 && (r.code === 'INVALID_CODE' || r.code === 'UNAUTHENTICATED')) ||
  (r.status === 429 && r.code === 'MFA_LOCKED' && Number(r.retryAfter) > 0);

(POSTGRES_URL && REDIS_URL ? describe : describe.skip)(
  'two sample-app processes sharing PostgreSQL, Redis and sessions',
  () => {
    const encryptionKey = randomBytes(32).toString('base64');
    let build: SampleBuild | undefined;
    let a: SampleProcess;
    let b: SampleProcess;
    let shared: SharedState;
    let totp: TotpCodes;
    let backupCodes: string[];
    /** A session verified in proof (a): shows later that each instance still serves the user. */
    let verifiedCookie: string;

    beforeAll(async () => {
      await resetSharedState(POSTGRES_URL!, REDIS_URL!);
      build = await compileSample();
      const env = {
        MFA_DATABASE_URL: POSTGRES_URL!,
        MFA_REDIS_URL: REDIS_URL!,
        SESSION_STORE_URL: POSTGRES_URL!,
        MFA_ENCRYPTION_KEY: encryptionKey,
        SESSION_SECRET: randomBytes(32).toString('base64'),
        SAMPLE_DATA_DIR: build.dir, // nothing is written there: every secret comes from the environment
      };
      a = new SampleProcess('A', build.mainJs, await freePort(), env);
      b = new SampleProcess('B', build.mainJs, await freePort(), env);
      await a.start(); // A migrates the empty schema and stores policy version 1; B then finds both
      await b.start();
      shared = await SharedState.open(POSTGRES_URL!, REDIS_URL!, encryptionKey);

      // Enrollment itself crosses instances: started on A, confirmed on B.
      const cookie = await signIn(a);
      const start = await call(a, 'POST', '/mfa/totp/enrollments', { cookie, body: { label: 'Phone' } });
      expect(start.status).toBe(201);
      totp = new TotpCodes(start.body.secret);
      const confirm = await call(b, 'POST', `/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`, {
        cookie,
        body: { code: await totp.next() },
      });
      expect(confirm.status).toBe(200);
      backupCodes = confirm.body.backupCodes;
      expect(backupCodes).toHaveLength(10);
    }, 300_000);

    afterAll(async () => {
      await Promise.all([a?.kill(), b?.kill()]);
      await shared?.close();
      build?.remove();
    }, 60_000);

    it(`(a) one TOTP code sent ${BURST} times at once across both instances is accepted exactly once`, async () => {
      await shared.unlock(USER);
      const cookie = await signIn(a);
      const id = await challenge(b, cookie); // the session started on A is valid on B
      const code = await totp.next();
      const { replies, wallMs } = await burst(BURST, (i) => verify(i % 2 ? b : a, cookie, id, 'totp', code));
      const t = report(`(a) same TOTP code x${BURST}`, replies, wallMs);

      expect(t.ok).toBe(1);
      expect(replies.filter((r) => r.status !== 200).every(refusedProperly)).toBe(true); // replays and locks, no 5xx
      expect(t.invalid + t.locked + t.signedOut).toBe(BURST - 1);
      // The one verification renewed the session id; it holds on both instances, the old id on neither.
      const renewed = replies.find((r) => r.status === 200)!.setCookie!;
      expect((await call(a, 'GET', '/profile/security', { cookie: renewed })).status).toBe(200);
      expect((await call(b, 'GET', '/profile/security', { cookie: renewed })).status).toBe(200);
      expect((await call(b, 'GET', '/profile/security', { cookie })).status).toBe(401);
      verifiedCookie = renewed;
    }, 180_000);

    it(`(b) one backup code redeemed ${BURST} times at once across both instances succeeds exactly once`, async () => {
      await shared.unlock(USER);
      expect(await shared.backupCodeRows(USER)).toEqual({ unused: 10, used: 0 });
      const cookie = await signIn(b);
      const id = await challenge(a, cookie);
      const { replies, wallMs } = await burst(BURST, (i) =>
        verify(i % 2 ? b : a, cookie, id, 'backup_code', backupCodes[0]),
      );
      const t = report(`(b) same backup code x${BURST}`, replies, wallMs);

      expect(t.ok).toBe(1);
      expect(replies.filter((r) => r.status !== 200).every(refusedProperly)).toBe(true);
      expect(await shared.backupCodeRows(USER)).toEqual({ unused: 9, used: 1 });
      // Spent: once the locks are lifted, a new session offering it on either instance is refused as a wrong code.
      await shared.unlock(USER);
      const later = await signIn(a);
      const laterId = await challenge(a, later);
      for (const via of [a, b]) {
        const again = await verify(via, later, laterId, 'backup_code', backupCodes[0]);
        expect([again.status, again.code]).toEqual([401, 'INVALID_CODE']);
      }
      expect(await shared.backupCodeRows(USER)).toEqual({ unused: 9, used: 1 });
    }, 180_000);

    it('(c) failures counted on instance A lock the channel on instance B, even for a right code', async () => {
      await shared.unlock(USER);
      const cookie = await signIn(a);
      const id = await challenge(a, cookie);
      for (let i = 0; i < 5; i++) {
        const wrong = await verify(a, cookie, id, 'totp', totp.wrong());
        expect([wrong.status, wrong.code]).toEqual([401, 'INVALID_CODE']);
      }
      const right = await totp.next();
      const onB = await verify(b, cookie, id, 'totp', right);
      expect([onB.status, onB.code]).toEqual([429, 'MFA_LOCKED']);
      expect(Number(onB.retryAfter)).toBeGreaterThan(0);
      expect(Number(onB.retryAfter)).toBeLessThanOrEqual(900); // the first lock lasts lockout.windowSeconds
      const backOnA = await verify(a, cookie, id, 'totp', totp.wrong());
      expect([backOnA.status, backOnA.code]).toEqual([429, 'MFA_LOCKED']);
      const status = (await shared.engine.lockoutStatus(USER)).totp; // as the help desk sees it
      expect(status.failures).toBe(5);
      expect(status.lockedForSeconds).toBeGreaterThan(0);
      console.log(
        `[two instances] (c) 5 failures on A -> B answers ${onB.status} ${onB.code} Retry-After ${onB.retryAfter}s; A answers ${backOnA.status}`,
      );

      // The refused code was right: with the lock lifted, the same code passes on B.
      await shared.unlock(USER);
      const passed = await verify(b, cookie, id, 'totp', right);
      expect(passed.status).toBe(200);
    }, 180_000);

    // The valid code goes only to B, the instance that dies, so the crash decides its fate; A gets
    // wrong codes, with hundreds of requests in flight on each. Three kill points: B's first answers
    // are fast refusals, the few evaluated attempts (scrypt) finish later.
    it.each([
      [1, 1],
      [2, 100],
      [3, 250],
    ])(
      '(d%i) a SIGKILL of B after %i answers leaves no half-spent code and no lock without an end',
      async (round, killAfter) => {
        await shared.unlock(USER);
        const before = await shared.backupCodeRows(USER);
        const valid = backupCodes[round];
        const wrong = new BackupCodeFactor().generateSet(); // well-formed, so an evaluated one is hashed and compared
        const cookie = await signIn(a);
        const id = await challenge(b, cookie);

        const count = 400;
        let answers = 0;
        let killed: Promise<void> | undefined;
        let killedAtMs = 0;
        const started = performance.now();
        const { replies, wallMs } = await burst(count, (i) =>
          verify(i % 2 ? a : b, cookie, id, 'backup_code', i % 8 === 0 ? valid : wrong[i % wrong.length]).then(
            (reply) => {
              if (++answers === killAfter) {
                killedAtMs = performance.now() - started;
                killed = b.kill('SIGKILL');
              }
              return reply;
            },
          ),
        );
        await killed;
        expect(b.running).toBe(false);
        const after = await shared.backupCodeRows(USER);
        const spent = after.used - before.used;
        const ttls = await shared.counterTtls(USER);
        const inFlight = replies.filter((r) => r.status === 0).length;
        // A success renewed the session id: its answer carries the new cookie (a cut one never arrived).
        const renewed = replies.find((r) => r.status === 200)?.setCookie;
        const sessionVerified = (
          await Promise.all(
            [cookie, renewed]
              .filter((c): c is string => !!c)
              .map((c) => call(a, 'GET', '/profile/security', { cookie: c })),
          )
        ).some((r) => r.status === 200);
        const t = report(
          `(d${round}) SIGKILL B after ${killAfter} answers x${count}`,
          replies,
          wallMs,
          `killed at ${killedAtMs.toFixed(0)} ms, ${inFlight} requests cut; code spent ${spent}x, session verified ${sessionVerified ? 'yes' : 'no'}; ` +
            `TTLs ${Object.entries(ttls)
              .map(([k, ms]) => `${k.split(':').slice(2).join(':')}=${Math.round(ms / 1000)}s`)
              .join(' ')}`,
        );

        // A answered every request it got, with a proper refusal: no 5xx, no broken connection.
        expect(replies.filter((r) => r.instance === 'A').every(refusedProperly)).toBe(true);
        expect(
          replies
            .filter((r) => r.instance === 'B')
            .every((r) => r.status === 0 || r.status === 200 || refusedProperly(r)),
        ).toBe(true);
        expect(inFlight).toBeGreaterThan(0); // the kill did cut requests in flight
        // No half-spent code: spent at most once, and a success seen is backed by a spent row.
        expect(spent).toBeGreaterThanOrEqual(0);
        expect(spent).toBeLessThanOrEqual(1);
        expect(t.ok).toBeLessThanOrEqual(spent);
        if (spent === 0) expect(sessionVerified).toBe(false); // no verification without the code spent
        if (t.ok === 1) expect(sessionVerified).toBe(true); // a success seen is a verified session on the other instance
        // No lock without an end: every counter of the user in Redis expires (a day and a minute at most).
        expect(Object.keys(ttls).length).toBeGreaterThan(0);
        expect(Object.values(ttls).every((ms) => ms > 0 && ms <= 86_400_000 + 60_000)).toBe(true);

        // The surviving instance still serves the user: a verified session passes, and after the
        // help desk's unlock the code is redeemable exactly once if (and only if) it was not spent.
        expect((await call(a, 'GET', '/profile/security', { cookie: verifiedCookie })).status).toBe(200);
        await shared.unlock(USER);
        const retry = await signIn(a);
        const redeem = await verify(a, retry, await challenge(a, retry), 'backup_code', valid);
        const retryCookie = redeem.status === 200 ? redeem.setCookie! : retry;
        if (spent === 1) {
          expect([redeem.status, redeem.code]).toEqual([401, 'INVALID_CODE']);
        } else {
          expect(redeem.status).toBe(200);
          const second = await signIn(a);
          const again = await verify(a, second, await challenge(a, second), 'backup_code', valid);
          expect([again.status, again.code]).toEqual([401, 'INVALID_CODE']);
        }
        expect(await shared.backupCodeRows(USER)).toEqual({ unused: before.unused - 1, used: before.used + 1 });

        // The killed instance comes back on its port and serves the same sessions and codes.
        const restartedAt = performance.now();
        await b.start();
        const restartMs = performance.now() - restartedAt;
        expect((await call(b, 'GET', '/profile/security', { cookie: verifiedCookie })).status).toBe(200);
        expect((await call(b, 'GET', '/profile/security', { cookie: retryCookie })).status).toBe(
          spent === 1 ? 401 : 200,
        );
        console.log(
          `[two instances] (d${round}) ${spent ? `code spent during the burst (${t.ok} success seen)` : 'code not spent during the burst; redeemed once on A afterwards'}; ` +
            `B restarted in ${(restartMs / 1000).toFixed(1)} s and serves the user`,
        );
      },
      240_000,
    );

    it('after the kills, a fresh session verifies on the restarted B and holds on A', async () => {
      await shared.unlock(USER);
      const cookie = await signIn(b);
      const id = await challenge(b, cookie);
      const verified = await verify(b, cookie, id, 'totp', await totp.next());
      expect(verified.status).toBe(200);
      expect((await call(a, 'GET', '/profile/security', { cookie: verified.setCookie })).status).toBe(200);
    }, 120_000);
  },
);
