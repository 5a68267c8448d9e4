// Its own file because both the policy (requirement steps) and the store port (session
// factors, grants) name factors: neither has to import the other for it.
export type FactorType = 'totp' | 'sms' | 'email' | 'backup_code' | 'webauthn';

export const FACTOR_TYPES: readonly FactorType[] = ['totp', 'sms', 'email', 'backup_code', 'webauthn'];
