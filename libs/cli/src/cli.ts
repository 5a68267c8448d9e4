import { Command, CommanderError } from 'commander';
import { isMfaError } from '../../core/src';
import type { MfaSetupOptions } from '../../setup/src';
import { loadCliOptions } from './cli-config';
import { CliContext, CliRefusal, CliRuntime, EXIT } from './cli-context';
import { ConsoleOutput, refusalReport } from './cli-output';
import { openCliRuntime, openFailure, storeFailure } from './cli-runtime';
import { COMMANDS } from './commands';

interface GlobalOptions {
  config?: string;
  json?: boolean;
  databaseUrl?: string;
}

// Engine errors that are not refusals of the input: the same exit code as the CLI's own refusals.
const MFA_ERROR_EXITS: Partial<Record<string, number>> = {
  MFA_UNAVAILABLE: EXIT.store,
  // A store of the app's own without the operator reads: a configuration to change, as keys/import say.
  OPERATOR_STORE_UNAVAILABLE: EXIT.config,
};

// Commander's own outcomes that are not failures.
const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs one command line and answers its exit code. Every failure ends here: a refusal, an
 * engine error or a usage error becomes one report (JSON on stdout under --json) and a
 * code from EXIT; only an error nobody anticipated prints a stack, on stderr.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Known before commander parses, so its own usage errors honour --json too.
  const output = new ConsoleOutput(argv.includes('--json'));
  const program = new Command('nestjs-mfa')
    .description('Operate nestjs-mfa: migrations, policy versions, encryption keys, imports and reports.')
    .option('--config <file>', 'a JSON or JS file exporting the options of MfaModule.forRoot / createMfa')
    .option('--json', 'print one JSON document on stdout, for scripts')
    .option('--database-url <url>', 'the MFA database (overrides MFA_DATABASE_URL and the config file)')
    .exitOverride()
    // Its errors are reported below, once, in the shape --json asks for.
    .configureOutput({ outputError: () => undefined })
    .showHelpAfterError(false);

  let options: Promise<MfaSetupOptions> | undefined;
  let runtime: Promise<CliRuntime> | undefined;
  const globals = () => program.opts<GlobalOptions>();
  const ctx: CliContext = {
    output,
    options: () => (options ??= loadCliOptions({ config: globals().config, databaseUrl: globals().databaseUrl, env })),
    open: () => (runtime ??= ctx.options().then(openCliRuntime)),
  };
  for (const register of COMMANDS) register(program, ctx);

  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    return report(output, err);
  } finally {
    if (runtime) await runtime.then((r) => r.close()).catch(() => undefined);
  }
}

function report(output: ConsoleOutput, err: unknown): number {
  if (err instanceof CommanderError) {
    if (HELP_CODES.has(err.code)) return EXIT.ok;
    // No command given: commander has printed the help on stderr already.
    const message = err.code === 'commander.help' ? 'a command is required' : err.message.replace(/^error: /, '');
    if (err.code !== 'commander.help' || output.json) output.error({ code: 'USAGE', message });
    return EXIT.usage;
  }
  const failure = storeFailure(openFailure(err));
  if (failure instanceof CliRefusal) {
    output.error(refusalReport(failure));
    return failure.exitCode;
  }
  if (isMfaError(failure)) {
    output.error({ code: failure.code, message: failure.message, details: failure.details });
    return MFA_ERROR_EXITS[failure.code] ?? EXIT.refused;
  }
  const error = failure as Error;
  output.error({ code: 'INTERNAL', message: error?.message ?? String(error) });
  process.stderr.write(`${error?.stack ?? error}\n`);
  return EXIT.refused;
}
