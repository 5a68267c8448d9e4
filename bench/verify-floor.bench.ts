/**
 * P3, verify CPU ÷ floor, on the embedded default (SQLite + in-process counters).
 *   npm run bench:floor
 * floor = the app's bare hello route (CPU per request, same app, same run) plus the crypto a
 * TOTP verify cannot avoid: one AES-256-GCM open of the sealed seed and the HMAC-SHA1s of the
 * ±1 step window, timed with process.cpuUsage inside the server.
 */
import { CONNECTIONS, fmt, median, ROUNDS, SECONDS, SMOKE } from './lib/bench-env';
import { assertClean, measure, RunResult, totp } from './lib/load';
import { Report, runBench } from './lib/report';
import { startOurs } from './lib/sides';

runBench(async () => {
  const report = new Report('P3', 'TOTP verify CPU against its floor', 'bench:floor');
  const ours = await startOurs('p3-ours-sqlite', 'sqlite');
  try {
    const verifyRun = async (n: number): Promise<RunResult> => {
      const entries = await ours.seed({ users: n });
      const now = Date.now();
      const requests = entries.map((e) => ours.verify(e, totp(e.key, now)));
      let i = 0;
      const r = await measure(ours.server, {
        request: () => requests[i++],
        amount: entries.length,
        expect: ours.isVerified,
      });
      assertClean('verify', r);
      return r;
    };
    const helloRun = async (): Promise<RunResult> => {
      const r = await measure(ours.server, {
        request: { path: '/bench/hello' },
        seconds: SECONDS,
        expect: (s) => s === 200,
      });
      assertClean('hello', r);
      return r;
    };
    await helloRun();
    const warm = await verifyRun(SMOKE ? 40 : 400);
    const amount = Math.min(
      20_000,
      Math.max(SMOKE ? 40 : 200, Math.round((warm.rps * SECONDS) / CONNECTIONS) * CONNECTIONS),
    );
    const hello: RunResult[] = [];
    const verify: RunResult[] = [];
    const crypto: Array<{ aesGcmOpen: number; hmacWindow: number; floorCrypto: number; library: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      hello.push(await helloRun());
      verify.push(await verifyRun(amount));
      crypto.push(await ours.server.post('/bench/crypto', { iterations: SMOKE ? 2000 : 20_000 }));
      report.log(
        `round ${round + 1}: hello ${fmt(hello[round].cpuPerRequest, 1)} µs/req, verify ${fmt(verify[round].cpuPerRequest, 1)} µs/req, crypto ${fmt(crypto[round].floorCrypto, 1)} µs`,
      );
    }
    const helloCpu = median(hello.map((r) => r.cpuPerRequest));
    const verifyCpu = median(verify.map((r) => r.cpuPerRequest));
    const aes = median(crypto.map((c) => c.aesGcmOpen));
    const hmac = median(crypto.map((c) => c.hmacWindow));
    const library = median(crypto.map((c) => c.library));
    const floor = helloCpu + aes + hmac;
    const ratio = verifyCpu / floor;
    report.text(
      "nestjs-mfa's Express bench app on the embedded default (SQLite file in WAL mode, in-process counters, `audit: 'database'`). " +
        'Verify = `POST /mfa/challenges/:id/verify` with a right code for a fresh challenge (as in P2).',
    );
    report.text();
    report.table(
      ['', 'CPU µs'],
      [
        ['bare hello route (per request)', fmt(helloCpu, 1)],
        ['AES-256-GCM open of the sealed seed', fmt(aes, 1)],
        ['HMAC-SHA1 × 3 (the ±1 step window) with truncation', fmt(hmac, 1)],
        ['**floor**', `**${fmt(floor, 1)}**`],
        ['TOTP verify (per request)', fmt(verifyCpu, 1)],
        ['**verify ÷ floor**', `**${fmt(ratio, 2)}**`],
        ['for comparison: the same crypto through KeyRing.open + otplib', fmt(library, 1)],
        ['SQL statements per verify', fmt(median(verify.map((r) => r.queriesPerRequest)), 1)],
      ],
    );
    report.text(
      `Medians of ${ROUNDS} rounds (hello ${SECONDS} s, then ${amount} verifications, then the crypto timing), ${CONNECTIONS} connections.`,
    );
    report.text();
    report.figure({
      id: 'P3',
      label: 'TOTP verify CPU ÷ floor (hello route + AES-GCM open + TOTP HMACs), embedded default',
      value: fmt(ratio, 2),
      goal: '≤ 2.0',
      met: ratio <= 2,
    });
  } finally {
    await ours.stop();
  }
  report.save();
});
