// Passkey ceremonies over HTTP, as a browser page would run them, with the software authenticator.
import type { Response } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { MfaOptions } from '../../libs/setup/src';
import { AssertOverrides, RegisterOverrides, SoftAuthenticator } from './soft-authenticator';

export const PASSKEY_ORIGIN = 'http://localhost:3000';

/** What the suites pass to turn passkeys on: the RP is the test host's `localhost`. */
export const PASSKEY_OPTIONS: Pick<MfaOptions, 'webauthn'> = {
  webauthn: { rpId: 'localhost', rpName: 'nestjs-mfa tests', origins: [PASSKEY_ORIGIN] },
};

export interface EnrolledPasskey {
  enrollmentId: string;
  credentialId: string;
  confirm: Response;
}

/** Starts and confirms a passkey registration; `expectStatus` for the confirmation (200 unless a test forges it). */
export async function enrollPasskey(
  agent: TestAgent,
  authenticator: SoftAuthenticator,
  {
    label,
    overrides,
    expectStatus = 200,
  }: { label?: string; overrides?: RegisterOverrides; expectStatus?: number } = {},
): Promise<EnrolledPasskey> {
  const start = await agent
    .post('/mfa/webauthn/enrollments')
    .send(label ? { label } : {})
    .expect(201);
  const response = authenticator.register(start.body.options, PASSKEY_ORIGIN, overrides);
  const confirm = await agent
    .post(`/mfa/webauthn/enrollments/${start.body.enrollmentId}/confirm`)
    .send({ response })
    .expect(expectStatus);
  return { enrollmentId: start.body.enrollmentId, credentialId: response.id, confirm };
}

/** Asks for the challenge's request options, then signs them: the assertion a browser would post. */
export async function passkeyAssertion(
  agent: TestAgent,
  challengeId: string,
  authenticator: SoftAuthenticator,
  overrides?: AssertOverrides,
): Promise<object> {
  const options = await agent.post(`/mfa/challenges/${challengeId}/webauthn`).send({});
  if (options.status !== 200) throw new Error(`passkey options: ${options.status} ${JSON.stringify(options.body)}`);
  return authenticator.assert(options.body.options, PASSKEY_ORIGIN, overrides);
}

/** Answers a challenge with a passkey; returns the verify response whatever its status. */
export async function verifyWithPasskey(
  agent: TestAgent,
  challengeId: string,
  authenticator: SoftAuthenticator,
  overrides?: AssertOverrides,
): Promise<Response> {
  const response = await passkeyAssertion(agent, challengeId, authenticator, overrides);
  return agent.post(`/mfa/challenges/${challengeId}/verify`).send({ method: 'webauthn', response });
}
