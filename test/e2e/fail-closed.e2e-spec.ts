// Invariant: when the store is unreachable MFA fails closed — 503 MFA_UNAVAILABLE, never 200, never 500.
import Redis from 'ioredis';
import { RedisCounterStore } from '../../libs/redis/src';
import { Backend, BACKENDS } from '../support/backends';
import { TcpProxy } from '../support/tcp-proxy';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('fail closed on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter)));
  afterEach(() => t.close());

  it('guarded routes and verification answer 503 while the store is down', async () => {
    const { secret, agent: verifiedSession } = await signInEnrolled(t);
    await verifiedSession.get('/profile/security').expect(200);
    const fresh = await signIn(t);
    const id = await challengeFor(fresh);

    await t.store.dataSource.destroy();
    const guarded = await verifiedSession.get('/profile/security').expect(503);
    expect(guarded.body.code).toBe('MFA_UNAVAILABLE');
    expect(guarded.headers['retry-after']).toBe('5'); // clients back off instead of hammering a store that is down
    const verify = await fresh
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(503);
    expect(verify.body.code).toBe('MFA_UNAVAILABLE');
    await fresh.get('/admin').expect(503);
    await fresh.get('/wiki').expect(200); // routes without a requirement do not touch the store
  });
});

// The counter backend is part of every verification: when it is unreachable, verification
// answers 503 (nothing is evaluated uncounted), and it recovers by itself when Redis returns.
const redisUrl = process.env.MFA_TEST_REDIS_URL;
(redisUrl ? describe : describe.skip)('fail closed when Redis counters are unreachable', () => {
  it('answers 503 on a closed port', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    const t = await startTestApp(BACKENDS[0], 'nest', { counters: new RedisCounterStore(down) });
    try {
      const agent = await signIn(t);
      const { body } = await agent.post('/mfa/totp/enrollments').send({}).expect(201); // no attempt is counted yet
      const confirm = await agent
        .post(`/mfa/totp/enrollments/${body.enrollmentId}/confirm`)
        .send({ code: totpAt(body.secret, t.clock) })
        .expect(503);
      expect(confirm.body.code).toBe('MFA_UNAVAILABLE');
    } finally {
      await t.close();
      down.disconnect();
    }
  });

  it('answers 503 while Redis is paused and recovers when it resumes', async () => {
    const counters = await RedisCounterStore.connect(redisUrl!, { commandTimeout: 300 });
    const admin = new Redis(redisUrl!);
    const t = await startTestApp(BACKENDS[0], 'nest', { counters });
    try {
      const { secret } = await signInEnrolled(t);
      const agent = await signIn(t);
      const id = await challengeFor(agent);
      await admin.call('CLIENT', 'PAUSE', '10000', 'ALL');
      const paused = await agent
        .post(`/mfa/challenges/${id}/verify`)
        .send({ method: 'totp', code: totpAt(secret, t.clock) })
        .expect(503);
      expect(paused.body.code).toBe('MFA_UNAVAILABLE');
      await admin.call('CLIENT', 'UNPAUSE');
      await agent
        .post(`/mfa/challenges/${id}/verify`)
        .send({ method: 'totp', code: totpAt(secret, t.clock) })
        .expect(200);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      await t.close();
      admin.disconnect();
    }
  });
});

// A real Postgres connection pool that loses its server: guarded routes answer 503 while it is
// gone and pass again, with no restart, once it is back.
const postgresUrl = process.env.MFA_TEST_POSTGRES_URL;
(postgresUrl ? describe : describe.skip)('fail closed when Postgres goes away', () => {
  it('answers 503 while the server is cut off and recovers by itself', async () => {
    const target = new URL(postgresUrl!);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const viaProxy = new URL(postgresUrl!);
    viaProxy.port = String(port);
    const backend: Backend = {
      name: 'postgres-via-proxy',
      options: { type: 'postgres', url: viaProxy.toString(), connectTimeoutMS: 1000 } as Backend['options'],
    };
    const t = await startTestApp(backend, 'nest');
    try {
      const { agent } = await signInEnrolled(t);
      await agent.get('/profile/security').expect(200);
      await proxy.stop();
      const down = await agent.get('/profile/security').expect(503);
      expect(down.body.code).toBe('MFA_UNAVAILABLE');
      await proxy.start();
      let status = 0;
      for (let i = 0; i < 5 && status !== 200; i++) status = (await agent.get('/profile/security')).status; // the pool replaces dead clients
      expect(status).toBe(200);
    } finally {
      await t.close().catch(() => undefined);
      await proxy.stop();
    }
  });
});
