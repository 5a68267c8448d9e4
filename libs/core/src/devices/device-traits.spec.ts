import { normalizeLabel } from '../enrollment/factor-label';
import { deviceLabel, deviceTraits } from './device-traits';

// A device label is built only from the fixed names below, never from User-Agent text, so a
// hostile header cannot put a newline, NUL, control or bidi character, or length, into one.
describe('trusted-device labels', () => {
  it.each([
    ['a newline and a bidi override', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0\r\nX-Evil: 1\u202Eexe.gnp'],
    ['NUL and C1 controls', 'Chrome/126.0\u0000\u0085 (Windows NT 10.0)'],
    ['a 100 kB header', `Safari/605.1 (Macintosh) ${'\u2066A'.repeat(50_000)}`],
    ['nothing', undefined],
  ])('stays a clean, bounded label with %s', (_name, userAgent) => {
    const label = deviceLabel(deviceTraits(userAgent));
    expect(normalizeLabel(label)).toBe(label);
  });
});
