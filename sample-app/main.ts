import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import session from 'express-session';
import { join } from 'node:path';
import { expressSessionRevoker } from '../src';
import { devSecret } from './dev-secrets';
import { SampleAppModule, useSessions } from './sample-app.module';
import { sampleEnv } from './sample-env';
import { contactEmailOf } from './shared/demo-users';
import { devOutboxEnabled } from './shared/dev-outbox';
import { samplePasskeys } from './shared/sample-passkeys';
import { sampleBanner } from './shared/sample-index';

async function bootstrap(): Promise<void> {
  const dataDir = process.env.SAMPLE_DATA_DIR ?? join(process.cwd(), 'sample-app', '.data');
  const env = await sampleEnv(dataDir); // SQLite and in-process state unless MFA_DATABASE_URL, MFA_REDIS_URL, SESSION_STORE_URL say otherwise
  // A store the sample can list, so "sign out everywhere else" on the profile page ends those sessions too
  // (connect-pg-simple cannot list: there only MFA's state in them is voided).
  const sessionStore = env.sessionStore ?? new session.MemoryStore();
  const app = await NestFactory.create(
    SampleAppModule.register({
      issuer: 'nestjs-mfa sample',
      encryption: { keys: [{ id: 'k1', key: devSecret('MFA_ENCRYPTION_KEY', dataDir) }] },
      database: env.database,
      counters: env.counters,
      audit: 'database',
      // Plain HTTP on localhost while developing; HTTPS-only cookies in production.
      trustedDeviceCookie: { secure: process.env.NODE_ENV === 'production' },
      // Factor changes are also mailed to the account's address (to /dev/outbox in development). Set here, not in
      // SAMPLE_MFA_DEFAULTS, because the suites built on the sample count notifications and pass their own.
      contactEmail: contactEmailOf,
      webauthn: samplePasskeys(env.port),
      endOtherSessions: env.sessionStore ? undefined : expressSessionRevoker(sessionStore),
    }),
  );
  useSessions(app, devSecret('SESSION_SECRET', dataDir), sessionStore);
  app.enableShutdownHooks();
  await (env.host ? app.listen(env.port, env.host) : app.listen(env.port));
  console.log(sampleBanner('nestjs-mfa sample', `http://${env.host ?? 'localhost'}:${env.port}`, devOutboxEnabled()));
}

void bootstrap();
