import { MfaError } from '../errors/mfa.error';
import { defaultLabel, normalizeDisplayText, normalizeLabel, optionalLabel } from './factor-label';

describe('factor labels', () => {
  it('trims, and counts characters rather than UTF-16 units', () => {
    expect(normalizeLabel('  Work phone \n')).toBe('Work phone');
    expect(normalizeLabel('x'.repeat(64))).toHaveLength(64);
    expect([...normalizeLabel('📱'.repeat(64))]).toHaveLength(64);
    expect(optionalLabel(undefined)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['65 characters', 'x'.repeat(65)],
    ['a NUL', 'a\u0000b'],
    ['a tab inside', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a right-to-left override', 'evil\u202Egnp.exe'],
    ['a left-to-right embedding', '\u202Aabc'],
    ['a first-strong isolate', 'a\u2068b\u2069'],
    ['a lone surrogate', 'a\ud800b'],
    ['a line separator', 'a\u2028b'],
  ])('refuses %s with VALIDATION_FAILED on the label field', (_name, raw) => {
    let caught: unknown;
    try {
      normalizeLabel(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MfaError);
    expect(caught).toMatchObject({ code: 'VALIDATION_FAILED', details: { errors: [{ field: 'label' }] } });
  });

  it('holds other display text to the same rule under its own field name and bound', () => {
    expect(normalizeDisplayText(' identity checked, ticket #4711 ', 'reason', 512)).toBe(
      'identity checked, ticket #4711',
    );
    expect(() => normalizeDisplayText('ok\nforged audit line', 'reason', 512)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: {
          errors: [
            { field: 'reason', problems: ['reason must not contain control characters or bidirectional overrides'] },
          ],
        },
      }),
    );
    expect(() => normalizeDisplayText('x'.repeat(513), 'reason', 512)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('names unnamed apps apart, reusing a freed name', () => {
    expect(defaultLabel([])).toBe('Authenticator app');
    expect(defaultLabel(['Authenticator app', null])).toBe('Authenticator app 2');
    expect(defaultLabel(['Authenticator app 2', 'Phone'])).toBe('Authenticator app');
    expect(defaultLabel(['Authenticator app', 'Authenticator app 2'])).toBe('Authenticator app 3');
  });
});
