// What a verified request teaches and the baseline it leaves; requests with no country; the
// fast path's ceiling; and a report-only version that reads risk.
import { ManualClock } from '../clock/clock';
import { compilePolicy } from '../policy/compile-policy';
import { decide } from '../policy/decide';
import { InMemoryRiskHistoryStore } from './in-memory-risk-history.store';
import { alice, FIREFOX_LINUX, from, SAFARI_IPHONE, setup } from '../../../../test/support/risk-engine-world';

describe('RiskEngine lessons: what a verified request teaches, and the baseline it leaves', () => {
  it('scores the baseline after learning: the new country and the trip there no longer count', async () => {
    const { clock, engine, verifiedFrom, assess } = setup();
    await verifiedFrom('198.51.100.7'); // Berlin
    clock.advance(3600);
    const paris = await from('2001:db8::5');
    expect((await engine.assess(alice, paris)).risk).toBe(0.5); // what the challenge was answered at
    const lesson = await engine.lesson(alice, paris, true);
    expect(lesson.context).toMatchObject({ risk: 0, riskSignals: {} }); // the baseline: nothing left unusual
    expect(await engine.remember(lesson)).toBe(true);
    expect((await assess('2001:db8::5')).risk).toBe(0);
  });

  it('keeps in the baseline what persists: an untrusted network, the host signal', async () => {
    const { engine, verifiedFrom } = setup({ untrustedIps: ['2001:db8::/32'] });
    await verifiedFrom('198.51.100.7');
    const lesson = await engine.lesson(alice, { ...(await from('2001:db8::5')), risk: 0.1 }, true);
    expect(lesson.context).toMatchObject({ risk: 0.7, riskSignals: { untrustedIp: true, hostSignal: 0.1 } });
  });

  it('leaves the context as it came when no policy reads risk (only learning)', async () => {
    const { engine } = setup({ enabled: true });
    const context = { ...(await from('198.51.100.7')), risk: 0.2 };
    expect((await engine.lesson(alice, context, false)).context).toBe(context);
  });

  it('writes nothing when the profile was reset after the lesson read it, and forgets its cached copy', async () => {
    const history = new InMemoryRiskHistoryStore();
    const { clock, engine, verifiedFrom, assess } = setup({}, history);
    await verifiedFrom('198.51.100.7');
    clock.advance(60);
    const lesson = await engine.lesson(alice, await from('203.0.113.9'), true);
    await history.forgetRiskProfile(alice.userId); // an admin's reset, on another instance
    expect(await engine.remember(lesson)).toBe(false);
    expect(await history.loadRiskProfile(alice.userId)).toBeUndefined();
    expect((await assess('203.0.113.9')).riskSignals).toEqual({}); // read again: a first sign-in
  });
});

describe('the in-memory history store', () => {
  it('writes only over the profile a lesson was learned from', async () => {
    const store = new InMemoryRiskHistoryStore();
    const profile = (updatedAt: number) => ({ userId: 'u', deviceFamilies: {}, countries: {}, hours: [], updatedAt });
    expect(await store.saveRiskProfile(profile(1), null)).toBe(true);
    expect(await store.saveRiskProfile(profile(2), null)).toBe(false); // one exists now
    expect(await store.saveRiskProfile(profile(2), 7)).toBe(false); // not the one stored
    expect(await store.saveRiskProfile(profile(2), 1)).toBe(true);
    await store.forgetRiskProfile('u');
    expect(await store.saveRiskProfile(profile(3), 2)).toBe(false); // a reset stays a reset
    expect(await store.loadRiskProfile('u')).toBeUndefined();
  });
});

describe('RiskEngine: a request with no country', () => {
  it('raises unknownCountry once the user has verified from a country, and not before', async () => {
    const { engine, learn } = setup();
    const nowhere = { client: { ip: '192.0.2.1', userAgent: FIREFOX_LINUX } }; // XX, T1, or not in GeoIP
    expect((await engine.assess(alice, nowhere)).riskSignals).toEqual({}); // first sign-in: nothing to compare
    await learn({ ...nowhere, country: 'DE' });
    expect(await engine.assess(alice, nowhere)).toMatchObject({ risk: 0.5, riskSignals: { unknownCountry: true } });
    expect((await engine.assess(alice, { ...nowhere, country: 'DE' })).riskSignals).toEqual({});
    const hook = await engine.assess(alice, { ...nowhere, country: 'xx' }); // a location hook passing the edge's on
    expect(hook.riskSignals).toEqual({ unknownCountry: true });
  });

  it('scores no lower than a new country would, and never teaches "unknown" as a place', async () => {
    const { engine, learn } = setup();
    await learn({ country: 'DE', client: { userAgent: FIREFOX_LINUX } });
    const hidden = await engine.assess(alice, { client: { userAgent: FIREFOX_LINUX } });
    const honest = await engine.assess(alice, { country: 'AT', client: { userAgent: FIREFOX_LINUX } });
    expect(hidden.risk).toBeGreaterThanOrEqual(honest.risk!);
    const lesson = await engine.lesson(alice, { client: { userAgent: FIREFOX_LINUX } }, true);
    expect(lesson.context.riskSignals).toEqual({ unknownCountry: true }); // verified once, asked once per session
    expect(Object.keys(lesson.profile.countries)).toEqual(['DE']);
  });
});

describe('RiskEngine ceiling: the fast path computes what it can in memory', () => {
  const verified = (clock: ManualClock, risk: number) => ({
    userId: alice.userId,
    groups: [],
    verified: [{ factor: 'totp' as const, verifiedAt: clock.now(), eventId: 'e1', baseline: { risk } }],
    grants: [],
  });
  const continuous = compilePolicy({ continuous: { riskIncrease: 0.3 }, services: { s1: { require: 'any' } } }, 1);

  it('with a cached profile, assumes only the failure count: riskIncrease keeps the fast path', async () => {
    const { clock, engine, verifiedFrom } = setup();
    await verifiedFrom('198.51.100.7');
    const home = engine.ceiling(alice, await from('198.51.100.7'));
    expect(home.risk).toBe(0.3); // the failure burst, which only a counter read could rule out
    expect(decide(continuous, { service: 's1' }, home, verified(clock, 0), clock.now()).outcome).toBe('allow');
    const phone = engine.ceiling(alice, await from('198.51.100.7', SAFARI_IPHONE));
    expect(phone.risk).toBe(0.6); // the new device is known from the cached profile, the rest not assumed
  });

  it('without one, assumes every history signal', async () => {
    const { clock, engine } = setup();
    const cold = engine.ceiling(alice, await from('198.51.100.7'));
    expect(cold.risk).toBe(1);
    expect(decide(continuous, { service: 's1' }, cold, verified(clock, 0), clock.now()).outcome).toBe('challenge');
  });

  it('matches a static untrusted list itself, and assumes a callback fires', async () => {
    const list = setup({ untrustedIps: ['203.0.113.0/24'] });
    await list.verifiedFrom('198.51.100.7');
    expect(list.engine.ceiling(alice, await from('198.51.100.7')).risk).toBe(0.3);
    const callback = setup({ untrustedIps: () => false });
    await callback.verifiedFrom('198.51.100.7');
    expect(callback.engine.ceiling(alice, await from('198.51.100.7')).risk).toBe(0.9);
  });
});

describe('RiskEngine and a report-only version', () => {
  const plain = compilePolicy({ services: { s1: { require: 'none' } } }, 1);
  const candidate = compilePolicy(
    { services: { s1: { require: 'none' } }, rules: [{ id: 'r', when: { minRisk: 0.5 }, require: 'any' }] },
    2,
  );
  const nobody = { userId: alice.userId, groups: [], verified: [], grants: [] };

  it('assesses while only the report-only version reads risk, so its report sees the real score', async () => {
    const { clock, engine, verifiedFrom } = setup();
    expect(engine.assesses(plain)).toBe(false);
    expect(engine.assesses(plain, candidate)).toBe(true);
    expect(engine.learns(plain, candidate)).toBe(true);
    await verifiedFrom('198.51.100.7');
    clock.advance(86_400);
    const paris = await from('2001:db8::5');
    const decided = await engine.decisionContext(
      alice,
      paris,
      plain,
      { service: 's1' },
      nobody,
      clock.now(),
      candidate,
    );
    expect(decided).toMatchObject({ risk: 0.5, riskSignals: { newCountry: { country: 'FR' } } });
  });

  it('never refuses a request because a read only the report needed failed', async () => {
    const down = new InMemoryRiskHistoryStore();
    jest.spyOn(down, 'loadRiskProfile').mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const { clock, engine } = setup({}, down);
    const stderr = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const paris = await from('2001:db8::5');
    await expect(
      engine.decisionContext(alice, paris, plain, { service: 's1' }, nobody, clock.now(), candidate),
    ).resolves.toBe(paris);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
    stderr.mockRestore();
    await expect(
      engine.decisionContext(alice, paris, candidate, { service: 's1' }, nobody, clock.now(), plain),
    ).rejects.toThrow('ECONNREFUSED'); // the enforced one needs it: closed
  });
});
