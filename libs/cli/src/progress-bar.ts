import type { CliProgress } from './cli-context';

const WIDTH = 30;

/** A one-line bar redrawn on stderr; with no total, a running count. */
export class ProgressBar implements CliProgress {
  private count = 0;
  private lastDrawn = -1;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
    private readonly total?: number,
  ) {
    this.draw();
  }

  tick(n = 1): void {
    this.count += n;
    this.draw();
  }

  done(): void {
    this.draw(true);
    this.stream.write('\n');
  }

  private draw(force = false): void {
    const total = this.total && this.total > 0 ? this.total : undefined;
    const percent = total ? Math.min(100, Math.floor((this.count / total) * 100)) : this.count;
    if (!force && percent === this.lastDrawn) return; // one redraw per percent, not per row
    this.lastDrawn = percent;
    const line = total
      ? `${this.label} [${'#'.repeat(Math.round((percent / 100) * WIDTH)).padEnd(WIDTH, '.')}] ${this.count}/${total} ${percent}%`
      : `${this.label} ${this.count}`;
    this.stream.write(`\r${line}`);
  }
}

/** Nothing on a pipe, a log file or under --json. */
export const SILENT_PROGRESS: CliProgress = { tick: () => undefined, done: () => undefined };
