// Redeeming a help-desk recovery ticket: the old factors go, and the user adds a new one.
import { redeemRecoveryTicket } from './mfa-api.js';
import { announce, busy, describeError, redirectIfNeeded } from './ui.js';

const form = document.getElementById('recovery-form');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await busy(form, () => redeemRecoveryTicket(form.elements.ticket.value.trim()));
    form.hidden = true;
    announce('recovery', 'Ticket accepted. Add a new factor now: it will be your only one.');
    const next = document.getElementById('recovery-next');
    next.hidden = false;
    next.querySelector('a').focus();
  } catch (err) {
    if (redirectIfNeeded(err)) return;
    announce('recovery', describeError(err), 'error');
    form.elements.ticket.select();
    form.elements.ticket.focus();
  }
});
