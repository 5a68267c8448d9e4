import type { OtpDeliveryService } from '../delivery/otp-delivery.service';
import type { FactorType } from '../factors/factor-type';
import { authenticatorName } from '../factors/passkey/authenticator-names';
import type { PasskeyFilter } from '../factors/passkey/passkey.verifier';
import type { MfaStore } from '../ports/mfa-store.port';

export type MethodView =
  | { type: 'totp'; enrollments: Array<{ id: string; label: string | null }> }
  | { type: 'sms' | 'email'; enrollments: Array<{ id: string; label: string | null; maskedTarget: string | null }> }
  | { type: 'backup_code'; remaining: number }
  /** `authenticator`: the provider's name where its AAGUID is known ("iCloud Keychain"). */
  | { type: 'webauthn'; enrollments: Array<{ id: string; label: string | null; authenticator: string | null }> };

/** The factors a user could bind to meet a step: backup codes come with a factor, SMS/email need a sender, passkeys their options. */
export function enrollableFactors(
  accepted: readonly FactorType[],
  delivery: Pick<OtpDeliveryService, 'available'>,
  passkeysOn: boolean,
): FactorType[] {
  return accepted.filter(
    (f) =>
      f === 'totp' || ((f === 'sms' || f === 'email') && delivery.available(f)) || (f === 'webauthn' && passkeysOn),
  );
}

/** How the user can answer a step: their active factors of the accepted types, never a full target. */
export async function availableMethods(
  store: Pick<MfaStore, 'listEnrollments' | 'listUnusedBackupCodes'>,
  delivery: Pick<OtpDeliveryService, 'available'>,
  userId: string,
  accepted: readonly FactorType[],
  passkeys: { eligible: PasskeyFilter; names: Record<string, string> } | null,
): Promise<MethodView[]> {
  const methods: MethodView[] = [];
  const bound = accepted.some((f) => f !== 'backup_code')
    ? (await store.listEnrollments(userId)).filter((e) => e.status === 'active')
    : [];
  if (accepted.includes('totp')) {
    const totp = bound.filter((e) => e.type === 'totp');
    if (totp.length) methods.push({ type: 'totp', enrollments: totp.map((e) => ({ id: e.id, label: e.label })) });
  }
  for (const channel of ['sms', 'email'] as const) {
    const targets =
      accepted.includes(channel) && delivery.available(channel) ? bound.filter((e) => e.type === channel) : [];
    if (targets.length)
      methods.push({
        type: channel,
        enrollments: targets.map((e) => ({ id: e.id, label: e.label, maskedTarget: e.maskedTarget })),
      });
  }
  const usablePasskeys =
    passkeys && accepted.includes('webauthn') ? bound.filter((e) => e.type === 'webauthn' && passkeys.eligible(e)) : [];
  if (usablePasskeys.length)
    methods.push({
      type: 'webauthn',
      enrollments: usablePasskeys.map((e) => ({
        id: e.id,
        label: e.label,
        authenticator: e.passkey ? authenticatorName(e.passkey.aaguid, passkeys!.names) : null,
      })),
    });
  // Backup codes are a recovery path for an enrolled user, never a factor on their own.
  if (accepted.includes('backup_code') && (methods.length || accepted.length === 1)) {
    const remaining = (await store.listUnusedBackupCodes(userId)).length;
    if (remaining) methods.push({ type: 'backup_code', remaining });
  }
  return methods;
}
