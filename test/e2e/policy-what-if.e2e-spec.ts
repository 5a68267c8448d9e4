// What-if over a recorded audit trail, driven by the injected clock, and the diff of two
// versions, through the admin API on every backend and both adapters: the counts are exactly
// the recorded decisions the candidate would have taken otherwise (past any number of pages),
// the coverage says what the replay could not see, one runs at a time per instance, and bad
// input is a 4xx with a stable code, never a 500.
import type { AuditEvent, DecisionReplay } from '../../libs/core/src';
import { TypeOrmAuditSink } from '../../libs/typeorm/src';
import { BACKENDS } from '../support/backends';
import { CapturingAuditSink } from '../support/capturing-audit.sink';
import { HeldAuditReader } from '../support/held-audit-reader';
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
    // The what-if requests are guarded decisions too, audited in the background while they read
    // the trail: they fall at the window's exclusive end, and the count is taken before them.
    t.clock.advance(1);
    const decisions = audit.events.filter((e: AuditEvent) => DECISIONS.includes(e.type));

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

  it('marks decisions taken without a risk score, and says what that hides from a candidate reading risk', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    // Version 2 reads no risk, so nothing scores the requests it decides.
    await admin.post('/mfa/admin/policy/versions').send({ document: CANDIDATE }).expect(201);
    await admin.post('/mfa/admin/policy/versions/2/activate').expect(200);
    t.clock.advance(1);
    const from = t.clock.now();
    const bob = await signInEnrolled(t, 'bob');
    await (await signIn(t, 'bob')).get('/payments').expect(401);
    await bob.agent.get('/payments').expect(200);
    await recorded();
    const span = window(from, t.clock.now() + 1000);
    const risky = { rules: [{ id: 'risky', when: { minRisk: 0.5 }, deny: true }] };
    const res = await admin
      .post('/mfa/admin/policy/what-if')
      .send({ document: risky, ...span })
      .expect(200);
    expect(res.body.coverage.replayed).toBeGreaterThanOrEqual(2);
    expect(res.body.coverage.riskUnscored).toBe(res.body.coverage.replayed);
    expect(res.body.coverage.notes.join(' ')).toMatch(/recorded without a risk score.*report-only/);
    // The same window under the version that decided it, which reads no risk: counted, not warned about.
    const plain = await admin
      .post('/mfa/admin/policy/what-if')
      .send({ version: 2, ...span })
      .expect(200);
    expect(plain.body.changed).toBe(0);
    expect(plain.body.coverage.riskUnscored).toBe(plain.body.coverage.replayed);
    expect(plain.body.coverage.notes.join(' ')).not.toMatch(/risk score/);
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

const REPLAY: DecisionReplay = { v: 1, target: { service: 'payments' }, groups: [], context: {}, verified: [] };

describe.each(BACKENDS.map((b) => [b.name, b] as const))('what-if past one page on %s', (_name, backend) => {
  it('replays more than 200 events sharing timestamps, each exactly once', async () => {
    const t = await startTestApp(backend, 'nest', { audit: ['database'], decisionAudit: 'all' });
    try {
      const { agent: admin } = await signInEnrolled(t, 'alice');
      const from = t.clock.now() + 60_000;
      const sink = new TypeOrmAuditSink(t.store.dataSource);
      const at = (i: number) => from + 1000 * (i % 3); // 3 timestamps, 150 denials and 17 challenges each, or so
      const rows: AuditEvent[] = [
        ...Array.from({ length: 450 }, (_, i): AuditEvent => ({
          type: 'decision.denied',
          at: at(i),
          severity: 'warning',
          userId: `u-${i % 9}`,
          replay: REPLAY,
        })),
        ...Array.from({ length: 51 }, (_, i): AuditEvent => ({
          type: 'challenge.issued',
          at: at(i),
          severity: 'info',
          userId: 'u-bob',
          replay: REPLAY,
        })),
      ];
      for (let i = 0; i < rows.length; i += 50) await Promise.all(rows.slice(i, i + 50).map((e) => sink.emit(e)));
      const res = await admin
        .post('/mfa/admin/policy/what-if')
        .send({ document: {}, from: new Date(from).toISOString(), to: new Date(from + 3000).toISOString() })
        .expect(200);
      expect(res.body.coverage).toMatchObject({
        eventsRead: 501,
        replayed: 501,
        notReplayable: 0,
        byType: { 'challenge.issued': 51, 'decision.denied': 450, 'decision.allowed': 0 },
        allowedAudited: false,
      });
      expect(res.body).toMatchObject({ changed: 501, wouldAllow: 501 });
      expect(res.body.transitions).toEqual(
        expect.arrayContaining([
          { from: 'deny', to: 'allow', count: 450 },
          { from: 'challenge', to: 'allow', count: 51 },
        ]),
      );
      expect(res.body.topUsers[0]).toEqual({ userId: 'u-bob', count: 51 });
    } finally {
      await t.close();
    }
  });
});

describe.each(MATRIX.slice(0, 2))('one what-if at a time on %s', (_name, backend, adapter) => {
  it('answers 409 WHAT_IF_BUSY while another runs on the instance, and runs again once it is done', async () => {
    const held = new HeldAuditReader();
    const t = await startTestApp(backend, adapter, { audit: [held] });
    try {
      const { agent: admin } = await signInEnrolled(t, 'alice');
      const ask = () =>
        admin.post('/mfa/admin/policy/what-if').send({ version: 1, from: '2026-01-01', to: '2026-01-02' });
      const first = ask().then((res) => res);
      await held.waiting();
      const busy = await ask().expect(409);
      expect(busy.body).toMatchObject({ code: 'WHAT_IF_BUSY', statusCode: 409 });
      held.letGo();
      expect((await first).status).toBe(200);
      await ask().expect(200);
      // A refused candidate releases the gate too.
      await admin
        .post('/mfa/admin/policy/what-if')
        .send({ version: 9, from: '2026-01-01', to: '2026-01-02' })
        .expect(404);
      await ask().expect(200);
    } finally {
      await t.close();
    }
  });
});
