// Invariant: report-only runs are kept apart from activations (no reader of activations can
// take one for the enforcing version), the newest record says what runs, audit events keep
// their replay record and verdict whole, and the migration goes down and up again cleanly.
import { randomUUID } from 'node:crypto';
import type { AuditEvent, DecisionReplay } from '../../core/src';
import { resetDatabase } from '../../../test/support/backends';
import { createOwnDatabase, ownDatabaseBackends } from '../../../test/support/own-database';
import { MfaAuditEventEntity } from './entities/mfa-audit-event.entity';
import { MfaPolicyReportOnly1764700000000 } from './migrations/1764700000000-mfa-policy-report-only.migration';
import { mfaMigrations } from './mfa-typeorm.schema';
import { TypeOrmAuditSink } from './typeorm-audit.sink';
import { TypeOrmMfaStore } from './typeorm-mfa.store';

const BACKENDS = ownDatabaseBackends('nestjs_mfa_report_only_spec', { type: 'better-sqlite3', database: ':memory:' });

const NOW = 1_764_700_000_000;
const REPLAY: DecisionReplay = {
  v: 1,
  target: { service: 'payments', route: 'GET /payments', requirement: [{ factors: 'any', maxAge: 300 }] },
  groups: ['staff', 'Ünïcode grüppe'],
  context: { country: 'TR', risk: 0.25 },
  verified: [{ factor: 'totp', ageSeconds: 12.345, aal: 2, baseline: { country: 'TR' } }],
};

describe.each(BACKENDS.map((b) => [b.name, b] as const))('report-only in the TypeORM store on %s', (_name, backend) => {
  let store: TypeOrmMfaStore;

  beforeAll(async () => {
    await createOwnDatabase(backend);
    await resetDatabase({ name: backend.name, options: backend.options });
    store = await TypeOrmMfaStore.connect(backend.options);
  });
  afterAll(() => store?.close());

  it('keeps runs apart from activations; the newest record says what runs', async () => {
    expect(await store.latestPolicyReportOnly()).toBeNull();
    await store.recordPolicyActivation({ version: 1, actor: 'boot', kind: 'boot', activatedAt: NOW });
    await store.recordPolicyReportOnly({ version: 2, actor: 'u-alice', kind: 'start', at: NOW + 1 });
    await store.recordPolicyReportOnly({ version: 3, actor: 'u-alice', kind: 'start', at: NOW + 2 });
    expect(await store.latestPolicyReportOnly()).toEqual({ version: 3, actor: 'u-alice', kind: 'start', at: NOW + 2 });
    expect((await store.listPolicyActivations(5)).map((a) => a.version)).toEqual([1]);
    await store.recordPolicyReportOnly({ version: 3, actor: 'u-bob', kind: 'stop', at: NOW + 3 });
    expect(await store.latestPolicyReportOnly()).toMatchObject({ version: 3, kind: 'stop', actor: 'u-bob' });
  });

  it('keeps an audit event’s replay record and verdict whole, and reads a damaged one as absent', async () => {
    const sink = new TypeOrmAuditSink(store.dataSource);
    const event: AuditEvent = {
      type: 'policy.report_only',
      at: NOW,
      severity: 'info',
      userId: 'u-bob',
      policyVersion: 2,
      replay: REPLAY,
      reportOnly: {
        version: 2,
        enforcedVersion: 1,
        enforced: 'allow',
        wouldHave: 'deny',
        ruleIds: ['lockdown'],
        enforcedRuleIds: ['service:payments'],
      },
    };
    await sink.emit(event);
    await sink.emit({ type: 'challenge.issued', at: NOW + 1, severity: 'info', userId: 'u-old' });
    const [read] = (await sink.query({ type: 'policy.report_only' })).events;
    expect(read).toEqual({ ...event, id: expect.any(String) });
    const [old] = (await sink.query({ type: 'challenge.issued' })).events;
    expect(old).not.toHaveProperty('replay');

    await store.dataSource
      .getRepository(MfaAuditEventEntity)
      .update({ type: 'policy.report_only' }, { replay: '{"v":1,' });
    const [damaged] = (await sink.query({ type: 'policy.report_only' })).events;
    expect(damaged.replay).toBeUndefined();
    expect(damaged.reportOnly?.wouldHave).toBe('deny');
  });

  it('migrates down and up again, keeping the rest of the data', async () => {
    const ds = store.dataSource;
    const undo = mfaMigrations.length - mfaMigrations.indexOf(MfaPolicyReportOnly1764700000000);
    for (let i = 0; i < undo; i++) await ds.undoLastMigration({ transaction: 'each' });
    const runner = ds.createQueryRunner();
    try {
      expect(await runner.hasTable('mfa_policy_report_only')).toBe(false);
      const audit = (await runner.getTable('mfa_audit_events'))!;
      expect(audit.findColumnByName('replay')).toBeUndefined();
      expect(audit.indices.map((i) => i.name)).not.toContain('idx_mfa_audit_type_at_id');
      expect((await store.listPolicyActivations(5)).map((a) => a.version)).toEqual([1]);
      await ds.runMigrations({ transaction: 'each' });
      expect(await store.latestPolicyReportOnly()).toBeNull();
      await store.recordPolicyReportOnly({ version: 4, actor: randomUUID(), kind: 'start', at: NOW });
      expect(await store.latestPolicyReportOnly()).toMatchObject({ version: 4 });
      const index = (await runner.getTable('mfa_audit_events'))!.indices.find(
        (i) => i.name === 'idx_mfa_audit_type_at_id',
      );
      // TypeORM reads PostgreSQL's index columns unordered; audit-what-if-paging.spec.ts checks the order in use.
      expect([...(index?.columnNames ?? [])].sort()).toEqual(['at', 'id', 'type']);
      if (backend.options.type === 'mariadb') {
        // A new table takes the exact collation its siblings have (MfaExactText), not the server default.
        const rows: Array<{ n: string; c: string }> = await ds.query(
          `SELECT TABLE_NAME AS n, TABLE_COLLATION AS c FROM information_schema.TABLES
           WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('mfa_policy_report_only', 'mfa_policy_activations')`,
        );
        expect(rows).toHaveLength(2);
        expect(rows[0].c).toBe(rows[1].c);
        expect(rows[0].c).toMatch(/_bin$/);
      }
    } finally {
      await runner.release();
    }
  });

  it('declares on its entities what its migrations create', async () => {
    // SQLite's schema builder rebuilds tables over older `int`/`integer` spellings, so only the servers can tell.
    if (backend.options.type === 'better-sqlite3') return;
    const pending = (await store.dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    expect(pending.filter((q) => /report_only|replay|idx_mfa_audit_type_at_id/.test(q))).toEqual([]);
  });
});
