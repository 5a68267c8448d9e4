// The transfer form: one `mfa.fetch`. The policy wants a fresh code for every transfer, so the
// server first answers 401 MFA_REQUIRED; the client opens the step-up dialog, verifies the
// answer and sends the transfer again, and this script only ever sees the answer to that.
import { MfaChallengeCancelledError } from './client/src/client.js';
import { AppError } from './errors.js';
import { mfa } from './mfa.js';
import { announce, announceFailure, busy } from './ui.js';

const form = document.getElementById('transfer-form');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const amount = Number(form.elements.amount.value);
  try {
    await busy(form, async () => {
      const response = await mfa.fetch('/payments/transfer', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ amount }),
      });
      if (!response.ok) throw new AppError(response.status, await response.json().catch(() => ({})));
    });
    announce('transfer', 'Transfer sent.');
  } catch (err) {
    if (err instanceof MfaChallengeCancelledError) announce('transfer', 'Transfer cancelled.');
    else announceFailure('transfer', err);
  }
});
