// With a `userExists` hook, no /mfa/admin/users/:userId/* route reads or writes MFA state for an
// id the host does not know (404 USER_NOT_FOUND; a failing hook is 503), only a verified admin
// ever learns the answer, and odd ids (`__proto__`, `-0`, `*`) stay plain strings everywhere.
import { Logger } from '@nestjs/common';
import TestAgent from 'supertest/lib/agent';
import type { MfaOptions } from '../../libs/setup/src';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp } from '../support/test-app';

const ODD_IDS = ['*', 'hasOwnProperty', '__proto__', 'constructor', 'toString', '-0', 'nobody'];

const USER_ROUTES: Array<
  [string, (agent: TestAgent, id: string) => Promise<{ status: number; body: Record<string, any> }>]
> = [
  ['view', (a, id) => a.get(`/mfa/admin/users/${id}`)],
  ['force re-enrollment', (a, id) => a.post(`/mfa/admin/users/${id}/reenrollment`).send({})],
  ['reset a factor', (a, id) => a.delete(`/mfa/admin/users/${id}/enrollments/e-1`)],
  ['revoke a device', (a, id) => a.delete(`/mfa/admin/users/${id}/devices/d-1`)],
  ['revoke all devices', (a, id) => a.delete(`/mfa/admin/users/${id}/devices`)],
  ['regenerate backup codes', (a, id) => a.post(`/mfa/admin/users/${id}/backup-codes`).send({})],
  [
    'issue a recovery ticket',
    (a, id) => a.post(`/mfa/admin/users/${id}/recovery-tickets`).send({ reason: 'help desk' }),
  ],
  ['clear a lockout', (a, id) => a.delete(`/mfa/admin/users/${id}/lockout`)],
];

/** Audit events about a user are what every admin action leaves behind. */
const eventsAbout = (t: TestApp, ids: string[]) =>
  t.audit.events.filter((e) => e.userId !== undefined && ids.includes(e.userId));

describe.each(MATRIX)('admin routes for unknown users on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  describe('with a userExists hook', () => {
    let asked: string[];
    let hook: NonNullable<MfaOptions['userExists']>;
    beforeEach(async () => {
      asked = [];
      hook = (id) => id === 'u-alice' || id === 'u-bob';
      t = await startTestApp(backend, adapter, { userExists: (id) => (asked.push(id), hook(id)) });
    });

    it('answers 404 USER_NOT_FOUND on every user route and writes nothing', async () => {
      const { agent: admin } = await signInEnrolled(t, 'alice');
      for (const id of ODD_IDS) {
        for (const [route, call] of USER_ROUTES) {
          const res = await call(admin, encodeURIComponent(id));
          expect({ id, route, status: res.status, code: res.body.code }).toEqual({
            id,
            route,
            status: 404,
            code: 'USER_NOT_FOUND',
          });
        }
        expect(await t.store.findUserState(id)).toBeNull();
      }
      // The hook saw each id exactly as typed: no coercion to a number, no prototype lookup on the way.
      expect(new Set(asked)).toEqual(new Set(ODD_IDS));
      expect(eventsAbout(t, ODD_IDS)).toEqual([]);

      await admin.get('/mfa/admin/users/u-bob').expect(200);
      await admin.post('/mfa/admin/users/u-bob/recovery-tickets').send({ reason: 'identity checked' }).expect(201);
    });

    it('asks the hook only for a verified admin, so nobody else can probe which ids exist', async () => {
      const bob = await signInEnrolled(t, 'bob');
      const passwordOnlyAdmin = await signIn(t, 'alice');
      for (const [route, call] of USER_ROUTES) {
        expect({ route, code: (await call(bob.agent, 'nobody')).body.code }).toEqual({
          route,
          code: 'MFA_ADMIN_FORBIDDEN',
        });
        expect({ route, code: (await call(passwordOnlyAdmin, 'nobody')).body.code }).toEqual({
          route,
          code: 'MFA_ENROLLMENT_REQUIRED',
        });
      }
      expect(asked).toEqual([]);
    });

    it('fails closed when the hook throws or answers anything but true', async () => {
      const { agent: admin } = await signInEnrolled(t, 'alice');
      // Express logs the fail-closed line to stderr, Nest through its Logger.
      const realWrite = process.stderr.write.bind(process.stderr);
      const logged: string[] = [];
      process.stderr.write = ((chunk: string) => (logged.push(String(chunk)), true)) as typeof process.stderr.write;
      const nestLog = jest
        .spyOn(Logger.prototype, 'error')
        .mockImplementation((message: unknown) => void logged.push(String(message)));
      try {
        hook = () => {
          throw new Error('user directory unreachable');
        };
        for (const [route, call] of USER_ROUTES) {
          const res = await call(admin, 'u-bob');
          expect({ route, status: res.status, code: res.body.code }).toEqual({
            route,
            status: 503,
            code: 'MFA_UNAVAILABLE',
          });
        }
      } finally {
        process.stderr.write = realWrite;
        nestLog.mockRestore();
      }
      expect(logged.join('')).toContain('UserExistsHookError');
      hook = (() => undefined) as unknown as typeof hook; // a hook that forgets to return
      expect((await admin.post('/mfa/admin/users/u-bob/reenrollment').send({}).expect(404)).body.code).toBe(
        'USER_NOT_FOUND',
      );
      expect(eventsAbout(t, ['u-bob'])).toEqual([]);
    });
  });

  describe('without a hook', () => {
    beforeEach(async () => {
      t = await startTestApp(backend, adapter);
    });

    it('takes any id as the host user it names, as a plain string, never a 5xx', async () => {
      const { agent: admin } = await signInEnrolled(t, 'alice');
      for (const id of ODD_IDS) {
        const view = await admin.get(`/mfa/admin/users/${encodeURIComponent(id)}`).expect(200);
        expect(view.body).toMatchObject({
          userId: id,
          factors: [],
          devices: [],
          enrollment: { requiredSince: null, reenrollmentForcedAt: null },
        });
      }
      await admin.post('/mfa/admin/users/-0/reenrollment').send({}).expect(200);
      await admin.post('/mfa/admin/users/hasOwnProperty/recovery-tickets').send({}).expect(201);
      expect((await admin.get('/mfa/admin/users/-0').expect(200)).body.enrollment.reenrollmentForcedAt).not.toBeNull();
      // "-0" is not "0": the id is never read as a number.
      expect((await admin.get('/mfa/admin/users/0').expect(200)).body.enrollment.reenrollmentForcedAt).toBeNull();
      expect(t.audit.ofType('recovery.ticket_issued')).toEqual([expect.objectContaining({ userId: 'hasOwnProperty' })]);
    });
  });
});
