/** P9's figures and tables: memory at 20 % of the run against the end, handles, errors, requests. */
import { fmt } from './bench-env';
import { Report } from './report';
import { SoakClient } from './soak-http';
import { FlowStats, Kind, KINDS } from './soak-load';

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
}

export interface SoakResult {
  seconds: number;
  sampleSeconds: number;
  rates: Record<Kind, number>;
  sockets: number;
  samples: MemorySample[];
  /** After the load stopped and its flows finished. */
  drained: MemorySample;
  stats: Record<Kind, FlowStats>;
  client: SoakClient;
}

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

  report.text(
    `One bench server (\`bench/servers/ours-express.server.ts\`: Express 5, express-session's MemoryStore, passport-local, ` +
      "`createMfa()` with the embedded default: SQLite in WAL mode, in-process counters, `audit: 'database'`, the default " +
      `60 s session cache) under ${r.seconds} s of mixed load, run with \`node --expose-gc\`. Each kind of flow is paced at its ` +
      'own rate (open loop), so the start and the end of the run see the same load; every request goes through the real HTTP ' +
      `routes over ${r.sockets} keep-alive sockets. Memory is read through \`GET /bench/memory\` after two forced GCs every ` +
      `${r.sampleSeconds} s; growth compares the sample at 20 % of the run (${minutes(base.t)}) with the last one under load ` +
      `(${minutes(end.t)}), the issue's minute 2 and minute 10. Retention (background pruning) runs as the library ships it: ` +
      'on, every hour, its first run at a random point within the first tenth of that (6 min at most), so a 10-minute soak ' +
      'usually sees one run on a database with little to prune. The dev outbox keeps its newest 100 messages (a fixed ring), ' +
      'so SMS sends cannot grow it. The flows sign out when they are done, so sign-ins do not pile up in the MemoryStore. ' +
      `Reproduce with \`MFA_BENCH_SOAK_SECONDS=${r.seconds} node dist-sample/bench/soak.bench.js\` after \`npx tsc -p tsconfig.sample.json\` ` +
      '(MFA_BENCH_SOAK_RATE scales every rate; the ROUNDS and SECONDS knobs do not apply).',
  );
  report.text();
  report.table(
    ['flow', 'target / s', 'completed / s', 'launched', 'completed', 'failed', 'no free user'],
    KINDS.map((k) => [
      k,
      fmt(r.rates[k], 1),
      fmt(r.stats[k].completed / r.seconds, 1),
      r.stats[k].launched,
      r.stats[k].completed,
      r.stats[k].failed,
      r.stats[k].skipped,
    ]),
  );
  const classes = ['2xx', '3xx', '4xx', '5xx', 'error'];
  const rows = [...client.byLabel.entries()].map(([label, c]) => [label, ...classes.map((k) => c[k] ?? 0)]);
  report.text(`Requests by kind (${client.answered} answers, ${fmt(client.answered / r.seconds)} per second):`);
  report.text();
  report.table(['request', ...classes], rows);
  report.text('Samples (after forced GC):');
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
    ],
    [...samples, drained].map((s, i, all) => [
      s === drained
        ? `${s.t} (after the load)`
        : s === base
          ? `**${s.t}** (baseline)`
          : s === end
            ? `**${s.t}** (end)`
            : s.t,
      MB(s.heapUsed),
      MB(s.rss),
      MB(s.external),
      MB(s.arrayBuffers),
      Object.values(s.handles).reduce((a, b) => a + b, 0),
      s.sizes.expressSessions,
      s.sizes.sessionCache ?? 'n/a',
      s.sizes.counterWindows ?? 'n/a',
      i === 0 || s === drained ? '' : fmt((s.answered - all[i - 1].answered) / (s.t - all[i - 1].t)),
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

  const span = `${minutes(base.t)} → ${minutes(end.t)}`;
  report.figure({
    id: 'P9',
    label: `heap after GC, ${span}`,
    value: `${signed(heap)} %`,
    goal: '≤ +5 %',
    met: heap <= 5,
  });
  report.figure({ id: 'P9', label: `RSS after GC, ${span}`, value: `${signed(rss)} %`, goal: '≤ +5 %', met: rss <= 5 });
  report.figure({
    id: 'P9',
    label: `5xx answers in ${client.answered} (connection errors: ${rows.reduce((a, row) => a + Number(row[5]), 0)})`,
    value: String(client.serverErrorCount),
    goal: '0',
    met: client.serverErrorCount === 0,
  });
  report.figure({
    id: 'P9',
    label: 'open handles, idle before the load → idle after it',
    value: grown.length ? grown.join(', ') : 'no growth',
    goal: 'no growth',
    met: grown.length === 0,
  });
}
