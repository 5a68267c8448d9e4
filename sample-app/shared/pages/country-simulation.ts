import { SIMULATED_COUNTRIES } from '../simulated-country';
import { html, SafeHtml } from './html';
import { liveRegions } from './page-layout';

/** What the home page knows of this request's country: the cookie's choice, and the header MFA read. */
export interface SimulatedLocation {
  chosen?: string;
  seen?: string;
}

const nameOf = (code: string) => SIMULATED_COUNTRIES.find((c) => c.code === code)?.name;

/**
 * The home page's development-only control (country.js stores the choice in a cookie), and the
 * steps that show adaptive MFA at work. `header`: the edge's country header the sample trusts.
 */
export function countrySimulation(location: SimulatedLocation, header: string): SafeHtml {
  const seen = location.seen;
  return html`<section class="card" aria-labelledby="country-heading">
    <h2 id="country-heading">Simulate where you are (development only)</h2>
    <p id="country-hint" class="hint">
      MFA reads your country from the <code>${header}</code> header. In production your edge (Cloudflare, say) sets it
      on every request, and no client can. Here, in development only, this browser can pretend: the sample keeps your
      choice in a cookie and copies it into the header when a request has none of its own.
    </p>
    <form id="country-form" aria-describedby="country-hint">
      <label for="country-select">Where your requests come from</label>
      <select id="country-select" name="country">
        <option value="">No header</option>
        ${SIMULATED_COUNTRIES.map(
          (c) =>
            html`<option value="${c.code}" ${c.code === location.chosen && html`selected`}>
              ${c.name} (${c.code})
            </option>`,
        )}
      </select>
      <button type="submit">Use this country</button>
    </form>
    ${liveRegions('country')}
    <p id="country-now">
      ${
        seen
          ? html`This page’s request reached MFA from ${nameOf(seen) ?? seen} (<code>${header}: ${seen}</code>).`
          : html`This page’s request reached MFA with no <code>${header}</code> header.`
      }
    </p>
    <h3>Watch a sign-in from a new country step up</h3>
    <ol>
      <li>
        Choose Germany. Sign in as alice, add an authenticator app, sign out and in again, open Payments and answer the
        check with “Remember this browser” ticked. MFA has now seen alice verify from Germany, in this browser.
      </li>
      <li>Sign out and in again: Payments opens without asking, because the remembered browser stands in.</li>
      <li>
        Sign out, choose Brazil, sign in and open Payments: MFA asks again. Alice never verified from Brazil, and no
        plane gets there from Germany in a few minutes. Nothing on the page says so: only administrators learn why.
      </li>
      <li>
        Choose Germany again and open the admin console: the audit trail for <code>u-alice</code> shows the risk behind
        that challenge, and “Explain a decision” with a country (BR, JP) shows what a sign-in from there would face.
      </li>
    </ol>
    <p class="hint">
      France instead of Brazil is too close for the travel check: only the new country counts (risk 0.5), which is
      enough for the policy’s <code>unusual-sign-in</code> rule. Switching country in the middle of a verified session
      takes another path: the policy’s <code>continuous.countryChange</code> asks again at once.
    </p>
  </section>`;
}
