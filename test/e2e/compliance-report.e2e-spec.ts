// Invariant: GET /mfa/admin/compliance answers only a verified administrator (as every admin
// read), with the report its OpenAPI schema describes — who mandatory enrollment covers and has
// no factor, with the grace days the enforcer gives, who has only SMS or email, who has fewer
// than 3 backup codes — as JSON, or with ?format=csv as text/csv; a bad format is a 400.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { ContractCheck } from '../support/openapi-contract';
import { createOwnDatabase, ownDatabaseBackends } from '../support/own-database';
import { Adapter, signIn, signInEnrolled, startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400;
const backends = ownDatabaseBackends('mfa_e2e_compliance_report', { type: 'better-sqlite3', database: ':memory:' });
const MATRIX = backends.flatMap((b) =>
  (['nest', 'express5'] as Adapter[]).map((a) => [`${b.name} via ${a}`, b, a] as const),
);
const ROUTE = 'GET /admin/compliance';

/** An SMS-only user with 2 backup codes left, as their own requests would have left them. */
async function smsOnlyUser(t: TestApp, userId: string): Promise<void> {
  const id = randomUUID();
  const now = t.clock.now();
  await t.store.createEnrollment({
    id,
    userId,
    type: 'sms',
    status: 'pending',
    label: null,
    sealedSecret: 'not read by the report',
    keyId: 'k1',
    profile: null,
    maskedTarget: '+90 *** *** **12',
    lastStep: null,
    createdAt: now,
    confirmedAt: null,
    lastUsedAt: null,
  });
  await t.store.activateEnrollment(userId, id, null, now);
  const codes = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), codeHash: `hash-${i}` }));
  await t.store.replaceBackupCodes(userId, codes, now);
  for (const code of codes.slice(2)) await t.store.consumeBackupCode(userId, code.id, now);
}

describe.each(MATRIX)('compliance report endpoint on %s', (name, backend, adapter) => {
  const c = new ContractCheck(name);
  let t: TestApp;
  beforeAll(() => createOwnDatabase(backend));
  beforeEach(async () => {
    t = await startTestApp(backend, adapter, {
      policy: { ...FIXTURE_POLICY, enrollment: { required: 'everyone', graceDays: 2 } },
    });
  });
  afterEach(() => t.close());

  it('lists the gaps for a verified admin, as JSON and as CSV', async () => {
    const bob = await signIn(t, 'bob');
    await bob.get('/wiki').expect(200); // mandatory enrollment starts counting for bob
    await smsOnlyUser(t, 'u-carol');
    t.clock.advance(3 * DAY);
    const { agent: admin } = await signInEnrolled(t, 'alice');

    const res = c.check(ROUTE, await admin.get('/mfa/admin/compliance'), 200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      coverage: 'store',
      mandatoryEnrollment: { everyone: true, graceDays: 2 },
      totals: { usersChecked: 3, missingFactor: 1, overdue: 1, exempt: 0, weakFactorsOnly: 1, lowBackupCodes: 1 },
      weakFactorsOnly: [{ userId: 'u-carol', factors: ['sms'] }],
      lowBackupCodes: [{ userId: 'u-carol', remaining: 2 }],
    });
    expect(res.body.missingFactor).toEqual([
      expect.objectContaining({ userId: 'u-bob', status: 'overdue', graceDaysLeft: -1, overdue: true, groups: null }),
    ]);

    const csv = await admin.get('/mfa/admin/compliance').query({ format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.trim().split('\r\n')).toEqual([
      'finding,user_id,groups,status,grace_days_left,grace_ends_at,factors,backup_codes_left,exempt_until,exemption_id',
      `missing_factor,u-bob,,overdue,-1,${new Date(Date.UTC(2026, 0, 3, 12)).toISOString()},,,,`,
      'weak_factors_only,u-carol,,,,,sms,,,',
      'low_backup_codes,u-carol,,,,,,2,,',
    ]);
    c.check(ROUTE, await admin.get('/mfa/admin/compliance').query({ format: 'xml' }), 400);
  });

  it('shows a user with an enrollment exemption in force as exempt, and overdue again once it ends', async () => {
    const bob = await signIn(t, 'bob');
    await bob.get('/wiki').expect(200);
    t.clock.advance(3 * DAY);
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const granted = await admin
      .post('/mfa/admin/users/u-bob/exemptions')
      .send({ scope: 'enrollment', reason: 'new phone on its way', days: 2 })
      .expect(201);

    const exempt = c.check(ROUTE, await admin.get('/mfa/admin/compliance'), 200).body;
    expect(exempt.totals).toMatchObject({ missingFactor: 1, overdue: 0, exempt: 1 });
    expect(exempt.byGroup).toEqual([{ group: '(unknown)', missingFactor: 1, overdue: 0, exempt: 1 }]);
    expect(exempt.missingFactor).toEqual([
      expect.objectContaining({
        userId: 'u-bob',
        status: 'exempt',
        overdue: false,
        exemptUntil: granted.body.expiresAt,
        exemptionId: granted.body.id,
      }),
    ]);
    const csv = await admin.get('/mfa/admin/compliance').query({ format: 'csv' }).expect(200);
    expect(csv.text).toContain(
      `,exempt,-1,${new Date(Date.UTC(2026, 0, 3, 12)).toISOString()},,,${granted.body.expiresAt},${granted.body.id}\r\n`,
    );

    // It ends by itself: the clock moves past it and bob is overdue again, by the same grace.
    t.clock.advance(2 * DAY);
    const ended = c.check(ROUTE, await admin.get('/mfa/admin/compliance'), 200).body;
    expect(ended.totals).toMatchObject({ overdue: 1, exempt: 0 });
    expect(ended.missingFactor).toEqual([
      expect.objectContaining({ userId: 'u-bob', status: 'overdue', graceDaysLeft: -3, exemptUntil: null }),
    ]);
  });

  it('answers a page of users at a time, so one answer stays bounded on any store', async () => {
    await (await signIn(t, 'bob')).get('/wiki').expect(200);
    await smsOnlyUser(t, 'u-carol');
    const longest = 'ü'.repeat(191); // the longest id a store keeps, 382 bytes: a 510-character cursor
    await smsOnlyUser(t, longest);
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const page = async (query: Record<string, string>) =>
      c.check(ROUTE, await admin.get('/mfa/admin/compliance').query(query), 200).body;

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 6; i++) {
      const body = await page({ limit: '1', ...(cursor ? { cursor } : {}) });
      expect(body.totals.usersChecked).toBeLessThanOrEqual(1);
      seen.push(...body.missingFactor.map((m: { userId: string }) => m.userId));
      seen.push(...body.weakFactorsOnly.map((w: { userId: string }) => w.userId));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.sort()).toEqual(['u-bob', 'u-carol', longest]);
    expect(cursor).toBeNull();

    const csv = await admin.get('/mfa/admin/compliance').query({ format: 'csv', limit: '1' }).expect(200);
    expect(csv.headers['mfa-next-cursor']).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));
    for (const bad of [{ limit: '0' }, { limit: '5001' }, { cursor: 'not a cursor' }, { cursor: 'AAB' }]) {
      const refused = c.check(ROUTE, await admin.get('/mfa/admin/compliance').query(bad), 400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses anyone but a verified administrator', async () => {
    c.check(ROUTE, await request(t.http).get('/mfa/admin/compliance'), 401);
    const { agent: bob } = await signInEnrolled(t, 'bob');
    expect(c.check(ROUTE, await bob.get('/mfa/admin/compliance'), 403).body.code).toBe('MFA_ADMIN_FORBIDDEN');
    await signInEnrolled(t, 'alice');
    // The admin's password alone (a new session, not verified) is not enough.
    const unverified = await signIn(t, 'alice');
    const refused = c.check(ROUTE, await unverified.get('/mfa/admin/compliance'), 401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    expect(refused.body.totals).toBeUndefined();
  });
});
