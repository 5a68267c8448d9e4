import type { JsonSchema } from './dto-schema';
import {
  arrayOf,
  BOOL,
  COUNT,
  enumOf,
  INT,
  NON_EMPTY,
  nullable,
  object,
  oneOf,
  OPEN_OBJECT,
  ref,
  STRING,
  TIME,
  UUID,
} from './json-schema.helpers';

const SUMMARY = {
  version: { type: 'integer', minimum: 1 },
  author: NON_EMPTY,
  comment: nullable(STRING),
  createdAt: TIME,
  contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  active: BOOL,
  reportOnly: BOOL,
};

const reasons = arrayOf(STRING);
const layers = arrayOf(ref('ExplainedLayer'));

/** Policy versions, `explain` and the audit trail: what the admin and policy routes answer with. */
export const POLICY_VIEW_SCHEMAS: Record<string, JsonSchema> = {
  PolicyVersionSummary: object(SUMMARY),
  /** The policy document as stored; its own validator (`POLICY_INVALID`) owns its shape. */
  PolicyVersion: object({ ...SUMMARY, document: OPEN_OBJECT }),
  PolicyVersionList: object({ versions: arrayOf(ref('PolicyVersionSummary')) }),
  LayerSource: oneOf(
    object({ kind: enumOf(['route', 'default', 'enrollment', 'machine-principals']) }),
    object({ kind: { const: 'service' }, service: STRING }),
    object({ kind: { const: 'operation' }, service: STRING, operation: STRING }),
    object({ kind: { const: 'rule' }, ruleId: STRING }, { description: STRING }),
  ),
  ExplainedLayer: object(
    {
      id: NON_EMPTY,
      source: ref('LayerSource'),
      effect: enumOf(['require', 'deny', 'enroll', 'exempt']),
      steps: arrayOf(ref('RequirementStep')),
      satisfied: BOOL,
      reason: STRING,
    },
    {
      enrollment: object(
        { status: enumOf(['enrolled', 'grace', 'required', 'exempt']) },
        { graceSecondsLeft: COUNT, reason: enumOf(['grace_period_ended', 'reenrollment_forced']) },
      ),
      exemption: object({ id: UUID, expiresAt: TIME }),
    },
  ),
  Drift: oneOf(
    object({ kind: { const: 'country' }, from: STRING, to: STRING }),
    object({ kind: { const: 'risk' }, from: { type: 'number' }, to: { type: 'number' } }),
    object({ kind: { const: 'trust' } }),
  ),
  PolicyExplanation: oneOf(
    object({
      outcome: { const: 'allow' },
      policyVersion: INT,
      ruleIds: arrayOf(STRING),
      consumeGrants: arrayOf(STRING),
      reasons,
      layers,
    }),
    object(
      {
        outcome: { const: 'challenge' },
        policyVersion: INT,
        ruleId: NON_EMPTY,
        remaining: arrayOf(ref('RequirementStep'), 1),
        scope: STRING,
        reasons,
        layers,
      },
      { drift: ref('Drift') },
    ),
    object({ outcome: { const: 'deny' }, policyVersion: INT, ruleId: NON_EMPTY, reasons, layers }),
  ),
  AuditEvent: object(
    { id: UUID, type: NON_EMPTY, at: TIME, severity: enumOf(['info', 'warning', 'high', 'critical']) },
    {
      userId: STRING,
      sessionRef: STRING,
      channel: STRING,
      outcome: enumOf(['success', 'failure', 'challenge', 'refused']),
      reason: STRING,
      challengeId: STRING,
      enrollmentId: STRING,
      policyVersion: INT,
      ruleId: STRING,
      actor: STRING,
      ip: STRING,
      userAgent: STRING,
      replay: ref('DecisionReplay'),
      reportOnly: ref('ReportOnlyVerdict'),
    },
  ),
  AuditPage: object({
    events: arrayOf(ref('AuditEvent')),
    nextCursor: nullable({ type: 'string', pattern: '^\\d{1,16}:[0-9a-f-]{36}$' }),
  }),
};
