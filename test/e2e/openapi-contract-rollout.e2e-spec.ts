// Invariant: the generated OpenAPI document holds against the real responses of the policy
// rollout routes (report-only, what-if, diff) on both adapters, and against audit pages whose
// events carry replay records and report-only verdicts (see openapi-contract-admin.e2e-spec.ts).
import { Test } from 'supertest';
import { POLICY_ROLLOUT_ROUTES } from '../../libs/http/src/routes/policy-rollout.routes';
import { routeKey } from '../../libs/http/src/openapi/response-schemas';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { BACKENDS } from '../support/backends';
import { CapturingAuditSink } from '../support/capturing-audit.sink';
import { HeldAuditReader } from '../support/held-audit-reader';
import { ContractCheck } from '../support/openapi-contract';
import { Adapter, signIn, signInEnrolled, startTestApp, TestApp } from '../support/test-app';

const STRICTER = { ...FIXTURE_POLICY, services: { payments: { require: { factor: 'totp', maxAge: 60 } } } };

describe.each<Adapter>(['nest', 'express5'])('OpenAPI contract: policy rollout on %s', (adapter) => {
  const c = new ContractCheck(`sqlite via ${adapter}`);
  let t: TestApp;
  let audit: CapturingAuditSink;
  beforeEach(async () => {
    audit = new CapturingAuditSink();
    t = await startTestApp(BACKENDS[0], adapter, { audit: ['database', audit], decisionAudit: 'all' });
  });
  afterEach(() => t.close());
  const hit = async (key: string, req: Test, status: number) => c.check(key, await req, status);

  it('answers report-only, what-if and diff as documented', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    await admin.post('/mfa/admin/policy/versions').send({ document: STRICTER }).expect(201);
    const start = (v: string) => admin.post(`/mfa/admin/policy/versions/${v}/report-only`);
    const startKey = 'POST /admin/policy/versions/:version/report-only';
    await hit(startKey, start('1'), 409);
    await hit(startKey, start('99'), 404);
    await hit(startKey, start('2').set('Origin', 'https://evil.example'), 403);
    await hit(startKey, (await signIn(t, 'bob')).post('/mfa/admin/policy/versions/2/report-only'), 403);
    await hit(startKey, start('2'), 200);
    await admin.get('/payments').expect(200); // a disagreement: version 2 wants a TOTP within 60 s
    t.clock.advance(120);
    await admin.get('/payments').expect(200);
    await hit('DELETE /admin/policy/report-only', admin.delete('/mfa/admin/policy/report-only'), 200);
    await hit('DELETE /admin/policy/report-only', admin.delete('/mfa/admin/policy/report-only'), 200);

    const whatIf = (body: object) => admin.post('/mfa/admin/policy/what-if').send(body);
    const day = { from: '2026-01-01', to: '2026-01-02' };
    for (let tries = 0; tries < 500; tries++) {
      if ((await whatIf({ version: 2, ...day })).body.changed > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20)); // audit writes land in the background
    }
    const replayed = await hit('POST /admin/policy/what-if', whatIf({ version: 2, ...day }), 200);
    expect(replayed.body.samples.length).toBeGreaterThan(0);
    await hit('POST /admin/policy/what-if', whatIf({ document: { services: {} }, ...day, top: 50 }), 200);
    await hit('POST /admin/policy/what-if', whatIf({ version: 2, from: '2026-01-02', to: '2026-01-01' }), 400);
    await hit('POST /admin/policy/what-if', whatIf({ version: 2, from: '2025-01-01', to: '2026-01-01' }), 422);
    await hit('POST /admin/policy/what-if', whatIf({ version: 7, ...day }), 404);
    await hit('POST /admin/policy/what-if', whatIf({ document: { rules: 'none' }, ...day }), 400);
    await hit('POST /admin/policy/what-if', whatIf({ version: 2, ...day, top: 51 }), 400);

    const diff = (query: object) => admin.get('/mfa/admin/policy/diff').query(query);
    await hit('GET /admin/policy/diff', diff({ from: 1, to: 2 }), 200);
    await hit('GET /admin/policy/diff', diff({ from: 2, to: 1 }), 200);
    await hit('GET /admin/policy/diff', diff({ from: 1, to: 3 }), 404);
    await hit('GET /admin/policy/diff', diff({ from: 0, to: 1 }), 400);

    // The audit trail now holds replay records and report-only verdicts: still as documented.
    for (const type of ['policy.report_only', 'decision.allowed', 'challenge.issued', 'policy.report_only_stopped']) {
      const page = await hit('GET /admin/audit', admin.get('/mfa/admin/audit').query({ type }), 200);
      if (type === 'policy.report_only') expect(page.body.events[0]).toHaveProperty('reportOnly.wouldHave');
    }
  });

  it('answers a what-if sent while another runs as documented', async () => {
    const held = new HeldAuditReader();
    const busy = await startTestApp(BACKENDS[0], adapter, { audit: [held] });
    try {
      const { agent: admin } = await signInEnrolled(busy, 'alice');
      const whatIf = () =>
        admin.post('/mfa/admin/policy/what-if').send({ version: 1, from: '2026-01-01', to: '2026-01-02' });
      const first = whatIf().then((res) => res);
      await held.waiting();
      await hit('POST /admin/policy/what-if', whatIf(), 409);
      held.letGo();
      c.check('POST /admin/policy/what-if', await first, 200);
    } finally {
      await busy.close();
    }
  });

  it('was driven to the success answer of every rollout route, and to refusals', () => {
    const { missing, refusals } = c.coverage(POLICY_ROLLOUT_ROUTES.map(routeKey));
    expect(missing).toEqual([]);
    expect(refusals).toBeGreaterThanOrEqual(9); // distinct route and status pairs
  });
});
