// The enrollment page: start a factor, prove it (a code, or the passkey prompt), confirm it.
// A user who already has a factor must verify first: the API asks, and the step-up dialog
// opens on this page; the same request then goes through.
import { showBackupCodes } from './backup-codes.js';
import { mfa } from './mfa.js';
import { announce, announceFailure, busy, countdown } from './ui.js';

const say = (message, kind) => announce('enroll', message, kind);

function onSubmit(id, handler) {
  const form = document.getElementById(id);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form, () => handler(form)).catch((err) => fail(err, form));
  });
  return form;
}

function fail(err, form) {
  const code = form?.elements.code;
  if (announceFailure('enroll', err) && code) {
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
  const start = await mfa.enrollments.startTotp(form.elements.label.value.trim() || undefined);
  totpEnrollmentId = start.enrollmentId;
  document.getElementById('totp-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(start.qrSvg)}`;
  document.getElementById('totp-secret').textContent = start.secret.replace(/(.{4})(?=.)/g, '$1 ');
  document.getElementById('totp-setup').hidden = false;
  say('Scan the QR code or enter the key in your app, then type the code it shows.');
  document.getElementById('totp-code').focus();
});
onSubmit('totp-confirm', async (form) => {
  const confirmed = await mfa.enrollments.confirmTotp(totpEnrollmentId, form.elements.code.value.trim());
  document.getElementById('totp-setup').hidden = true;
  added(confirmed, 'Authenticator app added.');
});

// A phone or an email address: a code proves it is yours before it counts.
const DELIVERY = {
  sms: {
    start: (target) => mfa.enrollments.startSms(target),
    resend: (id) => mfa.enrollments.resendSms(id),
    confirm: (id, code) => mfa.enrollments.confirmSms(id, code),
    done: 'Phone number added.',
  },
  email: {
    start: (target) => mfa.enrollments.startEmail(target),
    resend: (id) => mfa.enrollments.resendEmail(id),
    confirm: (id, code) => mfa.enrollments.confirmEmail(id, code),
    done: 'Email address added.',
  },
};
for (const [channel, calls] of Object.entries(DELIVERY)) {
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
    const start = await calls.start(form.elements[form.dataset.field].value.trim());
    enrollmentId = start.enrollmentId;
    sent(start);
  });
  resend.addEventListener('click', () => {
    calls.resend(enrollmentId).then(sent, (err) => fail(err));
  });
  onSubmit(`${channel}-confirm`, async (form) => {
    const confirmed = await calls.confirm(enrollmentId, form.elements.code.value.trim());
    form.hidden = true;
    added(confirmed, calls.done);
  });
}

// A passkey: the browser creates it against the server's options; the server checks the answer.
onSubmit('passkey-start', async (form) => {
  say('Follow your browser’s prompt to create the passkey.');
  added(await mfa.enrollments.registerPasskey(form.elements.label.value.trim() || undefined), 'Passkey added.');
});
