// The one client every page script talks through: nestjs-mfa/client, served by the sample as
// native ES modules. Its helpers call MFA's routes; `mfa.fetch` calls the app's own. Either way
// a 401 MFA_REQUIRED opens the step-up dialog on this page, and the request is sent again once
// the user has answered: no page sends the user elsewhere to verify.
import { createMfaClient } from './client/src/client.js';
import { AppError } from './errors.js';
import { confirmItsYou } from './step-up-dialog.js';
import { passkeyCeremonies } from './webauthn.js';

// The server's clock as seen through its Date header, so a countdown to `resendAvailableAt`
// is right even when this computer's clock is not. The header has whole seconds: a difference
// smaller than that is its rounding, not a wrong clock.
let clockOffsetMs = 0;

async function fetchNotingServerTime(input, init) {
  const response = await fetch(input, init);
  const date = Date.parse(response.headers.get('date') ?? '');
  if (!Number.isNaN(date)) clockOffsetMs = Math.abs(date - Date.now()) > 2000 ? date - Date.now() : 0;
  return response;
}

export const mfa = createMfaClient({
  onChallenge: confirmItsYou,
  // After a wrong code the dialog asks again, until the server's lockout (429 MFA_LOCKED) ends it.
  maxPrompts: 10,
  webauthn: passkeyCeremonies,
  fetch: fetchNotingServerTime,
  now: () => Date.now() + clockOffsetMs,
});

/**
 * A JSON request to one of the app's own routes through `mfa.fetch` (so a step-up they ask for
 * is met in place); resolves to the JSON answer, or throws an `AppError` with the route's code.
 */
export async function callApp(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await mfa.fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new AppError(response.status, data ?? {});
  return data;
}

// The app's own password step.
export const signIn = (username, password) => callApp('POST', '/auth/login', { username, password });
export const signOut = () => callApp('POST', '/auth/logout');

// The app's own password change, behind a fresh second factor; MFA then forgets the user's remembered browsers.
export const changePassword = (currentPassword, newPassword) =>
  callApp('POST', '/auth/password', { currentPassword, newPassword });
