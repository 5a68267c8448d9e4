// Invariant: an activation on this instance is never undone by a background refresh that
// read the store before it (a stale, possibly weaker, policy must not come back).
import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import { PolicyActivationRecord, PolicyVersionRecord } from '../ports/mfa-store.port';
import { createMfaContext } from '../engine/compose';
import { PolicyService } from './policy.service';

/** The policy half of MfaStore, in memory, with a hook to hold a read in flight. */
class PolicyStoreFake {
  versions: PolicyVersionRecord[] = [];
  activations: PolicyActivationRecord[] = [];
  gate?: Promise<void>;
  async insertPolicyVersion(r: PolicyVersionRecord) {
    if (this.versions.some((v) => v.version === r.version)) return false;
    this.versions.push(r);
    return true;
  }
  async listPolicyVersions() {
    return [...this.versions];
  }
  async findPolicyVersion(version: number) {
    return this.versions.find((v) => v.version === version) ?? null;
  }
  async recordPolicyActivation(r: PolicyActivationRecord) {
    this.activations.unshift(r);
  }
  async listPolicyActivations(limit: number) {
    const snapshot = this.activations.slice(0, limit);
    await this.gate;
    return snapshot;
  }
}

describe('PolicyService', () => {
  it('keeps a fresh activation when an older background refresh completes after it', async () => {
    const clock = new ManualClock();
    const store = new PolicyStoreFake();
    const ctx = createMfaContext({
      store: store as never,
      encryption: { keys: [{ id: 'k', key: Buffer.alloc(32, 1).toString('base64') }] },
      clock,
      policy: { rules: [] },
    });
    const policy = new PolicyService(ctx, new AuditTrail({ emit: () => undefined }, clock));
    await policy.init();
    await policy.create({ rules: [{ id: 'strict', require: 'totp' }] }, 'admin');
    expect(policy.current().version).toBe(1);

    let release!: () => void;
    store.gate = new Promise((resolve) => (release = resolve));
    clock.advance(10);
    policy.current(); // starts a background refresh that reads "version 1 is active"…
    store.gate = undefined;
    await policy.activate(2, 'admin'); // …then version 2 is activated here…
    release(); // …and the stale read completes.
    await new Promise((resolve) => setImmediate(resolve));
    expect(policy.current().version).toBe(2);
  });
});
