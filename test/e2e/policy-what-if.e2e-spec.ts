// What-if over a recorded audit trail, driven by the injected clock, and the diff of two
// versions, through the admin API on every backend and both adapters: the counts are exactly
// the recorded decisions the candidate would have taken otherwise, the coverage says what the
// replay could not see, and bad input is a 4xx with a stable code, never a 500.
import type { AuditEvent } from '../../libs/core/src';
import { TypeOrmAuditSink } from '../../libs/typeorm/src';
import { CapturingAuditSink } from '../support/capturing-audit.sink';
import { MATRIX, signIn, signInEnrolled, startTestApp, TestApp } from '../support/test-app';

const CANDIDATE = { services: { payments: { require: { any: true, maxAge: 600 } } } };
const DECISIONS = ['challenge.issued', 'decision.denied', 'decision.allowed'];

describe.each(MATRIX)('policy what-if and diff on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let audit: CapturingAuditSink;
  beforeEach(async () => {
    audit = new CapturingAuditSink();
    t = await startTestApp(backend, adapter, { audit: ['database', audit], decisionAudit: 'all' });
  });
  afterEach(() => t.close());

  /** The database sink writes in the background: wait until it holds every decision event emitted so far. */
  async function recorded(): Promise<void> {
    for (let tries = 0; tries < 500; tries++) {
      const counts = await Promise.all(
        DECISIONS.map(async (type) => (await t.engine.queryAudit({ type, limit: 200 })).events.length),
      );
      if (DECISIONS.every((type, i) => counts[i] === audit.ofType(type).length)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the audit trail never caught up');
  }

  /** Bob's day under version 1: challenged once, allowed, denied from KP, allowed again an hour later. */
  async function bobsDay(): Promise<void> {
    const bob = await signInEnrolled(t, 'bob');
    await (await signIn(t, 'bob')).get('/payments').expect(401);
    await bob.agent.get('/payments').expect(200);
    await bob.agent.get('/payments').set('cf-ipcountry', 'KP').expect(403);
    t.clock.advance(3600);
    await bob.agent.get('/payments').expect(200);
  }

  const window = (from: number, to: number) => ({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });

  it('counts the recorded decisions a candidate document or version would have taken otherwise', async () => {
    const start = t.clock.now();
    const { agent: admin } = await signInEnrolled(t, 'alice');
    await admin.post('/mfa/admin/policy/versions').send({ document: CANDIDATE }).expect(201); // version 2, not active
    await bobsDay();
    // A decision recorded before decisions carried a replay record.
    const old: AuditEvent = { type: 'challenge.issued', at: start + 1000, severity: 'info', userId: 'u-old' };
    await new TypeOrmAuditSink(t.store.dataSource).emit(old);
    audit.emit(old);
    await recorded();
    const span = window(start, t.clock.now() + 1000);

    const byDocument = await admin
      .post('/mfa/admin/policy/what-if')
      .send({ document: CANDIDATE, ...span })
      .expect(200);
    expect(byDocument.body).toMatchObject({
      candidate: { version: null },
      changed: 2,
      wouldAllow: 1,
      wouldChallenge: 1,
      wouldDeny: 0,
      topUsers: [{ userId: 'u-bob', count: 2 }],
      topRoutes: [{ route: 'GET /payments', count: 2 }],
      topRules: [{ ruleId: 'service:payments', count: 2 }],
    });
    expect(byDocument.body.transitions).toEqual(
      expect.arrayContaining([
        { from: 'deny', to: 'allow', count: 1 },
        { from: 'allow', to: 'challenge', count: 1 },
      ]),
    );
    const decisions = audit.events.filter((e: AuditEvent) => DECISIONS.includes(e.type));
    expect(byDocument.body.coverage).toMatchObject({
      eventsRead: decisions.length,
      replayed: decisions.length - 1,
      notReplayable: 1,
      allowedAudited: true,
    });
    const late = byDocument.body.samples.find((s: { happened: string }) => s.happened === 'allow');
    expect(late).toMatchObject({ userId: 'u-bob', wouldHave: 'challenge', route: 'GET /payments' });

    const byVersion = await admin
      .post('/mfa/admin/policy/what-if')
      .send({ version: 2, top: 1, ...window(start, t.clock.now() + 1000) })
      .expect(200);
    expect(byVersion.body).toMatchObject({ candidate: { version: 2 }, changed: 2 });
    expect(byVersion.body.samples).toHaveLength(1);

    // The version that decided, replayed over its own decisions, changes nothing.
    const itself = await admin
      .post('/mfa/admin/policy/what-if')
      .send({ version: 1, ...span })
      .expect(200);
    expect(itself.body.changed).toBe(0);
    // A window before any of it sees nothing.
    const empty = await admin
      .post('/mfa/admin/policy/what-if')
      .send({ version: 2, ...window(0, 1000) })
      .expect(200);
    expect(empty.body.coverage.eventsRead).toBe(0);
  });

  it('refuses bad what-if input with a stable 4xx code', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const now = t.clock.now();
    const ask = (body: object) => admin.post('/mfa/admin/policy/what-if').send(body);
    const codes: Array<[number, string]> = [];
    for (const body of [
      { version: 1, ...window(now, now - 1000) },
      { version: 1, ...window(now - 32 * 86_400_000, now) },
      { version: 99, ...window(now - 1000, now) },
      { document: { rules: [{ id: 'x', require: 'fido' }] }, ...window(now - 1000, now) },
      { version: 1, document: CANDIDATE, ...window(now - 1000, now) },
      window(now - 1000, now),
      { version: 1, from: 'yesterday', to: 'today' },
      { version: 1, from: '2026-W01', to: '2026-W02' },
    ]) {
      const res = await ask(body);
      codes.push([res.status, res.body.code]);
    }
    expect(codes).toEqual([
      [400, 'WHAT_IF_WINDOW_INVALID'],
      [422, 'WHAT_IF_WINDOW_TOO_LARGE'],
      [404, 'POLICY_VERSION_NOT_FOUND'],
      [400, 'POLICY_INVALID'],
      [400, 'VALIDATION_FAILED'],
      [400, 'VALIDATION_FAILED'],
      [400, 'VALIDATION_FAILED'],
      [400, 'WHAT_IF_WINDOW_INVALID'],
    ]);
    const tooLarge = await ask({ version: 1, ...window(now - 32 * 86_400_000, now) });
    expect(tooLarge.body).toMatchObject({ maxDays: 31, maxEvents: 50_000 });
  });

  it('shows the difference of two versions as changed requirements, and refuses what is not a version', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    await admin.post('/mfa/admin/policy/versions').send({ document: CANDIDATE }).expect(201);
    const diff = await admin.get('/mfa/admin/policy/diff').query({ from: 1, to: 2 }).expect(200);
    expect(diff.body).toMatchObject({ from: { version: 1 }, to: { version: 2 }, identical: false });
    expect(diff.body.services).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'admin', change: 'removed' }),
        expect.objectContaining({
          service: 'payments',
          change: 'changed',
          before: 'any factor, once per session, or a trusted device',
          after: 'any factor, 10 min',
        }),
        expect.objectContaining({ service: 'payments', operation: 'transfer', change: 'removed' }),
      ]),
    );
    expect(diff.body.rules.map((r: { ruleId: string; change: string }) => [r.ruleId, r.change])).toEqual([
      ['embargoed-countries', 'removed'],
      ['risky-session', 'removed'],
    ]);
    const same = await admin.get('/mfa/admin/policy/diff').query({ from: 2, to: 2 }).expect(200);
    expect(same.body).toMatchObject({ identical: true, services: [], rules: [], settings: [] });
    expect((await admin.get('/mfa/admin/policy/diff').query({ from: 1, to: 9 }).expect(404)).body.code).toBe(
      'POLICY_VERSION_NOT_FOUND',
    );
    await admin.get('/mfa/admin/policy/diff').query({ from: 'one', to: 2 }).expect(400);
    await admin.get('/mfa/admin/policy/diff').query({ from: 1 }).expect(400);
  });
});

describe.each(MATRIX.slice(0, 1))('what-if without a searchable audit trail on %s', (_name, backend, adapter) => {
  it('answers 404 AUDIT_QUERY_UNAVAILABLE', async () => {
    const t = await startTestApp(backend, adapter);
    try {
      const { agent } = await signInEnrolled(t, 'alice');
      const res = await agent
        .post('/mfa/admin/policy/what-if')
        .send({ version: 1, from: '2026-01-01', to: '2026-01-02' })
        .expect(404);
      expect(res.body.code).toBe('AUDIT_QUERY_UNAVAILABLE');
    } finally {
      await t.close();
    }
  });
});
