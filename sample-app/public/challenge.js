// The challenge page: answers the challenge the guard opened, then reopens the page it guards.
// The challenge routes never ask for a step-up themselves, so no dialog opens here.
import { MfaLockedError, MfaRateLimitedError } from './client/src/client.js';
import { mfa } from './mfa.js';
import { announce, busy, countdown, describeError } from './ui.js';

const section = document.getElementById('challenge');
const challengeId = section.dataset.challengeId;
const remember = document.getElementById('remember-device');
const forms = [...section.querySelectorAll('form.method')];
const continueLink = document.getElementById('challenge-continue');

for (const form of forms) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void answer(form);
  });
  const send = form.querySelector('[data-send]');
  send?.addEventListener('click', () => void sendCode(form, send));
}

async function answer(form) {
  const method = form.dataset.method;
  const device = remember.checked ? { rememberDevice: true } : {};
  try {
    const result = await busy(form, () => {
      if (method === 'webauthn') return mfa.challenges.passkey(challengeId, remember.checked || undefined);
      // Only an authenticator app is chosen by id; an SMS or email code belongs to this challenge already.
      const enrollmentId = method === 'totp' ? form.elements.enrollmentId?.value : '';
      return mfa.challenges.verify(challengeId, {
        method,
        code: form.elements.code.value.trim(),
        ...(enrollmentId ? { enrollmentId } : {}),
        ...device,
      });
    });
    verified(result);
  } catch (err) {
    announce('challenge', describeError(err), 'error');
    if (err instanceof MfaLockedError) lockFor(form, err.retryAfterSeconds ?? 60);
    const code = form.elements.code;
    if (code) {
      code.select();
      code.focus();
    }
  }
}

/** A locked method refuses right codes too: its Verify button waits out the lock instead of inviting more tries. */
function lockFor(form, seconds) {
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  setTimeout(() => (submit.disabled = false), seconds * 1000);
}

async function sendCode(form, button) {
  try {
    const sent = await mfa.challenges.send(challengeId, form.dataset.method, form.elements.enrollmentId.value);
    const until = new Date(sent.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    announce('challenge', `Code sent to ${sent.sentTo}. It works until ${until}.`);
    countdown(button, sent.resendAvailableAt, 'Resend code');
    form.elements.code.focus();
  } catch (err) {
    announce('challenge', describeError(err), 'error');
    if (err instanceof MfaRateLimitedError && err.retryAfterSeconds)
      countdown(button, err.retryAfterSeconds, 'Resend code');
  }
}

/**
 * Without "remember", straight on to the page. With it, first say truthfully what the remembered
 * browser will stand in for: the verify answer's `waives`, or why it was not remembered at all.
 */
function verified(result) {
  if (!remember.checked) {
    announce('challenge', 'Verified. Opening the page…');
    location.replace(continueLink.href);
    return;
  }
  document.getElementById('device-outcome').textContent = deviceOutcome(result);
  for (const form of forms) form.hidden = true;
  remember.closest('.remember').hidden = true;
  document.getElementById('challenge-done').hidden = false;
  announce('challenge', 'Verified.');
  continueLink.focus();
}

function deviceOutcome({ trustedDevice, deviceNotRemembered }) {
  if (trustedDevice) {
    const until = new Date(trustedDevice.expiresAt).toLocaleDateString();
    return trustedDevice.waives.length
      ? `This browser is remembered until ${until}. It stands in for a second factor only on: ${trustedDevice.waives.join(', ')}. Everything else still asks.`
      : `This browser is remembered until ${until}, but under the current policy it stands in for no check: every page still asks.`;
  }
  if (deviceNotRemembered === 'single_use_grant')
    return 'This browser was not remembered: this check covered one operation only.';
  if (deviceNotRemembered === 'policy_disallows')
    return 'This browser was not remembered: the security policy does not allow remembering browsers.';
  return 'This browser was not remembered.';
}
