// MFA inside the app's own database: the host's DataSource carries the MFA entities and
// migrations, and both adapters use it; a DataSource without them stops boot with the fix.
import { DataSource } from 'typeorm';
import { mfaEntities, mfaMigrations } from '../../libs/typeorm/src';
import { BACKENDS, resetDatabase } from '../support/backends';
import { ADAPTERS, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(BACKENDS.flatMap((b) => ADAPTERS.map((a) => [`${b.name} via ${a}`, b, a] as const)))(
  'host DataSource on %s',
  (_name, backend, adapter) => {
    it('enrolls and verifies with MFA tables in the host database', async () => {
      await resetDatabase(backend);
      const host = await new DataSource({
        ...backend.options,
        entities: [...mfaEntities],
        migrations: [...mfaMigrations],
      } as never).initialize();
      await host.runMigrations();
      const t = await startTestApp(backend, adapter, { store: undefined, dataSource: host }, { keepSchema: true });
      try {
        const { secret } = await signInEnrolled(t);
        const agent = await signIn(t);
        const id = await challengeFor(agent);
        await agent
          .post(`/mfa/challenges/${id}/verify`)
          .send({ method: 'totp', code: totpAt(secret, t.clock) })
          .expect(200);
        const [{ n }] = await host.query('SELECT COUNT(*) AS n FROM mfa_enrollments');
        expect(Number(n)).toBe(1);
      } finally {
        await t.close();
        await host.destroy();
      }
    });

    it('refuses a DataSource that lacks the MFA entities, saying what to add', async () => {
      await resetDatabase(backend);
      const host = await new DataSource({ ...backend.options, entities: [] } as never).initialize();
      try {
        await expect(startTestApp(backend, adapter, { store: undefined, dataSource: host })).rejects.toThrow(
          /Add `mfaEntities` to its entities/,
        );
      } finally {
        await host.destroy();
      }
    });
  },
);
