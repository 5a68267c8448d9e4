import type { FactorType } from '../factors/factor-type';
import { compilePolicy } from './compile-policy';
import type { PolicyDocument, RequirementSpec } from './policy-document';
import { acceptedFactors } from './requirement';
import type { PolicyProblem } from './validate-policy';

/**
 * Steps no user could ever meet here: every factor they accept is disabled by the policy or
 * not configured (a passkey step without `webauthn` options). Such a policy would answer every
 * request on those routes with an enrollment nobody can complete, so it is refused instead.
 * Run on a document that `validatePolicy` accepted.
 */
export function unmeetableSteps(doc: PolicyDocument, available: readonly FactorType[]): PolicyProblem[] {
  const enabled = compilePolicy(doc, 0, available).enabled;
  const problems: PolicyProblem[] = [];
  const check = (spec: RequirementSpec | undefined, path: string) => {
    if (spec === undefined || spec === 'none') return;
    const chained = typeof spec === 'object' && 'chain' in spec;
    const requirement = compilePolicy({ defaults: { unmapped: spec } }, 0, available).unmapped;
    requirement.steps.forEach((step, i) => {
      if (acceptedFactors(step, enabled).length > 0) return;
      problems.push({
        path: chained ? `${path}.chain[${i}]` : path,
        message: available.includes('webauthn')
          ? 'no enabled factor can meet this step: enable one it accepts in methods.enabled'
          : 'no enabled factor can meet this step: passkeys need the `webauthn` options (rpId, origins), or accept another factor',
      });
    });
  };
  check(doc.defaults?.unmapped, '$.defaults.unmapped');
  for (const [name, service] of Object.entries(doc.services ?? {})) {
    check(service.require, `$.services.${name}.require`);
    for (const [op, operation] of Object.entries(service.operations ?? {}))
      check(operation.require, `$.services.${name}.operations.${op}.require`);
  }
  (doc.rules ?? []).forEach((rule, i) => check(rule.require, `$.rules[${i}].require`));
  return problems;
}
