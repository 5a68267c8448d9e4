import type { DemoUser } from '../demo-users';
import { html, SafeHtml } from './html';
import { complianceSection } from './admin-compliance.section';
import { rolloutForms } from './admin-rollout.page';
import { layout, liveRegions } from './page-layout';

/**
 * "What would this user face on this route?": the sample's routes with the target MFA sees for
 * each (the route's own decorator as `requirement`, since explain cannot read it from a route).
 */
export const EXPLAIN_ROUTES: { route: string; target: object }[] = [
  { route: 'GET /ui/payments', target: { service: 'payments' } },
  { route: 'POST /payments/transfer', target: { service: 'payments', operation: 'transfer' } },
  { route: 'GET /ui/secure (RequireMfa)', target: { requirement: {} } },
  {
    route: 'GET /admin (StepUp: TOTP, 5 minutes)',
    target: { service: 'admin', requirement: { factors: ['totp'], maxAge: 300 } },
  },
  { route: 'GET /wiki (no decorator)', target: {} },
];

/** Audit event types worth filtering on; the field takes any other type too. */
const AUDIT_TYPES = [
  // Decisions: each that used risk leads its reason with the signals behind it.
  'challenge.issued',
  'session.drift',
  'decision.denied',
  'enrollment.reset',
  'recovery.ticket_issued',
  'recovery.ticket_redeemed',
  'admin.reenrollment_forced',
  'admin.lockout_cleared',
  'device.trusted',
  'device.revoked',
  'factor.renamed',
  // Safe rollout: a report-only version's disagreements with the enforcing one, and its runs.
  'policy.report_only',
  'policy.report_only_started',
  'policy.report_only_stopped',
];

/**
 * GET /ui/admin (admins only): a shell the console script fills from MFA's own admin API
 * (/mfa/admin/*), which also asks for the admin's own recent verification.
 */
export function adminPage(user: DemoUser, lookup: string): string {
  return layout({
    title: 'Admin console',
    user,
    scripts: ['admin.js'],
    main: html`${liveRegions('admin')}
      <section class="card" aria-labelledby="lookup-heading">
        <h2 id="lookup-heading">Look up a user</h2>
        <form id="lookup-form" aria-describedby="lookup-hint">
          <label for="lookup-user">User id</label>
          <input id="lookup-user" name="userId" value="${lookup}" maxlength="191" autocomplete="off" required />
          <p id="lookup-hint" class="hint">The demo users are <code>u-alice</code> and <code>u-bob</code>.</p>
          <button type="submit">Look up</button>
        </form>
        ${userView()}
      </section>
      ${complianceSection()}
      <section class="card" aria-labelledby="audit-heading">
        <h2 id="audit-heading">Audit trail</h2>
        ${auditForm()}
        <p id="audit-summary" role="status"></p>
        <table id="audit-table" hidden>
          <caption class="visually-hidden">
            Audit events, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Type</th>
              <th scope="col">User</th>
              <th scope="col">Outcome</th>
              <th scope="col">By</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
        <button type="button" id="audit-next" class="secondary" hidden>Next page</button>
      </section>
      <section class="card" aria-labelledby="policy-heading">
        <h2 id="policy-heading" tabindex="-1">Policy versions</h2>
        <table id="policy-versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Author</th>
              <th scope="col">Comment</th>
              <th scope="col">Created</th>
              <th scope="col">Report-only</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
        <button type="button" id="policy-rollback" class="secondary">Roll back to the previous version</button>
        <p class="hint">
          A version run report-only is decided beside the active one on every guarded request and never enforced: where
          the two disagree, the audit trail records it as <code>policy.report_only</code>.
        </p>
      </section>
      ${rolloutForms()}
      <section class="card" aria-labelledby="explain-heading">
        <h2 id="explain-heading">Explain a decision</h2>
        ${explainForm(lookup)}
      </section>`,
  });
}

function userView(): SafeHtml {
  return html`<div id="user-view" hidden>
    <h3 id="user-heading" tabindex="-1"></h3>
    <p id="user-enrollment"></p>
    <h4>Factors</h4>
    <table id="user-factors">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Last used</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody></tbody>
    </table>
    <p id="user-codes"></p>
    <h4>Remembered browsers</h4>
    <ul id="user-devices" class="rows"></ul>
    <button type="button" id="revoke-devices" class="danger">Forget all of this user's browsers</button>
    <h4>Lockout</h4>
    <p id="user-lockout"></p>
    <button type="button" id="clear-lockout" class="secondary">Clear lockout</button>
    <h4>Start over</h4>
    <button type="button" id="force-reenrollment" class="danger" aria-describedby="reenroll-hint">
      Force re-enrollment
    </button>
    <p id="reenroll-hint" class="hint">Every factor, backup code and remembered browser goes; the user enrolls anew.</p>
    <form id="ticket-form" aria-labelledby="ticket-form-heading">
      <h4 id="ticket-form-heading">Recovery ticket</h4>
      <label for="ticket-reason">Reason, for the audit trail</label>
      <input
        id="ticket-reason"
        name="reason"
        maxlength="512"
        required
        autocomplete="off"
        placeholder="identity checked by video call"
      />
      <label for="ticket-hours">Valid for (hours)</label>
      <input id="ticket-hours" name="ttlHours" type="number" min="1" max="72" value="24" required />
      <button type="submit">Issue a recovery ticket</button>
    </form>
    <div id="ticket-panel" class="done" tabindex="-1" hidden>
      <p>Give this ticket to the user over a channel you checked. It is shown only now and works once.</p>
      <p><code id="ticket-value"></code></p>
      <p id="ticket-expires"></p>
    </div>
  </div>`;
}

function auditForm(): SafeHtml {
  return html`<form id="audit-form">
    <label for="audit-user">User id <span class="hint">(optional)</span></label>
    <input id="audit-user" name="userId" maxlength="191" autocomplete="off" />
    <label for="audit-type">Event type <span class="hint">(optional)</span></label>
    <input id="audit-type" name="type" list="audit-types" maxlength="64" autocomplete="off" />
    <datalist id="audit-types">${AUDIT_TYPES.map((t) => html`<option value="${t}"></option>`)}</datalist>
    <label for="audit-from">From <span class="hint">(optional, your time)</span></label>
    <input id="audit-from" name="from" type="datetime-local" />
    <label for="audit-to">Until <span class="hint">(optional, your time)</span></label>
    <input id="audit-to" name="to" type="datetime-local" />
    <label for="audit-limit">Events per page</label>
    <input id="audit-limit" name="limit" type="number" min="1" max="200" value="20" required />
    <button type="submit">Search</button>
  </form>`;
}

function explainForm(userId: string): SafeHtml {
  return html`<form id="explain-form">
      <label for="explain-user">User id</label>
      <input id="explain-user" name="userId" value="${userId}" maxlength="191" autocomplete="off" required />
      <label for="explain-route">Route</label>
      <select id="explain-route" name="route">
        ${EXPLAIN_ROUTES.map(
          (r) => html`<option value="${r.route}" data-target="${JSON.stringify(r.target)}">${r.route}</option>`,
        )}
      </select>
      <label for="explain-country">Country <span class="hint">(optional)</span></label>
      <input
        id="explain-country"
        name="country"
        maxlength="2"
        pattern="[A-Za-z]{2}"
        autocomplete="off"
        autocapitalize="characters"
        spellcheck="false"
        aria-describedby="explain-country-hint"
      />
      <p id="explain-country-hint" class="hint">
        Two letters, such as <code>BR</code>: what a request from there would face now, scored from the user’s own
        history. Empty: a request with no country.
      </p>
      <button type="submit">Explain</button>
    </form>
    <div id="explain-result" tabindex="-1" hidden>
      <p id="explain-outcome"></p>
      <p id="explain-risk"></p>
      <h3>Why</h3>
      <ul id="explain-reasons"></ul>
      <table id="explain-layers">
        <caption>
          Every requirement that applies
        </caption>
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Effect</th>
            <th scope="col">Met by a fresh session</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody></tbody>
      </table>
    </div>`;
}
