// Threat: a rolling deploy. Instance A already seals with the newest key (k2); instance B has
// not been given it yet. A user whose TOTP seed A sealed must not be told INVALID_CODE by B,
// nor be counted toward lockout for the operator's deploy order: B fails closed with
// 503 ENCRYPTION_KEY_UNAVAILABLE, audits the missing key id once, and the same challenge can
// still be answered wherever the key is present.
import { randomBytes } from 'node:crypto';
import session from 'express-session';
import request, { Response } from 'supertest';
import { useDeliveryServers } from '../support/delivery-servers';
import { PASSKEY_OPTIONS, PASSKEY_ORIGIN } from '../support/passkeys';
import { deliveryOptions } from '../support/sms-gateway';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { MATRIX, startTestApp, TEST_KEY, TestApp, totpAt } from '../support/test-app';

const k1 = { id: 'k1', key: TEST_KEY };
const k2 = { id: 'k2', key: randomBytes(32).toString('base64') };

/** One browser whose session cookie a load balancer may send to either instance. */
class Browser {
  private cookie = '';

  async send(app: TestApp, method: 'get' | 'post', path: string, body?: object): Promise<Response> {
    const req = request(app.http)[method](path).set('Cookie', this.cookie);
    const res = await (body ? req.send(body) : req);
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    if (set) this.cookie = set.map((c) => c.split(';')[0]).join('; ');
    return res;
  }

  async signIn(app: TestApp, username = 'alice'): Promise<this> {
    const res = await this.send(app, 'post', '/auth/login', { username, password: `${username}-password` });
    expect(res.status).toBe(200);
    return this;
  }
}

describe.each(MATRIX)('a key missing on one instance, on %s', (_name, backend, adapter) => {
  let a: TestApp; // deployed with k2
  let b: TestApp; // not yet
  let secret: string;
  let enrolled: Browser; // alice's session that bound TOTP, verified by it
  const servers = useDeliveryServers();
  const both = () => [a, b];
  const advance = (seconds: number) => both().forEach((t) => t.clock.advance(seconds));

  beforeEach(async () => {
    const sessions = new session.MemoryStore();
    // Counters in the shared database, as a fleet would have them: a count on B is a count on A.
    const common = {
      counters: 'database' as const,
      ...deliveryOptions(servers.gateway, servers.inbox),
      ...PASSKEY_OPTIONS,
    };
    a = await startTestApp(backend, adapter, { ...common, encryption: { keys: [k2, k1] } }, { sessionStore: sessions });
    b = await startTestApp(
      backend,
      adapter,
      { ...common, store: undefined, dataSource: a.store.dataSource, encryption: { keys: [k1] } },
      { keepSchema: true, sessionStore: sessions },
    );
    const enrolling = (enrolled = await new Browser().signIn(a));
    const start = await enrolling.send(a, 'post', '/mfa/totp/enrollments', {});
    expect(start.status).toBe(201);
    secret = start.body.secret;
    const confirm = await enrolling.send(a, 'post', `/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`, {
      code: totpAt(secret, a.clock),
    });
    expect(confirm.status).toBe(200);
    advance(30);
  });
  afterEach(async () => {
    await b?.close();
    await a?.close();
  });

  async function challengeOn(t: TestApp, browser: Browser): Promise<string> {
    const res = await browser.send(t, 'get', '/profile/security');
    expect(res.body.code).toBe('MFA_REQUIRED');
    return res.body.challenge.id;
  }

  const verify = (t: TestApp, browser: Browser, id: string, code: string) =>
    browser.send(t, 'post', `/mfa/challenges/${id}/verify`, { method: 'totp', code });

  it('answers the right code with 503 ENCRYPTION_KEY_UNAVAILABLE, audits the key once, and leaves the challenge answerable', async () => {
    const browser = await new Browser().signIn(b);
    const id = await challengeOn(b, browser);

    const refused = await verify(b, browser, id, totpAt(secret, b.clock));
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ statusCode: 503, code: 'ENCRYPTION_KEY_UNAVAILABLE' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Nothing about keys reaches the user.
    expect(JSON.stringify(refused.body)).not.toMatch(/k1|k2|keyId/);

    const [event, ...more] = b.audit.ofType('secret.key_unavailable');
    expect(more).toEqual([]);
    expect(event).toMatchObject({ severity: 'critical', channel: 'totp', userId: 'u-alice' });
    expect(event.reason).toContain('"k2"');
    const trail = JSON.stringify([...a.audit.events, ...b.audit.events]);
    expect(trail).not.toContain(k2.key);
    expect(trail).not.toContain(secret);
    for (const t of both()) {
      expect(t.audit.ofType('attempt.failed')).toEqual([]);
      expect(t.audit.ofType('lockout')).toEqual([]);
      expect(t.audit.ofType('secret.unreadable')).toEqual([]);
    }
    expect((await b.store.findChallenge(id))?.status).toBe('pending');

    // The same challenge, sent to the instance that holds k2, is still answered.
    const verified = await verify(a, browser, id, totpAt(secret, a.clock));
    expect(verified.status).toBe(200);
  });

  it('still tells a wrong code INVALID_CODE once the instance holds the key', async () => {
    const browser = await new Browser().signIn(a);
    const id = await challengeOn(a, browser);
    const wrong = await verify(a, browser, id, '000000');
    expect(wrong.body.code).toBe('INVALID_CODE');
    expect(a.audit.ofType('attempt.failed')).toHaveLength(1);
    expect(a.audit.ofType('secret.key_unavailable')).toEqual([]);
  });

  it('never counts the refusals toward lockout: more of them than the limit, then the user verifies', async () => {
    const browser = await new Browser().signIn(b);
    const id = await challengeOn(b, browser);
    const answers = [totpAt(secret, b.clock), '000000', '123456', totpAt(secret, b.clock), '999999', '111111'];
    for (const code of answers) {
      const res = await verify(b, browser, id, code);
      expect([res.status, res.body.code]).toEqual([503, 'ENCRYPTION_KEY_UNAVAILABLE']);
    }
    expect(b.audit.ofType('secret.key_unavailable')).toHaveLength(answers.length);
    for (const t of both()) expect(t.audit.ofType('attempt.locked')).toEqual([]);
    const verified = await verify(a, browser, id, totpAt(secret, a.clock));
    expect(verified.status).toBe(200);
  });

  it('refuses to confirm an authenticator app enrolled under the missing key, counting nothing, and it confirms where the key is', async () => {
    const bob = await new Browser().signIn(a, 'bob');
    const start = await bob.send(a, 'post', '/mfa/totp/enrollments', {}); // sealed under k2
    const path = `/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`;
    for (let i = 0; i < 6; i++) {
      const refused = await bob.send(b, 'post', path, { code: totpAt(start.body.secret, b.clock) });
      expect([refused.status, refused.body.code]).toEqual([503, 'ENCRYPTION_KEY_UNAVAILABLE']);
    }
    for (const t of both()) expect(t.audit.ofType('attempt.failed')).toEqual([]);
    expect((await bob.send(a, 'post', path, { code: totpAt(start.body.secret, a.clock) })).status).toBe(200);
  });

  it('refuses to confirm a passkey whose registration another instance issued under the missing key', async () => {
    const start = await enrolled.send(a, 'post', '/mfa/webauthn/enrollments', {}); // its challenge digested under k2
    expect(start.status).toBe(201);
    const response = new SoftAuthenticator().register(start.body.options, PASSKEY_ORIGIN);
    const path = `/mfa/webauthn/enrollments/${start.body.enrollmentId}/confirm`;
    for (let i = 0; i < 6; i++) {
      const refused = await enrolled.send(b, 'post', path, { response });
      expect([refused.status, refused.body.code]).toEqual([503, 'ENCRYPTION_KEY_UNAVAILABLE']);
    }
    for (const t of both()) expect(t.audit.ofType('attempt.failed')).toEqual([]);
    expect((await enrolled.send(a, 'post', path, { response })).status).toBe(200);
  });

  const bindSms = async (t: TestApp, browser: Browser, phone: string) => {
    const start = await browser.send(t, 'post', '/mfa/sms/enrollments', { phone });
    expect(start.status).toBe(201);
    const path = `/mfa/sms/enrollments/${start.body.enrollmentId}/confirm`;
    expect((await browser.send(t, 'post', path, { code: servers.gateway.lastCode() })).status).toBe(200);
  };

  it('answers an SMS code digested under the missing key with 503, and the code still works where the key is', async () => {
    await bindSms(b, enrolled, '+905321234512'); // the number sealed under k1, which both hold
    advance(60);
    const browser = await new Browser().signIn(a);
    const id = await challengeOn(a, browser);
    expect((await browser.send(a, 'post', `/mfa/challenges/${id}/send`, { method: 'sms' })).status).toBe(200);
    const code = servers.gateway.lastCode();

    const refused = await browser.send(b, 'post', `/mfa/challenges/${id}/verify`, { method: 'sms', code });
    expect([refused.status, refused.body.code]).toEqual([503, 'ENCRYPTION_KEY_UNAVAILABLE']);
    expect(b.audit.ofType('secret.key_unavailable')).toEqual([
      expect.objectContaining({ severity: 'critical', channel: 'sms', reason: expect.stringContaining('"k2"') }),
    ]);
    for (const t of both()) expect(t.audit.ofType('attempt.failed')).toEqual([]);
    const verified = await browser.send(a, 'post', `/mfa/challenges/${id}/verify`, { method: 'sms', code });
    expect(verified.status).toBe(200);
  });

  it('refuses to send to a number sealed under the missing key before any cooldown or cap is counted', async () => {
    await bindSms(a, await new Browser().signIn(a, 'bob'), '+905321234513'); // sealed under k2
    advance(60);
    const browser = await new Browser().signIn(b, 'bob');
    const id = await challengeOn(b, browser);
    const sent = servers.gateway.requests.length;
    const refused = await browser.send(b, 'post', `/mfa/challenges/${id}/send`, { method: 'sms' });
    expect([refused.status, refused.body.code]).toEqual([503, 'ENCRYPTION_KEY_UNAVAILABLE']);
    expect(b.audit.ofType('secret.key_unavailable')).toHaveLength(1);
    expect(servers.gateway.requests.length).toBe(sent);
    // Inside what would be the resend cooldown: nothing was counted on B.
    expect((await browser.send(a, 'post', `/mfa/challenges/${id}/send`, { method: 'sms' })).status).toBe(200);
  });
});
