/**
 * P8, completing a challenge with a passkey beside TOTP: one server (passkeys on), one run,
 * interleaved rounds (TOTP, passkey, then passkey, TOTP), SQLite then PostgreSQL.
 *   npm run bench:passkey
 * A TOTP challenge is one request (the verify); a passkey challenge is two (the request options,
 * then the verify with the signed assertion). Per completed challenge: the server's CPU and its SQL
 * statements, options + verify and verify alone, and passkey ÷ TOTP. The authenticator
 * (test/support/soft-authenticator.ts, ES256) signs in this client process, never in the server's,
 * so its cost is timed here on its own and reported beside the server's, not inside it.
 */
import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { SoftAuthenticator } from '../test/support/soft-authenticator';
import { CONNECTIONS, fmt, median, POSTGRES_URL, ROUNDS, SECONDS, SMOKE } from './lib/bench-env';
import { assertClean, measure, RequestSpec, RunResult, totp } from './lib/load';
import { Report, runBench } from './lib/report';
import { resetPostgres, services } from './lib/services';
import { DbKind, Side, startOurs } from './lib/sides';

const ORIGIN = 'http://localhost:3000'; // the server's webauthn origin (MFA_BENCH_WEBAUTHN=1)
const json = { 'content-type': 'application/json' };

interface PasskeyEntry {
  cookie: string;
  challengeId: string;
  authenticator: SoftAuthenticator;
}

interface TotpRound {
  verify: RunResult;
  /** Client CPU (µs) to compute one code: the authenticator app's side. */
  client: number;
}

interface PasskeyRound {
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

/** Exactly one request per spec, each answered as `expect` says, or the run throws. */
async function run(
  side: Side,
  label: string,
  specs: RequestSpec[],
  expect: (status: number, body: string) => boolean,
): Promise<RunResult> {
  let i = 0;
  const r = await measure(side.server, { request: () => specs[i++ % specs.length], amount: specs.length, expect });
  assertClean(`${side.label} ${label}`, r);
  if (r.total !== specs.length) throw new Error(`${label}: ${r.total} requests sent for ${specs.length} challenges`);
  return r;
}

/** Lets the seeding's garbage and audit writes settle, so the measured run does not pay for them (as P2's crosscheck). */
const settle = () => new Promise((r) => setTimeout(r, 500));

/** Client CPU (µs) per item of `build`, which runs here and not in the server. */
function clientCpu<T>(n: number, build: () => T[]): [T[], number] {
  const before = process.cpuUsage();
  const out = build();
  const d = process.cpuUsage(before);
  return [out, (d.user + d.system) / n];
}

async function totpRound(side: Side, n: number): Promise<TotpRound> {
  const entries = await side.seed({ users: n });
  await settle();
  const now = Date.now();
  const [codes, client] = clientCpu(n, () => entries.map((e) => totp(e.key, now)));
  const verify = await run(
    side,
    'TOTP verify',
    entries.map((e, i) => side.verify(e, codes[i])),
    side.isVerified,
  );
  return { verify, client };
}

async function passkeyRound(side: Side, n: number): Promise<PasskeyRound> {
  const entries = await seedPasskeys(side, n);
  await settle();
  // The options name the user's one credential: that is how an answer finds its entry again.
  const byCredential = new Map(entries.map((e, i) => [e.authenticator.credentialIds[0], i]));
  const requestOptions: unknown[] = new Array(n);
  const options = await run(
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
  const verify = await run(
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
async function traceOne(side: Side): Promise<Record<'totp' | 'options' | 'verify', string[]>> {
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

async function benchKind(report: Report, kind: DbKind): Promise<void> {
  const title = kind === 'sqlite' ? 'SQLite (WAL), in-process counters' : 'PostgreSQL, in-process counters';
  if (kind === 'postgres') await resetPostgres(POSTGRES_URL);
  const side = await startOurs(`p8-ours-${kind}`, kind, { MFA_BENCH_WEBAUTHN: '1' });
  try {
    // Warm-up (JIT, pools), which also sizes the rounds: n challenges of each kind, a passkey verify run of about SECONDS.
    let n = 40;
    if (!SMOKE) {
      await totpRound(side, 500);
      const warm = await passkeyRound(side, 500);
      n = Math.min(20_000, Math.max(200, Math.round((warm.verify.rps * SECONDS) / CONNECTIONS) * CONNECTIONS));
    }
    const totps: TotpRound[] = [];
    const passkeys: PasskeyRound[] = [];
    const hello: RunResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A/B, then B/A: neither kind always runs on the warmer process.
      if (round % 2) {
        passkeys.push(await passkeyRound(side, n));
        totps.push(await totpRound(side, n));
      } else {
        totps.push(await totpRound(side, n));
        passkeys.push(await passkeyRound(side, n));
      }
      // The app's bare route, for scale: absolute CPU figures move with the machine's load, the ratios much less.
      hello.push(await measure(side.server, { request: { path: '/bench/hello' }, seconds: Math.min(SECONDS, 2) }));
      const [t, p] = [totps[round], passkeys[round]];
      report.log(
        `${kind} round ${round + 1}: TOTP ${fmt(t.verify.cpuPerRequest)} µs, ${fmt(t.verify.queriesPerRequest, 1)} SQL | ` +
          `passkey options ${fmt(p.options.cpuPerRequest)} µs + verify ${fmt(p.verify.cpuPerRequest)} µs, ` +
          `${fmt(p.options.queriesPerRequest, 1)} + ${fmt(p.verify.queriesPerRequest, 1)} SQL | signing ${fmt(p.client)} µs (client)`,
      );
    }
    const m = median;
    const totpCpu = m(totps.map((t) => t.verify.cpuPerRequest));
    const optCpu = m(passkeys.map((p) => p.options.cpuPerRequest));
    const verCpu = m(passkeys.map((p) => p.verify.cpuPerRequest));
    const bothCpu = m(passkeys.map((p) => p.options.cpuPerRequest + p.verify.cpuPerRequest));
    const totpSql = m(totps.map((t) => t.verify.queriesPerRequest));
    const optSql = m(passkeys.map((p) => p.options.queriesPerRequest));
    const verSql = m(passkeys.map((p) => p.verify.queriesPerRequest));
    const sign = m(passkeys.map((p) => p.client));
    const code = m(totps.map((t) => t.client));
    // Ratios of each round's pair (run seconds apart), then their median.
    const pair = (f: (p: PasskeyRound) => number) => m(passkeys.map((p, i) => f(p) / totps[i].verify.cpuPerRequest));
    const ratio = pair((p) => p.options.cpuPerRequest + p.verify.cpuPerRequest);
    const verifyRatio = pair((p) => p.verify.cpuPerRequest);
    const withClient = m(
      passkeys.map(
        (p, i) =>
          (p.options.cpuPerRequest + p.verify.cpuPerRequest + p.client) /
          (totps[i].verify.cpuPerRequest + totps[i].client),
      ),
    );

    report.text(`### ${title}`);
    report.text();
    report.table(
      ['per completed challenge', 'TOTP', 'passkey', 'passkey ÷ TOTP'],
      [
        ['requests', 1, '2 (options, verify)', ''],
        ['server CPU µs, options request', '—', fmt(optCpu), ''],
        ['server CPU µs, verify request', fmt(totpCpu), fmt(verCpu), fmt(verifyRatio, 2)],
        ['**server CPU µs, options + verify**', `**${fmt(totpCpu)}**`, `**${fmt(bothCpu)}**`, `**${fmt(ratio, 2)}**`],
        ['SQL statements, options request', '—', fmt(optSql, 1), ''],
        ['SQL statements, verify request', fmt(totpSql, 1), fmt(verSql, 1), ''],
        ['**SQL statements, options + verify**', `**${fmt(totpSql, 1)}**`, `**${fmt(optSql + verSql, 1)}**`, ''],
        [
          `verify requests/s (${CONNECTIONS} connections, client on the same machine)`,
          fmt(m(totps.map((t) => t.verify.rps))),
          fmt(m(passkeys.map((p) => p.verify.rps))),
          '',
        ],
        [
          'client CPU µs: compute the code / sign the assertion (not in the server figures)',
          fmt(code, 1),
          fmt(sign),
          '',
        ],
        ['server + client CPU µs', fmt(totpCpu + code), fmt(bothCpu + sign), fmt(withClient, 2)],
        [
          'for scale: bare hello route, server CPU µs/request (same app)',
          fmt(m(hello.map((h) => h.cpuPerRequest))),
          '',
          '',
        ],
      ],
    );
    report.text(
      `Medians of ${ROUNDS} interleaved rounds, ${CONNECTIONS} connections, ${n} challenges of each kind per round (sized so a passkey verify run ` +
        `lasts about ${SECONDS} s). Ratios are medians of per-round pairs. Per-round server CPU µs per completed challenge: TOTP ${totps
          .map((t) => fmt(t.verify.cpuPerRequest))
          .join(
            ', ',
          )}; passkey ${passkeys.map((p) => fmt(p.options.cpuPerRequest + p.verify.cpuPerRequest)).join(', ')}.`,
    );
    report.text();
    const traced = await traceOne(side);
    report.text('The statements of one challenge of each kind, traced alone:');
    report.text();
    report.text(`- TOTP verify (${traced.totp.length}): ${traced.totp.join('; ')}`);
    report.text(`- passkey options (${traced.options.length}): ${traced.options.join('; ')}`);
    report.text(`- passkey verify (${traced.verify.length}): ${traced.verify.join('; ')}`);
    report.text();
    report.figure({
      id: `P8 ${kind}`,
      label: `passkey ÷ TOTP, server CPU per completed challenge (options + verify ÷ verify; verify alone ${fmt(verifyRatio, 2)}), ${title}`,
      value: fmt(ratio, 2),
    });
    report.figure({
      id: `P8 ${kind}`,
      label: `SQL statements per completed challenge, passkey (options + verify) / passkey verify alone / TOTP, ${title}`,
      value: `${fmt(optSql + verSql, 1)} / ${fmt(verSql, 1)} / ${fmt(totpSql, 1)}`,
    });
  } finally {
    await side.stop();
  }
}

runBench(async () => {
  const report = new Report('P8', 'completing a challenge with a passkey, beside TOTP', 'bench:passkey');
  report.text(
    "nestjs-mfa's Express bench app (`bench/servers/ours-express.server.ts`, `audit: 'database'`) with passkeys on " +
      "(`webauthn: { rpId: 'localhost', origins: ['http://localhost:3000'] }`), the same process answering both kinds. " +
      'Each user holds one factor: a TOTP enrollment, or one passkey made by a software authenticator ' +
      '(`test/support/soft-authenticator.ts`: ES256, no attestation, user verified, counter kept). Both are seeded as the rows a ' +
      "confirmed enrollment leaves (the passkey's registration checked by the library's own ceremony; no backup codes on either side), " +
      'each with a signed-in session whose challenge the engine opened as the guarded route does. ' +
      'A TOTP challenge is completed by `POST /mfa/challenges/:id/verify` with the code. A passkey challenge takes ' +
      '`POST /mfa/challenges/:id/webauthn` (the request options; its random challenge is issued by the server, so nothing can be signed ' +
      'ahead), then the verify with the signed assertion; all options are fetched in one run, signed, then verified in a second run. ' +
      "Server CPU is the server process's own `process.cpuUsage()` around each run. The authenticator signs in the benchmark's " +
      "process, not the server's, so the server figures contain none of its work: nothing is subtracted. Its cost is timed there " +
      '(`process.cpuUsage()` around the signing of the whole pool) and shown on its own line, beside the TOTP code computation.',
  );
  report.text();
  await benchKind(report, 'sqlite');
  const svc = await services();
  if (svc.postgres) report.skip('P8 on PostgreSQL', svc.postgres);
  else await benchKind(report, 'postgres');
  report.save();
});
