import type { PolicyStore, PolicyVersionRecord } from '../ports/mfa-store.port';
import type { PolicyDocument } from './policy-document';

export interface PolicyVersionView {
  version: number;
  author: string;
  comment: string | null;
  createdAt: string;
  contentHash: string;
  active: boolean;
  /** Decided beside the active version on every guarded request, audited where it disagrees, never enforced. */
  reportOnly: boolean;
  document?: PolicyDocument;
}

/** Which versions are active and report-only. */
export interface PolicyStanding {
  active?: number;
  reportOnly?: number;
}

/** As the store has it, for admin reads; guarded requests use the compiled copies instead. */
export async function readStanding(store: PolicyStore): Promise<PolicyStanding> {
  const [[active], reportOnly] = await Promise.all([store.listPolicyActivations(1), store.latestPolicyReportOnly()]);
  return { active: active?.version, reportOnly: reportOnly?.kind === 'start' ? reportOnly.version : undefined };
}

export function policyVersionView(
  record: PolicyVersionRecord,
  standing: PolicyStanding,
  withDocument: boolean,
): PolicyVersionView {
  const view: PolicyVersionView = {
    version: record.version,
    author: record.author,
    comment: record.comment,
    createdAt: new Date(record.createdAt).toISOString(),
    contentHash: record.contentHash,
    active: record.version === standing.active,
    reportOnly: record.version === standing.reportOnly,
  };
  if (withDocument) view.document = JSON.parse(record.document);
  return view;
}
