// class-transformer reads decorator metadata at load time; a plain Express app has loaded no polyfill.
import 'reflect-metadata';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { MfaConfigurationError } from '../../../core/src';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  [keyword: string]: unknown;
}

export type DtoClass = new () => object;

interface TypeStorage {
  findTypeMetadata(target: DtoClass, property: string): { typeFunction: () => DtoClass } | undefined;
}

// `@Type()` lives in a storage class-transformer's index does not export; `plainToInstance`
// reads this same one, so the nested class here is the one validation really instantiates.
const typeStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeStorage })
  .defaultMetadataStorage;

/** Where a nested DTO goes: a `$ref` to its component by default; the caller collects the class. */
export type NestedDto = (dto: DtoClass) => JsonSchema;

const ISO_8601 = '^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}([.,]\\d+)?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?)?$';

export const componentRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const jsonType = (values: readonly unknown[]): string | undefined => {
  const types = new Set(values.map((v) => (Number.isInteger(v) ? 'integer' : typeof v)));
  const [only] = types;
  return types.size === 1 && ['string', 'integer', 'number', 'boolean'].includes(only) ? only : undefined;
};

function unsupported(dto: DtoClass, meta: ValidationMetadata, why: string): MfaConfigurationError {
  return new MfaConfigurationError(
    `OpenAPI: ${dto.name}.${meta.propertyName} uses ${meta.name ?? meta.type}, ${why}. ` +
      'Map it in libs/http/src/openapi/dto-schema.ts so the document keeps describing what the server validates.',
  );
}

/** One validator as JSON Schema keywords; an unknown one throws rather than vanish from the document. */
function keywordsOf(dto: DtoClass, meta: ValidationMetadata): JsonSchema {
  const [first, second] = meta.constraints ?? [];
  switch (meta.name) {
    case 'isString':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isInt':
      return { type: 'integer' };
    case 'isObject':
      return { type: 'object' };
    case 'isArray':
      return { type: 'array' };
    case 'isNumber':
      // Options (NaN, Infinity, decimal places) have no JSON Schema form: none are used today.
      if (first && Object.keys(first as object).length) throw unsupported(dto, meta, 'with options');
      return { type: 'number' };
    case 'min':
      return { minimum: first };
    case 'max':
      return { maximum: first };
    case 'isLength':
      return { type: 'string', minLength: first, ...(second === undefined ? {} : { maxLength: second }) };
    case 'minLength':
      return { type: 'string', minLength: first };
    case 'maxLength':
      return { type: 'string', maxLength: first };
    case 'isEmail':
      return { type: 'string', format: 'email' };
    case 'isIso8601':
      // The calendar forms clients send; validator.js also takes week and ordinal dates, which no client needs.
      return {
        type: 'string',
        pattern: ISO_8601,
        description: 'An ISO 8601 date or date-time, e.g. 2026-01-31T12:00:00Z.',
      };
    case 'isIn': {
      const values = first as unknown[];
      const type = jsonType(values);
      return { ...(type ? { type } : {}), enum: [...values] };
    }
    case 'matches': {
      // validator.js tests the pattern unanchored, as JSON Schema's `pattern` does; flags have no equivalent.
      const pattern = first instanceof RegExp ? first : new RegExp(String(first), second as string | undefined);
      if (pattern.flags) throw unsupported(dto, meta, `with the flags /${pattern.flags}`);
      return { type: 'string', pattern: pattern.source };
    }
    default:
      throw unsupported(dto, meta, 'which has no JSON Schema mapping');
  }
}

/** Combines the keywords of one property's validators; every one of them must hold, so conflicts are bugs. */
function merge(dto: DtoClass, meta: ValidationMetadata, into: JsonSchema, add: JsonSchema): void {
  for (const [key, value] of Object.entries(add)) {
    if (key === 'description') into.description = [into.description, value].filter(Boolean).join(' ');
    else if (into[key] !== undefined && JSON.stringify(into[key]) !== JSON.stringify(value))
      throw unsupported(dto, meta, `which conflicts with ${key}: ${JSON.stringify(into[key])}`);
    else into[key] = value;
  }
}

function propertySchema(dto: DtoClass, metas: ValidationMetadata[], nested: NestedDto): JsonSchema {
  const schema: JsonSchema = {};
  const items: JsonSchema = {};
  for (const meta of metas) {
    const target = meta.each ? items : schema;
    if (meta.type === ValidationTypes.CONDITIONAL_VALIDATION || meta.type === ValidationTypes.WHITELIST) continue;
    if (meta.type === ValidationTypes.IS_DEFINED) continue; // read by `isRequired`
    if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      const type = typeStorage.findTypeMetadata(dto, meta.propertyName)?.typeFunction();
      // Without @Type the body stays a plain object and validation refuses it whole.
      if (!type) throw unsupported(dto, meta, 'without a class-transformer @Type()');
      merge(dto, meta, target, nested(type));
    } else if (meta.type === ValidationTypes.CUSTOM_VALIDATION) {
      merge(dto, meta, target, keywordsOf(dto, meta));
    } else {
      throw unsupported(dto, meta, `a ${meta.type} validator`);
    }
  }
  if (Object.keys(items).length) {
    if (schema.type !== 'array') throw unsupported(dto, metas[0], '`each` without @IsArray()');
    schema.items = items;
  }
  return schema;
}

/**
 * `@IsOptional()` and `@ValidateIf()` both let a property be absent. `@ValidateIf`'s condition is
 * code, so the document cannot say when the property is needed; its description says so.
 */
function isRequired(metas: ValidationMetadata[]): boolean {
  if (metas.some((m) => m.type === ValidationTypes.IS_DEFINED)) return true;
  return !metas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION);
}

/**
 * A DTO's JSON Schema, read from class-validator's metadata (inherited properties included).
 * Closed with `additionalProperties: false`: bodies are validated with `forbidNonWhitelisted`.
 * `IsOptional` lets `null` through as well; the document asks clients to leave such fields out.
 */
export function dtoSchema(dto: DtoClass, nested: NestedDto = (d) => componentRef(d.name)): JsonSchema {
  const all = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const meta of all) byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, metas] of byProperty) {
    properties[name] = propertySchema(dto, metas, nested);
    if (isRequired(metas)) required.push(name);
    else if (metas.some((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION && m.name === undefined))
      properties[name].description = 'Required or not depending on the other fields.';
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** Every DTO reachable from `roots` (nested ones through `@Type`), each as its own schema referring to the others. */
export function dtoSchemas(roots: readonly DtoClass[], name: (dto: DtoClass) => string): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const pending = [...roots];
  const seen = new Set<DtoClass>();
  for (let dto = pending.pop(); dto; dto = pending.pop()) {
    if (seen.has(dto)) continue;
    seen.add(dto);
    out[name(dto)] = dtoSchema(dto, (inner) => {
      pending.push(inner);
      return componentRef(name(inner));
    });
  }
  return out;
}
