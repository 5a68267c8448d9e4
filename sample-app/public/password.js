// The password change: the app's own route, behind a fresh second factor (the step-up dialog
// asks for it in place), which then has MFA forget every remembered browser.
import { changePassword } from './mfa.js';
import { announce, announceFailure, busy } from './ui.js';

const form = document.getElementById('password-form');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const { currentPassword, newPassword, repeatPassword } = form.elements;
  if (newPassword.value !== repeatPassword.value) {
    announce('password', 'The two new passwords differ. Type the same one twice.', 'error');
    repeatPassword.select();
    repeatPassword.focus();
    return;
  }
  try {
    const { devicesForgotten } = await busy(form, () => changePassword(currentPassword.value, newPassword.value));
    form.reset();
    announce(
      'password',
      devicesForgotten === 0
        ? 'Password changed. You had no remembered browsers.'
        : `Password changed. ${devicesForgotten === 1 ? 'One remembered browser was' : `${devicesForgotten} remembered browsers were`} forgotten: each asks for a second factor again.`,
    );
  } catch (err) {
    const wrongPassword = err.code === 'WRONG_PASSWORD';
    if (wrongPassword) announce('password', 'Your current password is not right.', 'error');
    else if (!announceFailure('password', err)) return;
    const field = wrongPassword ? currentPassword : newPassword;
    field.select();
    field.focus();
  }
});
