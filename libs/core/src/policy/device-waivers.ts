import type { CompiledPolicy, RuleSource } from './compile-policy';
import type { Requirement } from './requirement';

/** Can a trusted device stand in for one of these steps? Never for a sudo window or a grant. */
export function acceptsTrustedDevice(requirement: Requirement | null): boolean {
  return !!requirement?.steps.some((s) => s.allowTrustedDevice && s.maxAge === undefined);
}

/**
 * Where a trusted device counts under this policy, in words a user can check: the verify
 * answer lists these so "remember this device" never looks like more than it is. Any
 * other layer that applies to the same request (a rule with `maxAge`, say) still asks.
 */
export function deviceWaivers(policy: CompiledPolicy, routes: Iterable<string> = []): string[] {
  if (!policy.devices.remember) return [];
  const places = policy.rules.filter((r) => acceptsTrustedDevice(r.requirement)).map((r) => describe(r.source, r.id));
  if (acceptsTrustedDevice(policy.unmapped)) places.push('routes with no MFA mapping (policy defaults.unmapped)');
  return [...places, ...[...routes].map((route) => `route ${route}`)];
}

function describe(source: RuleSource | undefined, id: string): string {
  switch (source?.kind) {
    case 'service':
      return `service ${source.service}`;
    case 'operation':
      return `operation ${source.service}/${source.operation}`;
    default:
      return `rule ${id}`;
  }
}
