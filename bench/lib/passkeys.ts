/**
 * Passkey rounds beside TOTP rounds on one server (P2 passkey): seeding users with a soft
 * authenticator's passkey, the options + verify runs, and one traced challenge of each kind.
 * The authenticator signs in this client process, never in the server's, so its cost is
 * timed here on its own (`client`) and reported beside the server's, not inside it.
 */
import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { SoftAuthenticator } from '../../test/support/soft-authenticator';
import { RequestSpec, RunResult, totp } from './load';
import { runSpecs, settle } from './compare';
import { Side } from './sides';

const ORIGIN = 'http://localhost:3000'; // the server's webauthn origin (MFA_BENCH_WEBAUTHN=1)
const json = { 'content-type': 'application/json' };

interface PasskeyEntry {
  cookie: string;
  challengeId: string;
  authenticator: SoftAuthenticator;
}

export interface TotpRound {
  verify: RunResult;
  /** Client CPU (µs) to compute one code: the authenticator app's side. */
  client: number;
}

export interface PasskeyRound {
  options: RunResult;
  verify: RunResult;
  /** Client CPU (µs) to sign one assertion: the authenticator's side. */
  client: number;
}

/** Users with one passkey each (a soft authenticator per user), a signed-in session and its pending challenge. */
async function seedPasskeys(side: Side, n: number): Promise<PasskeyEntry[]> {
  const out: PasskeyEntry[] = [];
  for (let start = 0; start < n; start += 500) {
    const authenticators = Array.from({ length: Math.min(500, n - start) }, () => new SoftAuthenticator());
    const passkeys = authenticators.map((a) => {
      const challenge = randomBytes(32).toString('base64url');
      const creation = { rp: { id: 'localhost' }, user: { id: randomBytes(32).toString('base64url') }, challenge };
      return { challenge, response: a.register(creation, ORIGIN) };
    });
    const res = await side.server.post<{ users: Array<{ sessions: Array<{ cookie: string; challengeId: string }> }> }>(
      '/bench/seed',
      { users: passkeys.length, passkeys },
    );
    res.users.forEach((u, i) => out.push({ ...u.sessions[0], authenticator: authenticators[i] }));
  }
  return out;
}

const post = (path: string, cookie: string, body: unknown): RequestSpec => ({
  method: 'POST',
  path,
  headers: { ...json, cookie },
  body: JSON.stringify(body),
});

/** Client CPU (µs) per item of `build`, which runs here and not in the server. */
function clientCpu<T>(n: number, build: () => T[]): [T[], number] {
  const before = process.cpuUsage();
  const out = build();
  const d = process.cpuUsage(before);
  return [out, (d.user + d.system) / n];
}

export async function totpRound(side: Side, n: number): Promise<TotpRound> {
  const entries = await side.seed({ users: n });
  await settle();
  const now = Date.now();
  const [codes, client] = clientCpu(n, () => entries.map((e) => totp(e.key, now)));
  const verify = await runSpecs(
    side,
    'TOTP verify',
    entries.map((e, i) => side.verify(e, codes[i])),
    side.isVerified,
  );
  return { verify, client };
}

export async function passkeyRound(side: Side, n: number): Promise<PasskeyRound> {
  const entries = await seedPasskeys(side, n);
  await settle();
  // The options name the user's one credential: that is how an answer finds its entry again.
  const byCredential = new Map(entries.map((e, i) => [e.authenticator.credentialIds[0], i]));
  const requestOptions: unknown[] = new Array(n);
  const options = await runSpecs(
    side,
    'passkey options',
    entries.map((e) => post(`/mfa/challenges/${e.challengeId}/webauthn`, e.cookie, {})),
    (status, body) => {
      if (status !== 200) return false;
      const answer = JSON.parse(body) as { options: { allowCredentials?: Array<{ id: string }> } };
      const i = byCredential.get(answer.options.allowCredentials?.[0]?.id ?? '');
      if (i === undefined) return false;
      requestOptions[i] = answer.options;
      return true;
    },
  );
  if (requestOptions.filter(Boolean).length !== n) throw new Error('passkey options: not every challenge got its own');
  const [assertions, client] = clientCpu<AuthenticationResponseJSON>(n, () =>
    entries.map((e, i) => e.authenticator.assert(requestOptions[i], ORIGIN)),
  );
  const verify = await runSpecs(
    side,
    'passkey verify',
    entries.map((e, i) =>
      post(`/mfa/challenges/${e.challengeId}/verify`, e.cookie, { method: 'webauthn', response: assertions[i] }),
    ),
    side.isVerified,
  );
  return { options, verify, client };
}

/** One of each, alone, with its statements listed (the 5-second policy refresh left out, as in P4/P5). */
export async function traceOne(side: Side): Promise<Record<'totp' | 'options' | 'verify', string[]>> {
  const traced = async (spec: RequestSpec, status: number): Promise<{ sql: string[]; body: any }> => {
    await new Promise((r) => setTimeout(r, 150)); // the audit rows of what ran before land first
    await side.server.post('/bench/trace', { on: true });
    const res = await fetch(side.server.base + spec.path, { method: 'POST', headers: spec.headers, body: spec.body });
    const body = await res.json();
    if (res.status !== status) throw new Error(`${spec.path}: ${res.status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 150)); // audit rows are written after the response
    const t = await side.server.post<{ queries: string[] }>('/bench/trace', { on: false });
    return { sql: t.queries.filter((q) => !/mfa_policy_/.test(q)).map(shortSql), body };
  };
  const [t] = await side.seed({ users: 1 });
  const totpSql = (await traced(side.verify(t, totp(t.key, Date.now())), 200)).sql;
  const [p] = await seedPasskeys(side, 1);
  const opts = await traced(post(`/mfa/challenges/${p.challengeId}/webauthn`, p.cookie, {}), 200);
  const response = p.authenticator.assert(opts.body.options, ORIGIN);
  const verify = await traced(
    post(`/mfa/challenges/${p.challengeId}/verify`, p.cookie, { method: 'webauthn', response }),
    200,
  );
  return { totp: totpSql, options: opts.sql, verify: verify.sql };
}

/** `SELECT … FROM mfa_challenges`, `UPDATE mfa_enrollments`, `INSERT mfa_audit_events [challenge.verified]`. */
function shortSql(sql: string): string {
  const event = sql.match(/ \[[\w.]+\]$/)?.[0] ?? '';
  const verb = sql.split(' ')[0];
  const table = sql.match(/(?:FROM|UPDATE|INTO)\s+"?(\w+)"?/i)?.[1] ?? '';
  return `\`${verb === 'SELECT' ? `SELECT … FROM ${table}` : `${verb} ${table}`}\`${event}`;
}
