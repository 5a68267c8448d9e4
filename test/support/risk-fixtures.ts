import type { PolicyDocument, RiskHistoryStore } from '../../libs/core/src';
import { InMemoryRiskHistoryStore } from '../../libs/core/src';
import type TestAgent from 'supertest/lib/agent';
import { TestApp, totpAt } from './test-app';

/**
 * MFA-optional on `/payments` until a sign-in looks risky (the built-in engine, on by default
 * because the policy reads risk); `/profile/security` always wants a factor. The rule's id
 * says nothing of risk, so a 401 body that mentioned risk could only have leaked it.
 */
export const RISK_POLICY: PolicyDocument = {
  continuous: { riskIncrease: 0.3 },
  services: { payments: {} },
  rules: [
    {
      id: 'step-up-unusual-sign-in',
      description: 'An unusual sign-in verifies a factor first',
      when: { minRisk: 0.5 },
      require: { any: true },
    },
  ],
};

export const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** The edge's headers for a request from `country` (the fixture trusts `cf-ipcountry`), from one browser. */
export const from = (country: string, coordinates?: { lat: number; lon: number }): Record<string, string> => ({
  'cf-ipcountry': country,
  'user-agent': FIREFOX_LINUX,
  ...(coordinates && { 'cf-iplatitude': String(coordinates.lat), 'cf-iplongitude': String(coordinates.lon) }),
});

/** Anything a 401 could leak the assessment by: the field names and every signal's name. */
export const RISK_LEAK =
  /riskSignals|"risk"|newCountry|unknownCountry|newDevice|impossibleTravel|unusualHour|failureBurst|untrustedIp|hostSignal|risk \d/;

/** A fresh session of an enrolled user, verified from `country`: what teaches the profile. */
export async function verifiedSignIn(
  t: TestApp,
  agent: TestAgent,
  secret: string,
  headers: Record<string, string>,
): Promise<void> {
  const challenge = await agent.get('/profile/security').set(headers).expect(401);
  await agent
    .post(`/mfa/challenges/${challenge.body.challenge.id}/verify`)
    .set(headers)
    .send({ method: 'totp', code: totpAt(secret, t.clock) })
    .expect(200);
  t.clock.advance(30); // the next code is a fresh time step
}

/** A profile store whose database is gone: every read fails like a dropped connection. */
export function unreachableHistory(): RiskHistoryStore {
  const store = new InMemoryRiskHistoryStore();
  const down = () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
  return Object.assign(store, { loadRiskProfile: down, saveRiskProfile: down });
}
