// The profile page: every change goes through the MFA API. A change the API wants a fresh
// verification for (reauthMaxAge) sends the user to verify and back here.
import * as api from './mfa-api.js';
import { showBackupCodes } from './backup-codes.js';
import { announce, describeError, redirectIfNeeded } from './ui.js';

const say = (message, kind) => announce('profile', message, kind);

async function change(button, work) {
  button.disabled = true;
  try {
    await work();
  } catch (err) {
    if (!redirectIfNeeded(err)) say(describeError(err), 'error');
  } finally {
    button.disabled = false;
  }
}

for (const form of document.querySelectorAll('form.rename')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void change(form.querySelector('button'), async () => {
      const factor = await api.renameFactor(form.dataset.id, form.elements.label.value.trim());
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
      await api.removeFactor(button.dataset.remove);
      row.remove();
      say(`${name} removed.`);
      document.getElementById('factors-heading').focus();
    });
  });
}

const regenerate = document.getElementById('regenerate-codes');
regenerate.addEventListener('click', () =>
  change(regenerate, async () => {
    const { backupCodes } = await api.regenerateBackupCodes();
    document.getElementById('codes-remaining').textContent = `${backupCodes.length} unused backup codes left.`;
    say('New backup codes made: the old ones no longer work.');
    showBackupCodes(backupCodes, 'profile');
  }),
);

for (const button of document.querySelectorAll('[data-forget]')) {
  button.addEventListener('click', () =>
    change(button, async () => {
      await api.forgetDevice(button.dataset.forget);
      button.closest('li').remove();
      say('That browser is forgotten: it will be asked for a second factor again.');
      document.getElementById('devices-heading').focus();
    }),
  );
}

const forgetAll = document.getElementById('forget-all-devices');
forgetAll?.addEventListener('click', () =>
  change(forgetAll, async () => {
    const { revoked } = await api.forgetAllDevices();
    document.getElementById('device-list').replaceChildren();
    forgetAll.hidden = true;
    say(`${revoked} remembered browser(s) forgotten.`);
    document.getElementById('devices-heading').focus();
  }),
);

const endOthers = document.getElementById('end-other-sessions');
endOthers.addEventListener('click', () =>
  change(endOthers, async () => {
    const { sessionsEnded, mfaStateVoided } = await api.endOtherSessions();
    // null: the app could not end them (its session store cannot list them); MFA's part in them is gone regardless.
    const text =
      sessionsEnded === null
        ? `Your other sessions must verify a second factor again (${mfaStateVoided} had verified).`
        : `Signed out ${sessionsEnded} other session(s). You are not signed in anywhere else.`;
    document.getElementById('other-sessions').textContent = text;
    say(text);
  }),
);
