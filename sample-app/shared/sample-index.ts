import { DEMO_USERS, isAdmin } from './demo-users';
import { PROFILE_NEXT_STEPS } from './dev-outbox';

const SIGN_IN = 'POST /auth/login';

/**
 * The sample's own routes and what each needs. Written by hand next to the policy, so
 * test/e2e/sample-index.e2e-spec.ts requests every one of them: a route that moves or
 * disappears fails there instead of leaving the index stale.
 */
export const SAMPLE_ROUTES = [
  { route: SIGN_IN, needs: 'nothing; body {"username","password"}' },
  { route: 'POST /auth/logout', needs: 'nothing' },
  {
    route: 'POST /auth/password',
    needs: 'sign-in; body {"currentPassword","newPassword"}; forgets your remembered browsers',
  },
  { route: 'GET /wiki', needs: 'nothing' },
  { route: 'GET /profile', needs: 'sign-in; lists your factors and how to enroll one' },
  { route: 'GET /profile/security', needs: 'sign-in and any factor verified in this session' },
  { route: 'GET /payments', needs: 'sign-in and any factor, or a browser you chose to trust' },
  {
    route: 'POST /payments/transfer',
    needs: 'TOTP in this session, then a fresh TOTP or backup code for each transfer',
  },
  { route: 'POST /payments/refund', needs: 'TOTP in this session, then a fresh TOTP or backup code for each refund' },
  {
    route: 'GET /admin',
    needs: 'an admin (alice) with TOTP verified in the last 5 minutes; 403 ADMIN_ONLY for others',
  },
  // The same flows as HTML pages (sample-app/shared/pages): a guarded page shows the challenge page in its place.
  { route: 'GET /ui', needs: 'nothing; the HTML pages start here' },
  { route: 'GET /ui/sign-in', needs: 'nothing; the sign-in form' },
  { route: 'GET /ui/enroll', needs: 'sign-in; add an authenticator app, a phone, an email address or a passkey' },
  { route: 'GET /ui/profile', needs: 'sign-in; factors, remembered browsers, other sessions, backup codes' },
  { route: 'GET /ui/secure', needs: 'sign-in and any factor verified in this session (the challenge page first)' },
  { route: 'GET /ui/payments', needs: 'sign-in and any factor, or a browser you chose to remember' },
  { route: 'GET /ui/password', needs: 'sign-in; change your password, which forgets your remembered browsers' },
  { route: 'GET /ui/recovery', needs: 'sign-in; redeem a recovery ticket from the help desk' },
  {
    route: 'GET /ui/admin',
    needs: 'an admin (alice); users, audit trail, policy through /mfa/admin/*, which asks for her own MFA',
  },
  { route: 'GET /docs', needs: "nothing; MFA's endpoints from the OpenAPI document (GET /openapi.json)" },
];

/** What GET / answers, the same on the Nest and the Express sample. */
export function sampleIndex(outbox: boolean) {
  return {
    app: 'nestjs-mfa sample',
    signIn: {
      route: SIGN_IN,
      body: { username: 'alice', password: 'alice-password' },
      users: DEMO_USERS.map(({ username, password, groups }) => ({
        username,
        password,
        groups,
        admin: isAdmin(groups),
      })),
    },
    routes: SAMPLE_ROUTES,
    mfa: {
      enroll: PROFILE_NEXT_STEPS,
      verify:
        'a guarded route answers 401 MFA_REQUIRED with challenge.id: POST /mfa/challenges/:id/verify {method, code} (sms, email: POST /mfa/challenges/:id/send {method} first)',
      manage: 'GET /mfa/enrollments, DELETE /mfa/enrollments/:id, POST /mfa/backup-codes/regenerate, GET /mfa/devices',
      admin: '/mfa/admin/* for admins only, e.g. GET /mfa/admin/users/u-bob, GET /mfa/admin/policy/versions',
      risk: 'a sign-in that looks unusual (a new country in the cf-ipcountry header, a trip too fast for a plane) asks for a factor even where a remembered browser would do; GET /mfa/admin/audit says why',
    },
    country: outbox
      ? 'the cf-ipcountry header; in development, when a request has none, the sample_country cookie the home page (/ui) sets'
      : 'the cf-ipcountry header, which the edge in front of the sample sets',
    devOutbox: outbox
      ? 'GET /dev/outbox (as a page: GET /ui/outbox): every code and notification this process sent (development only)'
      : 'off: set MFA_DEV_OUTBOX=1 (never with NODE_ENV=production) to read codes and notifications at GET /dev/outbox',
  };
}

/** The start-up lines; the first keeps the "<title> on http://" shape that test/multi-instance waits for. */
export function sampleBanner(title: string, url: string, outbox: boolean): string {
  const users = DEMO_USERS.map((u) => `${u.username}/${u.password}${isAdmin(u.groups) ? ' (admin)' : ''}`).join(', ');
  return [
    `${title} on ${url}`,
    `  sign in   ${SIGN_IN} {"username":"alice","password":"alice-password"}`,
    `  users     ${users}`,
    `  routes    GET / lists every route and what it needs`,
    `  pages     ${url}/ui (sign in, enroll, the challenge page, profile)`,
    `  MFA       /mfa/* (enroll, verify challenges, devices); /mfa/admin/* for admins`,
    `  outbox    ${outbox ? 'GET /dev/outbox (codes and notifications)' : 'off (MFA_DEV_OUTBOX=1 turns it on)'}`,
    `  country   ${outbox ? `pretend where you are on ${url}/ui (development only)` : 'cf-ipcountry, as the edge sets it'}`,
  ].join('\n');
}
