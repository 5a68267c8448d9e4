import type { CompiledPolicy } from '../policy/compile-policy';

const reading = new WeakMap<CompiledPolicy, boolean>();

/** Does any part of the policy look at risk? Answered once per compiled version. */
export function readsRisk(policy: CompiledPolicy): boolean {
  let reads = reading.get(policy);
  if (reads === undefined) {
    reads =
      policy.continuous.riskIncrease !== undefined ||
      policy.devices.revokeAtRisk !== null ||
      policy.rules.some((rule) => rule.when.minRisk !== undefined);
    reading.set(policy, reads);
  }
  return reads;
}

/** The enforced policy or the report-only one beside it reads risk. */
export function eitherReadsRisk(policy: CompiledPolicy, reportOnly: CompiledPolicy | null | undefined): boolean {
  return readsRisk(policy) || (reportOnly != null && readsRisk(reportOnly));
}
