import type { EnrollmentSummary, FactorView, TrustedDeviceView } from '../../../src/core';
import type { DemoUser } from '../demo-users';
import { backupCodesPanel } from './enroll.page';
import { html, SafeHtml } from './html';
import { layout, liveRegions } from './page-layout';

export interface ProfileData {
  user: DemoUser;
  summary: EnrollmentSummary;
  devices: TrustedDeviceView[];
  /** null: the count is unknown just now. */
  otherSessions: number | null;
}

const TYPE_NAMES: Record<string, string> = {
  totp: 'Authenticator app',
  sms: 'Text message',
  email: 'Email',
  webauthn: 'Passkey',
};

/** The user's own security settings; every change goes through the MFA API (profile.js). */
export function profilePage({ user, summary, devices, otherSessions }: ProfileData): string {
  return layout({
    title: 'Profile',
    user,
    scripts: ['profile.js'],
    main: html`${liveRegions('profile')}
      <section class="card" aria-labelledby="factors-heading">
        <h2 id="factors-heading" tabindex="-1">Your factors</h2>
        ${
          summary.factors.length
            ? html`<table id="factor-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Added</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  ${summary.factors.map(factorRow)}
                </tbody>
              </table>`
            : html`<p>No second factor yet.</p>`
        }
        <p><a class="button" href="/ui/enroll">Add a factor</a></p>
      </section>
      <section class="card" aria-labelledby="codes-heading">
        <h2 id="codes-heading">Backup codes</h2>
        <p id="codes-remaining">${summary.backupCodes.remaining} unused backup codes left.</p>
        <button type="button" id="regenerate-codes" aria-describedby="regenerate-hint">Generate new codes</button>
        <p id="regenerate-hint" class="hint">New codes replace every old one.</p>
      </section>
      ${backupCodesPanel('/ui/profile')}
      <section class="card" aria-labelledby="devices-heading">
        <h2 id="devices-heading" tabindex="-1">Remembered browsers</h2>
        ${
          devices.length
            ? html`<ul id="device-list" class="rows">
                  ${devices.map(deviceRow)}
                </ul>
                <button type="button" id="forget-all-devices" class="danger">Forget all browsers</button>`
            : html`<p>No remembered browsers.</p>`
        }
      </section>
      <section class="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Other sessions</h2>
        <p id="other-sessions">${sessionsText(otherSessions)}</p>
        <button type="button" id="end-other-sessions">Sign out everywhere else</button>
      </section>`,
  });
}

function factorRow(f: FactorView): SafeHtml {
  const name = f.label ?? f.maskedTarget ?? TYPE_NAMES[f.type] ?? f.type;
  const kind = [TYPE_NAMES[f.type] ?? f.type, f.maskedTarget, f.passkey?.authenticator].filter(Boolean).join(' · ');
  return html`<tr data-factor-id="${f.id}">
    <th scope="row" class="factor-name">${name}</th>
    <td>${kind}</td>
    <td>${when(f.confirmedAt ?? f.createdAt)}</td>
    <td>${f.lastUsedAt ? when(f.lastUsedAt) : 'never'}</td>
    <td>
      <form class="rename" data-id="${f.id}">
        <label for="rename-${f.id}">New name for <span class="factor-name">${name}</span></label>
        <input id="rename-${f.id}" name="label" value="${f.label ?? ''}" maxlength="64" required autocomplete="off" />
        <button type="submit">Rename</button>
      </form>
      <button type="button" class="danger" data-remove="${f.id}">
        Remove <span class="visually-hidden factor-name">${name}</span>
      </button>
    </td>
  </tr>`;
}

function deviceRow(d: TrustedDeviceView): SafeHtml {
  return html`<li data-device-id="${d.id}">
    <span>${d.label}${d.current && html` <strong>(this browser)</strong>`}, remembered until ${when(d.expiresAt)}</span>
    <button type="button" class="secondary" data-forget="${d.id}">
      Forget <span class="visually-hidden">${d.label}</span>
    </button>
  </li>`;
}

export function sessionsText(count: number | null): string {
  if (count === null) return 'How many other sessions you have is not known just now.';
  if (count === 0) return 'You are not signed in anywhere else.';
  return `You are signed in ${count === 1 ? 'one other place' : `${count} other places`}.`;
}

function when(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}
