// Holds real responses to the generated OpenAPI document: each one must have a status the
// document lists for its route, and a body its schema for that status accepts.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { MFA_ROUTES } from '../../libs/http/src';
import { buildMfaOpenApi } from '../../libs/http/src/openapi/openapi-document';
import { routeKey } from '../../libs/http/src/openapi/response-schemas';

const doc = buildMfaOpenApi();
const pointer = (...tokens: string[]) =>
  tokens.map((t) => encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

export class ContractCheck {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  private readonly seen = new Map<string, Set<number>>();

  constructor(private readonly label: string) {
    addFormats(this.ajv);
    this.ajv.addVocabulary(['openapi', 'info', 'paths', 'components', 'tags']);
    this.ajv.addSchema(doc, 'doc');
  }

  /**
   * The answer of MFA route `key` (`POST /challenges/:challengeId/verify`, as in MFA_ROUTES), which the
   * scenario expects with `status`; throws, naming the route, when the document does not describe it.
   */
  check(key: string, res: Response, status: number): Response {
    const where = `${this.label}: ${key} answered ${res.status}`;
    const body = String(JSON.stringify(res.body)).slice(0, 1500);
    if (res.status !== status) throw new Error(`${where}, the scenario expected ${status}: ${body}`);
    const route = MFA_ROUTES.find((r) => routeKey(r) === key);
    if (!route) throw new Error(`${this.label}: ${key} is not in MFA_ROUTES`);
    const path = `/mfa${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    const responses = doc.paths[path][route.method.toLowerCase()] as { responses: Record<string, unknown> };
    if (!responses.responses[status])
      throw new Error(`${where}, a status the document does not list (${Object.keys(responses.responses)}): ${body}`);
    this.validate(
      pointer(
        'paths',
        path,
        route.method.toLowerCase(),
        'responses',
        String(status),
        'content',
        'application/json',
        'schema',
      ),
      res,
      where,
    );
    this.seen.set(key, (this.seen.get(key) ?? new Set()).add(status));
    return res;
  }

  /** A refusal from a guarded route of the host (not an MFA route): it must be a documented MfaErrorResponse. */
  refusal(res: Response, status: number): Response {
    const where = `${this.label}: a guarded host route answered ${res.status}`;
    if (res.status !== status)
      throw new Error(`${where}, the scenario expected ${status}: ${JSON.stringify(res.body)}`);
    this.validate(pointer('components', 'schemas', 'MfaErrorResponse'), res, where);
    return res;
  }

  /** The routes among `keys` never seen answering their success status, and how many refusals were seen. */
  coverage(keys: string[]): { missing: string[]; refusals: number } {
    const success = new Map(MFA_ROUTES.map((r) => [routeKey(r), r.status]));
    const missing = keys.filter((key) => !this.seen.get(key)?.has(success.get(key)!));
    const refusals = [...this.seen.values()].flatMap((statuses) => [...statuses].filter((s) => s >= 400)).length;
    return { missing, refusals };
  }

  private validate(ref: string, res: Response, where: string): void {
    if (!String(res.headers['content-type']).startsWith('application/json'))
      throw new Error(`${where} with ${res.headers['content-type']}, not JSON`);
    const validate = this.ajv.getSchema(`doc#/${ref}`);
    if (!validate) throw new Error(`${where}: no schema at ${ref}`);
    if (!validate(res.body)) {
      const errors = this.ajv.errorsText(validate.errors, { separator: '\n  ' });
      throw new Error(`${where}, not what the document says:\n  ${errors}\nbody: ${JSON.stringify(res.body, null, 1)}`);
    }
  }
}
