// A trusted device waives only what the policy lets it waive: a service that allows the
// shortcut skips the challenge, while /admin (a maxAge step-up) and a transfer (a chain
// ending in a single-use grant) still challenge, and the verify answer says exactly where the
// device counts (possibly nowhere). The cookie is HttpOnly, SameSite, Secure whenever the
// request came over HTTPS, and the fingerprint survives a language change but not a new browser.
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { CHROME_WINDOWS, DEVICE_POLICY, FIREFOX_LINUX, rememberThisBrowser, signInAgain } from '../support/devices';
import { MATRIX, TestApp, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('trusted device shortcut on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  async function enrolledOnFirefox(): Promise<{ agent: TestAgent; secret: string }> {
    const { agent, secret } = await signInEnrolled(t);
    agent.set('User-Agent', FIREFOX_LINUX);
    await signInAgain(agent);
    return { agent, secret };
  }

  it('skips a service that allows it, but not /admin or a transfer grant', async () => {
    t = await startTestApp(backend, adapter, { policy: DEVICE_POLICY, trustedDeviceCookie: { secure: false } });
    const { agent, secret } = await enrolledOnFirefox();
    const verified = await rememberThisBrowser(t, agent, secret);
    expect(verified.body.trustedDevice).toMatchObject({
      label: 'Firefox on Linux',
      id: expect.any(String),
      waives: ['service payments'],
    });
    expect(JSON.stringify(verified.body)).not.toMatch(/cookieValue/);

    await signInAgain(agent);
    await agent.get('/payments').expect(200);
    const admin = await agent.get('/admin').expect(401);
    expect(admin.body.code).toBe('MFA_REQUIRED');
    const transfer = await agent.post('/payments/transfer').send({}).expect(401);
    expect(transfer.body.challenge.requirement.steps[0]).toEqual({ factors: ['totp'] });
    expect((await agent.get('/mfa/devices').expect(200)).body.devices).toEqual([
      expect.objectContaining({ label: 'Firefox on Linux', current: true }),
    ]);
  });

  it('sets an HttpOnly, SameSite cookie, Secure when asked to, and none when the policy forbids remembering', async () => {
    t = await startTestApp(backend, adapter, { policy: DEVICE_POLICY, trustedDeviceCookie: { secure: true } });
    const { agent, secret } = await enrolledOnFirefox();
    const verified = await rememberThisBrowser(t, agent, secret);
    const cookie = String(verified.headers['set-cookie'] ?? '');
    expect(cookie).toMatch(/mfa_device=[0-9a-f-]{36}\.[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=2592000/);
    await t.close();

    // The default leaves out Secure only for plain HTTP to localhost: a host behind a TLS proxy keeps it.
    t = await startTestApp(backend, adapter, { policy: DEVICE_POLICY });
    const proxied = await enrolledOnFirefox();
    proxied.agent.set('Host', 'app.example.com');
    const behindProxy = await rememberThisBrowser(t, proxied.agent, proxied.secret);
    const deviceCookie = ([] as string[])
      .concat(behindProxy.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('mfa_device='));
    expect(deviceCookie).toMatch(/; Secure/);
    await t.close();

    // Local development: this plain-HTTP request to 127.0.0.1 gets a cookie it can send back.
    t = await startTestApp(backend, adapter, { policy: DEVICE_POLICY });
    const plain = await enrolledOnFirefox();
    const overHttp = await rememberThisBrowser(t, plain.agent, plain.secret);
    expect(String(overHttp.headers['set-cookie'])).toMatch(/^mfa_device=.*HttpOnly/);
    expect(String(overHttp.headers['set-cookie'])).not.toMatch(/Secure/);
    await signInAgain(plain.agent);
    await plain.agent.get('/payments').expect(200);
    await t.close();

    t = await startTestApp(backend, adapter, {
      policy: { ...DEVICE_POLICY, devices: { remember: false } },
      trustedDeviceCookie: { secure: false },
    });
    const second = await enrolledOnFirefox();
    const refused = await rememberThisBrowser(t, second.agent, second.secret);
    expect(String(refused.headers['set-cookie'] ?? '')).not.toMatch(/mfa_device=/); // the renewed session's cookie only
    expect(refused.body).toMatchObject({ trustedDevice: null, deviceNotRemembered: 'policy_disallows' });
  });

  it('says the device waives nothing when no route or policy step accepts one', async () => {
    const strict = {
      ...DEVICE_POLICY,
      services: {
        ...DEVICE_POLICY.services,
        payments: { ...DEVICE_POLICY.services!.payments, require: 'any' as const },
      },
    };
    t = await startTestApp(backend, adapter, { policy: strict });
    const { agent, secret } = await enrolledOnFirefox();
    const verified = await rememberThisBrowser(t, agent, secret);
    expect(verified.body.trustedDevice.waives).toEqual([]);
  });

  it('keeps trusting after an Accept-Language change, but a different browser voids the device', async () => {
    t = await startTestApp(backend, adapter, { policy: DEVICE_POLICY, trustedDeviceCookie: { secure: false } });
    const { agent, secret } = await enrolledOnFirefox();
    await rememberThisBrowser(t, agent, secret);
    await signInAgain(agent);
    await agent.get('/payments').set('Accept-Language', 'tr-TR,tr;q=0.9').expect(200);
    await agent.get('/payments').set('User-Agent', FIREFOX_LINUX.replace('131.0', '132.0')).expect(200); // an update is the same browser

    await agent.get('/payments').set('User-Agent', CHROME_WINDOWS).expect(401);
    expect(t.audit.ofType('device.revoked')[0].reason).toMatch(/the browser no longer matches/);
    await agent.get('/payments').expect(401); // voided for good, not just for that request
  });

  it('never issues a device from a single-use grant', async () => {
    t = await startTestApp(backend, adapter, { policy: DEVICE_POLICY, trustedDeviceCookie: { secure: false } });
    const { agent, secret } = await signInEnrolled(t);
    const transfer = await agent.post('/payments/transfer').send({}).expect(401);
    t.clock.advance(30);
    const grant = await agent
      .post(`/mfa/challenges/${transfer.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock), rememberDevice: true })
      .expect(200);
    expect(grant.body).toMatchObject({ singleUse: true });
    expect(grant.body).toMatchObject({ trustedDevice: null, deviceNotRemembered: 'single_use_grant' });
    expect(await request(t.http).get('/mfa/devices').expect(401)).toBeTruthy(); // anonymous: no list
  });
});
