import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { Clock, FactorType, MfaCoreOptions, MfaStore, MfaSubject, SmsMessage } from '../../libs/core/src';
import { CapturingAuditSink } from './capturing-audit.sink';

/** What a child process verifies: the same database, key and time as the test's own engine. */
export interface VerifyJob {
  database: DataSourceOptions;
  key: string;
  now: number;
  subject: MfaSubject;
  challengeId: string;
  method: FactorType;
  code: string;
}

/** Engine options shared by the test and its child, so both read the same codes and policy. */
export function failpointEngineOptions(
  store: MfaStore,
  key: string,
  clock: Clock,
  sent: SmsMessage[] = [],
): MfaCoreOptions {
  return {
    encryption: { keys: [{ id: 'k1', key }] },
    store,
    clock,
    audit: new CapturingAuditSink(),
    backupCodes: { scrypt: { N: 1024, r: 8, p: 1 } },
    sms: { send: async (message) => (sent.push(message), { provider: 'capture' }) },
  };
}

/**
 * Runs `engine.verifyChallenge` in a child node process with `MFA_TEST_FAILPOINT=after-spend`
 * armed, on the project's TypeScript sources (no build). Resolves with how the child ended.
 */
export function verifyInChild(
  job: VerifyJob,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['-r', join(__dirname, 'transpile-ts.hook.js'), join(__dirname, 'failpoint-verify.child.ts')],
    {
      env: { ...process.env, MFA_TEST_FAILPOINT: 'after-spend', MFA_FAILPOINT_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
}
