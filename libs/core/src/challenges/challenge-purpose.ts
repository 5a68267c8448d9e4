import { createHash } from 'node:crypto';
import type { Decision } from '../policy/decide';
import { stepsKey } from '../policy/requirement';

/**
 * One pending challenge serves every request with the same demand: the policy version, rule,
 * scope and missing steps. The column holds 191 characters; a longer key keeps its head and a
 * hash of the whole, so two demands (say, with and without `phishingResistant`) never merge.
 */
export function challengePurpose(decision: Extract<Decision, { outcome: 'challenge' }>): string {
  const key = `${decision.policyVersion}|${decision.ruleId}|${decision.scope}|${stepsKey(decision.remaining)}`;
  return key.length <= 191 ? key : `${key.slice(0, 126)}#${createHash('sha256').update(key).digest('hex')}`;
}
