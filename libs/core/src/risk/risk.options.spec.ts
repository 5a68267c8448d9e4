import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { resolveRisk, RiskOptions } from './risk.options';

describe('risk options', () => {
  it('defaults: on while the policy reads risk, added to the host signal, 1000 km/h, 90 days', () => {
    const risk = resolveRisk();
    expect(risk).toMatchObject({ enabled: 'auto', hostSignal: 'add', impossibleTravelKmh: 1000, failureBurst: 5 });
    expect(risk.retentionMs).toBe(90 * 86_400_000);
    expect(risk.weights).toEqual({
      impossibleTravel: 0.8,
      untrustedIp: 0.6,
      newCountry: 0.5,
      unknownCountry: 0.5,
      newDevice: 0.3,
      failureBurst: 0.3,
      unusualHour: 0.2,
    });
    expect(risk.untrusted).toBeNull();
  });

  it.each<[string, RiskOptions, RegExp]>([
    [
      'an unknown signal',
      { weights: { newCountri: 0.5 } as never },
      /risk\.weights\.newCountri is not a signal; weigh one of newDevice/,
    ],
    [
      'a weight above 1',
      { weights: { newCountry: 2 } },
      /risk\.weights\.newCountry must be a number from 0 to 1 \(got 2\)/,
    ],
    ['a negative weight', { weights: { newDevice: -0.1 } }, /0 turns the signal off/],
    [
      'a bad range',
      { untrustedIps: ['10.0.0.0/8', '10.0.0.0/33', 'proxy.example'] },
      /"10\.0\.0\.0\/33", "proxy\.example".*'203\.0\.113\.0\/24'/,
    ],
    [
      'a range that is not a list',
      { untrustedIps: '10.0.0.0/8' as never },
      /must be a list of addresses or CIDR ranges/,
    ],
    [
      'a zero speed',
      { impossibleTravelKmh: 0 },
      /risk\.impossibleTravelKmh must be a speed in km\/h above 0 \(got 0\)/,
    ],
    ['a fractional retention', { retentionDays: 1.5 }, /risk\.retentionDays must be a whole number of days/],
    ['an unknown mode', { hostSignal: 'max' as never }, /risk\.hostSignal must be 'add' or 'replace' \(got max\)/],
    [
      'a half-built store',
      { history: { loadRiskProfile: async () => undefined } as never },
      /risk\.history must implement loadRiskProfile, saveRiskProfile/,
    ],
    ['a share of 1', { unusualHour: { maxShare: 1 } }, /risk\.unusualHour\.maxShare must be a share between 0 and 1/],
    ['enabled as a string', { enabled: 'yes' as never }, /risk\.enabled must be true, false or 'auto'/],
  ])('stops boot on %s, saying how to fix it', (_name, options, message) => {
    expect(() => resolveRisk(options)).toThrow(MfaConfigurationError);
    expect(() => resolveRisk(options)).toThrow(message);
  });

  it('takes a callback for untrusted addresses as it is, and tells it from a list the fast path can match', async () => {
    const risk = resolveRisk({ untrustedIps: (ip) => ip === '192.0.2.1' });
    expect(risk.untrusted!.list).toBe(false);
    expect(await risk.untrusted!.test('192.0.2.1')).toBe(true);
    const list = resolveRisk({ untrustedIps: ['192.0.2.0/24'] }).untrusted!;
    expect(list.list).toBe(true);
    expect(list.test('192.0.2.1')).toBe(true); // synchronously
  });
});
