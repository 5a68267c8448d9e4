import { MfaConfigurationError } from '../../../core/src';
import { MFA_ROUTES } from '../mfa-routes';
import type { DtoClass, JsonSchema } from './dto-schema';
import { dtoSchemas } from './dto-schema';
import { COMPONENT_PREFIX } from './json-schema.helpers';
import { dtoComponentName, operationOf, TAGS } from './openapi-operation';
import { RESPONSE_COMPONENTS } from './response-schemas';

/** The parts of an OpenAPI 3.1 document MFA writes; any other key a host's document has is kept as is. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; [key: string]: unknown };
  tags: Array<{ name: string; description?: string }>;
  [key: string]: unknown;
}

export interface MfaOpenApiOptions {
  /** Where MFA's endpoints are mounted, as given to `MfaModule.forRoot` / `createMfa`. @default 'mfa' */
  routePrefix?: string;
  /** @default 'nestjs-mfa' */
  title?: string;
  /** The document's own version (`info.version`). @default '1.0.0' */
  version?: string;
  /**
   * The host's security requirement for signed-in routes, e.g. `[{ cookie: [] }]` naming a scheme of
   * the host's document. @default none: the operations inherit the document's top-level `security`.
   */
  security?: Array<Record<string, string[]>>;
}

/** What a host document must have for `mergeMfaOpenApi` (e.g. @nestjs/swagger's `OpenAPIObject`). */
export interface HostOpenApiDocument {
  openapi: string;
  paths?: object;
  components?: { schemas?: object };
  tags?: Array<{ name: string }>;
}

/**
 * `@ValidateIf` conditions are code the metadata cannot show; the ones MFA's DTOs use, as JSON
 * Schema. The body table in openapi-document.spec.ts holds each to what class-validator decides.
 */
const CONDITIONS: Record<string, JsonSchema> = {
  MfaVerifyChallengeDto: {
    if: { properties: { method: { const: 'webauthn' } }, required: ['method'] },
    then: { required: ['response'] },
    else: { required: ['code'] },
  },
};

const toOpenApiPath = (prefix: string, path: string): string =>
  `/${[prefix.replace(/^\/+|\/+$/g, ''), path.replace(/^\/+/, '')].filter(Boolean).join('/')}`.replace(
    /:([A-Za-z0-9_]+)/g,
    '{$1}',
  );

/**
 * An OpenAPI 3.1 description of every MFA endpoint, built from `MFA_ROUTES`: bodies and query
 * strings from the DTOs both adapters validate with, answers and refusals from the route's
 * audience file in this folder. Its components are all named `Mfa…`.
 */
export function buildMfaOpenApi(options: MfaOpenApiOptions = {}): OpenApiDocument {
  const { routePrefix = 'mfa', title = 'nestjs-mfa', version = '1.0.0', security } = options;
  const paths: OpenApiDocument['paths'] = {};
  for (const route of MFA_ROUTES) {
    const item = (paths[toOpenApiPath(routePrefix, route.path)] ??= {});
    item[route.method.toLowerCase()] = operationOf(route, security);
  }
  const dtos = MFA_ROUTES.flatMap((r) => [r.body, r.query]).filter((d): d is DtoClass => d !== undefined);
  const views = Object.fromEntries(
    Object.entries(RESPONSE_COMPONENTS).map(([name, schema]) => [`${COMPONENT_PREFIX}${name}`, schema]),
  );
  const bodies = Object.fromEntries(
    Object.entries(dtoSchemas(dtos, dtoComponentName)).map(([name, schema]) => [
      name,
      { ...schema, ...CONDITIONS[name] },
    ]),
  );
  const shared = Object.keys(bodies).filter((name) => name in views);
  if (shared.length) throw new Error(`OpenAPI: DTOs and response schemas share the names ${shared.join(', ')}`);
  const used = new Set<string>(MFA_ROUTES.map((r) => r.audience));
  // A copy: the schemas are module constants, and hosts edit their documents.
  return structuredClone({
    openapi: '3.1.0',
    info: {
      title,
      version,
      description:
        'Multi-factor authentication endpoints. Every refusal is `{ statusCode, code, message, ...details }` ' +
        'with a stable `code`; branch on it, never on `message`.',
    },
    paths,
    components: { schemas: { ...views, ...bodies } },
    tags: Object.entries(TAGS)
      .filter(([audience]) => used.has(audience))
      .map(([, tag]) => tag),
  });
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * A host's document (e.g. from @nestjs/swagger's `SwaggerModule.createDocument`, made with
 * `setOpenAPIVersion('3.1.0')`) with MFA's paths, components and tags added. Nothing of the
 * host's is replaced: a path operation or component name both documents hold is a
 * configuration error naming each clash. The host's document is not modified.
 */
export function mergeMfaOpenApi<T extends HostOpenApiDocument>(host: T, options: MfaOpenApiOptions = {}): T {
  if (!/^3\.1\.\d+$/.test(host.openapi)) {
    throw new MfaConfigurationError(
      `mergeMfaOpenApi: the host document is OpenAPI ${host.openapi}, and MFA's schemas need 3.1 (JSON Schema 2020-12). ` +
        "Build it as 3.1: new DocumentBuilder().setOpenAPIVersion('3.1.0') with @nestjs/swagger.",
    );
  }
  const mfa = buildMfaOpenApi(options);
  const hostPaths = (host.paths ?? {}) as Record<string, Record<string, unknown>>;
  const hostSchemas = (host.components?.schemas ?? {}) as Record<string, unknown>;
  const clashes: string[] = [];
  const paths = { ...hostPaths };
  for (const [path, item] of Object.entries(mfa.paths)) {
    const own = hostPaths[path] ?? {};
    for (const method of Object.keys(item))
      if (METHODS.includes(method) && own[method] !== undefined) clashes.push(`${method.toUpperCase()} ${path}`);
    paths[path] = { ...own, ...item };
  }
  for (const [name, schema] of Object.entries(mfa.components.schemas))
    if (name in hostSchemas && JSON.stringify(hostSchemas[name]) !== JSON.stringify(schema))
      clashes.push(`components.schemas.${name}`);
  if (clashes.length) {
    throw new MfaConfigurationError(
      `mergeMfaOpenApi: the host document already has ${clashes.join(', ')}. If your Swagger scan picked up ` +
        "MFA's own controllers, exclude them (metadata 'swagger/apiExcludeController' = [true]); " +
        `otherwise mount MFA under another routePrefix (now '${options.routePrefix ?? 'mfa'}') or rename your schema.`,
    );
  }
  const tagNames = new Set((host.tags ?? []).map((t) => t.name));
  return {
    ...host,
    paths,
    components: { ...host.components, schemas: { ...hostSchemas, ...mfa.components.schemas } },
    tags: [...(host.tags ?? []), ...mfa.tags.filter((t) => !tagNames.has(t.name))],
  };
}
