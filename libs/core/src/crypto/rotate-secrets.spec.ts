// Invariant: key rotation moves every sealed secret to the current key without changing a
// byte of it, and a rotator that loses the compare-and-swap neither counts nor clobbers.
import { KeyRing } from '../crypto/key-ring';
import type { EnrollmentRecord, EnrollmentStore } from '../ports/mfa-store.port';
import { createMfaContext } from '../engine/compose';
import { rotateSealedSecrets } from './rotate-secrets';
import { sealedAadOf } from './secret-aad';

type RotationSlice = Pick<EnrollmentStore, 'listEnrollmentsNotSealedWith' | 'replaceSealedSecret'>;

/** The two enrollment methods rotation uses, in memory; `beforeSwap` lets a rival rotator win a race. */
class RotationStoreFake implements RotationSlice {
  readonly rows = new Map<string, EnrollmentRecord>();
  beforeSwap?: (id: string) => void;
  async listEnrollmentsNotSealedWith(keyId: string, limit: number) {
    return [...this.rows.values()]
      .filter((e) => e.keyId !== keyId)
      .sort((a, b) => a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((e) => ({ ...e }));
  }
  async replaceSealedSecret(id: string, expectedSealed: string, sealed: string, keyId: string) {
    this.beforeSwap?.(id);
    const row = this.rows.get(id);
    if (!row || row.sealedSecret !== expectedSealed) return false;
    Object.assign(row, { sealedSecret: sealed, keyId });
    return true;
  }
}

const OLD = { id: 'old', key: Buffer.alloc(32, 1).toString('base64') };
const NEW = { id: 'new', key: Buffer.alloc(32, 2).toString('base64') };

function enrollment(id: string, type: EnrollmentRecord['type'], secret: string, ring: KeyRing): EnrollmentRecord {
  const base = { id, userId: `user-${id}`, type };
  return {
    ...base,
    status: 'active',
    label: null,
    sealedSecret: ring.seal(Buffer.from(secret), sealedAadOf(base)),
    keyId: ring.currentKeyId,
    profile: null,
    maskedTarget: null,
    lastStep: null,
    createdAt: 0,
    confirmedAt: 0,
    lastUsedAt: null,
  };
}

function setup(count: number) {
  const before = new KeyRing({ keys: [OLD] });
  const store = new RotationStoreFake();
  for (let i = 0; i < count; i++) {
    const row = enrollment(
      `e${String(i).padStart(2, '0')}`,
      (['totp', 'sms', 'email'] as const)[i % 3],
      `secret-${i}`,
      before,
    );
    store.rows.set(row.id, row);
  }
  // The engine context still asks for the whole MfaStore; rotation only touches this slice.
  const ctx = createMfaContext({ store: store as never, encryption: { keys: [NEW, OLD] } });
  return { store, ctx };
}

describe('rotateSealedSecrets', () => {
  it('moves every secret to the current key, across batches, unchanged', async () => {
    const { store, ctx } = setup(7);
    expect(await rotateSealedSecrets(ctx, 3)).toBe(7);
    for (const [i, row] of [...store.rows.values()].entries()) {
      expect(row.keyId).toBe('new');
      expect(ctx.keyRing.open(row.sealedSecret, sealedAadOf(row)).toString()).toBe(`secret-${i}`);
    }
    expect(await rotateSealedSecrets(ctx, 3)).toBe(0);
  });

  it('counts only its own swaps when another rotator moves a secret first', async () => {
    const { store, ctx } = setup(4);
    const rival = new KeyRing({ keys: [NEW, OLD] });
    let rivals = '';
    store.beforeSwap = (id) => {
      if (id !== 'e01') return;
      store.beforeSwap = undefined;
      const row = store.rows.get(id)!;
      rivals = rival.seal(rival.open(row.sealedSecret, sealedAadOf(row)), sealedAadOf(row));
      Object.assign(row, { sealedSecret: rivals, keyId: 'new' });
    };
    expect(await rotateSealedSecrets(ctx, 10)).toBe(3);
    expect(store.rows.get('e01')!.sealedSecret).toBe(rivals);
    expect([...store.rows.values()].every((row) => row.keyId === 'new')).toBe(true);
  });
});
