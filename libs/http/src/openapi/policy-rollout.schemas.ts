import { FACTOR_TYPES } from '../../../core/src';
import type { JsonSchema } from './dto-schema';
import {
  arrayOf,
  BOOL,
  COUNT,
  enumOf,
  INT,
  nullable,
  object,
  oneOf,
  ref,
  STRING,
  TIME,
  TRUE,
} from './json-schema.helpers';

const NUMBER: JsonSchema = { type: 'number' };
const SECONDS: JsonSchema = { type: 'number', minimum: 0 };
const HASH: JsonSchema = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const count = (name: string) => arrayOf(object({ [name]: STRING, count: COUNT }));
const change = enumOf(['added', 'removed', 'changed']);
const words = nullable(STRING);

/** Report-only runs, what-if and diff; and the records audit events carry for them. */
export const POLICY_ROLLOUT_SCHEMAS: Record<string, JsonSchema> = {
  DecisionOutcome: enumOf(['allow', 'challenge', 'deny']),
  ReportOnlyStopped: object({ stopped: BOOL, version: nullable(INT) }),
  /** A requirement step as the policy compiles it: `"any"` or a list of factors. */
  ReplayStep: object(
    { factors: oneOf({ const: 'any' }, arrayOf(enumOf(FACTOR_TYPES))) },
    { maxAge: COUNT, allowTrustedDevice: BOOL, phishingResistant: TRUE, minAal: enumOf([2, 3]) },
  ),
  ReplayVerification: object(
    { factor: ref('FactorType'), ageSeconds: SECONDS, aal: enumOf([1, 2, 3]) },
    { multiFactor: TRUE, baseline: object({}, { country: STRING, deviceTrusted: BOOL, risk: NUMBER }) },
  ),
  ReplayGrant: object({
    factor: ref('FactorType'),
    ageSeconds: SECONDS,
    expiresInSeconds: SECONDS,
    aal: enumOf([1, 2, 3]),
  }),
  DecisionReplay: object(
    {
      v: { const: 1 },
      target: object(
        {},
        {
          service: STRING,
          operation: STRING,
          route: STRING,
          sensitivity: arrayOf(STRING),
          requirement: arrayOf(ref('ReplayStep')),
        },
      ),
      groups: arrayOf(STRING),
      context: object({}, { country: STRING, risk: NUMBER, deviceTrusted: BOOL, deviceTrust: NUMBER, machine: BOOL }),
      verified: arrayOf(ref('ReplayVerification')),
    },
    {
      grants: arrayOf(ref('ReplayGrant')),
      deviceCookieUnchecked: TRUE,
      riskScored: { const: false },
      incomplete: TRUE,
    },
  ),
  ReportOnlyVerdict: object({
    version: INT,
    enforcedVersion: INT,
    enforced: ref('DecisionOutcome'),
    wouldHave: ref('DecisionOutcome'),
    ruleIds: arrayOf(STRING),
    enforcedRuleIds: arrayOf(STRING),
  }),
  WhatIfSample: object({
    eventId: STRING,
    at: TIME,
    userId: STRING,
    route: STRING,
    happened: ref('DecisionOutcome'),
    wouldHave: ref('DecisionOutcome'),
    ruleIds: arrayOf(STRING),
    reasons: arrayOf(STRING),
  }),
  WhatIfResult: object({
    candidate: object({ version: nullable(INT), contentHash: HASH }),
    window: object({ from: TIME, to: TIME }),
    coverage: object({
      eventsRead: COUNT,
      replayed: COUNT,
      notReplayable: COUNT,
      byType: object({ 'challenge.issued': COUNT, 'decision.denied': COUNT, 'decision.allowed': COUNT }),
      allowedAudited: BOOL,
      deviceCookieUnchecked: COUNT,
      riskUnscored: COUNT,
      notes: arrayOf(STRING),
    }),
    changed: COUNT,
    transitions: arrayOf(object({ from: ref('DecisionOutcome'), to: ref('DecisionOutcome'), count: COUNT })),
    wouldAllow: COUNT,
    wouldChallenge: COUNT,
    wouldDeny: COUNT,
    topUsers: count('userId'),
    topRoutes: count('route'),
    topRules: count('ruleId'),
    samples: arrayOf(ref('WhatIfSample')),
  }),
  PolicyDiff: object({
    from: object({ version: INT, contentHash: HASH }),
    to: object({ version: INT, contentHash: HASH }),
    identical: BOOL,
    services: arrayOf(
      object({ service: STRING, change, before: words, after: words, changes: arrayOf(STRING) }, { operation: STRING }),
    ),
    rules: arrayOf(object({ ruleId: STRING, change, before: words, after: words, changes: arrayOf(STRING) })),
    settings: arrayOf(object({ setting: STRING, before: STRING, after: STRING })),
  }),
};
