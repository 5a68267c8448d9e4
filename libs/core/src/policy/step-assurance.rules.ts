/** The problems `validatePolicy` reports, by path. */
type Fail = (path: string, message: string) => void;

/**
 * The rules a step's `phishingResistant` and `minAal` add to the policy grammar: what the step
 * names must be able to meet them, and a trusted device (earned by any factor) never stands
 * in for them. `buildRequirement` holds decorators to the same rules at boot.
 */
export function checkStepAssurance(v: Record<string, unknown>, path: string, fail: Fail): void {
  if (v.phishingResistant !== undefined && typeof v.phishingResistant !== 'boolean')
    fail(`${path}.phishingResistant`, 'expected true or false');
  if (v.minAal !== undefined && v.minAal !== 2 && v.minAal !== 3) fail(`${path}.minAal`, 'expected 2 or 3');
  const named = v.factor !== undefined ? [v.factor] : Array.isArray(v.anyOf) ? (v.anyOf as unknown[]) : null;
  const strong = v.phishingResistant === true || v.minAal === 3;
  if (strong && named && !named.includes('webauthn'))
    fail(
      path,
      `only a passkey meets ${v.phishingResistant === true ? 'phishingResistant' : 'minAal 3'}: add "webauthn"`,
    );
  if (v.allowTrustedDevice === true && (v.phishingResistant === true || v.minAal !== undefined))
    fail(`${path}.allowTrustedDevice`, 'a trusted device never satisfies a phishing-resistant or minAal step');
  if (v.minAal === 2 && named && named.every((f) => f === 'email'))
    fail(`${path}.minAal`, 'an email code reaches AAL1 only; accept another factor too');
}
