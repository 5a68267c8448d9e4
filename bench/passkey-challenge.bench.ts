/**
 * P2 passkey, completing a challenge with a passkey beside TOTP: one server (passkeys on), one
 * run, 5 interleaved rounds (TOTP, passkey, then passkey, TOTP), SQLite then PostgreSQL.
 *   npm run bench:passkey
 * A TOTP challenge is one request (the verify); a passkey challenge is two (the request options,
 * then the verify with the signed assertion). Per completed challenge: the server's CPU and its SQL
 * statements, options + verify and verify alone, and passkey ÷ TOTP, with the spread across rounds.
 */
import { CONNECTIONS, fmt, median, POSTGRES_URL, SECONDS, SMOKE } from './lib/bench-env';
import { RunResult } from './lib/load';
import { Report, runBench } from './lib/report';
import { resetPostgres } from './lib/services';
import { DbKind, startOurs } from './lib/sides';
import { eachKind, helloRun, kindTitle, P2_ROUNDS, perRound, poolSize, range, ratios, withRange } from './lib/compare';
import { PasskeyRound, passkeyRound, TotpRound, totpRound, traceOne } from './lib/passkeys';

async function benchKind(report: Report, kind: DbKind): Promise<void> {
  const title = kindTitle(kind);
  if (kind === 'postgres') await resetPostgres(POSTGRES_URL);
  const side = await startOurs(`p2-passkey-ours-${kind}`, kind, { MFA_BENCH_WEBAUTHN: '1' });
  try {
    // Warm-up (JIT, pools), which also sizes the rounds: n challenges of each kind, a passkey verify run of about SECONDS.
    let n = 40;
    if (!SMOKE) {
      await totpRound(side, 500);
      n = poolSize((await passkeyRound(side, 500)).verify.rps);
    }
    const totps: TotpRound[] = [];
    const passkeys: PasskeyRound[] = [];
    const hello: RunResult[] = [];
    for (let round = 0; round < P2_ROUNDS; round++) {
      // A/B, then B/A: neither kind always runs on the warmer process.
      if (round % 2) {
        passkeys.push(await passkeyRound(side, n));
        totps.push(await totpRound(side, n));
      } else {
        totps.push(await totpRound(side, n));
        passkeys.push(await passkeyRound(side, n));
      }
      hello.push(await helloRun(side));
      const [t, p] = [totps[round], passkeys[round]];
      report.log(
        `${kind} round ${round + 1}: TOTP ${fmt(t.verify.cpuPerRequest)} µs, ${fmt(t.verify.queriesPerRequest, 1)} SQL | ` +
          `passkey options ${fmt(p.options.cpuPerRequest)} µs + verify ${fmt(p.verify.cpuPerRequest)} µs, ` +
          `${fmt(p.options.queriesPerRequest, 1)} + ${fmt(p.verify.queriesPerRequest, 1)} SQL | signing ${fmt(p.client)} µs (client)`,
      );
    }
    const m = median;
    const totpCpus = totps.map((t) => t.verify.cpuPerRequest);
    const verCpus = passkeys.map((p) => p.verify.cpuPerRequest);
    const bothCpus = passkeys.map((p) => p.options.cpuPerRequest + p.verify.cpuPerRequest);
    const [totpCpu, verCpu, bothCpu] = [m(totpCpus), m(verCpus), m(bothCpus)];
    const optCpu = m(passkeys.map((p) => p.options.cpuPerRequest));
    const totpSql = m(totps.map((t) => t.verify.queriesPerRequest));
    const optSql = m(passkeys.map((p) => p.options.queriesPerRequest));
    const verSql = m(passkeys.map((p) => p.verify.queriesPerRequest));
    const sign = m(passkeys.map((p) => p.client));
    const code = m(totps.map((t) => t.client));
    // Ratios of each round's pair (run seconds apart), then their median and range.
    const verifyRatio = ratios(verCpus, totpCpus);
    const ratio = ratios(bothCpus, totpCpus);
    const withClient = ratios(
      passkeys.map((p, i) => bothCpus[i] + p.client),
      totps.map((t) => t.verify.cpuPerRequest + t.client),
    );
    const spread = (r: typeof ratio) => `**${fmt(r.median, 2)}** (${range(r)})`;

    report.text(`### ${title}`);
    report.text();
    report.table(
      ['per completed challenge', 'TOTP', 'passkey', 'passkey ÷ TOTP (median of rounds; range)'],
      [
        ['requests', 1, '2 (options, verify)', ''],
        ['server CPU µs, options request', '—', fmt(optCpu), ''],
        ['**server CPU µs, verify request**', `**${fmt(totpCpu)}**`, `**${fmt(verCpu)}**`, spread(verifyRatio)],
        ['server CPU µs, options + verify', fmt(totpCpu), fmt(bothCpu), spread(ratio)],
        ['SQL statements, options request', '—', fmt(optSql, 1), ''],
        ['SQL statements, verify request', fmt(totpSql, 1), fmt(verSql, 1), ''],
        ['SQL statements, options + verify', fmt(totpSql, 1), fmt(optSql + verSql, 1), ''],
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
        ['server + client CPU µs', fmt(totpCpu + code), fmt(bothCpu + sign), spread(withClient)],
        [
          'for scale: bare hello route, server CPU µs/request (same app)',
          fmt(m(hello.map((h) => h.cpuPerRequest))),
          '',
          '',
        ],
      ],
    );
    report.text(
      `Medians of ${P2_ROUNDS} interleaved rounds, ${CONNECTIONS} connections, ${n} challenges of each kind per round (sized so a passkey ` +
        `verify run lasts about ${SECONDS} s). Ratios are taken per round, then their median; the range is their min–max. ` +
        `Per-round server CPU µs per verify: TOTP ${totpCpus.map((x) => fmt(x)).join(', ')}; passkey ${verCpus.map((x) => fmt(x)).join(', ')} ` +
        `(passkey ÷ TOTP: ${perRound(verifyRatio)}); passkey options + verify ${bothCpus.map((x) => fmt(x)).join(', ')}.`,
    );
    report.text();
    const traced = await traceOne(side);
    report.text('The statements of one challenge of each kind, traced alone:');
    report.text();
    report.text(`- TOTP verify (${traced.totp.length}): ${traced.totp.join('; ')}`);
    report.text(`- passkey options (${traced.options.length}): ${traced.options.join('; ')}`);
    report.text(`- passkey verify (${traced.verify.length}): ${traced.verify.join('; ')}`);
    report.text();
    // Beside P2's TOTP figures in the summary: a passkey verify's server CPU, and how it compares with a TOTP verify.
    report.figure({
      id: 'P2 passkey',
      label: `passkey verify, nestjs-mfa server CPU µs per verify request, ${title} (TOTP verify, same server and rounds: ${fmt(totpCpu)} µs)`,
      value: fmt(verCpu),
    });
    report.figure({
      id: 'P2 passkey',
      label: `passkey verify ÷ TOTP verify, server CPU, ${title} (per round: ${perRound(verifyRatio)}; options + verify ÷ TOTP: ${withRange(ratio)})`,
      value: withRange(verifyRatio),
    });
    report.figure({
      id: 'P2 passkey',
      label: `SQL statements, passkey verify / passkey options + verify / TOTP verify, ${title}`,
      value: `${fmt(verSql, 1)} / ${fmt(optSql + verSql, 1)} / ${fmt(totpSql, 1)}`,
    });
  } finally {
    await side.stop();
  }
}

runBench(async () => {
  const report = new Report('P2-passkey', 'completing a challenge with a passkey, beside TOTP', 'bench:passkey', {
    rounds: P2_ROUNDS,
  });
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
  await eachKind(report, 'P2 passkey', (kind) => benchKind(report, kind));
  report.save();
});
