import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Express } from 'express';
import { randomBytes } from 'node:crypto';
import type session from 'express-session';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { App } from 'supertest/types';
import { DEFAULT_TOTP_PROFILE, fromBase32, ManualClock, MfaEngine, TotpFactor } from '../../libs/core/src';
import type { MfaExpress } from '../../libs/express/src';
import type { MfaOptions } from '../../libs/setup/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { createExpressFixtureApp, ExpressFixtureOptions } from '../fixtures/express-app';
import { FixtureAppModule, useSessions } from '../fixtures/nest-app.module';
import { Backend, BACKENDS, resetDatabase } from './backends';
import { CapturingAuditSink } from './capturing-audit.sink';

/** How the app under test is built: the Nest host (forRoot / forRootAsync) or the Express host (Express 5 / 4). */
export type Adapter = 'nest' | 'nest-async' | 'express5' | 'express4';
export const ADAPTERS: Adapter[] = ['nest', 'express5', 'express4'];

/** Every backend × every adapter: the same suites, unchanged, over both adapters. */
export const MATRIX = BACKENDS.flatMap((b) => ADAPTERS.map((a) => [`${b.name} via ${a}`, b, a] as const));

export interface TestApp {
  /** What supertest talks to. */
  http: App;
  clock: ManualClock;
  audit: CapturingAuditSink;
  store: TypeOrmMfaStore;
  engine: MfaEngine;
  close(): Promise<void>;
}

export const TEST_KEY = randomBytes(32).toString('base64');

/** The host app around MFA, on both adapters, with the same routes, users and policy on each. */
export interface TestHost {
  nestModule(options: MfaOptions, mode: 'sync' | 'async'): DynamicModule;
  useSessions(app: INestApplication, secret: string, store?: session.Store): void;
  expressApp(options: ExpressFixtureOptions): Promise<{ app: Express; mfa: MfaExpress }>;
}

/** test/fixtures: what the suites run against unless they are about the sample itself. */
export const FIXTURE_HOST: TestHost = {
  nestModule: (options, mode) => FixtureAppModule.register(options, mode),
  useSessions,
  expressApp: createExpressFixtureApp,
};

export interface StartOptions {
  keepSchema?: boolean;
  logs?: boolean;
  sessionStore?: session.Store;
  /** Default: the test fixture. */
  host?: TestHost;
}

/** A passport-local + express-session host (the fixture unless `host` says otherwise) on a real database and a clock the test moves. */
export async function startTestApp(
  backend: Backend,
  adapter: Adapter = 'nest',
  extra: Partial<MfaOptions> = {},
  { keepSchema = false, logs = false, sessionStore, host = FIXTURE_HOST }: StartOptions = {},
): Promise<TestApp> {
  if (!keepSchema) await resetDatabase(backend);
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const audit = new CapturingAuditSink();
  // With the app's own DataSource the adapter opens the store itself; the test only reads through this one.
  const store = extra.dataSource
    ? new TypeOrmMfaStore(extra.dataSource)
    : await TypeOrmMfaStore.connect(backend.options);
  const options: MfaOptions = {
    issuer: 'nestjs-mfa tests',
    encryption: { keys: [{ id: 'k1', key: TEST_KEY }] },
    store,
    clock,
    audit,
    backupCodes: { scrypt: { N: 1024, r: 8, p: 1 } },
    ...extra,
  };
  if (adapter === 'express5' || adapter === 'express4') {
    const express = adapter === 'express4' ? require('express4') : require('express');
    const { app, mfa } = await host.expressApp({
      ...options,
      express,
      sessionSecret: 'test-session-secret',
      sessionStore,
    });
    return {
      http: app,
      clock,
      audit,
      store,
      engine: await mfa.ready,
      close: async () => {
        await mfa.close();
        await store.close();
      },
    };
  }
  const moduleRef = await Test.createTestingModule({
    imports: [host.nestModule(options, adapter === 'nest-async' ? 'async' : 'sync')],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: logs ? ['error', 'warn'] : false });
  host.useSessions(app, 'test-session-secret', sessionStore);
  await app.init();
  return {
    http: app.getHttpServer(),
    clock,
    audit,
    store,
    engine: app.get(MfaEngine),
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export async function signIn(t: Pick<TestApp, 'http'>, username = 'alice'): Promise<TestAgent> {
  const agent = request.agent(t.http);
  await agent
    .post('/auth/login')
    .send({ username, password: `${username}-password` })
    .expect(200);
  return agent;
}

export function totpAt(secret: string, clock: ManualClock): string {
  return new TotpFactor().generate(fromBase32(secret), DEFAULT_TOTP_PROFILE, clock.now());
}

export interface Enrolled {
  agent: TestAgent;
  secret: string;
  enrollmentId: string;
  backupCodes: string[];
}

/** Signs in and enrolls TOTP; leaves the clock on the next time step so the next code is fresh. */
export async function signInEnrolled(t: TestApp, username = 'alice'): Promise<Enrolled> {
  const agent = await signIn(t, username);
  const start = await agent.post('/mfa/totp/enrollments').send({}).expect(201);
  const { secret, enrollmentId } = start.body;
  const confirm = await agent
    .post(`/mfa/totp/enrollments/${enrollmentId}/confirm`)
    .send({ code: totpAt(secret, t.clock) })
    .expect(200);
  t.clock.advance(30);
  return { agent, secret, enrollmentId, backupCodes: confirm.body.backupCodes };
}

/** A fresh session (new login) of an already-enrolled user: MFA state starts empty. */
export async function challengeFor(agent: TestAgent, path = '/profile/security'): Promise<string> {
  const res = await agent.get(path).expect(401);
  expect(res.body.code).toBe('MFA_REQUIRED');
  return res.body.challenge.id;
}
