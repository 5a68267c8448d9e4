import type { RegisterCommand } from '../cli-context';
import { registerImport } from './import.command';
import { registerKeys } from './keys.command';
import { registerMigrate } from './migrate.command';
import { registerPolicy } from './policy.command';
import { registerReport } from './report.command';

/** Every command of `nestjs-mfa`, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerMigrate,
  registerPolicy,
  registerKeys,
  registerImport,
  registerReport,
];
