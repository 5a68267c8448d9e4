import type { Command } from 'commander';
import type { MfaEngine, MfaStore } from '../../core/src';
import type { MfaSetupOptions } from '../../setup/src';

/** Exit codes: scripts branch on them, so each means one thing. */
export const EXIT = {
  ok: 0,
  /** The command ran and refused: invalid input, a failed check, rows that could not be imported. */
  refused: 1,
  /** Unknown command or option, a missing argument (the argument parser's own code). */
  usage: 2,
  /** No usable configuration: no database, no keys, a config file that does not load. */
  config: 3,
  /** The store could not be reached or migrated. */
  store: 4,
} as const;

/** A refusal a command reports: a stable code, a message with the fix, and where it applies. */
export class CliRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT.refused,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A bar on stderr when it is a terminal; silent otherwise and under --json. */
export interface CliProgress {
  tick(n?: number): void;
  done(): void;
}

export interface CliOutput {
  /** Set by the global --json flag. */
  readonly json: boolean;
  /** The command's result: `data` under --json (one JSON document on stdout), else `text`. */
  result(data: unknown, text: string | string[]): void;
  /** A note for the human reader on stderr; never part of --json output. */
  note(message: string): void;
  progress(label: string, total?: number): CliProgress;
}

/** What a command opens: the engine over the configured store, closed by the CLI on exit. */
export interface CliRuntime {
  readonly options: MfaSetupOptions;
  readonly engine: MfaEngine;
  readonly store: MfaStore;
  close(): Promise<void>;
}

export interface CliContext {
  readonly output: CliOutput;
  /** The resolved options (config file, then environment): no connection is opened. */
  options(): Promise<MfaSetupOptions>;
  /** Opens (and migrates) the store and builds the engine; background jobs stay off. */
  open(): Promise<CliRuntime>;
}

/** Each file in commands/ exports one of these; cli.ts registers them all. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;
