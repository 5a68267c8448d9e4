/** The operations P4/P5 counts, each run inside a trace of the server's statements and Redis commands. */
import { DEFAULT_TOTP_PROFILE, fromBase32, TotpFactor } from '../../libs/core/src';
import { SMOKE } from './bench-env';
import { cookieFrom, totp, wrongTotp } from './load';
import type { Side } from './sides';

export interface Trace {
  queries: string[];
  redis: string[];
}

export interface Operation {
  label: string;
  /** The goal on SQL statements per operation, if the issue sets one. */
  goal?: number;
  /** Runs the operation `times` times inside a trace and returns the statements of each. */
  measure?: (side: Side) => Promise<Trace[]>;
  unavailable?: string;
}

const json = { 'content-type': 'application/json' };
const isBackground = (sql: string) => /mfa_policy_/.test(sql); // the 5-second policy refresh, not the operation

async function traced(side: Side, op: () => Promise<void>): Promise<Trace> {
  await new Promise((r) => setTimeout(r, 150)); // lets the audit rows of whatever ran before land first
  await side.server.post('/bench/trace', { on: true });
  await op();
  await new Promise((r) => setTimeout(r, 150)); // audit rows are written after the response
  const t = await side.server.post<Trace>('/bench/trace', { on: false });
  return { queries: t.queries.filter((q) => !isBackground(q)), redis: t.redis };
}

async function expectStatus(res: Response, status: number, what: string): Promise<any> {
  const body = await res.json();
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function verifyWith(side: Side, valid: boolean, times: number): Promise<Trace[]> {
  const entries = await side.seed({ users: times });
  const out: Trace[] = [];
  for (const e of entries) {
    const spec = side.verify(e, valid ? totp(e.key, Date.now()) : wrongTotp(e.key, Date.now()));
    out.push(
      await traced(side, async () => {
        await expectStatus(
          await fetch(side.server.base + spec.path, { method: 'POST', headers: spec.headers, body: spec.body }),
          valid ? 200 : 401,
          'verify',
        );
      }),
    );
  }
  return out;
}

export const OPERATIONS: Operation[] = [
  {
    label: 'satisfied guarded request',
    goal: 1,
    async measure(side) {
      const [e] = await side.seed({ users: 1 });
      const spec = side.verify(e, totp(e.key, Date.now()));
      const verified = await fetch(side.server.base + spec.path, {
        method: 'POST',
        headers: spec.headers,
        body: spec.body,
      });
      // Our verify renews the session id (ASVS 7.2.4); Better Auth keeps its cookie.
      const cookie = verified.headers.getSetCookie().some((c) => c.startsWith('connect.sid='))
        ? cookieFrom(verified.headers.getSetCookie(), 'connect.sid')
        : e.cookie;
      await expectStatus(verified, 200, 'verify');
      const get = async () =>
        void (await expectStatus(
          await fetch(`${side.server.base}/bench/guarded`, { headers: { cookie } }),
          200,
          'guarded',
        ));
      await get(); // warms the policy and, where it is on, the session cache
      const out: Trace[] = [];
      for (let i = 0; i < (SMOKE ? 3 : 10); i++) out.push(await traced(side, get));
      return out;
    },
  },
  { label: 'TOTP verify, right code', goal: 3, measure: (side) => verifyWith(side, true, SMOKE ? 2 : 5) },
  { label: 'TOTP verify, wrong code', measure: (side) => verifyWith(side, false, SMOKE ? 2 : 5) },
  {
    label: 'SMS send (a challenge code, to the dev outbox)',
    async measure(side) {
      // A verified session binds a phone over HTTP (the code comes from the outbox); other sessions then ask for codes.
      const seeded = await side.server.post<{ users: Array<{ sessions: Array<{ cookie: string }> }> }>('/bench/seed', {
        users: 1,
        sessionsPerUser: SMOKE ? 2 : 4,
        enroll: false,
        challenge: false,
      });
      const [first, ...others] = seeded.users[0].sessions.map((s) => s.cookie);
      const post = (path: string, cookie: string, body: unknown) =>
        fetch(side.server.base + path, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify(body) });
      const start = await expectStatus(
        await post('/mfa/sms/enrollments', first, { phone: '+905321234512' }),
        201,
        'bind phone',
      );
      const outbox = (await (await fetch(`${side.server.base}/bench/outbox`)).json()) as { last: { text: string } };
      const code = /\d{6}/.exec(outbox.last.text)![0];
      await expectStatus(
        await post(`/mfa/sms/enrollments/${start.enrollmentId}/confirm`, first, { code }),
        200,
        'confirm phone',
      );
      const out: Trace[] = [];
      for (const cookie of others) {
        const challenge = await expectStatus(
          await fetch(`${side.server.base}/bench/guarded`, { headers: { cookie } }),
          401,
          'guarded',
        );
        out.push(
          await traced(
            side,
            async () =>
              void (await expectStatus(
                await post(`/mfa/challenges/${challenge.challenge.id}/send`, cookie, { method: 'sms' }),
                200,
                'send',
              )),
          ),
        );
      }
      return out;
    },
  },
  {
    label: 'backup-code redemption',
    async measure(side) {
      // A real enrollment over HTTP (the confirm returns the backup codes), then a second session redeems one.
      const seeded = await side.server.post<{ users: Array<{ sessions: Array<{ cookie: string }> }> }>('/bench/seed', {
        users: 1,
        sessionsPerUser: SMOKE ? 2 : 4,
        enroll: false,
        challenge: false,
      });
      const [first, ...others] = seeded.users[0].sessions.map((s) => s.cookie);
      const start = await expectStatus(
        await fetch(`${side.server.base}/mfa/totp/enrollments`, {
          method: 'POST',
          headers: { ...json, cookie: first },
          body: '{}',
        }),
        201,
        'enroll',
      );
      const code = new TotpFactor().generate(fromBase32(start.secret), DEFAULT_TOTP_PROFILE, Date.now());
      const confirm = await expectStatus(
        await fetch(`${side.server.base}/mfa/totp/enrollments/${start.enrollmentId}/confirm`, {
          method: 'POST',
          headers: { ...json, cookie: first },
          body: JSON.stringify({ code }),
        }),
        200,
        'confirm',
      );
      const out: Trace[] = [];
      for (const [i, cookie] of others.entries()) {
        const challenge = await expectStatus(
          await fetch(`${side.server.base}/bench/guarded`, { headers: { cookie } }),
          401,
          'guarded',
        );
        out.push(
          await traced(side, async () => {
            const res = await fetch(`${side.server.base}/mfa/challenges/${challenge.challenge.id}/verify`, {
              method: 'POST',
              headers: { ...json, cookie },
              body: JSON.stringify({ method: 'backup_code', code: confirm.backupCodes[i] }),
            });
            await expectStatus(res, 200, 'backup code');
          }),
        );
      }
      return out;
    },
  },
];

/**
 * `SELECT … FROM mfa_challenges`, `UPDATE mfa_enrollments`, `INSERT mfa_audit_events [challenge.verified]`;
 * a SQLite transaction run as one synchronous call, or a PostgreSQL statement of CTEs, lists what runs inside.
 */
