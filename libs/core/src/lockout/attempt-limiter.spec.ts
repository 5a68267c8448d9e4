import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import { InMemoryCounterStore } from '../counters/in-memory-counter.store';
import { MfaError } from '../errors/mfa.error';
import { AuditEvent } from '../ports/audit-sink.port';
import { AttemptLimiter } from './attempt-limiter';
import { createMfaContext } from '../engine/compose';
import type { LockoutEvent } from '../options/mfa-core.options';
import { SecurityNotices } from './security-notices';
import { MfaNotification } from '../ports/notifier.port';

function setup(lockout = {}) {
  const clock = new ManualClock();
  const events: AuditEvent[] = [];
  const lockouts: LockoutEvent[] = [];
  const ctx = createMfaContext({
    store: {} as never,
    encryption: { keys: [{ id: 'k', key: Buffer.alloc(32, 1).toString('base64') }] },
    counters: new InMemoryCounterStore(),
    clock,
    lockout: { onLockout: (e) => lockouts.push(e), ...lockout },
  });
  const notices: Array<Omit<MfaNotification, 'userId' | 'at'>> = [];
  const trail = new AuditTrail({ emit: (e) => void events.push(e) }, clock);
  const limiter = new AttemptLimiter(ctx, trail, new SecurityNotices(ctx, trail, (_who, n) => void notices.push(n)));
  const subject = { userId: 'u1', sessionId: 's1' };
  const wrong = (channel = 'totp') => limiter.attempt(subject, channel, async () => null).catch((e: MfaError) => e);
  const right = (channel = 'totp') => limiter.attempt(subject, channel, async () => true).catch((e: MfaError) => e);
  return { clock, limiter, lockouts, events, notices, wrong, right };
}

describe('AttemptLimiter', () => {
  it('locks a channel after its limit, and each repeat lock within a day lasts twice as long', async () => {
    const { clock, lockouts, wrong, right } = setup();
    for (let i = 0; i < 5; i++) expect(((await wrong()) as MfaError).code).toBe('INVALID_CODE');
    const first = (await right()) as MfaError;
    expect(first.code).toBe('MFA_LOCKED');
    expect(first.retryAfterSeconds).toBe(900);
    clock.advance(900);
    for (let i = 0; i < 5; i++) await wrong();
    expect(((await wrong()) as MfaError).retryAfterSeconds).toBe(1800);
    expect(lockouts.map((e) => [e.channel, e.strike, e.retryAfterSeconds])).toEqual([
      ['totp', 1, 900],
      ['totp', 2, 1800],
    ]);
  });

  it('a success clears the count', async () => {
    const { wrong, right } = setup();
    for (let i = 0; i < 4; i++) await wrong();
    expect(await right()).toBe(true);
    for (let i = 0; i < 4; i++) await wrong();
    expect(await right()).toBe(true);
  });

  it('caps consecutive failures across channels, including the app’s own', async () => {
    const { limiter, wrong, right, lockouts } = setup({ accountMaxAttempts: 8 });
    for (let i = 0; i < 4; i++) await wrong('totp');
    for (let i = 0; i < 3; i++) await wrong('backup_code');
    // The eighth consecutive failure reaches the cap: the account locks until the count's window ends.
    expect(await limiter.recordExternalFailure('u1', 'password')).toEqual({ locked: true, retryAfterSeconds: 86_400 });
    expect(lockouts.at(-1)).toMatchObject({ channel: 'account', strike: 2 });
    const locked = (await right('backup_code')) as MfaError;
    expect(locked.code).toBe('MFA_LOCKED');
    const status = await limiter.status('u1', ['totp', 'backup_code']);
    expect(status).toMatchObject({
      totp: { failures: 4 },
      backup_code: { failures: 3 },
      account: { failures: 8, lockedForSeconds: 86_400 },
    });
    await limiter.clear('u1', ['totp', 'backup_code', 'password']);
    expect((await limiter.status('u1', ['totp'])).account).toEqual({ failures: 0, lockedForSeconds: 0 });
  });

  it('never counts a refusal of a locked channel towards the account', async () => {
    const { limiter, wrong, right } = setup();
    for (let i = 0; i < 5; i++) await wrong('totp');
    for (let i = 0; i < 1000; i++) expect(((await wrong('totp')) as MfaError).code).toBe('MFA_LOCKED');
    expect((await limiter.status('u1', ['totp'])).account).toEqual({ failures: 5, lockedForSeconds: 0 });
    expect(await right('backup_code')).toBe(true);
  });

  it('spaces attempts out after 20 consecutive failures: 1 min, doubling, at most 15 min; a success clears it', async () => {
    const { clock, limiter, lockouts, wrong, right } = setup({ maxAttempts: 100 });
    for (let i = 0; i < 20; i++) expect(((await wrong()) as MfaError).code).toBe('INVALID_CODE');
    expect(lockouts).toEqual([{ userId: 'u1', channel: 'account', retryAfterSeconds: 60, strike: 1 }]);
    for (const waitSeconds of [60, 120, 240, 480, 900, 900]) {
      const refused = (await right()) as MfaError;
      expect([refused.code, refused.retryAfterSeconds]).toEqual(['MFA_LOCKED', waitSeconds]);
      expect((await limiter.status('u1', ['totp'])).account.lockedForSeconds).toBe(waitSeconds);
      clock.advance(waitSeconds);
      expect(((await wrong()) as MfaError).code).toBe('INVALID_CODE');
    }
    clock.advance(900);
    expect(await right()).toBe(true);
    expect((await limiter.status('u1', ['totp'])).account).toEqual({ failures: 0, lockedForSeconds: 0 });
    expect(((await wrong()) as MfaError).code).toBe('INVALID_CODE'); // no wait left behind
  });

  it('does not count a wrong password the account should have refused', async () => {
    const { limiter } = setup({ accountDelayAfter: 2 });
    expect(await limiter.recordExternalFailure('u1', 'password')).toEqual({ locked: false, retryAfterSeconds: 0 });
    expect(await limiter.recordExternalFailure('u1', 'password')).toEqual({ locked: true, retryAfterSeconds: 60 });
    for (let i = 0; i < 50; i++)
      expect(await limiter.recordExternalFailure('u1', 'password')).toEqual({ locked: true, retryAfterSeconds: 60 });
    expect((await limiter.status('u1', ['totp'])).account.failures).toBe(2);
  });

  it('tells the user once per hour of a burst and of a lock, and audits what it held back', async () => {
    const { clock, notices, events, wrong } = setup();
    for (let i = 0; i < 6; i++) await wrong('totp');
    expect(notices).toEqual([
      { type: 'attempts.burst', channel: 'totp' },
      { type: 'lockout', channel: 'totp' },
    ]);
    clock.advance(900);
    for (let i = 0; i < 6; i++) await wrong('totp');
    expect(notices).toHaveLength(2);
    expect(events.filter((e) => e.type === 'notification.suppressed').map((e) => e.reason)).toEqual([
      'attempts.burst',
      'lockout',
    ]);
    clock.advance(3600);
    for (let i = 0; i < 3; i++) await wrong('backup_code');
    expect(notices.at(-1)).toEqual({ type: 'attempts.burst', channel: 'backup_code' });
  });

  it('refuses an account cap above NIST’s 100', () => {
    expect(() => setup({ accountMaxAttempts: 101 })).toThrow(/at most 100/);
  });
});
