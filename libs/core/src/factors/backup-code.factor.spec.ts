import { CodeHasher } from '../crypto/code-hasher';
import { BackupCodeFactor } from './backup-code.factor';

describe('BackupCodeFactor', () => {
  const factor = new BackupCodeFactor();

  it('makes ten distinct grouped codes of 80 bits', () => {
    const codes = factor.generateSet();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/); // 16 chars × 5 bits
  });

  it('normalises case, spaces, dashes and look-alike letters', () => {
    expect(factor.normalize('ab1cd-ef2gh')).toBe('AB1CDEF2GH');
    expect(factor.normalize(' AB1CD EF2GH ')).toBe('AB1CDEF2GH');
    expect(factor.normalize('abicd-ef2gh')).toBe('AB1CDEF2GH');
    expect(factor.normalize('abocd-ef2gh')).toBe('AB0CDEF2GH');
    expect(factor.normalize('ab1cd-ef2g')).toBeNull();
    expect(factor.normalize('ab1cd-ef2g!')).toBeNull();
    expect(factor.normalize('ab1cd-ef2gu')).toBe('AB1CDEF2GU'); // an imported code may hold a U
  });
});

describe('CodeHasher', () => {
  const hasher = new CodeHasher({ N: 1024, r: 8, p: 1 });

  it('salts each hash and verifies only the right code', async () => {
    const [a, b] = await Promise.all([hasher.hash('AB1CDEF2GH'), hasher.hash('AB1CDEF2GH')]);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split('$')[4], 'base64url').length).toBeGreaterThanOrEqual(4); // ≥32-bit salt
    await expect(hasher.verify('AB1CDEF2GH', a)).resolves.toBe(true);
    await expect(hasher.verify('AB1CDEF2GJ', a)).resolves.toBe(false);
    await expect(hasher.verify('AB1CDEF2GH', 'garbage')).resolves.toBe(false);
  });
});
