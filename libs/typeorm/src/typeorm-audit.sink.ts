import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuditEvent, AuditSink } from '../../core/src';
import { MfaAuditEventEntity } from './entities/mfa-audit-event.entity';

/** Audit events as rows of `mfa_audit_events`. */
export class TypeOrmAuditSink implements AuditSink {
  constructor(private readonly dataSource: DataSource) {}

  async emit(e: AuditEvent): Promise<void> {
    await this.dataSource.getRepository(MfaAuditEventEntity).insert({
      id: randomUUID(), at: e.at, type: e.type, severity: e.severity, userId: e.userId ?? null,
      sessionRef: e.sessionRef ?? null, channel: e.channel ?? null, outcome: e.outcome ?? null,
      reason: e.reason?.slice(0, 191) ?? null, challengeId: e.challengeId ?? null, enrollmentId: e.enrollmentId ?? null,
      ip: e.ip?.slice(0, 64) ?? null, userAgent: e.userAgent?.slice(0, 512) ?? null,
      policyVersion: e.policyVersion ?? null, ruleId: e.ruleId ?? null, actor: e.actor ?? null,
    });
  }
}
