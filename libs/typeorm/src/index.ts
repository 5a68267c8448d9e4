export { TypeOrmMfaStore } from './typeorm-mfa.store';
export { TypeOrmAuditSink } from './typeorm-audit.sink';
export { mfaEntities, mfaMigrations, MFA_MIGRATIONS_TABLE } from './mfa-typeorm.schema';
export { MfaEnrollmentEntity } from './entities/mfa-enrollment.entity';
export { MfaBackupCodeEntity } from './entities/mfa-backup-code.entity';
export { MfaChallengeEntity } from './entities/mfa-challenge.entity';
export { MfaSessionFactorEntity } from './entities/mfa-session-factor.entity';
export { MfaAuditEventEntity } from './entities/mfa-audit-event.entity';
export { MfaInit1763900000000 } from './migrations/1763900000000-mfa-init.migration';
