import type { Assurance } from '../../factors/assurance';
import type { FactorType } from '../../factors/factor-type';

/** A single-use authorisation (a `maxAge: 0` step) for one scope, spent by one request. */
export interface GrantRecord {
  id: string;
  userId: string;
  sessionRef: string;
  scope: string;
  factor: FactorType;
  createdAt: number;
  expiresAt: number;
  eventId: string;
  /** The AAL and `amr` the verification reached; absent on records written before they were kept. */
  assurance?: Assurance;
}

export interface GrantStore {
  createGrant(record: GrantRecord): Promise<void>;
  listUnspentGrants(userId: string, sessionRef: string, scope: string, now: number): Promise<GrantRecord[]>;
  consumeGrant(userId: string, grantId: string, now: number): Promise<boolean>;
}
