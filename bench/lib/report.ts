/**
 * Each benchmark builds one Report: headline figures (with their goals) and a Markdown
 * section. It prints the section and saves both to bench/results/<id>.json, from which
 * `npm run bench` assembles docs/benchmarks.md. Goals are reported, never enforced.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandFor, RESULTS_DIR, SMOKE } from './bench-env';

export interface Figure {
  id: string;
  label: string;
  value: string;
  goal?: string;
  /** undefined: no goal, or not measured. */
  met?: boolean;
}

export interface SavedReport {
  id: string;
  title: string;
  command: string;
  figures: Figure[];
  markdown: string;
  seconds: number;
}

export class Report {
  readonly figures: Figure[] = [];
  private readonly md: string[] = [];
  private readonly started = Date.now();

  readonly command: string;

  /**
   * `rounds`: a bench that takes its own round count (P2's 5) shows that count in its reproduce command.
   * `command`: a bench whose knobs are its own (P9) gives its whole reproduce command instead.
   */
  constructor(
    readonly id: string,
    readonly title: string,
    readonly script: string,
    opts: { rounds?: number; command?: string } = {},
  ) {
    const command = commandFor(script);
    this.command =
      opts.command ??
      (opts.rounds === undefined
        ? command
        : command.replace(/MFA_BENCH_ROUNDS=\d+/, `MFA_BENCH_ROUNDS=${opts.rounds}`));
    console.log(`\n=== ${id}: ${title} (${this.command})`);
  }

  /** Progress for the console only. */
  log(line: string): void {
    console.log(`  ${line}`);
  }

  text(line = ''): void {
    this.md.push(line);
  }

  table(header: string[], rows: Array<Array<string | number>>): void {
    this.md.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
    for (const row of rows) this.md.push(`| ${row.join(' | ')} |`);
    this.md.push('');
  }

  figure(f: Figure): void {
    this.figures.push(f);
  }

  /** A part that could not run here, said plainly instead of a number. */
  skip(what: string, why: string): void {
    this.md.push(`_${what}: skipped — ${why}._`, '');
    this.log(`${what}: skipped — ${why}`);
  }

  save(): void {
    const saved: SavedReport = {
      id: this.id,
      title: this.title,
      command: this.command,
      figures: this.figures,
      markdown: this.md.join('\n'),
      seconds: Math.round((Date.now() - this.started) / 1000),
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, `${this.id}${SMOKE ? '.smoke' : ''}.json`), JSON.stringify(saved, null, 2));
    console.log(`\n${saved.markdown}`);
    for (const f of this.figures)
      console.log(
        `  ${f.id} ${f.label}: ${f.value}${f.goal ? ` (goal ${f.goal}: ${f.met === undefined ? 'n/a' : f.met ? 'met' : 'missed'})` : ''}`,
      );
  }
}

/** Runs a benchmark's main; a crash (not a missed goal) makes the process exit non-zero. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
