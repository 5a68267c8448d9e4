/**
 * Summarises a V8 CPU profile written by `node --cpu-prof` (MFA_BENCH_PROFILE=1 starts every
 * bench server that way; profiles land in bench/results/profiles):
 *   node dist-sample/bench/profile-summary.js bench/results/profiles/<file>.cpuprofile [top]
 * Prints self time by category, by package/file and by function, and total (inclusive) time of the hottest frames.
 */
import { readFileSync } from 'node:fs';
import { breakdown, CpuProfile, ProfileNode, where } from './lib/profile';

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
  const top = Number(topArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName))
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;

  const label = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url, true)}:${n.callFrame.lineNumber + 1}`;
  const selfBy = (key: (n: ProfileNode) => string) => {
    const m = new Map<string, number>();
    for (const [id, t] of self) {
      const n = byId.get(id)!;
      if (['(idle)', '(program)'].includes(n.callFrame.functionName)) continue;
      m.set(key(n), (m.get(key(n)) ?? 0) + t);
    }
    return [...m.entries()].sort((a, b) => b[1] - a[1]);
  };
  // Inclusive time per frame label, counted once per sample even under recursion.
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(busy / 1000).toFixed(0)} ms busy of ${(total / 1000).toFixed(0)} ms sampled`);
  console.log('\nself time by category (native calls charged to their JS caller; as in P3):');
  for (const c of breakdown(profile).byCategory)
    console.log(`  ${(100 * c.share).toFixed(1).padStart(5)}%  ${c.category}`);
  console.log('\nself time by package / file:');
  for (const [k, t] of selfBy((n) => where(n.callFrame.url)).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
  console.log('\nself time by function:');
  for (const [k, t] of selfBy(label).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
  console.log('\ninclusive time (a frame and everything it called):');
  const interesting = [...inclusive.entries()].filter(([l]) => !l.startsWith('(')).sort((a, b) => b[1] - a[1]);
  for (const [k, t] of interesting.slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
}

main();
