#!/usr/bin/env node
import { runCli } from './cli';

// The exit code is the CLI's answer. An open handle (a driver's idle pool) must not hold the
// process once the command is done; the grace lets stdout drain first.
runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
