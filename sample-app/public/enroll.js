// The enrollment page: start a factor, prove it (a code, or the passkey ceremony), confirm it.
import * as api from './mfa-api.js';
import { showBackupCodes } from './backup-codes.js';
import { announce, busy, countdown, describeError, redirectIfNeeded } from './ui.js';
import { createPasskey, describePasskeyError } from './webauthn.js';

const say = (message, kind) => announce('enroll', message, kind);

/** Submits through `handler`; a user who already has a factor is first sent to verify (the API asks for it). */
function onSubmit(id, handler) {
  const form = document.getElementById(id);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form, () => handler(form)).catch((err) => fail(err, form));
  });
  return form;
}

function fail(err, form) {
  if (redirectIfNeeded(err)) return;
  say(describePasskeyError(err) ?? describeError(err), 'error');
  const code = form?.elements.code;
  if (code) {
    code.select();
    code.focus();
  }
}

function added(confirmed, message) {
  const others = confirmed.otherSessions?.count;
  const hint = others ? ` You are signed in ${others} other place(s): you can sign out there from your profile.` : '';
  say(`${message}${confirmed.backupCodes ? ' Save your backup codes below.' : ''}${hint}`);
  if (confirmed.backupCodes) showBackupCodes(confirmed.backupCodes, 'enroll');
}

// An authenticator app: the QR code (an SVG, shown as an image so it can never run script) and the key to type.
let totpEnrollmentId;
onSubmit('totp-start', async (form) => {
  const start = await api.startTotp(form.elements.label.value.trim());
  totpEnrollmentId = start.enrollmentId;
  document.getElementById('totp-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(start.qrSvg)}`;
  document.getElementById('totp-secret').textContent = start.secret.replace(/(.{4})(?=.)/g, '$1 ');
  document.getElementById('totp-setup').hidden = false;
  say('Scan the QR code or enter the key in your app, then type the code it shows.');
  document.getElementById('totp-code').focus();
});
onSubmit('totp-confirm', async (form) => {
  const confirmed = await api.confirmTotp(totpEnrollmentId, form.elements.code.value.trim());
  document.getElementById('totp-setup').hidden = true;
  added(confirmed, 'Authenticator app added.');
});

// A phone or an email address: a code proves it is yours before it counts.
for (const channel of ['sms', 'email']) {
  let enrollmentId;
  const resend = document.querySelector(`#${channel}-confirm [data-resend]`);
  const sent = (start) => {
    document.getElementById(`${channel}-confirm`).hidden = false;
    document.getElementById(`${channel}-sent`).textContent = `We sent a code to ${start.sentTo}.`;
    say(`Code sent to ${start.sentTo}.`);
    countdown(resend, start.resendAvailableAt, 'Resend code');
    document.getElementById(`${channel}-code`).focus();
  };
  onSubmit(`${channel}-start`, async (form) => {
    const field = form.dataset.field;
    const start = await api.startDelivery(channel, { [field]: form.elements[field].value.trim() });
    enrollmentId = start.enrollmentId;
    sent(start);
  });
  resend.addEventListener('click', () => {
    api.resendDelivery(channel, enrollmentId).then(sent, (err) => fail(err));
  });
  onSubmit(`${channel}-confirm`, async (form) => {
    const confirmed = await api.confirmDelivery(channel, enrollmentId, form.elements.code.value.trim());
    form.hidden = true;
    added(confirmed, channel === 'sms' ? 'Phone number added.' : 'Email address added.');
  });
}

// A passkey: the browser creates it against the server's options; the server checks the answer.
onSubmit('passkey-start', async (form) => {
  const start = await api.startPasskey(form.elements.label.value.trim());
  say('Follow your browser’s prompt to create the passkey.');
  const confirmed = await api.confirmPasskey(start.enrollmentId, await createPasskey(start.options));
  added(confirmed, 'Passkey added.');
});
