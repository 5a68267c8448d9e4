import type { ChallengeView, MethodView, RequirementStepView } from '../../../src/core';
import type { DemoUser } from '../demo-users';
import { html, SafeHtml } from './html';
import { layout, liveRegions } from './page-layout';

const FACTOR_NAMES: Record<string, string> = {
  totp: 'an authenticator app',
  sms: 'a text message',
  email: 'an email code',
  backup_code: 'a backup code',
  webauthn: 'a passkey',
};

/** "a passkey or an authenticator app, verified in the last 5 minutes": what the guard asked for, in words. */
export function describeStep(step: RequirementStepView | undefined): string {
  if (!step) return 'a second factor';
  const which = step.any ? 'any of your second factors' : step.factors.map((f) => FACTOR_NAMES[f] ?? f).join(' or ');
  const parts = [which];
  if (step.phishingResistant) parts.push('(phishing-resistant)');
  if (step.minAal) parts.push(`at assurance level ${step.minAal}`);
  if (step.maxAge === 0) parts.push('for this one operation');
  else if (step.maxAge !== undefined) parts.push(`verified in the last ${minutes(step.maxAge)}`);
  return parts.join(' ');
}

function minutes(seconds: number): string {
  return seconds < 120 ? `${seconds} seconds` : `${Math.round(seconds / 60)} minutes`;
}

/**
 * Shown in place of a guarded page the session may not open yet (401 MFA_REQUIRED): one form
 * per way the user can answer. challenge.js verifies through the MFA API and reloads the page.
 */
export function challengePage(challenge: ChallengeView, user: DemoUser | null | undefined, url: string): string {
  const steps = challenge.requirement.steps;
  return layout({
    title: 'Confirm it’s you',
    user,
    scripts: ['challenge.js'],
    main: html`<section id="challenge" data-challenge-id="${challenge.id}" aria-describedby="challenge-need">
      <p id="challenge-need">
        This page needs
        ${describeStep(steps[0])}.${
          steps.length > 1 && html` After this, ${steps.length - 1} more check${steps.length > 2 && 's'} will follow.`
        }
      </p>
      ${liveRegions('challenge')}
      <p class="remember">
        <input type="checkbox" id="remember-device" aria-describedby="remember-hint" />
        <label for="remember-device">Remember this browser</label>
        <span id="remember-hint" class="hint">
          A remembered browser skips only the checks the policy lets it skip. Once you verify, this page lists them.
        </span>
      </p>
      ${challenge.methods.map(methodForm)}
      ${
        challenge.methods.length === 0 &&
        html`<p>None of your factors can answer this check. <a href="/ui/enroll">Add one</a>.</p>`
      }
      <div id="challenge-done" class="done" hidden>
        <p id="device-outcome"></p>
        <a id="challenge-continue" class="button" href="${url}">Continue</a>
      </div>
    </section>`,
  });
}

function methodForm(method: MethodView): SafeHtml {
  switch (method.type) {
    case 'totp':
      return html`<form class="method" data-method="totp" aria-labelledby="totp-title">
        <h2 id="totp-title">Authenticator app</h2>
        ${
          method.enrollments.length > 1 &&
          html`<label for="totp-app">Which app</label>
            <select id="totp-app" name="enrollmentId">
              <option value="">Any of my apps</option>
              ${method.enrollments.map((e) => html`<option value="${e.id}">${e.label ?? 'Authenticator app'}</option>`)}
            </select>`
        }
        ${codeField('totp-code', 'Code from your authenticator app')}
        <button type="submit">Verify</button>
      </form>`;
    case 'sms':
    case 'email': {
      const what = method.type === 'sms' ? 'Text message' : 'Email';
      return html`<form class="method" data-method="${method.type}" aria-labelledby="${method.type}-title">
        <h2 id="${method.type}-title">${what}</h2>
        <label for="${method.type}-target">Send the code to</label>
        <select id="${method.type}-target" name="enrollmentId">
          ${method.enrollments.map((e) => html`<option value="${e.id}">${e.maskedTarget ?? e.label ?? what}</option>`)}
        </select>
        <button type="button" class="secondary" data-send>Send code</button>
        ${codeField(`${method.type}-code`, method.type === 'sms' ? 'Code from the text message' : 'Code from the email')}
        <button type="submit">Verify</button>
      </form>`;
    }
    case 'backup_code':
      return html`<form class="method" data-method="backup_code" aria-labelledby="backup-title">
        <h2 id="backup-title">Backup code</h2>
        <p id="backup-hint" class="hint">You have ${method.remaining} unused codes. Each works once.</p>
        <label for="backup-code">Backup code</label>
        <!-- Letters and digits: a numeric keypad could not type them. -->
        <input
          id="backup-code"
          name="code"
          autocomplete="one-time-code"
          autocapitalize="characters"
          spellcheck="false"
          maxlength="64"
          aria-describedby="backup-hint"
          required
        />
        <button type="submit">Verify</button>
      </form>`;
    case 'webauthn':
      return html`<form class="method" data-method="webauthn" aria-labelledby="passkey-title">
        <h2 id="passkey-title">Passkey</h2>
        <p class="hint">
          ${method.enrollments.map((e) => e.label ?? e.authenticator ?? 'Passkey').join(', ')}: your browser asks for
          it.
        </p>
        <button type="submit">Use a passkey</button>
      </form>`;
  }
}

/** A one-time code input: numeric keypad, offered from SMS by the OS (`one-time-code`). */
export function codeField(id: string, label: string): SafeHtml {
  return html`<label for="${id}">${label}</label>
    <input
      id="${id}"
      name="code"
      inputmode="numeric"
      autocomplete="one-time-code"
      spellcheck="false"
      maxlength="32"
      required
    />`;
}
