// Invariant: `mfa.fetch` meets a 401 MFA_REQUIRED by asking onChallenge once, verifying, and
// sending the original request again once; a wrong code, a lockout or a cancel is a typed
// error (never a loop), and every answer that is not MFA_REQUIRED comes back untouched.
import {
  ChallengeAnswer,
  MfaChallengeCancelledError,
  MfaClientError,
  MfaInvalidCodeError,
  MfaLockedError,
  OnChallenge,
} from '../../src/client';
import type { ChallengeView } from '../../src/client';
import { totpAt } from '../support/test-app';
import { ClientHarness, enrollTotp, startClientHarness } from './client-harness';

describe.each(['nest', 'express5'] as const)('client step-up via %s', (adapter) => {
  let h: ClientHarness;
  let secret: string;
  let backupCodes: string[];
  beforeEach(async () => {
    h = await startClientHarness(adapter);
    ({ secret, backupCodes } = await enrollTotp(h, (await h.browser('alice')).client()));
  });
  afterEach(() => h.close());

  const totp = (): ChallengeAnswer => ({ method: 'totp', code: totpAt(secret, h.t.clock) });
  const answering = (...answers: Array<ChallengeAnswer | null>) => {
    const seen: ChallengeView[] = [];
    const onChallenge = jest.fn<ReturnType<OnChallenge>, Parameters<OnChallenge>>(async (challenge) => {
      seen.push(challenge);
      return answers.shift() ?? null;
    });
    return { onChallenge, seen };
  };

  it('enrolled through the client, a new session steps up once and gets the page', async () => {
    const browser = await h.browser('alice');
    const { onChallenge, seen } = answering(totp());
    const res = await browser.client({ onChallenge }).fetch('/profile/security');

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ note: 'You verified a second factor in this session.' });
    expect(onChallenge).toHaveBeenCalledTimes(1);
    expect(seen[0]).toMatchObject({
      id: expect.any(String),
      requirement: { steps: [expect.objectContaining({ factors: expect.arrayContaining(['totp']) })] },
      methods: expect.arrayContaining([{ type: 'backup_code', remaining: 10 }]),
    });
    expect(browser.fetch.sent).toEqual([
      'GET /profile/security',
      `POST /mfa/challenges/${seen[0].id}/verify`,
      'GET /profile/security',
    ]);
  });

  it('answers a wrong code with MfaInvalidCodeError, without a second prompt or retry', async () => {
    const browser = await h.browser('alice');
    const { onChallenge } = answering({ method: 'totp', code: '000000' }, totp());
    const refused = await browser
      .client({ onChallenge })
      .fetch('/profile/security')
      .catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(MfaInvalidCodeError);
    expect(refused).toMatchObject({ code: 'INVALID_CODE', status: 401, name: 'MfaInvalidCodeError' });
    expect(onChallenge).toHaveBeenCalledTimes(1);
    expect(browser.fetch.sent.filter((s) => s === 'GET /profile/security')).toHaveLength(1);
  });

  it('asks again after a wrong code when maxPrompts allows, telling onChallenge why', async () => {
    const browser = await h.browser('alice');
    const { onChallenge } = answering({ method: 'totp', code: '000000' }, totp());
    const res = await browser.client({ onChallenge, maxPrompts: 3 }).fetch('/profile/security');

    expect(res.status).toBe(200);
    expect(onChallenge).toHaveBeenCalledTimes(2);
    expect(onChallenge.mock.calls[1][1]).toMatchObject({ attempt: 2, error: expect.any(MfaInvalidCodeError) });
  });

  it('turns a null answer into MfaChallengeCancelledError and does not retry', async () => {
    const browser = await h.browser('alice');
    const { onChallenge, seen } = answering(null);
    const cancelled = await browser
      .client({ onChallenge })
      .fetch('/profile/security')
      .catch((e: unknown) => e);

    expect(cancelled).toBeInstanceOf(MfaChallengeCancelledError);
    expect((cancelled as MfaClientError).challenge?.id).toBe(seen[0].id);
    expect(browser.fetch.sent).toEqual(['GET /profile/security']);
  });

  it('reports the lockout as MfaLockedError with retryAfterSeconds', async () => {
    const browser = await h.browser('alice');
    const mfa = browser.client({ onChallenge: async () => ({ method: 'totp', code: '000000' }) });
    for (let i = 0; i < 5; i++)
      await expect(mfa.fetch('/profile/security')).rejects.toBeInstanceOf(MfaInvalidCodeError);
    const locked = await mfa.fetch('/profile/security').catch((e: unknown) => e);

    expect(locked).toBeInstanceOf(MfaLockedError);
    expect(locked).toMatchObject({ code: 'MFA_LOCKED', status: 429 });
    expect((locked as MfaLockedError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('takes a backup code as the answer', async () => {
    const browser = await h.browser('alice');
    const { onChallenge } = answering({ method: 'backup_code', code: backupCodes[0] });
    expect((await browser.client({ onChallenge }).fetch('/profile/security')).status).toBe(200);
  });

  it('meets the layers in turn: a transfer asks for the service, then a single-use code, then goes through', async () => {
    const browser = await h.browser('alice');
    const { onChallenge, seen } = answering(totp(), { method: 'backup_code', code: backupCodes[1] });
    const res = await browser.client({ onChallenge }).fetch('/payments/transfer', { method: 'POST' });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ transferred: true });
    expect(seen.map((c) => c.ruleId)).toEqual(['service:payments', 'operation:payments/transfer']);
    expect(seen[1].requirement.steps).toEqual([{ factors: ['backup_code', 'totp'], maxAge: 0 }]);
    expect(browser.fetch.sent.filter((s) => s === 'POST /payments/transfer')).toHaveLength(3);
  });

  it('steps up inside a helper: a change that needs a recent verification prompts, then succeeds', async () => {
    const browser = await h.browser('alice');
    const { onChallenge } = answering(totp());
    const { backupCodes: fresh } = await browser.client({ onChallenge }).backupCodes.regenerate();

    expect(fresh).toHaveLength(10);
    expect(onChallenge).toHaveBeenCalledTimes(1);
  });

  it('throws MFA_REQUIRED with its challenge from a helper when nobody can answer', async () => {
    const browser = await h.browser('alice');
    const refused = await browser
      .client()
      .backupCodes.regenerate()
      .catch((e: unknown) => e);

    expect(refused).toBeInstanceOf(MfaClientError);
    expect(refused).toMatchObject({ code: 'MFA_REQUIRED', status: 401, challenge: { id: expect.any(String) } });
  });

  it('passes non-MFA answers through untouched: the app 401, 403 and a plain 401 without onChallenge', async () => {
    const { onChallenge } = answering(totp());
    const signedOut = (await h.browser('alice')).client({ onChallenge });
    await signedOut.fetch('/auth/logout', { method: 'POST' });
    const unauthenticated = await signedOut.fetch('/profile/security');
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).not.toMatchObject({ code: 'MFA_REQUIRED' });

    const wrongPassword = await signedOut.fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'nope' }),
    });
    expect(wrongPassword.status).toBe(401);
    expect(await wrongPassword.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    // bob verifies on enrolling, so /admin's step-up passes and the app's own role check answers.
    const bob = (await h.browser('bob')).client({ onChallenge });
    await enrollTotp(h, bob);
    const forbidden = await bob.fetch('/admin');
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'ADMIN_ONLY' });
    expect(onChallenge).not.toHaveBeenCalled();

    const unanswered = await (await h.browser('alice')).client().fetch('/profile/security');
    expect(unanswered.status).toBe(401);
    expect(await unanswered.json()).toMatchObject({ code: 'MFA_REQUIRED', challenge: { id: expect.any(String) } });
  });
});
