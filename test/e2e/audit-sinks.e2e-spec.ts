// Audit streaming to a SIEM over real sockets: syslog (RFC 5424, UDP and TCP) and a batched
// HTTP webhook with retries, a bounded buffer and a drop counter. A failing sink never changes
// an authentication.
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer, Server as HttpServer } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { AuditEvent } from '../../libs/core/src';
import { SyslogAuditSink, WebhookAuditSink } from '../../libs/delivery/src';
import { BACKENDS } from '../support/backends';
import { challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

const event = (i: number, severity: AuditEvent['severity'] = 'info'): AuditEvent => ({
  type: 'challenge.issued',
  at: Date.UTC(2026, 0, 1, 0, 0, i),
  severity,
  userId: `u${i}`,
  outcome: 'challenge',
});
const SYSLOG = /^<(\d+)>1 (\S+) (\S+) nestjs-mfa (\d+) (\S+) - (\{.*\})$/;

describe('syslog sink', () => {
  it('sends RFC 5424 lines over UDP', async () => {
    const server = createSocket('udp4');
    const received = new Promise<string>((resolve) => server.on('message', (msg) => resolve(msg.toString())));
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    const sink = new SyslogAuditSink({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    sink.emit(event(1, 'critical'));
    const line = await received;
    const [, pri, time, , , msgId, json] = line.match(SYSLOG)!;
    expect(Number(pri)).toBe(10 * 8 + 2); // authpriv.crit
    expect(time).toBe('2026-01-01T00:00:01.000Z');
    expect(msgId).toBe('challenge.issued');
    expect(JSON.parse(json)).toMatchObject({ type: 'challenge.issued', userId: 'u1', severity: 'critical' });
    sink.close();
    server.close();
  });

  it('frames lines with octet counting over TCP (RFC 6587)', async () => {
    let data = '';
    const server = createTcpServer((socket) => socket.on('data', (chunk) => (data += chunk)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sink = new SyslogAuditSink({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      protocol: 'tcp',
    });
    sink.emit(event(1));
    sink.emit(event(2, 'warning'));
    for (let i = 0; i < 50 && (data.match(/challenge\.issued -/g) ?? []).length < 2; i++)
      await new Promise((r) => setImmediate(r));
    const frames: string[] = [];
    for (let rest = data; rest;) {
      const space = rest.indexOf(' ');
      const length = Number(rest.slice(0, space));
      frames.push(rest.slice(space + 1, space + 1 + length));
      rest = rest.slice(space + 1 + length);
    }
    expect(frames).toHaveLength(2);
    expect(frames.map((f) => Number(f.match(SYSLOG)![1]))).toEqual([86, 84]);
    sink.close();
    server.close();
  });
});

describe('webhook sink', () => {
  let server: HttpServer;
  let url: string;
  const batches: AuditEvent[][] = [];
  let failuresLeft = 0;

  beforeEach(async () => {
    batches.length = 0;
    server = createHttpServer((req, res) => {
      let body = '';
      req
        .on('data', (c) => (body += c))
        .on('end', () => {
          if (failuresLeft-- > 0) return void res.writeHead(503).end();
          batches.push(JSON.parse(body));
          res.writeHead(204).end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/intake`;
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  it('batches, and retries a failing intake with backoff', async () => {
    failuresLeft = 2;
    const sink = new WebhookAuditSink({ url, batchSize: 100, retryBaseMs: 1 });
    for (let i = 0; i < 250; i++) sink.emit(event(i));
    await sink.flush();
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(sink.stats).toEqual({ sent: 250, dropped: 0, failedAttempts: 2 });
  });

  it('keeps a bounded buffer and counts what it drops; an unreachable intake never throws', async () => {
    const sink = new WebhookAuditSink({
      url: 'http://127.0.0.1:1/intake',
      maxBuffer: 10,
      maxAttempts: 2,
      retryBaseMs: 1,
    });
    for (let i = 0; i < 15; i++) sink.emit(event(i));
    await expect(sink.flush()).resolves.toBeUndefined();
    expect(sink.stats).toEqual({ sent: 0, dropped: 15, failedAttempts: 2 });
  });
});

describe.each(BACKENDS.map((b) => [b.name, b] as const))('audit trail on %s', (_name, backend) => {
  it('a sink that throws never changes an authentication', async () => {
    const t = await startTestApp(backend, 'nest', {
      audit: {
        emit: () => {
          throw new Error('SIEM down');
        },
      },
    });
    try {
      const { secret } = await signInEnrolled(t);
      const agent = await signIn(t);
      const id = await challengeFor(agent);
      await agent
        .post(`/mfa/challenges/${id}/verify`)
        .send({ method: 'totp', code: totpAt(secret, t.clock) })
        .expect(200);
    } finally {
      await t.close();
    }
  });

  it('the admin API searches the database trail by user, type and time, page by page', async () => {
    const t = await startTestApp(backend, 'express5', { audit: ['database', { emit: () => undefined }] });
    try {
      const { agent: admin, secret } = await signInEnrolled(t, 'alice');
      for (let i = 0; i < 3; i++) {
        t.clock.advance(30);
        const s = await signIn(t, 'alice');
        const id = await challengeFor(s);
        await s
          .post(`/mfa/challenges/${id}/verify`)
          .send({ method: 'totp', code: totpAt(secret, t.clock) })
          .expect(200);
      }
      // Audit writes are fire-and-forget (a sink never holds up a decision): wait until all three have landed.
      const all = async () =>
        (await admin.get('/mfa/admin/audit').query({ userId: 'u-alice', type: 'challenge.verified' }).expect(200)).body
          .events.length;
      for (let tries = 0; tries < 50 && (await all()) < 3; tries++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const first = await admin
        .get('/mfa/admin/audit')
        .query({ userId: 'u-alice', type: 'challenge.verified', limit: 2 })
        .expect(200);
      expect(first.body.events).toHaveLength(2);
      expect(
        first.body.events.every((e: AuditEvent) => e.type === 'challenge.verified' && e.userId === 'u-alice'),
      ).toBe(true);
      // ISO 8601 like every other time in the HTTP contract (the column stays epoch ms).
      expect(first.body.events[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(first.body.events[0].at)).toBeGreaterThan(Date.parse(first.body.events[1].at));
      const second = await admin
        .get('/mfa/admin/audit')
        .query({ userId: 'u-alice', type: 'challenge.verified', limit: 2, cursor: first.body.nextCursor })
        .expect(200);
      expect(second.body).toMatchObject({
        events: [expect.objectContaining({ type: 'challenge.verified' })],
        nextCursor: null,
      });
      const none = await admin
        .get('/mfa/admin/audit')
        .query({ from: new Date(t.clock.now() + 1000).toISOString() })
        .expect(200);
      expect(none.body.events).toEqual([]);
      await admin.get('/mfa/admin/audit').query({ limit: 'lots' }).expect(400);
      const bob = await signIn(t, 'bob');
      await bob.get('/mfa/admin/audit').expect(403);
    } finally {
      await t.close();
    }
  });
});
