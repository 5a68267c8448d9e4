/** How many secrets one key seals, in one table. */
export interface SealedSecretCount {
  /** The store's name for where they sit, e.g. `enrollments`. */
  table: string;
  keyId: string;
  rows: number;
}

/** Which key seals how many secrets: `keys status`, and the check that a rotation finished. */
export interface KeyStatusStore {
  /**
   * Rows holding a secret sealed by the key ring, per key id. Only enrollments are sealed
   * (TOTP seeds, SMS/email targets, passkey credentials); a pending passkey, which holds
   * nothing sealed yet, is not counted, as rotation skips it.
   */
  countSealedSecretsByKey(): Promise<SealedSecretCount[]>;
}
