// A separate app importing the packed package by its public entry points only.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MfaEngine, MfaGuard, MfaModule, RequireMfa, SkipMfa, StepUp, MFA_ERROR_CODES, ManualClock } from 'nestjs-mfa';
import { KeyRing } from 'nestjs-mfa/core';
import { TypeOrmMfaStore, mfaEntities, mfaMigrations } from 'nestjs-mfa/typeorm';
import { createMfa } from 'nestjs-mfa/express';
import { RedisCounterStore } from 'nestjs-mfa/redis';
import {
  DevOutbox,
  HttpSmsSender,
  SmtpEmailSender,
  SyslogAuditSink,
  WebhookAuditSink,
  smsPreset,
} from 'nestjs-mfa/delivery';
import { randomBytes } from 'node:crypto';

@Module({
  imports: [
    MfaModule.forRoot({
      encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
      database: { type: 'better-sqlite3', database: ':memory:' },
      clock: new ManualClock(),
      audit: { emit: () => undefined },
    }),
  ],
})
class ConsumerModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(ConsumerModule, { logger: false });
  const engine = app.get(MfaEngine);
  const start = await engine.startTotpEnrollment({ userId: 'u1', sessionId: 's1' });
  if (!/^otpauth:\/\/totp\//.test(start.otpauthUri)) throw new Error('no otpauth URI');
  const used = [
    RedisCounterStore,
    MfaGuard,
    RequireMfa,
    StepUp,
    SkipMfa,
    KeyRing,
    TypeOrmMfaStore,
    mfaEntities,
    mfaMigrations,
    MFA_ERROR_CODES,
    DevOutbox,
    HttpSmsSender,
    SyslogAuditSink,
    WebhookAuditSink,
    smsPreset,
  ];
  if (used.some((x) => !x)) throw new Error('missing export');
  // nodemailer is an optional peer this app did not install: SMTP email says what to install.
  const smtp = (() => {
    try {
      return new SmtpEmailSender({ transport: {}, from: 'mfa@example.test' });
    } catch (err) {
      return err;
    }
  })();
  if (!/npm install nodemailer/.test(String(smtp)))
    throw new Error(`SmtpEmailSender without nodemailer: ${String(smtp)}`);
  await app.close();

  const mfa = createMfa({
    encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
    database: { type: 'better-sqlite3', database: ':memory:' },
    audit: { emit: () => undefined },
  });
  await mfa.ready;
  if (typeof mfa.router !== 'function' || typeof mfa.requireMfa() !== 'function')
    throw new Error('express adapter incomplete');
  await mfa.close();
  console.log('pack consumer: ok');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
