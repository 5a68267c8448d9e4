import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import session from 'express-session';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MfaOptions } from '../../../libs/setup/src';
import { createExpressSampleApp } from '../../../sample-app/express/express-sample.app';
import { SampleAppModule, useSessions } from '../../../sample-app/sample-app.module';
import { contactEmailOf } from '../../../sample-app/shared/demo-users';
import { DEV_OUTBOX } from '../../../sample-app/shared/dev-outbox';
import { samplePasskeys } from '../../../sample-app/shared/sample-passkeys';
import { expressSessionRevoker } from '../../../src';

export type SampleKind = 'nest' | 'express';
export const SAMPLES: SampleKind[] = ['nest', 'express'];

export interface RunningSample {
  /** http://localhost:<port>: a secure context, so WebAuthn runs over plain HTTP. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The sample as `npm run sample` / `npm run sample:express` builds it (its module or app
 * factory, its policy, a listable session store), on an ephemeral port of a real server with
 * a temporary SQLite file and the real clock: Chromium talks to it like to the dev server.
 * The port is taken before the app is built, because the passkey origin must name it.
 */
export async function startSample(kind: SampleKind): Promise<RunningSample> {
  const saved = process.env.MFA_DEV_OUTBOX;
  process.env.MFA_DEV_OUTBOX = '1'; // read while the app is built: SMS and email codes land in DEV_OUTBOX
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'mfa-browser-'));
  const sessionStore = new session.MemoryStore();
  const options: MfaOptions = {
    issuer: 'nestjs-mfa browser tests',
    encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
    database: { type: 'better-sqlite3', database: join(dir, 'mfa.sqlite') },
    audit: 'database', // as the sample: the trail in the store, not on stdout
    contactEmail: contactEmailOf,
    webauthn: samplePasskeys(port), // rpId localhost, origin http://localhost:<port>
    endOtherSessions: expressSessionRevoker(sessionStore),
    backupCodes: { scrypt: { N: 1024, r: 8, p: 1 } }, // the suites' cheap cost; the sample's default is slower
  };
  let stop: () => Promise<void>;
  try {
    if (kind === 'nest') {
      const app = await NestFactory.create(SampleAppModule.register(options), { logger: false });
      useSessions(app, 'browser-session-secret', sessionStore);
      await app.init();
      server.on('request', app.getHttpAdapter().getInstance());
      stop = () => app.close();
    } else {
      const { app, mfa } = await createExpressSampleApp({
        ...options,
        sessionSecret: 'browser-session-secret',
        sessionStore,
      });
      server.on('request', app);
      stop = () => mfa.close();
    }
  } finally {
    if (saved === undefined) delete process.env.MFA_DEV_OUTBOX;
    else process.env.MFA_DEV_OUTBOX = saved;
  }
  return {
    baseUrl: `http://localhost:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stop();
      DEV_OUTBOX.clear();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The newest code the dev outbox holds for `to` (SMS and email codes are 6 digits by default). */
export function lastCodeSentTo(to: string): string {
  const message = DEV_OUTBOX.messages(to)[0];
  const code = message && /\b\d{6}\b/.exec(message.text)?.[0];
  if (!code) throw new Error(`no code in the dev outbox for ${to}`);
  return code;
}
