import { CliOutput, CliProgress, CliRefusal } from './cli-context';
import { ProgressBar, SILENT_PROGRESS } from './progress-bar';

/** What a failed command reports: under --json the same shape on stdout, else a line on stderr. */
export interface CliErrorReport {
  code: string;
  message: string;
  details?: unknown;
}

/** Under --json stdout carries exactly one JSON document; notes and bars go to stderr only. */
export class ConsoleOutput implements CliOutput {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  result(data: unknown, text: string | string[]): void {
    if (this.json) this.stdout.write(JSON.stringify(data, null, 2) + '\n');
    else this.stdout.write([text].flat().join('\n') + '\n');
  }

  note(message: string): void {
    this.stderr.write(message + '\n');
  }

  progress(label: string, total?: number): CliProgress {
    return this.json || !this.stderr.isTTY ? SILENT_PROGRESS : new ProgressBar(this.stderr, label, total);
  }

  error(report: CliErrorReport): void {
    if (this.json) {
      this.stdout.write(JSON.stringify({ error: report }, null, 2) + '\n');
      return;
    }
    const lines = [`error: ${report.message}`];
    for (const problem of problemLines(report.details)) lines.push(`  ${problem}`);
    this.stderr.write(lines.join('\n') + '\n');
  }
}

/** `details.errors` of a validation (`{ path, message }` or `{ field, problems }`) as one line each. */
function problemLines(details: unknown): string[] {
  const errors = (details as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e: { path?: string; field?: string; message?: string; problems?: string[] }) =>
    e.path !== undefined ? `${e.path}: ${e.message}` : `${e.field}: ${(e.problems ?? []).join('; ')}`,
  );
}

export function refusalReport(err: CliRefusal): CliErrorReport {
  return { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) };
}
