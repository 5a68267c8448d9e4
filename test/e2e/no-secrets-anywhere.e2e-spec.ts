// Invariant: no TOTP seed, no issued code, no backup code, no trusted-device token, no recovery
// ticket and no full email address appears in any log line, audit row, MFA response body or
// error — outside the one-time payloads that hand them over.
import request, { Response } from 'supertest';
import { fromBase32 } from '../../libs/core/src';
import { BACKENDS } from '../support/backends';
import { ADAPTERS, signIn, startTestApp, TestApp, totpAt } from '../support/test-app';

describe.each(BACKENDS.flatMap((b) => ADAPTERS.map((a) => [`${b.name} via ${a}`, b, a] as const)))(
  'no secrets anywhere on %s',
  (_name, backend, adapter) => {
    let t: TestApp;
    const logs: string[] = [];
    const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

    beforeEach(async () => {
      logs.length = 0;
      process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => (
        logs.push(String(chunk)),
        writes.out(chunk, ...(rest as []))
      )) as typeof process.stdout.write;
      process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => (
        logs.push(String(chunk)),
        writes.err(chunk, ...(rest as []))
      )) as typeof process.stderr.write;
      t = await startTestApp(
        backend,
        adapter,
        { audit: 'database', lockout: { maxAttempts: 3 }, trustedDeviceCookie: { secure: false } },
        { logs: true },
      );
    });
    afterEach(async () => {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
      await t.close().catch(() => undefined);
    });

    it('holds over enrollment, challenges, backup codes, lockout, policy admin and an outage', async () => {
      const surfaces: string[] = []; // every body MFA produced, except the one-time enrollment payload
      const secrets: string[] = ['alice@example.com', 'bob@example.com'];
      const seen = (res: Response) => (
        surfaces.push(JSON.stringify(res.body ?? null), res.headers['www-authenticate'] ?? ''),
        res
      );
      const code = (secret: string) => {
        const c = totpAt(secret, t.clock);
        secrets.push(c);
        return c;
      };

      const alice = await signIn(t, 'alice');
      const start = await alice.post('/mfa/totp/enrollments').send({ label: 'Phone' }).expect(201);
      const seed = fromBase32(start.body.secret);
      secrets.push(start.body.secret, seed.toString('hex'), seed.toString('base64'), seed.toString('base64url'));
      const confirm = await alice
        .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
        .send({ code: code(start.body.secret) })
        .expect(200);
      for (const c of confirm.body.backupCodes as string[])
        secrets.push(c, c.replace(/-/g, ''), c.replace(/-/g, '').toUpperCase());

      t.clock.advance(30);
      const fresh = await signIn(t, 'alice');
      const challenge = seen(await fresh.get('/admin').expect(401));
      seen(
        await fresh
          .post(`/mfa/challenges/${challenge.body.challenge.id}/verify`)
          .send({ method: 'totp', code: '000001' }),
      );
      seen(
        await fresh
          .post(`/mfa/challenges/${challenge.body.challenge.id}/verify`)
          .send({ method: 'totp', code: code(start.body.secret) })
          .expect(200),
      );
      seen(
        await fresh
          .post(`/mfa/challenges/${challenge.body.challenge.id}/verify`)
          .send({ method: 'totp', code: code(start.body.secret) }),
      ); // replay
      seen(await fresh.get('/mfa/enrollments').expect(200));
      const other = await signIn(t, 'alice');
      const second = seen(await other.get('/profile/security').expect(401));
      t.clock.advance(30);
      const keeper = await signIn(t, 'alice');
      const toRemember = seen(await keeper.get('/profile/security').expect(401));
      const remembered = await keeper
        .post(`/mfa/challenges/${toRemember.body.challenge.id}/verify`)
        .send({ method: 'totp', code: code(start.body.secret), rememberDevice: true })
        .expect(200);
      const deviceCookie = /mfa_device=([^;]+)/.exec(String(remembered.headers['set-cookie']))![1];
      secrets.push(deviceCookie, deviceCookie.split('.')[1]);
      seen(remembered);
      seen(await keeper.get('/mfa/devices').expect(200));
      // Help-desk recovery: the ticket is handed over once (to the admin), then never shown again.
      const ticket: string = (
        await fresh.post('/mfa/admin/users/u-bob/recovery-tickets').send({ reason: 'checked by phone' }).expect(201)
      ).body.ticket;
      secrets.push(ticket, ticket.split('.')[1]);
      const redeemer = await signIn(t, 'bob');
      seen(await redeemer.post('/mfa/recovery/redeem').send({ ticket }).expect(200));
      seen(await redeemer.post('/mfa/recovery/redeem').send({ ticket }).expect(401));
      seen(
        await other
          .post(`/mfa/challenges/${second.body.challenge.id}/verify`)
          .send({ method: 'backup_code', code: confirm.body.backupCodes[0] })
          .expect(200),
      );
      seen(
        await other
          .post(`/mfa/challenges/${second.body.challenge.id}/verify`)
          .send({ method: 'backup_code', code: confirm.body.backupCodes[0] }),
      );
      const regenerated = await fresh.post('/mfa/backup-codes/regenerate').expect(200);
      for (const c of regenerated.body.backupCodes as string[]) secrets.push(c, c.replace(/-/g, ''));
      seen(await fresh.post('/payments/transfer'));
      seen(await fresh.get('/mfa/admin/policy/versions').expect(200));
      seen(
        await fresh
          .post('/mfa/admin/policy/explain')
          .send({ userId: 'u-bob', target: { service: 'payments' } })
          .expect(200),
      );
      seen(
        await fresh
          .post('/mfa/admin/policy/versions')
          .send({ document: { rules: [{ id: 'bad', require: 'fido' }] } })
          .expect(400),
      );

      const bob = await signIn(t, 'bob');
      seen(await bob.get('/admin'));
      seen(await bob.post('/mfa/totp/enrollments/none/confirm').send({ code: '123456' }));
      const locked = await signIn(t, 'alice');
      const id = seen(await locked.get('/payments').expect(401)).body.challenge.id;
      for (let i = 0; i < 4; i++)
        seen(await locked.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: '999999' }));
      seen(await locked.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: code(start.body.secret) }));

      const auditRows = JSON.stringify(await t.store.dataSource.query('SELECT * FROM mfa_audit_events'));
      expect(JSON.parse(auditRows).length).toBeGreaterThan(10);
      await t.store.dataSource.destroy(); // an outage: whatever is logged about it must be clean too
      seen(await fresh.get('/admin'));
      seen(await request(t.http).get('/mfa/enrollments'));

      const haystacks = { logs: logs.join('\n'), audit: auditRows, responses: surfaces.join('\n') };
      expect(logs.join('\n')).toContain('MFA failed closed');
      for (const [where, text] of Object.entries(haystacks)) {
        for (const secret of new Set(secrets)) {
          // As a token of its own: a six-digit code can turn up inside a UUID or an epoch-ms timestamp by
          // chance (about once in a few thousand runs), which is no leak; "code 123456" or "secret=…" is.
          const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          if (new RegExp(`(?<![0-9a-z])${escaped}(?![0-9a-z])`, 'i').test(text))
            throw new Error(`a secret (${secret.length} chars) appears in ${where}`);
        }
      }
    });
  },
);
