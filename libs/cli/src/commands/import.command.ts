import { Command, InvalidArgumentError } from 'commander';
import { FanOutAuditSink, isOperatorStore, KeyRing, LoggerAuditSink, systemClock } from '../../../core/src';
import type { AuditEvent, AuditSink } from '../../../core/src';
import { AuditTrail } from '../../../core/src/audit/audit-trail';
import { CodeHasher } from '../../../core/src/crypto/code-hasher';
import { BackupCodeFactor } from '../../../core/src/factors/backup-code.factor';
import { FactorImportAborted, FactorImportService } from '../../../core/src/import/factor-import.service';
import { describePosition, ImportProblem, ImportReport } from '../../../core/src/import/import-record';
import { CliContext, CliRefusal, CliRuntime, EXIT, RegisterCommand } from '../cli-context';
import { loadTypeOrm } from '../cli-runtime';
import { readBetterAuth, readImportFile, SourceRows } from './import-sources';

interface RunFlags {
  dryRun?: boolean;
  actor?: string;
}

/** `import file <path>` and `import better-auth --database <url|file>`: TOTP factors and backup codes from elsewhere. */
export const registerImport: RegisterCommand = (program, ctx) => {
  const command = program
    .command('import')
    .description('bring TOTP factors and backup codes from other systems; each user all or nothing, re-runs resume');
  withRunFlags(
    command
      .command('file <path>')
      .description(
        'a JSON array or CSV file: userId, secret (base32), algorithm, digits, period, label, backupCodes | backupCodeHashes',
      )
      .option('--format <format>', 'json or csv (default: from the file name)'),
  ).action((path: string, flags: RunFlags & { format?: string }) =>
    runImport(ctx, flags, path, () => readImportFile(path, flags.format), 'refuse'),
  );
  withRunFlags(
    command
      .command('better-auth')
      .description("Better Auth's twoFactor table, decrypted with its secret (TOTP secrets and backup codes)")
      .requiredOption('--database <url|file>', "Better Auth's database: an SQLite file, postgres://… or mysql://…")
      .option('--secret <secret>', 'BETTER_AUTH_SECRET (default: that environment variable; prefer it to the flag)')
      .option('--secrets <list>', 'BETTER_AUTH_SECRETS, "<version>:<secret>,…" (default: that environment variable)')
      .option('--table <name>', "the twoFactor model's table", 'twoFactor')
      .option('--digits <n>', "Better Auth's totpOptions.digits", digitsOption, 6)
      .option('--period <seconds>', "Better Auth's totpOptions.period", periodOption, 30),
  ).action(
    (
      flags: RunFlags & {
        database: string;
        secret?: string;
        secrets?: string;
        table: string;
        digits: number;
        period: number;
      },
    ) =>
      runImport(
        ctx,
        flags,
        'better-auth',
        () =>
          readBetterAuth({
            ...flags,
            secret: flags.secret ?? process.env.BETTER_AUTH_SECRET,
            secrets: flags.secrets ?? process.env.BETTER_AUTH_SECRETS,
          }),
        // Better Auth's codes cannot be reissued from here: one this verifier never accepts is left out, with a warning.
        'drop',
      ),
  );
};

function withRunFlags(command: Command): Command {
  return command
    .option('--dry-run', 'check every row against the store and write nothing')
    .option('--actor <name>', 'the operator, for the audit trail (default: MFA_OPERATOR)');
}

async function runImport(
  ctx: CliContext,
  flags: RunFlags,
  source: string,
  read: () => Promise<SourceRows>,
  unusableCodes: 'refuse' | 'drop',
): Promise<void> {
  const actor = flags.actor ?? process.env.MFA_OPERATOR;
  if (!actor && !flags.dryRun)
    throw new CliRefusal(
      'ACTOR_REQUIRED',
      "Imports are audited with the operator's name: pass --actor <name> or set MFA_OPERATOR.",
      EXIT.usage,
    );
  const rows = await read();
  const runtime = await ctx.open();
  if (!isOperatorStore(runtime.store))
    throw new CliRefusal(
      'OPERATOR_STORE_UNAVAILABLE',
      'The configured store cannot import factors (it does not implement OperatorStore); the TypeORM store does.',
      EXIT.config,
    );
  const audit = settlingAudit(runtime);
  const service = new FactorImportService({
    store: runtime.store,
    keyRing: new KeyRing(runtime.options.encryption),
    clock: runtime.options.clock ?? systemClock,
    hasher: new CodeHasher(runtime.options.backupCodes?.scrypt),
    backupCodes: new BackupCodeFactor(runtime.options.backupCodes),
    audit: new AuditTrail(audit, runtime.options.clock ?? systemClock),
  });
  const progress = ctx.output.progress(flags.dryRun ? 'checking' : 'importing', rows.length);
  let report: ImportReport;
  try {
    report = await service.run(rows, {
      source,
      actor: actor ?? 'dry-run',
      dryRun: flags.dryRun,
      unusableCodes,
      onRow: () => progress.tick(),
    });
  } catch (err) {
    if (!(err instanceof FactorImportAborted)) throw err;
    throw new CliRefusal(
      'IMPORT_ABORTED',
      `${err.message}. Nothing of that user was written; users before it are settled. Run the same command again to resume.`,
      EXIT.store,
      err.report,
    );
  } finally {
    progress.done();
    await audit.settled();
  }
  const refused = report.duplicates.length + report.invalid.length;
  const summary = summaryOf(report);
  // Under --json stdout holds one document: with refusals, the report rides in the refusal.
  if (refused && ctx.output.json) throw new CliRefusal('IMPORT_ROWS_REFUSED', summary, EXIT.refused, report);
  ctx.output.result(report, [
    summary,
    ...report.duplicates.map((p) => line('duplicate', p)),
    ...report.invalid.map((p) => line('invalid', p)),
    ...report.warnings.map((p) => line('warning', p)),
  ]);
  if (refused)
    throw new CliRefusal('IMPORT_ROWS_REFUSED', `${refused} row(s) were not imported; see above.`, EXIT.refused);
}

function summaryOf(r: ImportReport): string {
  const verb = r.dryRun ? 'Would import' : 'Imported';
  return (
    `${verb} ${r.imported} of ${r.rows} row(s) from ${r.source}: ${r.alreadyImported} already imported, ` +
    `${r.duplicates.length} duplicate(s), ${r.invalid.length} invalid` +
    (r.warnings.length ? `, ${r.warnings.length} warning(s)` : '') +
    '.'
  );
}

function line(kind: string, p: ImportProblem): string {
  return `  ${kind.padEnd(9)} ${describePosition(p)}${p.userId !== undefined ? ` (${p.userId})` : ''} ${p.field}: ${p.reason} [${p.code}]`;
}

/**
 * The runtime's audit targets ('database' is the store's table), with every write awaited
 * before the command returns: the store closes right after, and an event still in flight
 * would be lost.
 */
function settlingAudit(runtime: CliRuntime): AuditSink & { settled(): Promise<void> } {
  const targets = [runtime.options.audit ?? []].flat();
  const sinks = targets.map((target): AuditSink => {
    if (target === 'logger') return new LoggerAuditSink((text) => process.stderr.write(text + '\n'));
    if (target !== 'database') return target;
    const { TypeOrmAuditSink } = loadTypeOrm();
    return new TypeOrmAuditSink(
      (runtime.store as unknown as { dataSource: ConstructorParameters<typeof TypeOrmAuditSink>[0] }).dataSource,
    );
  });
  const sink = sinks.length === 1 ? sinks[0] : new FanOutAuditSink(sinks);
  const pending = new Set<Promise<unknown>>();
  return {
    emit(event: AuditEvent) {
      const write = Promise.resolve(sink.emit(event)).finally(() => pending.delete(write));
      pending.add(write);
      return write;
    },
    async settled() {
      await Promise.allSettled([...pending]);
    },
  };
}

function digitsOption(value: string): number {
  if (value !== '6' && value !== '8') throw new InvalidArgumentError('6 or 8.');
  return Number(value);
}

function periodOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 15 || n > 120)
    throw new InvalidArgumentError('a whole number of seconds from 15 to 120.');
  return n;
}
