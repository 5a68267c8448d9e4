// Invariant: an activation on this instance is never undone by a background refresh that
// read the store before it (a stale, possibly weaker, policy must not come back); the same
// holds for report-only runs, which never touch the enforcing version.
import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import { PolicyActivationRecord, PolicyReportOnlyRecord, PolicyVersionRecord } from '../ports/mfa-store.port';
import type { AuditEvent } from '../ports/audit-sink.port';
import { createMfaContext } from '../engine/compose';
import { PolicyService } from './policy.service';

/** The policy half of MfaStore, in memory, with a hook to hold a read in flight. */
class PolicyStoreFake {
  versions: PolicyVersionRecord[] = [];
  activations: PolicyActivationRecord[] = [];
  reportOnly: PolicyReportOnlyRecord[] = [];
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
  async recordPolicyReportOnly(r: PolicyReportOnlyRecord) {
    this.reportOnly.unshift(r);
  }
  async latestPolicyReportOnly() {
    return this.reportOnly[0] ?? null;
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

describe('PolicyService report-only', () => {
  const KEY = { keys: [{ id: 'k', key: Buffer.alloc(32, 1).toString('base64') }] };

  async function setup(store = new PolicyStoreFake(), clock = new ManualClock()) {
    const events: AuditEvent[] = [];
    const ctx = createMfaContext({ store: store as never, encryption: KEY, clock, policy: { rules: [] } });
    const policy = new PolicyService(ctx, new AuditTrail({ emit: (e) => void events.push(e) }, clock));
    await policy.init();
    await policy.create({ rules: [{ id: 'strict', require: 'totp' }] }, 'admin');
    await policy.create({ rules: [{ id: 'stricter', deny: true }] }, 'admin');
    return { store, clock, policy, events };
  }

  it('runs one version beside the active one, replaced by the next, until stopped; each change audited', async () => {
    const { policy, events } = await setup();
    expect(policy.reportOnly()).toBeNull();
    const started = await policy.startReportOnly(2, 'alice');
    expect(started).toMatchObject({ version: 2, active: false, reportOnly: true });
    expect(policy.reportOnly()?.version).toBe(2);
    expect(policy.current().version).toBe(1); // the enforcing version is untouched

    await policy.startReportOnly(3, 'alice');
    expect(policy.reportOnly()?.version).toBe(3);
    expect((await policy.versions()).map((v) => [v.version, v.active, v.reportOnly])).toEqual([
      [1, true, false],
      [2, false, false],
      [3, false, true],
    ]);
    expect(await policy.stopReportOnly('bob')).toBe(3);
    expect(await policy.stopReportOnly('bob')).toBeNull();
    expect(policy.reportOnly()).toBeNull();
    expect(events.filter((e) => e.type.startsWith('policy.report_only')).map((e) => [e.type, e.policyVersion])).toEqual(
      [
        ['policy.report_only_started', 2],
        ['policy.report_only_started', 3],
        ['policy.report_only_stopped', 3],
      ],
    );
    expect(events.find((e) => e.type === 'policy.report_only_started' && e.policyVersion === 3)?.reason).toMatch(
      /replaces report-only version 2$/,
    );
  });

  it('refuses the enforcing version, an unknown one, and one this deployment cannot meet', async () => {
    const { policy, store } = await setup();
    await expect(policy.startReportOnly(1, 'a')).rejects.toMatchObject({ code: 'POLICY_VERSION_ENFORCED' });
    await expect(policy.startReportOnly(9, 'a')).rejects.toMatchObject({ code: 'POLICY_VERSION_NOT_FOUND' });
    // Stored around the validator: passkeys only, where no `webauthn` options are configured.
    const document = JSON.stringify({ rules: [{ id: 'pk', require: 'webauthn' }] });
    store.versions.push({ ...store.versions[0], version: 4, document });
    await expect(policy.startReportOnly(4, 'a')).rejects.toMatchObject({ code: 'POLICY_INVALID' });
    expect(policy.reportOnly()).toBeNull();
  });

  it('ends when its version is activated: enforced now, it has nothing left to report', async () => {
    const { policy, events } = await setup();
    await policy.startReportOnly(2, 'alice');
    await policy.activate(3, 'alice'); // another version: the run goes on
    expect(policy.reportOnly()?.version).toBe(2);
    const view = await policy.activate(2, 'alice');
    expect(view).toMatchObject({ active: true, reportOnly: false });
    expect(policy.reportOnly()).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'policy.report_only_stopped', reason: 'version 2 is now enforced' });
  });

  it("picks up another instance's start and stop with the active version's refresh, and no stale read undoes a local stop", async () => {
    const { store, clock, policy } = await setup();
    const other = new PolicyService(
      createMfaContext({ store: store as never, encryption: KEY, clock, policy: { rules: [] } }),
      new AuditTrail({ emit: () => undefined }, clock),
    );
    await other.init();
    await policy.startReportOnly(2, 'alice');
    expect(other.reportOnly()).toBeNull();
    clock.advance(10);
    other.current();
    await new Promise((resolve) => setImmediate(resolve));
    expect(other.reportOnly()?.version).toBe(2);

    let release!: () => void;
    store.gate = new Promise((resolve) => (release = resolve));
    clock.advance(10);
    other.current(); // a refresh reads "2 runs report-only"…
    store.gate = undefined;
    await other.stopReportOnly('bob'); // …the run is stopped here…
    release(); // …and the stale read lands.
    await new Promise((resolve) => setImmediate(resolve));
    expect(other.reportOnly()).toBeNull();
  });

  it('retries a failing refresh once per interval, not on every request (a primary failing over)', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const { store, clock, policy } = await setup();
    const read = jest.spyOn(store, 'listPolicyActivations').mockRejectedValue(new Error('connection refused'));
    clock.advance(10);
    policy.current();
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 20; i++) policy.current();
    await new Promise((resolve) => setImmediate(resolve));
    expect(read).toHaveBeenCalledTimes(1);
    clock.advance(10);
    policy.current();
    expect(read).toHaveBeenCalledTimes(2);
    expect(policy.current().version).toBe(1); // the last good version keeps serving
    read.mockRestore();
    write.mockRestore();
  });

  it('never lets a failing report-only read or sync hold the active version back', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const { store, clock, policy } = await setup();
    await policy.startReportOnly(2, 'alice');
    const other = new PolicyService(
      createMfaContext({ store: store as never, encryption: KEY, clock, policy: { rules: [] } }),
      new AuditTrail({ emit: () => undefined }, clock),
    );
    // The report-only table cannot be read: the instance still boots on the active version…
    const read = jest.spyOn(store, 'latestPolicyReportOnly').mockRejectedValue(new Error('no such table'));
    await other.init();
    expect(other.current().version).toBe(1);
    expect(other.reportOnly()).toBeNull();
    // …and still picks up an activation made elsewhere.
    await policy.activate(3, 'alice');
    clock.advance(10);
    other.current();
    await new Promise((resolve) => setImmediate(resolve));
    expect(other.current().version).toBe(3);

    // The read works again but the run's version cannot be compiled: the activation still lands.
    read.mockRestore();
    store.versions.find((v) => v.version === 2)!.document = '{"rules":';
    await policy.activate(1, 'alice');
    clock.advance(10);
    other.current();
    await new Promise((resolve) => setImmediate(resolve));
    expect(other.current().version).toBe(1);
    expect(other.reportOnly()).toBeNull();
    expect(write.mock.calls.map(([line]) => String(line))).toEqual(
      expect.arrayContaining([expect.stringMatching(/report-only policy refresh failed: no such table/)]),
    );
    write.mockRestore();
  });

  it('answers an activation that took effect even when ending its report-only run fails, and audits the failure', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const { store, policy, events } = await setup();
    await policy.startReportOnly(2, 'alice');
    jest.spyOn(store, 'recordPolicyReportOnly').mockRejectedValue(new Error('connection reset'));
    await expect(policy.activate(2, 'alice')).resolves.toMatchObject({ version: 2, active: true });
    expect(policy.current().version).toBe(2);
    expect(store.activations[0]).toMatchObject({ version: 2, kind: 'activate' });
    expect(events.slice(-2)).toEqual([
      expect.objectContaining({ type: 'policy.activated', policyVersion: 2 }),
      expect.objectContaining({
        type: 'policy.report_only_stop_failed',
        severity: 'high',
        actor: 'alice',
        policyVersion: 2,
        reason: 'could not end its report-only run: connection reset',
      }),
    ]);
    write.mockRestore();
  });
});
