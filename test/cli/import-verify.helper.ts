// Shared by the import suites: TOTP codes computed here with node:crypto (RFC 4226/6238,
// independent of the library's generator), and an engine over the imported store that asks
// for a factor and answers with a code, the way the next sign-in would.
import { createHmac, randomBytes } from 'node:crypto';
import { ManualClock, MfaEngine, MfaError } from '../../libs/core/src';
import type { FactorType } from '../../libs/core/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { CapturingAuditSink } from '../support/capturing-audit.sink';

export function hotp(key: Buffer, counter: number, algorithm: string, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1] & 15;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(value).padStart(digits, '0');
}

export const newKeys = () => `k1:${randomBytes(32).toString('base64')}`;

/** The engine the app would run over the imported store: same key, a clock the test sets. */
export class SignIn {
  readonly clock = new ManualClock();
  readonly audit = new CapturingAuditSink();
  readonly engine: MfaEngine;

  constructor(
    readonly store: TypeOrmMfaStore,
    keys: string,
  ) {
    const [id, key] = keys.split(':');
    this.engine = new MfaEngine({ encryption: { keys: [{ id, key }] }, store, clock: this.clock, audit: this.audit });
  }

  /** The user's imported TOTP step state: where the import left `last_step`. */
  async lastStep(userId: string): Promise<{ lastStep: number; period: number }> {
    const [totp] = (await this.store.listEnrollments(userId)).filter((e) => e.type === 'totp');
    return { lastStep: totp.lastStep!, period: totp.profile!.period };
  }

  /** A fresh challenge for the user, answered: true when the engine accepted the answer. */
  async answer(userId: string, method: FactorType, code: string): Promise<boolean> {
    const subject = { userId, sessionId: `s-${randomBytes(6).toString('hex')}` };
    const challenge = await this.engine
      .enforce(subject, { requirement: { steps: [{ factors: 'any' }] } })
      .then(() => null)
      .catch((e: MfaError) => (e.details as { challenge: { id: string } }).challenge);
    if (!challenge) throw new Error(`no challenge for ${userId}: has it a factor?`);
    return this.engine.verifyChallenge(subject, challenge.id, method, code).then(
      () => true,
      (e: MfaError) => {
        if (e.code !== 'INVALID_CODE') throw e;
        return false;
      },
    );
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
