// Invariant: the sample's pretend country (the home page's `sample_country` cookie) reaches MFA
// as the edge's `cf-ipcountry` header only in development (MFA_DEV_OUTBOX=1, never under
// NODE_ENV=production), only when the request has no such header of its own, and only as two
// capital letters. Anywhere else the cookie is the client's word and means nothing: it cannot
// move a request into or out of a country the policy names (the sample denies KP).
import request from 'supertest';
import { BACKENDS } from '../support/backends';
import { startSampleApp } from '../support/sample-host';
import { ADAPTERS, TestApp, signIn } from '../support/test-app';

const embargoed = 'sample_country=KP';
// What alice, signed in with no factor yet, meets on /payments from anywhere but KP.
const ENROLL_FIRST = 'MFA_ENROLLMENT_REQUIRED';

describe.each(ADAPTERS)('the sample country simulation via %s', (adapter) => {
  let t: TestApp | undefined;
  const saved = { outbox: process.env.MFA_DEV_OUTBOX, env: process.env.NODE_ENV };
  const restore = (name: 'MFA_DEV_OUTBOX' | 'NODE_ENV', value: string | undefined) =>
    value === undefined ? delete process.env[name] : (process.env[name] = value);
  const stderr = process.stderr.write.bind(process.stderr);

  afterEach(async () => {
    await t?.close();
    t = undefined;
    restore('MFA_DEV_OUTBOX', saved.outbox);
    restore('NODE_ENV', saved.env);
    process.stderr.write = stderr;
  });

  /** The sample built with the environment as given; NODE_ENV goes back at once so cookies work over plain HTTP. */
  async function start(env: { outbox?: '1'; production?: true }): Promise<TestApp> {
    restore('MFA_DEV_OUTBOX', env.outbox);
    if (env.production) {
      process.env.NODE_ENV = 'production';
      process.stderr.write = (() => true) as typeof process.stderr.write; // "MFA_DEV_OUTBOX is ignored…"
    }
    t = await startSampleApp(BACKENDS[0], adapter);
    restore('NODE_ENV', saved.env);
    return t;
  }

  it('in development, the cookie is the country MFA decides with, unless the request has its own header', async () => {
    const app = await start({ outbox: '1' });
    const alice = await signIn(app);
    const denied = await alice.get('/payments').set('Cookie', embargoed).expect(403);
    expect(denied.body).toMatchObject({ code: 'MFA_DENIED', ruleId: 'embargoed-countries' });
    // The request's own header wins, as an edge's would.
    const edge = await alice.get('/payments').set('Cookie', embargoed).set('cf-ipcountry', 'DE');
    expect(edge.body.code).toBe(ENROLL_FIRST);
    for (const malformed of ['kp', 'KPX', 'K', '%4B%50%0A', '../KP']) {
      const res = await alice.get('/payments').set('Cookie', `sample_country=${malformed}`);
      expect([malformed, res.body.code]).toEqual([malformed, ENROLL_FIRST]);
    }
    // The home page offers the control and says what this very request carried.
    const home = await request(app.http).get('/ui').set('Cookie', 'sample_country=BR').expect(200);
    expect(home.text).toContain('Simulate where you are (development only)');
    expect(home.text).toContain('reached MFA from Brazil');
  });

  it('outside development the cookie is ignored, and the home page offers no control', async () => {
    const app = await start({});
    const alice = await signIn(app);
    expect((await alice.get('/payments').set('Cookie', embargoed)).body.code).toBe(ENROLL_FIRST);
    await alice.get('/payments').set('cf-ipcountry', 'KP').expect(403); // the edge's header still counts
    const home = await request(app.http).get('/ui').set('Cookie', 'sample_country=BR').expect(200);
    expect(home.text).not.toContain('Simulate where you are');
    expect(home.text).not.toContain('sample_country');
  });

  // The middleware hangs on the same switch as the outbox, which production turns off; a session
  // cannot be shown here (its cookie is Secure under production, and the suite speaks plain HTTP).
  it('under NODE_ENV=production development mode stays off even with MFA_DEV_OUTBOX=1', async () => {
    const app = await start({ outbox: '1', production: true });
    const home = await request(app.http).get('/ui').set('Cookie', 'sample_country=BR').expect(200);
    expect(home.text).not.toContain('Simulate where you are');
    await request(app.http).get('/dev/outbox').expect(404);
  });
});
