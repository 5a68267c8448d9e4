import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';
import { devSecret } from './dev-secrets';
import { SampleAppModule, useSessions } from './sample-app.module';

async function bootstrap(): Promise<void> {
  const dataDir = process.env.SAMPLE_DATA_DIR ?? join(process.cwd(), 'sample-app', '.data');
  const app = await NestFactory.create(
    SampleAppModule.register({
      issuer: 'nestjs-mfa sample',
      encryption: { keys: [{ id: 'k1', key: devSecret('MFA_ENCRYPTION_KEY', dataDir) }] },
      database: { type: 'better-sqlite3', database: process.env.MFA_DB ?? join(dataDir, 'mfa.sqlite') },
      audit: 'database',
    }),
  );
  useSessions(app, devSecret('SESSION_SECRET', dataDir));
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  console.log(`nestjs-mfa sample on http://localhost:${port} (users: alice/alice-password, bob/bob-password)`);
}

void bootstrap();
