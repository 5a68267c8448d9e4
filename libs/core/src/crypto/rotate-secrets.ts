import type { ResolvedMfaContext } from '../options/mfa-context';
import { sealedAadOf } from './secret-aad';

/** Re-encrypts secrets sealed under older keys; returns how many moved to the current key. */
export async function rotateSealedSecrets(
  ctx: Pick<ResolvedMfaContext, 'keyRing' | 'store'>,
  batchSize = 100,
): Promise<number> {
  const { keyRing, store } = ctx;
  let moved = 0;
  for (;;) {
    const batch = await store.listEnrollmentsNotSealedWith(keyRing.currentKeyId, batchSize);
    if (batch.length === 0) return moved;
    for (const enrollment of batch) {
      if (enrollment.sealedSecret === '') continue; // a pending passkey holds nothing yet
      const aad = sealedAadOf(enrollment);
      const secret = keyRing.open(enrollment.sealedSecret, aad);
      const resealed = keyRing.seal(secret, aad);
      secret.fill(0);
      // A lost compare-and-swap means another rotator already moved it; the next batch re-reads.
      if (await store.replaceSealedSecret(enrollment.id, enrollment.sealedSecret, resealed, keyRing.currentKeyId))
        moved++;
    }
  }
}
