// The admin console's user panel: look a user up, reset a factor, forget their browsers, clear
// a lockout, force re-enrollment, issue a recovery ticket, grant or end an exemption.
import { act, el, row, say, when } from './admin-shared.js';
import { showExemptions } from './admin-exemptions.js';
import { mfa } from './mfa.js';

const lookupForm = document.getElementById('lookup-form');
const view = document.getElementById('user-view');
let current = null;

/** Shows `userId`, and keeps them in ?user= so a reload comes back to the same user. */
export async function lookUp(userId) {
  const url = new URL(location.href);
  url.searchParams.set('user', userId);
  history.replaceState(null, '', url);
  const data = await mfa.admin.viewUser(userId);
  current = userId;
  render(data);
  await showExemptions(userId);
}

function render(data) {
  view.hidden = false;
  document.getElementById('user-heading').textContent = `User ${data.userId}`;
  const { requiredSince, reenrollmentForcedAt } = data.enrollment;
  document.getElementById('user-enrollment').textContent = reenrollmentForcedAt
    ? `Re-enrollment forced at ${when(reenrollmentForcedAt)}: the user must add a factor at the next request.`
    : requiredSince
      ? `Enrollment required since ${when(requiredSince)}.`
      : 'No enrollment deadline.';
  const factors = document.querySelector('#user-factors tbody');
  factors.replaceChildren(
    ...data.factors.map((f) => {
      const name = f.label ?? f.maskedTarget ?? f.type;
      const reset = el('button', null, { type: 'button', class: 'danger', 'data-reset': f.id });
      reset.append('Reset ', el('span', name, { class: 'visually-hidden' }));
      reset.addEventListener('click', () => resetFactor(reset, f.id, name));
      return row([name, [f.type, f.maskedTarget].filter(Boolean).join(' · '), when(f.lastUsedAt), reset], true);
    }),
  );
  if (!data.factors.length) factors.append(row([el('span', 'No factors.')]));
  document.getElementById('user-codes').textContent = `${data.backupCodes.remaining} unused backup codes left.`;
  const devices = document.getElementById('user-devices');
  devices.replaceChildren(...data.devices.map((d) => el('li', `${d.label}, remembered until ${when(d.expiresAt)}`)));
  if (!data.devices.length) devices.append(el('li', 'No remembered browsers.'));
  // Every channel is listed; only the ones with failures or a lock say anything.
  const locks = Object.entries(data.lockout).filter(([, l]) => l.failures > 0 || l.lockedForSeconds > 0);
  document.getElementById('user-lockout').textContent = locks.length
    ? locks
        .map(
          ([channel, l]) =>
            `${channel}: ${l.failures} failures${l.lockedForSeconds ? `, locked ${l.lockedForSeconds} s more` : ''}`,
        )
        .join('; ')
    : 'Not locked.';
}

async function refresh() {
  render(await mfa.admin.viewUser(current));
}

function resetFactor(button, enrollmentId, name) {
  if (!confirm(`Reset ${name} of ${current}? It stops verifying them, and their remembered browsers are forgotten.`))
    return;
  void act(button, async () => {
    await mfa.admin.resetFactor(current, enrollmentId);
    say(`${name} reset.`);
    await refresh();
    document.getElementById('user-heading').focus();
  });
}

lookupForm.addEventListener('submit', (event) => {
  event.preventDefault();
  document.getElementById('ticket-panel').hidden = true;
  void act(lookupForm, () => lookUp(lookupForm.elements.userId.value.trim()));
});

const revokeDevices = document.getElementById('revoke-devices');
revokeDevices.addEventListener('click', () =>
  act(revokeDevices, async () => {
    const { revoked } = await mfa.admin.revokeDevices(current);
    say(`${revoked} remembered browser(s) of ${current} forgotten.`);
    await refresh();
  }),
);

const clearLockout = document.getElementById('clear-lockout');
clearLockout.addEventListener('click', () =>
  act(clearLockout, async () => {
    await mfa.admin.clearLockout(current);
    say(`Lockout of ${current} cleared.`);
    await refresh();
  }),
);

const reenroll = document.getElementById('force-reenrollment');
reenroll.addEventListener('click', () => {
  if (!confirm(`Remove every factor of ${current} and make them enroll again?`)) return;
  void act(reenroll, async () => {
    await mfa.admin.forceReenrollment(current);
    say(`${current} must enroll again at the next request.`);
    await refresh();
  });
});

const ticketForm = document.getElementById('ticket-form');
ticketForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void act(ticketForm, async () => {
    const { ticket, expiresAt } = await mfa.admin.issueRecoveryTicket(current, {
      reason: ticketForm.elements.reason.value.trim(),
      ttlHours: Number(ticketForm.elements.ttlHours.value),
    });
    document.getElementById('ticket-value').textContent = ticket;
    document.getElementById('ticket-expires').textContent = `It works once, until ${when(expiresAt)}.`;
    const panel = document.getElementById('ticket-panel');
    panel.hidden = false;
    ticketForm.reset();
    say(`Recovery ticket issued for ${current}.`);
    panel.focus();
  });
});
