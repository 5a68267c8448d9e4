// The sign-in form: the app's own password step, then on to the page the user wanted.
import { signIn } from './mfa.js';
import { announce, busy, describeError } from './ui.js';

const form = document.getElementById('sign-in-form');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  try {
    await busy(form, () => signIn(String(data.get('username')), String(data.get('password'))));
    announce('sign-in', 'Signed in.');
    location.assign(form.dataset.next);
  } catch (err) {
    announce('sign-in', describeError(err), 'error');
    form.elements.password.select();
    form.elements.password.focus();
  }
});
