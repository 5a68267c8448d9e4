import TestAgent from 'supertest/lib/agent';
import type { PolicyDocument } from '../../libs/core/src';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { TestApp, totpAt } from './test-app';

export const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0';
export const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

/** Payments (balance) accepts a trusted device; its transfer operation and /admin do not. */
export const DEVICE_POLICY: PolicyDocument = {
  ...FIXTURE_POLICY,
  services: {
    ...FIXTURE_POLICY.services,
    payments: { ...FIXTURE_POLICY.services!.payments, require: { any: true, allowTrustedDevice: true } },
  },
};

/** Answers a fresh challenge with TOTP and asks to trust the browser. */
export async function rememberThisBrowser(t: TestApp, agent: TestAgent, secret: string, path = '/payments') {
  const challenge = await agent.get(path).expect(401);
  t.clock.advance(30);
  return agent
    .post(`/mfa/challenges/${challenge.body.challenge.id}/verify`)
    .send({ method: 'totp', code: totpAt(secret, t.clock), rememberDevice: true })
    .expect(200);
}

/** Same browser (cookie jar), new session: what a user gets after signing in again. */
export async function signInAgain(agent: TestAgent, username = 'alice'): Promise<void> {
  await agent.post('/auth/logout').expect(200);
  await agent
    .post('/auth/login')
    .send({ username, password: `${username}-password` })
    .expect(200);
}
