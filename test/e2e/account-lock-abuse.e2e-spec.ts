// Invariant: only evaluated attempts count towards the account — tries a locked channel
// refuses (16 or 1,000 of them) never lock the account — and consecutive evaluated failures
// slow the account down with growing waits instead of shutting the owner out for a day.
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';
import type { LockoutOptions } from '../../libs/core/src';

describe.each(MATRIX)('account lock abuse on %s', (_name, backend, adapter) => {
  let t: TestApp | undefined;
  const start = async (lockout: LockoutOptions = {}) => (t = await startTestApp(backend, adapter, { lockout }));
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('16, then 1,000 tries against a locked channel leave the account open; the owner gets in when the channel reopens', async () => {
    const app = await start();
    const { secret, backupCodes } = await signInEnrolled(app);
    const attacker = await signIn(app); // holds the password, not the phone
    const id = await challengeFor(attacker);
    const guess = () => attacker.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: '111111' });
    for (let i = 0; i < 5; i++) await guess().expect(401);
    for (let i = 0; i < 16; i++) expect((await guess().expect(429)).body.code).toBe('MFA_LOCKED');
    expect((await app.engine.lockoutStatus('u-alice')).account).toEqual({ failures: 5, lockedForSeconds: 0 });
    for (let batch = 0; batch < 20; batch++) {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => guess().then((r) => r.status)));
      expect(statuses.every((s) => s === 429)).toBe(true);
    }
    expect((await app.engine.lockoutStatus('u-alice')).account).toEqual({ failures: 5, lockedForSeconds: 0 });
    expect(app.audit.ofType('lockout').map((e) => e.channel)).toEqual(['totp']);

    // The account is open: the owner's backup code works at once, with TOTP still locked.
    const owner = await signIn(app);
    await owner
      .post(`/mfa/challenges/${await challengeFor(owner)}/verify`)
      .send({ method: 'backup_code', code: backupCodes[0] })
      .expect(200);
    // And once the channel lock (15 min) expires, the owner's TOTP code works too.
    app.clock.advance(901);
    const later = await signIn(app);
    await later
      .post(`/mfa/challenges/${await challengeFor(later)}/verify`)
      .send({ method: 'totp', code: totpAt(secret, app.clock) })
      .expect(200);
  });

  it('after 20 evaluated failures each attempt waits 1 min, then 2, 4 …; a right code inside a wait gets the same 429', async () => {
    const app = await start({ maxAttempts: 100 }); // channel locks out of the way: the account rule alone
    const { secret } = await signInEnrolled(app);
    const agent = await signIn(app);
    let id = await challengeFor(agent);
    const send = (code: string) => agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code });
    for (let i = 0; i < 20; i++) await send('111111').expect(401);
    expect(app.audit.ofType('lockout').map((e) => [e.channel, e.reason])).toEqual([['account', 'strike 1, 60s']]);
    for (const waitSeconds of [60, 120, 240]) {
      const wrong = await send('111111').expect(429);
      const right = await send(totpAt(secret, app.clock)).expect(429);
      expect(right.body).toEqual(wrong.body);
      expect(right.headers['retry-after']).toBe(String(waitSeconds));
      app.clock.advance(waitSeconds);
      id = await challengeFor(agent); // a new challenge whenever the old one has expired (10 min)
      await send('111111').expect(401);
    }
    expect(await app.engine.lockoutStatus('u-alice')).toMatchObject({
      account: { failures: 23, lockedForSeconds: 480 },
    });
    app.clock.advance(480);
    id = await challengeFor(agent);
    await send(totpAt(secret, app.clock)).expect(200);
    expect((await app.engine.lockoutStatus('u-alice')).account).toEqual({ failures: 0, lockedForSeconds: 0 });
  });

  it('locks the account only at the cap of consecutive evaluated failures, until the count’s window ends', async () => {
    const app = await start({ maxAttempts: 100, accountMaxAttempts: 8, accountWindowSeconds: 3600 });
    const { secret } = await signInEnrolled(app);
    const agent = await signIn(app);
    const id = await challengeFor(agent);
    for (let i = 0; i < 8; i++)
      await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: '111111' }).expect(401);
    const locked = await agent
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, app.clock) })
      .expect(429);
    expect(locked.headers['retry-after']).toBe('3600');
    expect(app.audit.ofType('lockout').map((e) => [e.channel, e.reason])).toEqual([['account', 'strike 2, 3600s']]);
    app.clock.advance(3600);
    const fresh = await signIn(app);
    await fresh
      .post(`/mfa/challenges/${await challengeFor(fresh)}/verify`)
      .send({ method: 'totp', code: totpAt(secret, app.clock) })
      .expect(200);
  });
});
