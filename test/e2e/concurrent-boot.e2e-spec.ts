// Instances that boot together on a new schema (a rolling deploy, a scaled-out start)
// migrate once between them and agree on one policy version 1, activated once.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ManualClock, MfaEngine } from '../../libs/core/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { Backend, BACKENDS, resetDatabase } from '../support/backends';
import { CapturingAuditSink } from '../support/capturing-audit.sink';

const INSTANCES = 4;

// In-memory SQLite is one database per connection; a file is what several instances share.
function shared(backend: Backend): { backend: Backend; cleanup: () => void } {
  if (backend.options.type !== 'better-sqlite3') return { backend, cleanup: () => undefined };
  const file = join(tmpdir(), `mfa-boot-${randomUUID()}.sqlite`);
  return {
    backend: { name: 'sqlite-file', options: { type: 'better-sqlite3', database: file } },
    cleanup: () => rmSync(file, { force: true }),
  };
}

describe.each(BACKENDS.map((b) => [b.name, b] as const))('concurrent boot on %s', (_name, base) => {
  it(`${INSTANCES} instances migrate a new schema together without a failure`, async () => {
    const { backend, cleanup } = shared(base);
    await resetDatabase(backend);
    const stores = await Promise.all(Array.from({ length: INSTANCES }, () => TypeOrmMfaStore.connect(backend.options)));
    try {
      const applied = await stores[0].dataSource.query('SELECT name FROM mfa_migrations');
      expect(applied).toHaveLength(stores[0].dataSource.migrations.length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      cleanup();
    }
  });

  it(`${INSTANCES} instances booting the same policy store one version 1 and activate it once`, async () => {
    const { backend, cleanup } = shared(base);
    await resetDatabase(backend);
    const first = await TypeOrmMfaStore.connect(backend.options);
    const stores = [
      first,
      ...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => TypeOrmMfaStore.connect(backend.options)))),
    ];
    const key = randomBytes(32).toString('base64');
    const engines = stores.map(
      (store) =>
        new MfaEngine({
          store,
          encryption: { keys: [{ id: 'k1', key }] },
          audit: new CapturingAuditSink(),
          clock: new ManualClock(Date.UTC(2026, 0, 1)),
          policy: FIXTURE_POLICY,
        }),
    );
    try {
      await Promise.all(engines.map((e) => e.init()));
      expect((await first.listPolicyVersions()).map((v) => v.version)).toEqual([1]);
      expect(await first.listPolicyActivations(10)).toEqual([expect.objectContaining({ version: 1, kind: 'boot' })]);
      for (const engine of engines)
        expect((await engine.explain({ userId: 'u' }, { service: 'payments' })).policyVersion).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      cleanup();
    }
  });
});
