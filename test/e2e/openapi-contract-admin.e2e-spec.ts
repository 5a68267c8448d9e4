// Invariant: the generated OpenAPI document holds against the real responses of the admin,
// policy and delivery-report routes, on both adapters: each answer's status is listed for its
// route and its body matches the schema (see openapi-contract.e2e-spec.ts for the user's routes).
import request, { Test } from 'supertest';
import { twilioSignature } from '../../libs/delivery/src';
import { ADMIN_ROUTES } from '../../libs/http/src/routes/admin.routes';
import { routeKey } from '../../libs/http/src/openapi/response-schemas';
import { BACKENDS } from '../support/backends';
import { CapturingAuditSink } from '../support/capturing-audit.sink';
import { useDeliveryServers } from '../support/delivery-servers';
import { DEVICE_POLICY, rememberThisBrowser, signInAgain } from '../support/devices';
import { ContractCheck } from '../support/openapi-contract';
import { deliveryOptions } from '../support/sms-gateway';
import { Adapter, signIn, signInEnrolled, startTestApp, TestApp } from '../support/test-app';

const KNOWN_USERS = new Set(['u-alice', 'u-bob']);

describe.each<Adapter>(['nest', 'express5'])(
  'OpenAPI contract: admin, policy and delivery reports on %s',
  (adapter) => {
    const c = new ContractCheck(`sqlite via ${adapter}`);
    const servers = useDeliveryServers();
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(BACKENDS[0], adapter, {
        ...deliveryOptions(servers.gateway, servers.inbox),
        policy: DEVICE_POLICY,
        trustedDeviceCookie: { secure: false },
        audit: ['database', new CapturingAuditSink()],
        userExists: async (userId) => KNOWN_USERS.has(userId),
      });
    });
    afterEach(() => t.close());
    const hit = async (key: string, req: Test, status: number) => c.check(key, await req, status);

    it('answers an admin acting on one user as documented', async () => {
      const bob = await signInEnrolled(t, 'bob');
      await signInAgain(bob.agent, 'bob');
      await rememberThisBrowser(t, bob.agent, bob.secret);
      const view = (agent: Test) => hit('GET /admin/users/:userId', agent, 200);
      await hit('GET /admin/users/:userId', request(t.http).get('/mfa/admin/users/u-bob'), 401);
      await hit('GET /admin/users/:userId', bob.agent.get('/mfa/admin/users/u-alice'), 403);
      const unenrolled = await signIn(t, 'alice');
      const refused = await hit('GET /admin/users/:userId', unenrolled.get('/mfa/admin/users/u-bob'), 403);
      expect(refused.body.enroll).toContainEqual({ method: 'totp', verb: 'POST', href: '/mfa/totp/enrollments' });

      const { agent: admin } = await signInEnrolled(t, 'alice');
      const { devices, factors } = (await view(admin.get('/mfa/admin/users/u-bob'))).body;
      await hit('GET /admin/users/:userId', admin.get('/mfa/admin/users/u-nobody'), 404);
      await hit('GET /admin/users/:userId', admin.get(`/mfa/admin/users/${'x'.repeat(192)}`), 400);
      await hit('GET /admin/compliance', admin.get('/mfa/admin/compliance'), 200);
      await hit('GET /admin/compliance', admin.get('/mfa/admin/compliance?format=pdf'), 400);
      const user = '/mfa/admin/users/u-bob';
      const device = `DELETE /admin/users/:userId/devices/:deviceId`;
      await hit(device, admin.delete(`${user}/devices/${devices[0].id}`), 200);
      await hit(device, admin.delete(`${user}/devices/${devices[0].id}`), 404);
      await hit('DELETE /admin/users/:userId/devices', admin.delete(`${user}/devices`), 200);
      await hit('POST /admin/users/:userId/backup-codes', admin.post(`${user}/backup-codes`).send({}), 200);
      const ticket = (body: object) => admin.post(`${user}/recovery-tickets`).send(body);
      await hit('POST /admin/users/:userId/recovery-tickets', ticket({ ttlHours: 99 }), 400);
      await hit('POST /admin/users/:userId/recovery-tickets', ticket({ reason: 'verified by video call' }), 201);
      await hit('DELETE /admin/users/:userId/lockout', admin.delete(`${user}/lockout`), 200);
      const reset = `DELETE /admin/users/:userId/enrollments/:enrollmentId`;
      await hit(reset, admin.delete(`${user}/enrollments/nope`), 404);
      await hit(reset, admin.delete(`${user}/enrollments/${factors[0].id}`), 200);
      await hit('POST /admin/users/:userId/backup-codes', admin.post(`${user}/backup-codes`).send({}), 409);
      const force = () => admin.post(`${user}/reenrollment`).send({});
      await hit('POST /admin/users/:userId/reenrollment', force().set('Origin', 'https://evil.example'), 403);
      await hit('POST /admin/users/:userId/reenrollment', force(), 200);
      // The refusal that starts it, at a guarded route of the host, offers the end of other sessions.
      expect(c.refusal(await bob.agent.get('/profile/security'), 403).body.otherSessions).toBeDefined();
      t.clock.advance(301);
      await hit('POST /admin/users/:userId/reenrollment', force(), 401);
    });

    it('answers the policy and audit routes as documented', async () => {
      const { agent: admin } = await signInEnrolled(t, 'alice');
      const versions = '/mfa/admin/policy/versions';
      await hit('POST /admin/policy/rollback', admin.post('/mfa/admin/policy/rollback'), 404);
      await hit('GET /admin/policy/versions', (await signIn(t, 'bob')).get(versions), 403);
      await hit('GET /admin/policy/versions', admin.get(versions), 200);
      await hit('GET /admin/policy/versions/:version', admin.get(`${versions}/1`), 200);
      await hit('GET /admin/policy/versions/:version', admin.get(`${versions}/99`), 404);
      await hit('GET /admin/policy/versions/:version', admin.get(`${versions}/one`), 404);
      const create = (body: object) => admin.post(versions).send(body);
      await hit('POST /admin/policy/versions', create({ document: { rules: [{ id: 'x' }] } }), 400);
      await hit('POST /admin/policy/versions', create({ document: [] }), 400);
      const document = { services: { payments: { require: 'totp' } } };
      await hit('POST /admin/policy/versions', create({ document, comment: 'TOTP for payments' }), 201);
      const activate = (v: string) => admin.post(`${versions}/${v}/activate`);
      await hit('POST /admin/policy/versions/:version/activate', activate('99'), 404);
      await hit('POST /admin/policy/versions/:version/activate', activate('2'), 200);
      await hit('POST /admin/policy/rollback', admin.post('/mfa/admin/policy/rollback'), 200);

      const explain = (body: object) => admin.post('/mfa/admin/policy/explain').send(body);
      const target = { service: 'payments', operation: 'transfer' };
      const outcomes = [];
      for (const context of [{ country: 'TR' }, { country: 'KP' }, { machine: true }, { risk: 0.9 }])
        outcomes.push(
          (await hit('POST /admin/policy/explain', explain({ userId: 'u-bob', target, context }), 200)).body,
        );
      expect(outcomes.map((o) => o.outcome)).toEqual(['challenge', 'deny', 'allow', 'challenge']);
      const wiki = { service: 'wiki', requirement: { factors: ['totp'], maxAge: 60, minAal: 2 } };
      await hit('POST /admin/policy/explain', explain({ userId: 'u-bob', groups: ['staff'], target: wiki }), 200);
      await hit('POST /admin/policy/explain', explain({ userId: 5 }), 400);
      const requirement = { allowTrustedDevice: true, minAal: 2 }; // one the decorators refuse at boot
      await hit('POST /admin/policy/explain', explain({ userId: 'u-bob', target: { requirement } }), 400);

      await hit('GET /admin/audit', admin.get('/mfa/admin/audit').query({ limit: 'lots' }), 400);
      for (let tries = 0; tries < 500; tries++) {
        if ((await admin.get('/mfa/admin/audit').query({ limit: 2 })).body.nextCursor) break;
        await new Promise((resolve) => setTimeout(resolve, 20)); // audit writes land in the background
      }
      const page = await hit('GET /admin/audit', admin.get('/mfa/admin/audit').query({ limit: 2 }), 200);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      const next = admin.get('/mfa/admin/audit').query({ cursor: page.body.nextCursor, from: '2026-01-01' });
      await hit('GET /admin/audit', next, 200);
    });

    it('answers an audit query without a searchable sink as documented', async () => {
      await t.close();
      t = await startTestApp(BACKENDS[0], adapter);
      const { agent: admin } = await signInEnrolled(t, 'alice');
      await hit('GET /admin/audit', admin.get('/mfa/admin/audit'), 404);
    });

    it("answers providers' delivery reports as documented", async () => {
      await t.close();
      t = await startTestApp(BACKENDS[0], adapter, {
        sms: {
          preset: 'vonage',
          apiKey: 'k',
          apiSecret: 's',
          from: 'Acme',
          baseUrl: servers.gateway.url,
          callbackUrl: 'https://app.example.test/mfa/delivery/vonage/status?token=dlr-secret',
          callbackToken: 'dlr-secret',
        },
      });
      const report = { messageId: 'V-00', status: 'delivered' };
      const byGet = (token: string) =>
        request(t.http)
          .get('/mfa/delivery/vonage/status')
          .query({ token, ...report });
      await hit('GET /delivery/:provider/status', byGet('nope'), 403);
      await hit('GET /delivery/:provider/status', byGet('dlr-secret'), 200);
      const byPost = (token: string) => request(t.http).post(`/mfa/delivery/vonage/status?token=${token}`).send(report);
      await hit('POST /delivery/:provider/status', byPost('nope'), 403);
      await hit('POST /delivery/:provider/status', byPost('dlr-secret'), 200);
      const twilio = { MessageSid: 'SM1', MessageStatus: 'delivered' };
      const signed = twilioSignature('guessed', 'https://app.example.test/mfa/delivery/twilio/status', twilio);
      const forged = request(t.http).post('/mfa/delivery/twilio/status').type('form').set('X-Twilio-Signature', signed);
      await hit('POST /delivery/:provider/status', forged.send(twilio), 403);
    });

    it('was driven to the success answer of every admin, policy and delivery route, and to refusals', () => {
      const { missing, refusals } = c.coverage(ADMIN_ROUTES.map(routeKey));
      expect(missing).toEqual([]);
      expect(refusals).toBeGreaterThanOrEqual(15);
    });
  },
);
