import type { ComplianceStore } from './store/compliance.store';
import type { FactorImportStore } from './store/factor-import.store';
import type { KeyStatusStore } from './store/key-status.store';

export type { ComplianceStore } from './store/compliance.store';
export type { FactorImportStore } from './store/factor-import.store';
export type { KeyStatusStore } from './store/key-status.store';

/**
 * What operators run against the store (the CLI and the admin API): counts, bulk imports and
 * reports over every user, never on a request's path. A separate port from MfaStore, as
 * RiskHistoryStore is, so a custom store still works without it: the operations that need
 * it refuse with OPERATOR_STORE_UNAVAILABLE. The TypeORM store implements all of it.
 */
export interface OperatorStore extends KeyStatusStore, FactorImportStore, ComplianceStore {}

/** Each slice names one method the others do not, so one check finds the whole port. */
export function isOperatorStore(store: unknown): store is OperatorStore {
  const s = store as Partial<Record<keyof OperatorStore, unknown>> | null;
  return !!s && typeof s === 'object' && OPERATOR_METHODS.every((m) => typeof s[m] === 'function');
}

/** One method per slice; each slice's owner lists theirs here. */
const OPERATOR_METHODS: ReadonlyArray<keyof OperatorStore> = [
  'countSealedSecretsByKey',
  'listComplianceFacts',
  'importFactor',
];
