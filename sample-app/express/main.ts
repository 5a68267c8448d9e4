import session from 'express-session';
import { join } from 'node:path';
import { expressSessionRevoker } from '../../src/express';
import { devSecret } from '../dev-secrets';
import { createExpressSampleApp } from './express-sample.app';
import { contactEmailOf } from '../shared/demo-users';
import { devOutboxEnabled } from '../shared/dev-outbox';
import { samplePasskeys } from '../shared/sample-passkeys';
import { sampleBanner } from '../shared/sample-index';

/** `npm run sample:express`: the plain Express sample on PORT (default 3000). */
async function main(): Promise<void> {
  const dataDir = process.env.SAMPLE_DATA_DIR ?? join(process.cwd(), 'sample-app', '.data');
  const port = Number(process.env.PORT ?? 3000);
  // Listable, so "sign out everywhere else" on the profile page ends those sessions too.
  const sessionStore = new session.MemoryStore();
  const { app } = await createExpressSampleApp({
    issuer: 'nestjs-mfa express sample',
    encryption: { keys: [{ id: 'k1', key: devSecret('MFA_ENCRYPTION_KEY', dataDir) }] },
    database: { type: 'better-sqlite3', database: process.env.MFA_DB ?? join(dataDir, 'mfa-express.sqlite') },
    audit: 'database',
    // Plain HTTP on localhost while developing; HTTPS-only cookies in production.
    trustedDeviceCookie: { secure: process.env.NODE_ENV === 'production' },
    // Factor changes also go to the account's address; sample-app/main.ts says why it is set here.
    contactEmail: contactEmailOf,
    sessionSecret: devSecret('SESSION_SECRET', dataDir),
    sessionStore,
    endOtherSessions: expressSessionRevoker(sessionStore),
    webauthn: samplePasskeys(port),
  });
  app.listen(port, () =>
    console.log(sampleBanner('nestjs-mfa Express sample', `http://localhost:${port}`, devOutboxEnabled())),
  );
}

void main();
