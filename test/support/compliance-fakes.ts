import type { CompiledPolicy } from '../../libs/core/src/policy/compile-policy';
import type { ComplianceFacts, ComplianceStore } from '../../libs/core/src/ports/store/compliance.store';
import type { ExemptionRecord, ExemptionScope, ExemptionStore } from '../../libs/core/src/ports/store/exemption.store';
import { noFacts } from '../../libs/core/src/compliance/compliance-findings';

/** In-memory stores and policies for the compliance report's unit spec (libs/core/src/compliance). */
export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 5, 1, 12);

/** The store's two reads over a list of users, paged as the TypeORM store pages them; every call is recorded. */
export class FakeComplianceStore implements ComplianceStore {
  readonly calls: Array<{ after: string | null; limit: number } | { ids: number }> = [];
  private readonly users: ComplianceFacts[];

  constructor(users: Array<Partial<ComplianceFacts> & { userId: string }>) {
    this.users = users.map((u) => ({ ...facts(u.userId), ...u })).sort((a, b) => (a.userId < b.userId ? -1 : 1));
  }

  async listComplianceFacts(after: string | null, limit: number): Promise<ComplianceFacts[]> {
    this.calls.push({ after, limit });
    return this.users.filter((u) => after === null || u.userId > after).slice(0, limit);
  }

  async findComplianceFacts(ids: readonly string[]): Promise<ComplianceFacts[]> {
    this.calls.push({ ids: ids.length });
    return ids.map((id) => this.users.find((u) => u.userId === id) ?? facts(id));
  }
}

/** The same store with the exemption slice: exemptions as the TypeORM store keeps them, batch reads recorded. */
export class FakeExemptingStore extends FakeComplianceStore implements ExemptionStore {
  readonly exemptionReads: string[][] = [];
  constructor(
    users: Array<Partial<ComplianceFacts> & { userId: string }>,
    private readonly exemptions: ExemptionRecord[],
  ) {
    super(users);
  }
  async createExemption(r: ExemptionRecord) {
    this.exemptions.push(r);
  }
  async findExemption(userId: string, id: string) {
    return this.exemptions.find((e) => e.userId === userId && e.id === id) ?? null;
  }
  async listExemptions(userId: string) {
    return this.exemptions.filter((e) => e.userId === userId);
  }
  async listActiveExemptions(userId: string, now: number) {
    return this.listActiveExemptionsOf([userId], now);
  }
  async listActiveExemptionsOf(ids: readonly string[], now: number) {
    this.exemptionReads.push([...ids]);
    return this.exemptions.filter((e) => ids.includes(e.userId) && e.revokedAt === null && e.expiresAt > now);
  }
  async revokeExemption() {
    return false;
  }
}

export const exemption = (id: string, userId: string, expiresAt: number, scope: ExemptionScope = 'enrollment') => ({
  id,
  userId,
  scope,
  ruleId: scope === 'rule' ? 'admins-need-mfa' : null,
  ruleFingerprint: scope === 'rule' ? 'f'.repeat(64) : null,
  reason: 'phone lost abroad',
  grantedBy: 'admin-1',
  createdAt: NOW - DAY,
  expiresAt,
  revokedAt: null,
  revokedBy: null,
});

/** A user the store has nothing on: what the report itself assumes for a directory user it does not find. */
export const facts = noFacts;

export const policy = (enrollment: CompiledPolicy['enrollment']) => ({ version: 3, enrollment });
export const EVERYONE = policy({ everyone: true, groups: [], graceMs: 7 * DAY });
export const ADMINS = policy({ everyone: false, groups: ['admins', 'finance'], graceMs: 7 * DAY });
