/** Rows of each table retention prunes, live or dead relative to NOW, for the retention store spec. */
export const NOW = 1_764_800_000_000;
export const MIN = 60_000;
export const DAY = 86_400_000;
export const id = (prefix: string, i: number) => `${prefix}-${String(i).padStart(6, '0')}`;

export const challenge = (key: string, expiresAt: number, completedAt: number | null = null) => ({
  id: key,
  userId: 'u-1',
  sessionRef: 's-1',
  purpose: 'route:/x',
  requirement: '{}',
  status: completedAt === null ? 'pending' : 'completed',
  createdAt: expiresAt - 10 * MIN,
  expiresAt,
  completedAt,
});
export const otp = (key: string, expiresAt: number, consumedAt: number | null = null, channel = 'sms') => ({
  id: key,
  userId: 'u-1',
  channel,
  enrollmentId: 'e-1',
  purpose: 'challenge:c-1',
  codeDigest: 'd',
  createdAt: expiresAt - 5 * MIN,
  expiresAt,
  consumedAt,
});
export const grant = (key: string, expiresAt: number, usedAt: number | null = null) => ({
  id: key,
  userId: 'u-1',
  sessionRef: 's-1',
  scope: 'route:/pay',
  factor: 'totp',
  eventId: 'ev',
  createdAt: expiresAt - 10 * MIN,
  expiresAt,
  usedAt,
});
export const device = (key: string, expiresAt: number, revokedAt: number | null = null) => ({
  id: key,
  userId: 'u-1',
  tokenDigest: `t-${key}`,
  fingerprintDigest: 'f',
  label: 'Firefox',
  createdAt: NOW - 30 * DAY,
  expiresAt,
  lastSeenAt: NOW - DAY,
  revokedAt,
});
export const ticket = (key: string, expiresAt: number, redeemedAt: number | null = null) => ({
  id: key,
  userId: 'u-1',
  codeDigest: `c-${key}`,
  issuedBy: 'admin',
  createdAt: expiresAt - DAY,
  expiresAt,
  redeemedAt,
});
export const verification = (sessionRef: string, factor: string, verifiedAt: number) => ({
  sessionRef,
  factor,
  userId: 'u-1',
  verifiedAt,
});
export const auditEvent = (key: string, at: number) => ({ id: key, at, type: 'challenge.issued', severity: 'info' });
