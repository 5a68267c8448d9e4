import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';
import { devSecret } from './dev-secrets';
import { SampleAppModule, useSessions } from './sample-app.module';
import { sampleEnv } from './sample-env';

async function bootstrap(): Promise<void> {
  const dataDir = process.env.SAMPLE_DATA_DIR ?? join(process.cwd(), 'sample-app', '.data');
  const env = await sampleEnv(dataDir); // SQLite and in-process state unless MFA_DATABASE_URL, MFA_REDIS_URL, SESSION_STORE_URL say otherwise
  const app = await NestFactory.create(
    SampleAppModule.register({
      issuer: 'nestjs-mfa sample',
      encryption: { keys: [{ id: 'k1', key: devSecret('MFA_ENCRYPTION_KEY', dataDir) }] },
      database: env.database,
      counters: env.counters,
      audit: 'database',
      // Plain HTTP on localhost while developing; HTTPS-only cookies in production.
      trustedDeviceCookie: { secure: process.env.NODE_ENV === 'production' },
    }),
  );
  useSessions(app, devSecret('SESSION_SECRET', dataDir), env.sessionStore);
  app.enableShutdownHooks();
  await (env.host ? app.listen(env.port, env.host) : app.listen(env.port));
  console.log(`nestjs-mfa sample on http://${env.host ?? 'localhost'}:${env.port} (users: alice/alice-password, bob/bob-password)`);
}

void bootstrap();
