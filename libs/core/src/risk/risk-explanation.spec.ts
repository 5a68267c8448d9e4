import { describeRisk, riskOf, withRisk } from './risk-explanation';

describe('risk in audit reasons', () => {
  const context = {
    risk: 1,
    riskSignals: {
      newCountry: { country: 'BR' },
      newDevice: { family: 'Safari/iOS' },
      impossibleTravel: { km: 10450, minutes: 61 },
      unusualHour: { hour: 3 },
      failureBurst: { failures: 6 },
      untrustedIp: true as const,
      hostSignal: 0.2,
    },
  };

  it('puts every signal in one line, strongest first, so a sink that cuts reasons keeps them', () => {
    expect(describeRisk(context)).toBe(
      'risk 1: impossibleTravel 10450 km in 61 min, untrustedIp, newCountry BR, newDevice Safari/iOS, failureBurst 6, unusualHour 3h UTC, hostSignal 0.2',
    );
    expect(withRisk(context, 'rule: step 1 of 1')).toMatch(/hostSignal 0\.2; rule: step 1 of 1$/);
  });

  it('says nothing for a request that was not assessed, and says so for one nothing fired on', () => {
    expect(describeRisk({ risk: 0.4 })).toBeUndefined();
    expect(withRisk({}, 'why')).toBe('why');
    expect(describeRisk({ risk: 0, riskSignals: {} })).toBe('risk 0: no signal');
    expect(riskOf({ risk: 0.3, riskSignals: { newDevice: { family: 'x' } } })).toEqual({
      score: 0.3,
      signals: { newDevice: { family: 'x' } },
    });
  });
});
