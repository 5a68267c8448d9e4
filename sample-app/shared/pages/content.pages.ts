import { DemoUser, isAdmin } from '../demo-users';
import { SAMPLE_MFA_DEFAULTS } from '../sample-mfa-policy';
import { countrySimulation, SimulatedLocation } from './country-simulation';
import { html } from './html';
import { layout, liveRegions } from './page-layout';

/**
 * GET /ui: what each page demonstrates. `outbox`: development mode, with the outbox page;
 * `location`: where this browser pretends to be, shown in development only.
 */
export function homePage(user: DemoUser | undefined, outbox = false, location?: SimulatedLocation): string {
  const header = SAMPLE_MFA_DEFAULTS.trustedCountryHeader;
  return layout({
    title: 'nestjs-mfa sample',
    user,
    scripts: location && header ? ['country.js'] : [],
    main: html`<p>Server-rendered pages over the MFA HTTP API, the same on the Nest and the Express sample.</p>
      <ul class="links">
        <li><a href="/ui/sign-in">Sign in</a> with a demo user.</li>
        <li><a href="/ui/enroll">Add a factor</a>: an authenticator app, a phone, an email address or a passkey.</li>
        <li>
          <a href="/ui/secure">Secure page</a>: needs a second factor in this session; you meet the challenge page
          first.
        </li>
        <li>
          <a href="/ui/payments">Payments</a>: any factor, or a browser you chose to remember, unless the sign-in looks
          unusual (a new country, a trip too fast for a plane).
        </li>
        <li><a href="/ui/profile">Profile</a>: your factors, remembered browsers, other sessions and backup codes.</li>
        <li><a href="/ui/password">Change your password</a>: every browser you chose to remember is forgotten.</li>
        <li><a href="/ui/recovery">Redeem a recovery ticket</a> the help desk gave you, then add a factor anew.</li>
        ${
          isAdmin(user?.groups) &&
          html`<li>
            <a href="/ui/admin">Admin console</a>: look up a user, reset factors, recovery tickets, the audit trail and
            the policy.
          </li>`
        }
        ${
          outbox &&
          html`<li>
            <a href="/ui/outbox">Development outbox</a>: every text message and email this process sent, codes included.
          </li>`
        }
      </ul>
      <p>The JSON index of every route is at <a href="/">/</a>.</p>
      ${location && header && countrySimulation(location, header)}`,
  });
}

/** GET /ui/secure: reached only once the session verified a factor (RequireMfa / requireMfa()). */
export function securePage(user: DemoUser | undefined): string {
  return layout({
    title: 'Secure page',
    user,
    main: html`<p id="guarded-content">You verified a second factor in this session, so this page opened.</p>
      <p><a href="/ui/profile">Manage your factors</a></p>`,
  });
}

/**
 * GET /ui/payments: the policy's `payments` service, where a remembered browser stands in. The
 * transfer form posts to POST /payments/transfer through the client (payments.js), which meets
 * the policy's fresh code for each transfer with the step-up dialog, on this page.
 */
export function paymentsPage(user: DemoUser | undefined): string {
  return layout({
    title: 'Payments',
    user,
    scripts: ['payments.js'],
    main: html`<p id="guarded-content">Balance: <strong>1,250.00</strong></p>
      <p class="hint">
        The policy lets a browser you chose to remember stand in for a second factor here, and only here, as long as the
        sign-in does not look unusual.
      </p>
      <form id="transfer-form" class="card" aria-labelledby="transfer-heading" aria-describedby="transfer-hint">
        <h2 id="transfer-heading">Send a transfer</h2>
        ${liveRegions('transfer')}
        <p id="transfer-hint" class="hint">
          Every transfer asks for a fresh code from your authenticator app, or a backup code, right here.
        </p>
        <label for="transfer-amount">Amount</label>
        <input id="transfer-amount" name="amount" type="number" min="0.01" step="0.01" value="10.00" required />
        <button type="submit">Send transfer</button>
      </form>`,
  });
}
