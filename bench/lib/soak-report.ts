/** P9's figures and tables: memory at 20 % of the run against the end, handles, errors, requests. */
import { fmt } from './bench-env';
import { Report } from './report';
import { SoakClient, TIMEOUT_MS } from './soak-http';
import { Kind, KINDS } from './soak-load';
import { FlowStats } from './soak-pacer';

export interface MemorySample {
  /** Seconds since the load began. */
  t: number;
  gc: boolean;
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  handles: Record<string, number>;
  sizes: { expressSessions: number; outbox: number; sessionCache: number | null; counterWindows: number | null };
  /** Answers the client had received by then. */
  answered: number;
  /** Flows finished (completed or failed) by then, and the seconds the pacer had been launching. */
  flows: number;
  active: number;
  /** No flow was in flight when the sample was read. */
  idle: boolean;
}

export interface SoakResult {
  seconds: number;
  sampleSeconds: number;
  rates: Record<Kind, number>;
  maxInflight: number;
  sockets: number;
  samples: MemorySample[];
  /** After the load stopped and its flows finished. */
  drained: MemorySample;
  stats: Record<Kind, FlowStats>;
  /** Flows per second asked for, all kinds together, and the seconds spent launching them. */
  target: number;
  active: number;
  client: SoakClient;
}

/** Below this share of the target rate the memory comparison says nothing about the load asked for. */
const VALID_SHARE = 0.9;

const MB = (n: number) => fmt(n / 2 ** 20, 1);
const pct = (from: number, to: number) => ((to - from) / from) * 100;
const signed = (n: number, digits = 1) => `${n >= 0 ? '+' : ''}${fmt(n, digits)}`;

/**
 * Idle against idle: before the load (after seeding) and after it (its flows finished, the
 * client's sockets closed). Handles that come and go with requests (sockets, immediates) are
 * back to zero then, so any type above its count before the load is one that leaked.
 */
function handleGrowth(before: MemorySample, after: MemorySample): string[] {
  const types = new Set([...Object.keys(before.handles), ...Object.keys(after.handles)]);
  return [...types]
    .filter((type) => (after.handles[type] ?? 0) > (before.handles[type] ?? 0))
    .map((type) => `${type} ${before.handles[type] ?? 0} → ${after.handles[type]}`);
}

export function writeSoakReport(report: Report, r: SoakResult): void {
  const { samples, drained, client } = r;
  const inLoad = samples.filter((s) => s.t > 0);
  const base = inLoad.find((s) => s.t >= r.seconds * 0.2) ?? inLoad[0];
  const end = inLoad[inLoad.length - 1];
  const heap = pct(base.heapUsed, end.heapUsed);
  const rss = pct(base.rss, end.rss);
  const grown = handleGrowth(samples[0], drained);
  const minutes = (t: number) => (r.seconds >= 300 ? `minute ${fmt(t / 60, 1)}` : `${t} s`);
  const active = Math.max(0.001, r.active);
  const achieved = end.flows / Math.max(0.001, end.active);
  const share = achieved / r.target;
  const window = (s: MemorySample, prev: MemorySample) =>
    (s.flows - prev.flows) / Math.max(0.001, s.active - prev.active);
  const invalid = [
    share < VALID_SHARE &&
      `achieved ${fmt(achieved, 1)} of ${fmt(r.target, 1)} flows/s (${fmt(share * 100)} %, below ${VALID_SHARE * 100} %)`,
    ...KINDS.filter((k) => r.stats[k].completed + r.stats[k].failed < VALID_SHARE * r.rates[k] * active).map(
      (k) => `${k} flows at ${fmt((r.stats[k].completed + r.stats[k].failed) / active, 2)} of ${fmt(r.rates[k], 2)}/s`,
    ),
    !base.idle && `flows still in flight at the ${base.t} s sample`,
    !end.idle && `flows still in flight at the ${end.t} s sample`,
  ].filter((x): x is string => typeof x === 'string');
  const errors = client.serverErrorCount + client.errorCount;

  report.text(
    `One bench server (\`bench/servers/ours-express.server.ts\`: Express 5, express-session's MemoryStore, passport-local, ` +
      "`createMfa()` with the embedded default: SQLite in WAL mode, in-process counters, `audit: 'database'`, the default " +
      `60 s session cache) under ${r.seconds} s of mixed load, run with \`node --expose-gc\`. Each kind of flow is paced at its ` +
      `own rate with at most ${r.maxInflight} flows of a kind in flight: open loop while the server keeps up, closed loop ` +
      '(the rate falls to what the capped flows in flight achieve, the rest dropped) when it does not, so the achieved rate ' +
      `is counted against the target (${fmt(r.target, 1)} flows/s) in every sample window, and the memory goals are only ` +
      `judged when the whole run reached ${VALID_SHARE * 100} % of it. Every request goes through the real HTTP routes over ` +
      `${r.sockets} keep-alive sockets, with a ${TIMEOUT_MS / 1000} s timeout counted as an error. Every ${r.sampleSeconds} s ` +
      'the load pauses, the flows in flight finish (bounded wait), memory is read through `GET /bench/memory` after two ' +
      'forced GCs with the server idle, and the load resumes (the pauses are left out of the rates); growth compares ' +
      `the idle sample at 20 % of the run (${minutes(base.t)}) with the last one of the load ` +
      `(${minutes(end.t)}), the issue's minute 2 and minute 10. Retention (background pruning) runs as the library ships it: ` +
      'on, every hour, its first run at a random point within the first tenth of that (6 min at most), so a 10-minute soak ' +
      'usually sees one run on a database with little to prune. The dev outbox keeps its newest 100 messages (a fixed ring), ' +
      'so SMS sends cannot grow it. The flows sign out when they are done, so sign-ins do not pile up in the MemoryStore. ' +
      `Reproduce with \`${report.command}\` (MFA_BENCH_SOAK_RATE scales every rate, MFA_BENCH_SOAK_SAMPLE_SECONDS sets ` +
      'the sample interval).',
  );
  report.text();
  report.table(
    ['flow', 'target / s', 'completed / s', 'launched', 'completed', 'failed', 'no free user'],
    KINDS.map((k) => [
      k,
      fmt(r.rates[k], 1),
      fmt(r.stats[k].completed / active, 1),
      r.stats[k].launched,
      r.stats[k].completed,
      r.stats[k].failed,
      r.stats[k].skipped,
    ]),
  );
  const classes = ['2xx', '3xx', '4xx', '5xx', 'error'];
  const rows = [...client.byLabel.entries()].map(([label, c]) => [label, ...classes.map((k) => c[k] ?? 0)]);
  report.text(
    `Flows finished: ${fmt(achieved, 1)} per second of load, ${fmt(share * 100)} % of the target ${fmt(r.target, 1)} ` +
      `(${fmt(active)} s of load, pauses for samples left out).`,
  );
  report.text();
  report.text(`Requests by kind (${client.answered} answers, ${fmt(client.answered / active)} per second of load):`);
  report.text();
  report.table(['request', ...classes], rows);
  report.text('Samples (idle, after forced GC; flows / s and % of target over the window before each):');
  report.text();
  report.table(
    [
      't (s)',
      'heap MB',
      'RSS MB',
      'external MB',
      'arrayBuffers MB',
      'handles',
      'express sessions',
      'session cache',
      'counter windows',
      'answers / s',
      'flows / s',
      '% of target',
    ],
    [...samples, drained].map((s, i, all) => [
      s === drained
        ? `${s.t} (after the load)`
        : s === base
          ? `**${s.t}** (baseline)${s.idle ? '' : ', not idle'}`
          : s === end
            ? `**${s.t}** (end)${s.idle ? '' : ', not idle'}`
            : `${s.t}${s.idle ? '' : ' (not idle)'}`,
      MB(s.heapUsed),
      MB(s.rss),
      MB(s.external),
      MB(s.arrayBuffers),
      Object.values(s.handles).reduce((a, b) => a + b, 0),
      s.sizes.expressSessions,
      s.sizes.sessionCache ?? 'n/a',
      s.sizes.counterWindows ?? 'n/a',
      i === 0 || s === drained
        ? ''
        : fmt((s.answered - all[i - 1].answered) / Math.max(0.001, s.active - all[i - 1].active)),
      i === 0 || s === drained ? '' : fmt(window(s, all[i - 1]), 1),
      i === 0 || s === drained ? '' : fmt((window(s, all[i - 1]) / r.target) * 100),
    ]),
  );
  const types = [...new Set([samples[0], base, end, drained].flatMap((s) => Object.keys(s.handles)))].sort();
  report.text(
    'Open handles (`process.getActiveResourcesInfo()`) by type. Under load they include the sockets and immediates of requests ' +
      'in flight; the goal compares the server idle before the load with the server idle after it (flows finished, client sockets closed):',
  );
  report.text();
  report.table(
    ['type', 'before the load', `baseline (${base.t} s)`, `end (${end.t} s)`, 'after the load'],
    types.map((t) => [
      t,
      samples[0].handles[t] ?? 0,
      base.handles[t] ?? 0,
      end.handles[t] ?? 0,
      drained.handles[t] ?? 0,
    ]),
  );
  const delta = (k: 'sessionCache' | 'counterWindows' | 'expressSessions') =>
    (end.sizes[k] ?? 0) - (base.sizes[k] ?? 0);
  report.text(
    `Between the baseline and the end: heap ${signed(heap)} % (${MB(base.heapUsed)} → ${MB(end.heapUsed)} MB), RSS ${signed(rss)} % ` +
      `(${MB(base.rss)} → ${MB(end.rss)} MB); the library's session cache ${signed(delta('sessionCache'), 0)} entries ` +
      `(bounded at 50,000; an expired entry leaves only when it is read again or the bound is reached), its in-process counter ` +
      `windows ${signed(delta('counterWindows'), 0)} (expired ones swept once there are more than 100,000), the harness's ` +
      `express sessions ${signed(delta('expressSessions'), 0)}.`,
  );
  report.text();
  if (client.serverErrors.length) {
    report.text(`5xx answers and connection errors (the first ${client.serverErrors.length}):`);
    report.text();
    for (const e of client.serverErrors) report.text(`- ${e.label}: ${e.status} \`${e.body.replace(/`/g, "'")}\``);
    report.text();
  }
  if (client.unexpected.length) {
    report.text(`Other unexpected answers (the first ${client.unexpected.length}):`);
    report.text();
    for (const e of client.unexpected) report.text(`- ${e.label}: ${e.status} \`${e.body.replace(/`/g, "'")}\``);
    report.text();
  }

  if (invalid.length) {
    report.text(`The memory goals are not judged: ${invalid.join('; ')}.`);
    report.text();
  }
  const span = `${minutes(base.t)} → ${minutes(end.t)}`;
  const why = invalid.length ? ` — not valid: ${invalid.join('; ')}` : '';
  for (const [what, growth] of [
    ['heap', heap],
    ['RSS', rss],
  ] as const)
    report.figure({
      id: 'P9',
      label: `${what} after GC (idle samples), ${span}${why}`,
      value: `${signed(growth)} %`,
      goal: '≤ +5 %',
      met: invalid.length === 0 && growth <= 5,
    });
  report.figure({
    id: 'P9',
    label: `achieved load, flows/s of the target ${fmt(r.target, 1)}`,
    value: `${fmt(achieved, 1)} (${fmt(share * 100)} %)`,
    goal: `≥ ${VALID_SHARE * 100} %`,
    met: share >= VALID_SHARE,
  });
  report.figure({
    id: 'P9',
    label: `5xx answers + connection errors and timeouts, in ${client.answered} requests (5xx ${client.serverErrorCount}, errors ${client.errorCount})`,
    value: String(errors),
    goal: '0',
    met: errors === 0,
  });
  report.figure({
    id: 'P9',
    label: 'open handles, idle before the load → idle after it',
    value: grown.length ? grown.join(', ') : 'no growth',
    goal: 'no growth',
    met: grown.length === 0,
  });
}
