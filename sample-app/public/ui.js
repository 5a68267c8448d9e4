// Small helpers every page script shares: announcing, countdowns, busy forms, and the refusals
// that do need another page (signing in, adding a first factor).
import { MfaChallengeCancelledError } from './client/src/client.js';
import { describeError } from './errors.js';
import { mfa } from './mfa.js';

export { describeError };

/**
 * Writes to a page's live regions (`<prefix>-error`, role=alert, read at once; `<prefix>-status`,
 * role=status, read politely). Clearing the other one keeps a stale error from lingering.
 */
export function announce(prefix, message, kind = 'status') {
  const error = document.getElementById(`${prefix}-error`);
  const status = document.getElementById(`${prefix}-status`);
  error.textContent = kind === 'error' ? message : '';
  status.textContent = kind === 'error' ? '' : message;
}

/**
 * Says why an action did not happen: a step-up the user cancelled in the status region (their
 * own choice, nothing to fix), any other refusal in the alert region, and a refusal that needs
 * another page by going there. True when it announced an error the user may fix on this page.
 */
export function announceFailure(prefix, err) {
  if (redirectIfNeeded(err)) return false;
  // With a `cause` it was the browser's passkey prompt that ended, perhaps by timing out: an error.
  const cancelled = err instanceof MfaChallengeCancelledError && !err.cause;
  announce(prefix, describeError(err), cancelled ? 'status' : 'error');
  return !cancelled;
}

/**
 * A refusal the step-up dialog cannot answer: no session (sign in and come back to `next`), or
 * no factor the requirement accepts (add one and come back). True when it sent the browser there.
 */
function redirectIfNeeded(err, next = location.pathname + location.search) {
  const back = encodeURIComponent(next);
  if (err?.code === 'UNAUTHENTICATED') location.assign(`/ui/sign-in?next=${back}`);
  else if (err?.code === 'MFA_ENROLLMENT_REQUIRED') location.assign(`/ui/enroll?next=${back}`);
  else return false;
  return true;
}

const stops = new WeakMap();

/** Disables `button` until `until` (an ISO date, or seconds from now) on the server's clock, counting down in its label. */
export function countdown(button, until, label) {
  stops.get(button)?.();
  stops.set(
    button,
    mfa.countdown(until, (left) => {
      button.disabled = left > 0;
      button.textContent = left > 0 ? `${label} in ${left} s` : label;
    }),
  );
}

/**
 * Runs `work` with the form's buttons (or the one button) disabled and aria-busy set, so a double
 * click sends once. A step-up dialog opened meanwhile gives focus back to a disabled button,
 * which cannot take it: once enabled again, the control that started the work gets it back.
 */
export async function busy(target, work) {
  const trigger = document.activeElement;
  const buttons = target instanceof HTMLButtonElement ? [target] : [...target.querySelectorAll('button')];
  const enabled = buttons.filter((b) => !b.disabled);
  enabled.forEach((b) => (b.disabled = true));
  target.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    enabled.forEach((b) => (b.disabled = false));
    target.removeAttribute('aria-busy');
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost && trigger instanceof HTMLElement && trigger !== document.body && trigger.isConnected) trigger.focus();
  }
}
