// A token app (passport-jwt, no cookies) gets MFA as written in the README: a per-login
// `sid` keys the state, MFA's own endpoints authenticate with the host's guard, the guard
// order cannot open a route, and the authentication context reports what was verified.
import { AuthGuard } from '@nestjs/passport';
import request from 'supertest';
import { MfaEngine } from '../../libs/core/src';
import { JwtBillingController, startNestHost } from '../support/nest-hosts';
import { totpAt } from '../support/test-app';

type Host = Awaited<ReturnType<typeof startNestHost>>;

async function token(host: Host, path = '/auth/token'): Promise<string> {
  return `Bearer ${(await request(host.http).post(path).expect(200)).body.token}`;
}

describe('a passport-jwt app', () => {
  let host: Host;
  afterEach(() => host.close());

  it('enrolls, is challenged, verifies and retries with bearer tokens only', async () => {
    host = await startNestHost({
      controllers: [JwtBillingController],
      authGuards: [AuthGuard('jwt')],
      sessions: false,
    });
    const first = await token(host);
    const refused = await request(host.http).get('/billing-jwt').set('Authorization', first).expect(403);
    expect(refused.body.enroll).toEqual([{ method: 'totp', verb: 'POST', href: '/mfa/totp/enrollments' }]);
    await request(host.http).post('/mfa/totp/enrollments').send({}).expect(401); // the host's guard runs on MFA's endpoints
    const start = await request(host.http)
      .post('/mfa/totp/enrollments')
      .set('Authorization', first)
      .send({})
      .expect(201);
    await request(host.http)
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
      .set('Authorization', first)
      .send({ code: totpAt(start.body.secret, host.clock) })
      .expect(200);
    host.clock.advance(30);

    const second = await token(host); // a new sign-in: a new sid, no MFA state yet
    const challenge = await request(host.http).get('/billing-jwt').set('Authorization', second).expect(401);
    expect(challenge.body.code).toBe('MFA_REQUIRED');
    await request(host.http)
      .post(`/mfa/challenges/${challenge.body.challenge.id}/verify`)
      .set('Authorization', second)
      .send({ method: 'totp', code: totpAt(start.body.secret, host.clock) })
      .expect(200);
    await request(host.http).get('/billing-jwt').set('Authorization', second).expect(200);
    await request(host.http).get('/billing-jwt/mfa-guard-first').set('Authorization', second).expect(200);

    const sid = JSON.parse(Buffer.from(second.split('.')[1], 'base64url').toString()).sid;
    const context = await host.app.get(MfaEngine).authenticationContext({ userId: 'alice', sessionId: sid }, ['pwd']);
    expect(context).toEqual({
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'aal2',
      auth_time: Math.floor(host.clock.now() / 1000),
      factors: [{ factor: 'totp', verifiedAt: new Date(host.clock.now()).toISOString(), aal: 2 }],
    });
    const other = await host.app.get(MfaEngine).authenticationContext({ userId: 'alice', sessionId: 'another-sid' });
    expect(other).toEqual({ amr: [], acr: 'aal1', auth_time: null, factors: [] });
  });

  it('never serves a route because of guard order or a missing auth guard', async () => {
    host = await startNestHost({
      controllers: [JwtBillingController],
      authGuards: [AuthGuard('jwt')],
      sessions: false,
      appGuard: true,
    });
    const bearer = await token(host);
    // A global MfaGuard runs before the route's AuthGuard: it defers, and MFA is enforced after it.
    await request(host.http).get('/billing-jwt').set('Authorization', bearer).expect(403);
    await request(host.http).get('/billing-jwt/mfa-guard-first').set('Authorization', bearer).expect(403);
    const unguarded = await request(host.http)
      .get('/billing-jwt/no-auth-guard')
      .set('Authorization', bearer)
      .expect(401);
    expect(unguarded.body).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'auth_guard_not_run' });
  });

  it('names a token without a sid instead of a bare "sign in"', async () => {
    host = await startNestHost({
      controllers: [JwtBillingController],
      authGuards: [AuthGuard('jwt')],
      sessions: false,
    });
    const bearer = await token(host, '/auth/token-without-sid');
    const refused = await request(host.http).get('/billing-jwt').set('Authorization', bearer).expect(401);
    expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'token_without_sid' });
    await request(host.http)
      .post('/mfa/totp/enrollments')
      .set('Authorization', bearer)
      .send({})
      .expect(401)
      .expect((r) => expect(r.body.reason).toBe('token_without_sid'));
  });
});
