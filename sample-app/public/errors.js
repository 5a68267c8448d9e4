// What went wrong, in words a user can act on. Every refusal carries the server's stable code
// (`MfaClientError` from the client's helpers and step-ups, `AppError` from the sample's own
// routes): the wording branches on it, never on the message.
import { MfaClientError } from './client/src/client.js';
import { describePasskeyError } from './webauthn.js';

/** A refusal from one of the sample's own routes (/auth/*, /payments/*), in the same envelope as MFA's. */
export class AppError extends Error {
  constructor(status, body) {
    super(typeof body.message === 'string' ? body.message : `Request failed with ${status}`);
    this.name = 'AppError';
    this.status = status;
    this.body = body;
    this.code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
  }
}

export function describeError(err) {
  const passkey = describePasskeyError(err);
  if (passkey) return passkey;
  if (!(err instanceof MfaClientError || err instanceof AppError))
    return 'The server could not be reached. Check your connection and try again.';
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
    case 'MFA_CHALLENGE_CANCELLED':
      return 'You cancelled the check, so nothing was done.';
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
