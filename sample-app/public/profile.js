// The profile page: every change goes through the MFA API. A change the API wants a fresh
// verification for (reauthMaxAge) opens the step-up dialog here, then goes through.
import { showBackupCodes } from './backup-codes.js';
import { mfa } from './mfa.js';
import { announce, announceFailure, busy } from './ui.js';

const say = (message, kind) => announce('profile', message, kind);

async function change(button, work) {
  try {
    await busy(button, work);
  } catch (err) {
    announceFailure('profile', err);
  }
}

for (const form of document.querySelectorAll('form.rename')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void change(form.querySelector('button'), async () => {
      const factor = await mfa.enrollments.rename(form.dataset.id, form.elements.label.value.trim());
      for (const name of form.closest('tr').querySelectorAll('.factor-name')) name.textContent = factor.label;
      say(`Renamed to ${factor.label}.`);
    });
  });
}

for (const button of document.querySelectorAll('[data-remove]')) {
  button.addEventListener('click', () => {
    const row = button.closest('tr');
    const name = row.querySelector('th').textContent.trim();
    if (!confirm(`Remove ${name}? It will no longer verify you.`)) return;
    void change(button, async () => {
      await mfa.enrollments.remove(button.dataset.remove);
      row.remove();
      say(`${name} removed.`);
      document.getElementById('factors-heading').focus();
    });
  });
}

const regenerate = document.getElementById('regenerate-codes');
regenerate.addEventListener('click', () =>
  change(regenerate, async () => {
    const { backupCodes } = await mfa.backupCodes.regenerate();
    document.getElementById('codes-remaining').textContent = `${backupCodes.length} unused backup codes left.`;
    say('New backup codes made: the old ones no longer work.');
    showBackupCodes(backupCodes, 'profile');
  }),
);

for (const button of document.querySelectorAll('[data-forget]')) {
  button.addEventListener('click', () =>
    change(button, async () => {
      await mfa.devices.revoke(button.dataset.forget);
      button.closest('li').remove();
      say('That browser is forgotten: it will be asked for a second factor again.');
      document.getElementById('devices-heading').focus();
    }),
  );
}

const forgetAll = document.getElementById('forget-all-devices');
forgetAll?.addEventListener('click', () =>
  change(forgetAll, async () => {
    const { revoked } = await mfa.devices.revokeAll();
    document.getElementById('device-list').replaceChildren();
    forgetAll.hidden = true;
    say(`${revoked} remembered browser(s) forgotten.`);
    document.getElementById('devices-heading').focus();
  }),
);

const endOthers = document.getElementById('end-other-sessions');
endOthers.addEventListener('click', () =>
  change(endOthers, async () => {
    const { sessionsEnded, mfaStateVoided } = await mfa.sessions.revokeOthers();
    // null: the app could not end them (its session store cannot list them); MFA's part in them is gone regardless.
    const text =
      sessionsEnded === null
        ? `Your other sessions must verify a second factor again (${mfaStateVoided} had verified).`
        : `Signed out ${sessionsEnded} other session(s). You are not signed in anywhere else.`;
    document.getElementById('other-sessions').textContent = text;
    say(text);
  }),
);
