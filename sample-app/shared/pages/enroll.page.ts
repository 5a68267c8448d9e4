import type { DemoUser } from '../demo-users';
import { codeField } from './challenge.page';
import { html, SafeHtml } from './html';
import { layout, liveRegions } from './page-layout';

/**
 * Binding a factor: each section starts an enrollment through the MFA API and confirms it
 * (enroll.js). A user who already has a factor verifies first, as the API requires, in the
 * step-up dialog on this page.
 */
export function enrollPage(user: DemoUser, next: string | null): string {
  return layout({
    title: 'Add a second factor',
    user,
    scripts: ['enroll.js'],
    main: html`<div id="enroll" data-next="${next ?? '/ui/profile'}">
      ${next && html`<p>When you are done, <a href="${next}">go back to the page you wanted</a>.</p>`}
      ${liveRegions('enroll')}
      <section class="card" aria-labelledby="totp-heading">
        <h2 id="totp-heading">Authenticator app</h2>
        <form id="totp-start">
          ${labelField('totp-label', 'Name for this app', 'e.g. Phone')}
          <button type="submit">Set up an authenticator app</button>
        </form>
        <div id="totp-setup" hidden>
          <p>Scan this QR code with your authenticator app:</p>
          <img id="totp-qr" class="qr" alt="QR code for your authenticator app" width="200" height="200" />
          <p>Cannot scan it? Enter this key instead: <code id="totp-secret" class="secret"></code></p>
          <form id="totp-confirm">
            ${codeField('totp-code', 'Code the app shows now')}
            <button type="submit">Confirm</button>
          </form>
        </div>
      </section>
      ${deliverySection('sms', 'Text message', 'Phone number, international format', 'tel', 'tel', '+905321234512')}
      ${deliverySection('email', 'Email', 'Email address', 'email', 'email', 'you@example.com')}
      <section class="card" aria-labelledby="passkey-heading">
        <h2 id="passkey-heading">Passkey</h2>
        <form id="passkey-start">
          ${labelField('passkey-label', 'Name for this passkey', 'e.g. This laptop')}
          <button type="submit">Create a passkey</button>
        </form>
      </section>
      ${backupCodesPanel(next ?? '/ui/profile')}
    </div>`,
  });
}

function labelField(id: string, label: string, placeholder: string): SafeHtml {
  return html`<label for="${id}">${label} <span class="hint">(optional)</span></label>
    <input id="${id}" name="label" maxlength="64" placeholder="${placeholder}" autocomplete="off" />`;
}

function deliverySection(
  channel: 'sms' | 'email',
  title: string,
  label: string,
  type: string,
  autocomplete: string,
  example: string,
): SafeHtml {
  const field = channel === 'sms' ? 'phone' : 'email';
  return html`<section class="card" aria-labelledby="${channel}-heading">
    <h2 id="${channel}-heading">${title}</h2>
    <form id="${channel}-start" data-channel="${channel}" data-field="${field}">
      <label for="${channel}-target">${label}</label>
      <input
        id="${channel}-target"
        name="${field}"
        type="${type}"
        autocomplete="${autocomplete}"
        placeholder="${example}"
        required
      />
      <button type="submit">Send a code</button>
    </form>
    <form id="${channel}-confirm" data-channel="${channel}" hidden>
      <p id="${channel}-sent"></p>
      ${codeField(`${channel}-code`, 'Code you received')}
      <button type="submit">Confirm</button>
      <button type="button" class="secondary" data-resend>Resend code</button>
    </form>
  </section>`;
}

/** Filled by backup-codes.js from the one answer that carries the codes; never rendered by the server. */
export function backupCodesPanel(done: string): SafeHtml {
  return html`<section id="backup-codes" class="card" aria-labelledby="backup-codes-heading" tabindex="-1" hidden>
    <h2 id="backup-codes-heading">Your backup codes</h2>
    <p>
      <strong>Shown only this once.</strong> Each code works once, when you cannot use your other factors. Keep them
      somewhere safe.
    </p>
    <ol id="backup-code-list" class="codes"></ol>
    <p class="actions">
      <button type="button" id="copy-codes">Copy</button>
      <button type="button" id="download-codes">Download</button>
      <a id="codes-done" href="${done}">I have saved them</a>
    </p>
  </section>`;
}
