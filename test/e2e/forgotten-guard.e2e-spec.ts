// A route carrying MFA metadata is never served unprotected: with MfaModule imported and no
// APP_GUARD line, with MfaGuard placed in a feature module that does not see MfaModule, or
// with the guard placed twice, every @RequireMfa() route still challenges and then passes.
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { MfaGuard, RequireMfa } from '../../libs/nest/src';
import { BillingController, startNestHost } from '../support/nest-hosts';
import { totpAt } from '../support/test-app';

@Controller('reports')
class FeatureController {
  @Get()
  @UseGuards(MfaGuard)
  @RequireMfa()
  list() {
    return { reports: true };
  }
}

@Module({ controllers: [FeatureController] })
class FeatureModule {}

type Host = Awaited<ReturnType<typeof startNestHost>>;

async function signIn(host: Host): Promise<TestAgent> {
  const agent = request.agent(host.http);
  await agent.post('/auth/session').expect(200);
  return agent;
}

/** Enrolls TOTP in one session; a new sign-in then starts with no MFA state. */
async function enrolled(host: Host): Promise<{ agent: TestAgent; secret: string }> {
  const first = await signIn(host);
  const start = await first.post('/mfa/totp/enrollments').send({}).expect(201);
  await first
    .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
    .send({ code: totpAt(start.body.secret, host.clock) })
    .expect(200);
  host.clock.advance(30);
  return { agent: await signIn(host), secret: start.body.secret };
}

async function challengeThenPass(host: Host, agent: TestAgent, secret: string, path: string): Promise<void> {
  const refused = await agent.get(path).expect(401);
  expect(refused.body.code).toBe('MFA_REQUIRED');
  await agent
    .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
    .send({ method: 'totp', code: totpAt(secret, host.clock) })
    .expect(200);
  await agent.get(path).expect(200);
}

describe('a forgotten or misplaced MfaGuard', () => {
  let host: Host;
  afterEach(() => host.close());

  it('MfaModule.forRoot + @RequireMfa() without an APP_GUARD line still enforces', async () => {
    host = await startNestHost({ controllers: [BillingController] });
    await request(host.http)
      .get('/billing')
      .expect(401)
      .expect((r) => expect(r.body).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'not_signed_in' }));
    const fresh = await signIn(host);
    const refused = await fresh.get('/billing').expect(403);
    expect(refused.body).toMatchObject({
      code: 'MFA_ENROLLMENT_REQUIRED',
      reason: 'no_factor',
      enroll: [{ method: 'totp', verb: 'POST', href: '/mfa/totp/enrollments' }],
    });
    const { agent, secret } = await enrolled(host);
    await challengeThenPass(host, agent, secret, '/billing');
  });

  it('@UseGuards(MfaGuard) in a feature module boots without isGlobal and enforces', async () => {
    host = await startNestHost({ controllers: [], imports: [FeatureModule] });
    const { agent, secret } = await enrolled(host);
    await challengeThenPass(host, agent, secret, '/reports');
  });

  it('a guard placed both globally and on the route checks once and passes', async () => {
    host = await startNestHost({ controllers: [BillingController, FeatureController], appGuard: true });
    const { agent, secret } = await enrolled(host);
    await challengeThenPass(host, agent, secret, '/reports');
    await agent.get('/billing').expect(200);
    expect(host.audit.ofType('challenge.issued')).toHaveLength(1);
  });
});
