/**
 * P1, guard overhead: server CPU per request and req/s of a route guarded by
 * @RequireMfa() whose session is already satisfied, against the same route unguarded,
 * in the same app and run. Interleaved A/B rounds; medians reported.
 *   npm run bench:guard   (MFA_BENCH_ROUNDS, MFA_BENCH_SECONDS tune it)
 */
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_TOTP_PROFILE, fromBase32, TotpFactor } from '../libs/core/src';

const ROUNDS = Number(process.env.MFA_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.MFA_BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

async function http(base: string, path: string, init: RequestInit & { cookie?: string } = {}) {
  const res = await fetch(base + path, { ...init, headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}) } });
  return { status: res.status, body: (await res.json()) as any, setCookie: res.headers.get('set-cookie') };
}

/** Signs in, enrolls and confirms TOTP: that session now satisfies @RequireMfa(). */
async function satisfiedSession(base: string): Promise<string> {
  const login = await http(base, '/auth/login', { method: 'POST', body: JSON.stringify({ username: 'alice', password: 'alice-password' }) });
  const cookie = login.setCookie!.split(';')[0];
  const start = await http(base, '/mfa/totp/enrollments', { method: 'POST', body: '{}', cookie });
  const code = new TotpFactor().generate(fromBase32(start.body.secret), DEFAULT_TOTP_PROFILE, Date.now());
  const confirm = await http(base, `/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`, { method: 'POST', body: JSON.stringify({ code }), cookie });
  if (confirm.status !== 200) throw new Error(`enrollment failed: ${JSON.stringify(confirm.body)}`);
  const check = await http(base, '/bench/guarded', { cookie });
  if (check.status !== 200) throw new Error(`guarded route not satisfied: ${check.status}`);
  return cookie;
}

async function measure(base: string, path: string, cookie: string) {
  const before = (await http(base, '/bench/cpu')).body;
  const result = await autocannon({ url: base + path, connections: CONNECTIONS, duration: SECONDS, headers: { cookie } });
  const after = (await http(base, '/bench/cpu')).body;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const total = result.requests.total;
  return { rps: result.requests.average, cpuPerRequest: (after.micros - before.micros) / total, queriesPerRequest: (after.queries - before.queries) / total };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const server = fork(join(__dirname, 'guard-bench.server.js'), { stdio: 'inherit' });
  try {
    const { port } = await new Promise<{ port: number }>((resolve) => server.once('message', resolve as never));
    const base = `http://127.0.0.1:${port}`;
    const cookie = await satisfiedSession(base);
    await measure(base, '/bench/open', cookie); // warm-up
    await measure(base, '/bench/guarded', cookie);
    const open: Array<{ rps: number; cpuPerRequest: number; queriesPerRequest: number }> = [];
    const guarded: typeof open = [];
    for (let round = 0; round < ROUNDS; round++) {
      open.push(await measure(base, '/bench/open', cookie));
      guarded.push(await measure(base, '/bench/guarded', cookie));
      console.log(`round ${round + 1}: open ${open[round].rps.toFixed(0)} req/s ${open[round].cpuPerRequest.toFixed(1)} µs CPU/req | guarded ${guarded[round].rps.toFixed(0)} req/s ${guarded[round].cpuPerRequest.toFixed(1)} µs CPU/req`);
    }
    const cpuOpen = median(open.map((r) => r.cpuPerRequest));
    const cpuGuarded = median(guarded.map((r) => r.cpuPerRequest));
    const rpsOpen = median(open.map((r) => r.rps));
    const rpsGuarded = median(guarded.map((r) => r.rps));
    console.log(`\nP1 guard overhead, embedded default (SQLite + in-process counters), ${ROUNDS} rounds × ${SECONDS}s, ${CONNECTIONS} connections`);
    console.log(`  CPU per request: guarded ${cpuGuarded.toFixed(1)} µs / open ${cpuOpen.toFixed(1)} µs = ${(cpuGuarded / cpuOpen).toFixed(3)} (goal ≤ 1.05)`);
    const pairedCpu = median(guarded.map((g, i) => g.cpuPerRequest / open[i].cpuPerRequest));
    console.log(`  CPU ratio, median of per-round pairs: ${pairedCpu.toFixed(3)}`);
    console.log(`  store round trips per request (P4): guarded ${median(guarded.map((r) => r.queriesPerRequest)).toFixed(3)}, open ${median(open.map((r) => r.queriesPerRequest)).toFixed(3)} (goal ≤ 1; the policy refresh adds one query per 5 s)`);
    console.log(`  req/s:           open ${rpsOpen.toFixed(0)} / guarded ${rpsGuarded.toFixed(0)} = ${(rpsOpen / rpsGuarded).toFixed(3)}`);
  } finally {
    server.kill();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
