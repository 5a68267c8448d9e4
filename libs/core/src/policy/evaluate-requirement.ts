import type { SessionFactorRecord } from '../ports/mfa-store.port';
import { acceptedFactors, Requirement } from './requirement';

/**
 * Pure decision: does the session's verification history satisfy the requirement now?
 * It sees only server-side records, so nothing a client sends can satisfy it.
 */
export function isSatisfied(requirement: Requirement, verified: readonly SessionFactorRecord[], now: number): boolean {
  if (requirement.kind === 'none') return true;
  const accepted = acceptedFactors(requirement);
  const oldestAllowed = requirement.maxAge === undefined ? -Infinity : now - requirement.maxAge * 1000;
  return verified.some((record) => accepted.includes(record.factor) && record.verifiedAt >= oldestAllowed);
}
