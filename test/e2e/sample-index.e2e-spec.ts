// Invariant: the sample tells a newcomer how to use it, and its /admin is what the name says.
// GET / answers the same index on every adapter, and every route it lists exists; /admin and
// /mfa/admin/* open for the admin only, and a password-only session meets the step-up before
// the role check, so it cannot learn from /admin which accounts are admins.
import request from 'supertest';
import { sampleBanner, sampleIndex, SAMPLE_ROUTES } from '../../sample-app/shared/sample-index';
import { BACKENDS } from '../support/backends';
import { startSampleApp } from '../support/sample-host';
import { ADAPTERS, signIn, signInEnrolled, TestApp } from '../support/test-app';

// The index never touches the store: SQLite is enough.
describe.each(ADAPTERS)('sample index and admin area via %s', (adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startSampleApp(BACKENDS[0], adapter)));
  afterEach(() => t.close());

  it('GET / answers the index to anyone, with how to sign in and who is an admin', async () => {
    const res = await request(t.http).get('/').expect(200);
    expect(res.body).toEqual(sampleIndex(false)); // the suites run without MFA_DEV_OUTBOX
    expect(res.body.signIn).toMatchObject({
      route: 'POST /auth/login',
      body: { username: 'alice', password: 'alice-password' },
    });
    expect(res.body.signIn.users.map((u: { username: string; admin: boolean }) => [u.username, u.admin])).toEqual([
      ['alice', true],
      ['bob', false],
    ]);
    await signIn(t, 'bob').then((bob) => bob.get('/').expect(200));
  });

  it('every route the index lists exists', async () => {
    for (const { route } of SAMPLE_ROUTES) {
      const [method, path] = route.split(' ');
      const res = await request(t.http)[method.toLowerCase() as 'get' | 'post'](path);
      expect([route, res.status]).not.toEqual([route, 404]);
    }
  });

  it('serves the OpenAPI document of the MFA endpoints, and a page of it under the pages CSP', async () => {
    const document = (await request(t.http).get('/openapi.json').expect(200)).body;
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/mfa/challenges/{challengeId}/verify'].post).toBeDefined();
    const page = await request(t.http).get('/docs').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('/mfa/challenges/{challengeId}/verify');
  });

  it('/admin: step-up first, then admins only', async () => {
    const bob = (await signInEnrolled(t, 'bob')).agent; // enrolling just verified TOTP in this session
    expect((await bob.get('/admin').expect(403)).body).toEqual({
      code: 'ADMIN_ONLY',
      message: 'Only admins may open this page.',
    });
    const bobPasswordOnly = await signIn(t, 'bob');
    expect((await bobPasswordOnly.get('/admin').expect(401)).body.code).toBe('MFA_REQUIRED');
    const alice = (await signInEnrolled(t, 'alice')).agent;
    expect((await alice.get('/admin').expect(200)).body).toMatchObject({ area: 'admin', user: { username: 'alice' } });
  });

  it('/mfa/admin/* agrees with /admin on who is an admin', async () => {
    const bob = (await signInEnrolled(t, 'bob')).agent;
    expect((await bob.get('/mfa/admin/users/u-alice').expect(403)).body.code).toBe('MFA_ADMIN_FORBIDDEN');
    const alice = (await signInEnrolled(t, 'alice')).agent;
    await alice.get('/mfa/admin/users/u-bob').expect(200);
  });
});

describe('sample start-up banner', () => {
  it('says where to sign in, with whom, and where the outbox and MFA endpoints are', () => {
    const banner = sampleBanner('nestjs-mfa sample', 'http://localhost:3000', true);
    expect(banner.split('\n')[0]).toBe('nestjs-mfa sample on http://localhost:3000'); // test/multi-instance waits for this line
    expect(banner).toContain('POST /auth/login {"username":"alice","password":"alice-password"}');
    expect(banner).toContain('alice/alice-password (admin), bob/bob-password');
    expect(banner).toContain('GET /dev/outbox');
    expect(banner).toContain('/mfa/admin/*');
    expect(sampleBanner('nestjs-mfa sample', 'http://localhost:3000', false)).not.toContain('GET /dev/outbox');
  });
});
