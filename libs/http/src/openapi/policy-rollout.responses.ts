import { ref } from './json-schema.helpers';
import type { RouteResponse } from './user-routes.responses';

/** `POLICY_ROLLOUT_ROUTES`, keyed `${method} ${path}`. */
export const POLICY_ROLLOUT_RESPONSES: Record<string, RouteResponse> = {
  'POST /admin/policy/versions/:version/report-only': {
    summary: 'Run a stored version report-only beside the active one (replacing the one running); never enforced',
    schema: ref('PolicyVersionSummary'),
    errors: ['POLICY_VERSION_NOT_FOUND', 'POLICY_VERSION_ENFORCED', 'POLICY_INVALID'],
  },
  'DELETE /admin/policy/report-only': {
    summary: 'Stop the report-only run, if one is running',
    schema: ref('ReportOnlyStopped'),
    errors: [],
  },
  'POST /admin/policy/what-if': {
    summary: 'What a candidate version or document would have decided differently over a window of the audit trail',
    schema: ref('WhatIfResult'),
    errors: [
      'POLICY_VERSION_NOT_FOUND',
      'POLICY_INVALID',
      'WHAT_IF_WINDOW_INVALID',
      'WHAT_IF_WINDOW_TOO_LARGE',
      'WHAT_IF_BUSY',
      'AUDIT_QUERY_UNAVAILABLE',
    ],
  },
  'GET /admin/policy/diff': {
    summary: 'Changed requirements per service and operation, rule and setting, between two versions',
    schema: ref('PolicyDiff'),
    errors: ['POLICY_VERSION_NOT_FOUND'],
  },
};
