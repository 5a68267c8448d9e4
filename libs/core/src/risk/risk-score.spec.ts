import { compilePolicy } from '../policy/compile-policy';
import { decide } from '../policy/decide';
import { combineWithHost, DEFAULT_RISK_WEIGHTS, riskScore } from './risk-score';

describe('risk score', () => {
  it('sums the weights of the signals that fired, to hundredths, capped at 1', () => {
    expect(riskScore({ newDevice: { family: 'Firefox/Linux' }, unusualHour: { hour: 3 } }, DEFAULT_RISK_WEIGHTS)).toBe(
      0.5,
    );
    expect(riskScore({ impossibleTravel: { km: 1, minutes: 1 }, untrustedIp: true }, DEFAULT_RISK_WEIGHTS)).toBe(1);
  });

  it("adds the host's value without floating-point noise: 0.7 + 0.1 meets minRisk 0.8", () => {
    expect(0.7 + 0.1).toBeLessThan(0.8); // what an unrounded sum would be
    expect(combineWithHost(0.7, 0.1, 'add')).toBe(0.8);
    expect(combineWithHost(0.2, 0.1, 'add')).toBe(0.3);
    const rules = [{ id: 'very-risky', when: { minRisk: 0.8 }, deny: true as const }];
    const policy = compilePolicy({ services: { s1: {} }, rules }, 1);
    const context = { risk: combineWithHost(0.7, 0.1, 'add') };
    const evidence = { userId: 'u', groups: [], verified: [], grants: [] };
    expect(decide(policy, { service: 's1' }, context, evidence, 0).outcome).toBe('deny');
  });

  it("never rounds a host's own precision away, nor below what it gave", () => {
    expect(combineWithHost(0, 0.333, 'add')).toBe(0.333);
    expect(combineWithHost(0, 5e-324, 'add')).toBe(5e-324);
    expect(combineWithHost(0.9, 0.5, 'add')).toBe(1);
    expect(combineWithHost(0.9, 0.25, 'replace')).toBe(0.25);
  });
});
