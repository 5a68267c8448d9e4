// Redeeming a help-desk recovery ticket: the old factors go, and the user adds a new one.
import { mfa } from './mfa.js';
import { announce, announceFailure, busy } from './ui.js';

const form = document.getElementById('recovery-form');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await busy(form, () => mfa.recovery.redeem(form.elements.ticket.value.trim()));
    form.hidden = true;
    announce('recovery', 'Ticket accepted. Add a new factor now: it will be your only one.');
    const next = document.getElementById('recovery-next');
    next.hidden = false;
    next.querySelector('a').focus();
  } catch (err) {
    if (!announceFailure('recovery', err)) return;
    form.elements.ticket.select();
    form.elements.ticket.focus();
  }
});
