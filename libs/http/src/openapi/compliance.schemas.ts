import type { JsonSchema } from './dto-schema';
import { arrayOf, BOOL, COUNT, enumOf, INT, NON_EMPTY, nullable, object, STRING, TIME } from './json-schema.helpers';

const group = arrayOf(STRING);

/** `GET /admin/compliance`: `ComplianceReport` of the core, field by field. */
export const COMPLIANCE_SCHEMAS: Record<string, JsonSchema> = {
  ComplianceReport: object({
    generatedAt: TIME,
    policyVersion: INT,
    coverage: enumOf(['directory', 'store']),
    mandatoryEnrollment: nullable(object({ everyone: BOOL, groups: group, graceDays: { type: 'number' } })),
    totals: object({
      usersChecked: COUNT,
      missingFactor: COUNT,
      overdue: COUNT,
      exempt: COUNT,
      weakFactorsOnly: COUNT,
      lowBackupCodes: COUNT,
    }),
    byGroup: arrayOf(object({ group: STRING, missingFactor: COUNT, overdue: COUNT, exempt: COUNT })),
    missingFactor: arrayOf(
      object({
        userId: NON_EMPTY,
        groups: nullable(group),
        status: enumOf(['not_started', 'in_grace', 'overdue', 'reenrollment_forced', 'exempt']),
        requiredSince: nullable(TIME),
        graceEndsAt: nullable(TIME),
        graceDaysLeft: { type: 'number' },
        overdue: BOOL,
        exemptUntil: nullable(TIME),
        exemptionId: nullable(NON_EMPTY),
      }),
    ),
    weakFactorsOnly: arrayOf(object({ userId: NON_EMPTY, factors: arrayOf(enumOf(['email', 'sms']), 1) })),
    lowBackupCodes: arrayOf(object({ userId: NON_EMPTY, remaining: { type: 'integer', minimum: 0, maximum: 2 } })),
    nextCursor: nullable(NON_EMPTY),
  }),
};
