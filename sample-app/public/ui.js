// Small helpers every page script shares: announcing, error wording, countdowns, busy forms.
import { MfaApiError, serverNow } from './mfa-api.js';

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

/** What went wrong, in words a user can act on; the server's codes say which case it is. */
export function describeError(err) {
  if (!(err instanceof MfaApiError)) return 'The server could not be reached. Check your connection and try again.';
  const wait = err.retryAfterSeconds;
  switch (err.code) {
    case 'INVALID_CODE':
      return 'That code is not right, or it expired or was already used. Check it and try again.';
    case 'MFA_LOCKED':
      return `Too many wrong attempts: this method is locked ${until(wait)}. Until then even a right code is refused; use another method if you have one.`;
    case 'RESEND_TOO_SOON':
      return `Wait ${duration(wait)} before asking for another code.`;
    case 'DELIVERY_LIMIT_REACHED':
    case 'RATE_LIMITED':
      return `Too many requests. Try again ${until(wait)}.`;
    case 'INVALID_CREDENTIALS':
      return 'Wrong username or password.';
    case 'CSRF_REJECTED':
      return 'The request was refused because it did not come from this site. Reload the page and try again.';
    case 'VALIDATION_FAILED': {
      const problems = (err.body.errors ?? []).flatMap((e) => e.problems ?? []);
      return problems.length ? `Please check the form: ${problems.join('; ')}.` : err.message;
    }
    default:
      return err.message;
  }
}

function duration(seconds) {
  if (!seconds) return 'a moment';
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 90 ? `${minutes} minutes` : `${Math.round(minutes / 60)} hours`;
}

function until(seconds) {
  if (!seconds) return 'for a while';
  const at = new Date(Date.now() + seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `for ${duration(seconds)} (until ${at})`;
}

/**
 * An MFA API call that needs the user to verify (again) or sign in: go where that happens and
 * come back to `next`. The step-up pages are guarded by the same requirement the API applies.
 */
export function redirectIfNeeded(err, next = location.pathname + location.search) {
  if (!(err instanceof MfaApiError)) return false;
  const back = encodeURIComponent(next);
  if (err.code === 'UNAUTHENTICATED') {
    location.assign(`/ui/sign-in?next=${back}`);
    return true;
  }
  if (err.code !== 'MFA_REQUIRED') return false;
  const factors = err.challenge?.requirement?.steps?.[0]?.factors ?? [];
  const passkeyOnly = factors.length === 1 && factors[0] === 'webauthn';
  location.assign(`${passkeyOnly ? '/ui/verify/passkey' : '/ui/verify'}?next=${back}`);
  return true;
}

/** Disables `button` until `untilIso` on the server's clock, counting down in its label. */
export function countdown(button, untilIso, label) {
  clearInterval(Number(button.dataset.timer));
  const until = Date.parse(untilIso);
  const tick = () => {
    const left = Math.ceil((until - serverNow()) / 1000);
    button.disabled = left > 0;
    button.textContent = left > 0 ? `${label} in ${left} s` : label;
    if (left <= 0) clearInterval(Number(button.dataset.timer));
  };
  button.dataset.timer = String(setInterval(tick, 1000));
  tick();
}

/** Runs `work` with the form's buttons disabled and aria-busy set, so a double click sends once. */
export async function busy(form, work) {
  const buttons = [...form.querySelectorAll('button')].filter((b) => !b.disabled);
  buttons.forEach((b) => (b.disabled = true));
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    buttons.forEach((b) => (b.disabled = false));
    form.removeAttribute('aria-busy');
  }
}
