// Every request the pages make, to the sample's own /auth routes and to the MFA HTTP API.
// Kept in this one module so the typed client (nestjs-mfa/client) can replace it later without
// touching the pages: same calls, same error shape (code, status, body, retryAfterSeconds).

const MFA = '/mfa';

/** A refusal: branch on `code` (the server's stable UPPER_SNAKE code), never on `message`. */
export class MfaApiError extends Error {
  constructor(status, body, retryAfterSeconds) {
    super(typeof body.message === 'string' ? body.message : `Request failed with ${status}`);
    this.name = 'MfaApiError';
    this.status = status;
    this.body = body;
    this.code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The challenge of a 401 MFA_REQUIRED. */
  get challenge() {
    return this.body.challenge;
  }
}

// The server's clock as seen through its Date header, so a countdown to `resendAvailableAt`
// is right even when this computer's clock is not.
let clockOffsetMs = 0;

export function serverNow() {
  return Date.now() + clockOffsetMs;
}

async function call(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const date = Date.parse(response.headers.get('date') ?? '');
  if (!Number.isNaN(date)) clockOffsetMs = date - Date.now();
  const data = await response.json().catch(() => ({}));
  if (response.ok) return data;
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new MfaApiError(
    response.status,
    data ?? {},
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

const id = (value) => encodeURIComponent(value);

// The app's own password step.
export const signIn = (username, password) => call('POST', '/auth/login', { username, password });
export const signOut = () => call('POST', '/auth/logout');

// A challenge of this session.
export const verifyChallenge = (challengeId, answer) =>
  call('POST', `${MFA}/challenges/${id(challengeId)}/verify`, answer);
export const sendChallengeCode = (challengeId, method, enrollmentId) =>
  call('POST', `${MFA}/challenges/${id(challengeId)}/send`, { method, ...(enrollmentId ? { enrollmentId } : {}) });
export const passkeyChallengeOptions = (challengeId) => call('POST', `${MFA}/challenges/${id(challengeId)}/webauthn`);

// Binding factors: `channel` is 'sms' or 'email', `target` { phone } or { email }.
export const startTotp = (label) => call('POST', `${MFA}/totp/enrollments`, label ? { label } : {});
export const confirmTotp = (enrollmentId, code) =>
  call('POST', `${MFA}/totp/enrollments/${id(enrollmentId)}/confirm`, { code });
export const startDelivery = (channel, target, label) =>
  call('POST', `${MFA}/${channel}/enrollments`, { ...target, ...(label ? { label } : {}) });
export const resendDelivery = (channel, enrollmentId) =>
  call('POST', `${MFA}/${channel}/enrollments/${id(enrollmentId)}/resend`);
export const confirmDelivery = (channel, enrollmentId, code) =>
  call('POST', `${MFA}/${channel}/enrollments/${id(enrollmentId)}/confirm`, { code });
export const startPasskey = (label) => call('POST', `${MFA}/webauthn/enrollments`, label ? { label } : {});
export const confirmPasskey = (enrollmentId, response) =>
  call('POST', `${MFA}/webauthn/enrollments/${id(enrollmentId)}/confirm`, { response });

// The user's own settings.
export const renameFactor = (enrollmentId, label) => call('PATCH', `${MFA}/enrollments/${id(enrollmentId)}`, { label });
export const removeFactor = (enrollmentId) => call('DELETE', `${MFA}/enrollments/${id(enrollmentId)}`);
export const regenerateBackupCodes = () => call('POST', `${MFA}/backup-codes/regenerate`);
export const forgetDevice = (deviceId) => call('DELETE', `${MFA}/devices/${id(deviceId)}`);
export const forgetAllDevices = () => call('DELETE', `${MFA}/devices`);
export const endOtherSessions = () => call('POST', `${MFA}/sessions/revoke-others`);
export const redeemRecoveryTicket = (ticket) => call('POST', `${MFA}/recovery/redeem`, { ticket });

// The app's own password change; MFA forgets the user's remembered browsers.
export const changePassword = (currentPassword, newPassword) =>
  call('POST', '/auth/password', { currentPassword, newPassword });

// An admin on one user, the audit trail and the policy: each also wants the admin's own MFA.
const user = (userId) => `${MFA}/admin/users/${id(userId)}`;
export const adminViewUser = (userId) => call('GET', user(userId));
export const adminResetFactor = (userId, enrollmentId) =>
  call('DELETE', `${user(userId)}/enrollments/${id(enrollmentId)}`);
export const adminForceReenrollment = (userId) => call('POST', `${user(userId)}/reenrollment`);
export const adminRevokeDevices = (userId) => call('DELETE', `${user(userId)}/devices`);
export const adminClearLockout = (userId) => call('DELETE', `${user(userId)}/lockout`);
export const adminIssueRecoveryTicket = (userId, reason, ttlHours) =>
  call('POST', `${user(userId)}/recovery-tickets`, { reason, ...(ttlHours ? { ttlHours } : {}) });
/** `query`: { userId?, type?, from?, to?, limit?, cursor? }; empty ones are left out. */
export const adminAudit = (query) => {
  const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== undefined && value !== ''));
  return call('GET', `${MFA}/admin/audit?${params}`);
};
export const adminPolicyVersions = () => call('GET', `${MFA}/admin/policy/versions`);
export const adminActivatePolicy = (version) => call('POST', `${MFA}/admin/policy/versions/${id(version)}/activate`);
export const adminRollbackPolicy = () => call('POST', `${MFA}/admin/policy/rollback`);
export const adminExplain = (userId, target) => call('POST', `${MFA}/admin/policy/explain`, { userId, target });
