// The in-page step-up, given to the client as its `onChallenge`: when a request meets 401
// MFA_REQUIRED, this modal asks for one answer over the page the user is on and hands it to the
// client, which verifies it and sends the request again. The dialog exists only while it is
// open (no hidden copy for a test or a screen reader to trip over); a wrong code reopens it
// with the reason, until the server's lockout ends the tries.
import { MfaRateLimitedError } from './client/src/client.js';
import { describeError } from './errors.js';

const FACTOR_NAMES = {
  totp: 'an authenticator app',
  sms: 'a text message',
  email: 'an email code',
  backup_code: 'a backup code',
  webauthn: 'a passkey',
};

/** "an authenticator app or a backup code for this one operation": what the step asks for, in words. */
function describeStep(step) {
  if (!step) return 'a second factor';
  const which = step.any ? 'any of your second factors' : step.factors.map((f) => FACTOR_NAMES[f] ?? f).join(' or ');
  const parts = [which];
  if (step.phishingResistant) parts.push('(phishing-resistant)');
  if (step.minAal) parts.push(`at assurance level ${step.minAal}`);
  if (step.maxAge === 0) parts.push('for this one operation');
  else if (step.maxAge !== undefined)
    parts.push(
      `verified in the last ${step.maxAge < 120 ? `${step.maxAge} seconds` : `${Math.round(step.maxAge / 60)} minutes`}`,
    );
  return parts.join(' ');
}

/** The ways to answer with a code; a phone or an address each, since the code goes to one of them. */
function codeChoices(challenge) {
  return challenge.methods.flatMap((m) => {
    if (m.type === 'totp')
      return [{ method: 'totp', label: 'Authenticator app', hint: 'The code your app shows now.' }];
    if (m.type === 'backup_code')
      return [{ method: 'backup_code', label: 'Backup code', hint: `One of your ${m.remaining} backup codes.` }];
    if (m.type !== 'sms' && m.type !== 'email') return [];
    const to = m.type === 'sms' ? 'Text message to' : 'Email to';
    return m.enrollments.map((e) => ({
      method: m.type,
      enrollmentId: e.id,
      label: `${to} ${e.maskedTarget ?? e.label ?? ''}`.trim(),
      hint: 'Send the code, then enter it here.',
    }));
  });
}

/** An element with attributes and text or child nodes: nothing from the server ever becomes markup. */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs))
    if (value !== false && value !== undefined) node.setAttribute(name, value === true ? '' : value);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// Where the user was in this challenge, so a re-prompt after a wrong code keeps their method and
// the resend countdown of a code already sent.
let remembered = { challengeId: null, choice: 0, resendAt: new Map() };

/**
 * `onChallenge`: resolves to `{ method, code }`, `{ method: 'webauthn' }` (the client runs the
 * browser's passkey prompt), or null for Cancel and Escape (the client throws MfaChallengeCancelledError).
 */
export function confirmItsYou(challenge, { client, signal, error }) {
  if (remembered.challengeId !== challenge.id)
    remembered = { challengeId: challenge.id, choice: 0, resendAt: new Map() };
  const choices = codeChoices(challenge);
  const passkey = challenge.methods.some((m) => m.type === 'webauthn');
  const steps = challenge.requirement.steps;
  const more = steps.length - 1;

  const alert = h('div', { id: 'step-up-error', class: 'alert', role: 'alert' });
  const status = h('div', { id: 'step-up-status', class: 'status', role: 'status' });
  const hint = h('p', { id: 'step-up-hint', class: 'hint' });
  const code = h('input', {
    id: 'step-up-code',
    name: 'code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    spellcheck: 'false',
    maxlength: '64',
    'aria-describedby': 'step-up-hint',
  });
  const send = h('button', { type: 'button', id: 'step-up-send', class: 'secondary' }, 'Send code');
  const usePasskey = passkey && h('button', { type: 'button', id: 'step-up-passkey' }, 'Use a passkey');
  const cancel = h('button', { type: 'button', id: 'step-up-cancel', class: 'secondary' }, 'Cancel');
  const radios = choices.map((c, i) =>
    h('input', { type: 'radio', name: 'method', id: `step-up-method-${i}`, value: String(i) }),
  );
  const form = h(
    'form',
    { id: 'step-up-form', novalidate: true },
    h('h2', { id: 'step-up-title' }, 'Confirm it’s you'),
    h(
      'p',
      { id: 'step-up-need' },
      `To go on, use ${describeStep(steps[0])}.`,
      more > 0 && ` After this, ${more} more check${more > 1 ? 's' : ''} will follow.`,
    ),
    alert,
    status,
    usePasskey && h('p', {}, usePasskey),
    choices.length > 1 &&
      h(
        'fieldset',
        { class: 'choices' },
        h('legend', {}, 'Verify with'),
        ...choices.map((c, i) => h('p', {}, radios[i], h('label', { for: `step-up-method-${i}` }, c.label))),
      ),
    choices.length > 0 && send,
    choices.length > 0 && h('label', { for: 'step-up-code' }, 'Code'),
    choices.length > 0 && code,
    choices.length > 0 && hint,
    !choices.length &&
      !passkey &&
      h('p', {}, 'None of your factors can answer this check. ', h('a', { href: '/ui/enroll' }, 'Add one'), '.'),
    h('p', { class: 'actions' }, choices.length > 0 && h('button', { type: 'submit' }, 'Verify'), cancel),
  );
  const dialog = h(
    'dialog',
    { id: 'step-up', class: 'step-up', 'aria-labelledby': 'step-up-title', 'aria-describedby': 'step-up-need' },
    form,
  );

  const say = (text, kind = 'status') => {
    alert.textContent = kind === 'error' ? text : '';
    status.textContent = kind === 'error' ? '' : text;
  };
  let stopCountdown = () => {};
  const current = () => choices[remembered.choice] ?? choices[0];
  const countResend = (until) => {
    stopCountdown();
    stopCountdown = client.countdown(until, (left) => {
      send.disabled = left > 0;
      send.textContent = left > 0 ? `Resend code in ${left} s` : 'Resend code';
    });
  };
  const choose = (index) => {
    remembered.choice = index;
    const choice = current();
    if (radios[index]) radios[index].checked = true;
    hint.textContent = choice.hint;
    // Backup codes hold letters: a numeric keypad could not type them.
    code.setAttribute('inputmode', choice.method === 'backup_code' ? 'text' : 'numeric');
    send.hidden = choice.method !== 'sms' && choice.method !== 'email';
    stopCountdown();
    const key = `${choice.method}:${choice.enrollmentId}`;
    if (remembered.resendAt.has(key)) countResend(remembered.resendAt.get(key));
    else {
      send.disabled = false;
      send.textContent = 'Send code';
    }
  };
  if (choices.length) choose(Math.min(remembered.choice, choices.length - 1));
  radios.forEach((radio, i) => radio.addEventListener('change', () => choose(i)));

  send.addEventListener('click', async () => {
    const choice = current();
    send.disabled = true;
    try {
      const sent = await client.challenges.send(challenge.id, choice.method, choice.enrollmentId);
      remembered.resendAt.set(`${choice.method}:${choice.enrollmentId}`, sent.resendAvailableAt);
      say(`Code sent to ${sent.sentTo}.`);
      if (current() === choice) countResend(sent.resendAvailableAt);
      code.focus();
    } catch (err) {
      say(describeError(err), 'error');
      if (err instanceof MfaRateLimitedError && err.retryAfterSeconds) countResend(err.retryAfterSeconds);
      else send.disabled = false;
    }
  });

  return new Promise((resolve) => {
    const trigger = document.activeElement;
    let settled = false;
    const finish = (answer) => {
      if (settled) return;
      settled = true;
      stopCountdown();
      if (dialog.open) dialog.close();
      dialog.remove();
      if (trigger instanceof HTMLElement && trigger !== document.body && trigger.isConnected) trigger.focus();
      resolve(answer);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = code.value.trim();
      if (!value) {
        say('Enter the code first.', 'error');
        code.focus();
        return;
      }
      finish({ method: current().method, code: value });
    });
    if (usePasskey) usePasskey.addEventListener('click', () => finish({ method: 'webauthn' }));
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('close', () => finish(null)); // Escape closes a modal dialog by itself
    signal?.addEventListener('abort', () => finish(null), { once: true });

    document.body.append(dialog);
    dialog.showModal();
    (choices.length ? code : usePasskey || cancel).focus();
    // Written once the dialog is open, so the alert region announces it rather than being read as part of the page.
    if (error) setTimeout(() => say(describeError(error), 'error'), 0);
  });
}
