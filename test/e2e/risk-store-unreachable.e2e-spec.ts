// Invariant: when the risk history cannot be read, a guarded request whose decision depends on
// risk fails closed (503 MFA_UNAVAILABLE): it is never scored 0 and let through. A request no
// score could change never reads it, and keeps working.
import { RISK_POLICY, from, unreachableHistory } from '../support/risk-fixtures';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp } from '../support/test-app';

describe.each(MATRIX)('risk: history store unreachable on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(
    async () =>
      (t = await startTestApp(backend, adapter, { policy: RISK_POLICY, risk: { history: unreachableHistory() } })),
  );
  afterEach(() => t.close());

  it('answers 503 where risk could change the decision, and nothing else changes', async () => {
    const { agent } = await signInEnrolled(t); // enrollment reads no risk
    const payments = await agent.get('/payments').set(from('TR')).expect(503);
    expect(payments.body.code).toBe('MFA_UNAVAILABLE');
    expect(payments.headers['retry-after']).toBe('5');
    const fresh = await signIn(t);
    await fresh.get('/payments').set(from('TR')).expect(503);
    await fresh.get('/profile/security').set(from('TR')).expect(503);
    await fresh.get('/wiki').expect(200); // no requirement, whatever the risk: history is not read
  });
});
