// The child process of `verifyInChild`: one verification with the store's fail-point armed.
// It is meant to die inside the store; reaching the end means the fail-point never fired.
import { MfaEngine } from '../../libs/core/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { failpointEngineOptions, VerifyJob } from './failpoint-verify';

async function main(): Promise<void> {
  const job = JSON.parse(process.env.MFA_FAILPOINT_JOB!) as VerifyJob;
  const store = await TypeOrmMfaStore.connect(job.database);
  const engine = new MfaEngine(failpointEngineOptions(store, job.key, { now: () => job.now }));
  await engine.verifyChallenge(job.subject, job.challengeId, job.method, job.code);
  process.stdout.write('verified without reaching the fail-point\n');
  await store.close();
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
