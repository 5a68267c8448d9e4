// Invariant: SMS and email codes go through the client's helpers with the server's cooldown
// intact: a resend inside it is a typed MfaRateLimitedError carrying the wait, and the
// countdown the client offers counts down to the server's `resendAvailableAt`.
import { MfaRateLimitedError } from '../../src/client';
import { useDeliveryServers } from '../support/delivery-servers';
import { deliveryOptions } from '../support/sms-gateway';
import { ClientHarness, startClientHarness } from './client-harness';

describe('client SMS and email codes', () => {
  let h: ClientHarness;
  const servers = useDeliveryServers();
  beforeEach(async () => (h = await startClientHarness('nest', deliveryOptions(servers.gateway, servers.inbox))));
  afterEach(() => h.close());

  const now = () => h.t.clock.now();

  it('binds a phone: send, a refused early resend, the countdown, a resend after it, confirm', async () => {
    const mfa = (await h.browser('bob')).client({ now });
    const start = await mfa.enrollments.startSms('+90 532 123 45 12', 'Work phone');
    expect(start).toMatchObject({ method: 'sms', sentTo: '+90 *** *** **12', enrollmentId: expect.any(String) });

    const early = await mfa.enrollments.resendSms(start.enrollmentId).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(MfaRateLimitedError);
    expect(early).toMatchObject({ code: 'RESEND_TOO_SOON', status: 429 });
    const wait = (early as MfaRateLimitedError).retryAfterSeconds!;
    expect(wait).toBeGreaterThan(0);

    const ticks: number[] = [];
    mfa.countdown(start.resendAvailableAt, (left) => ticks.push(left))();
    expect(ticks).toEqual([Math.ceil((Date.parse(start.resendAvailableAt) - now()) / 1000)]);
    expect(ticks[0]).toBe(wait);

    h.t.clock.advance(wait);
    const resent = await mfa.enrollments.resendSms(start.enrollmentId);
    expect(resent.enrollmentId).toBe(start.enrollmentId);
    const confirmed = await mfa.enrollments.confirmSms(start.enrollmentId, servers.gateway.lastCode());
    expect(confirmed.factor).toMatchObject({ type: 'sms', status: 'active', label: 'Work phone' });
    expect(confirmed.backupCodes).toHaveLength(10);
  });

  it('answers a step-up by SMS: onChallenge has the code sent, then hands it back', async () => {
    const bob = (await h.browser('bob')).client();
    const start = await bob.enrollments.startSms('+905321234512');
    await bob.enrollments.confirmSms(start.enrollmentId, servers.gateway.lastCode());
    h.t.clock.advance(60);

    const browser = await h.browser('bob');
    const mfa = browser.client({
      onChallenge: async (challenge, { client }) => {
        const sms = challenge.methods.find((m) => m.type === 'sms');
        expect(sms).toMatchObject({ enrollments: [expect.objectContaining({ maskedTarget: '+90 *** *** **12' })] });
        const sent = await client.challenges.send(challenge.id, 'sms');
        expect(sent).toMatchObject({
          method: 'sms',
          sentTo: '+90 *** *** **12',
          resendAvailableAt: expect.any(String),
        });
        const again = await client.challenges.send(challenge.id, 'sms').catch((e: unknown) => e);
        expect(again).toMatchObject({ name: 'MfaRateLimitedError', code: 'RESEND_TOO_SOON' });
        return { method: 'sms', code: servers.gateway.lastCode() };
      },
    });
    const res = await mfa.fetch('/profile/security');
    expect(res.status).toBe(200);
  });

  it('binds an email address, with a resend after the cooldown', async () => {
    const mfa = (await h.browser('bob')).client();
    const start = await mfa.enrollments.startEmail('bob.mail@example.com');
    expect(start).toMatchObject({ method: 'email', sentTo: 'b***@example.com' });
    h.t.clock.advance((Date.parse(start.resendAvailableAt) - h.t.clock.now()) / 1000);
    await mfa.enrollments.resendEmail(start.enrollmentId);
    const code = await servers.inbox.lastCode('bob.mail@example.com', 2);
    const confirmed = await mfa.enrollments.confirmEmail(start.enrollmentId, code);
    expect(confirmed.factor).toMatchObject({ type: 'email', status: 'active' });
  });
});
