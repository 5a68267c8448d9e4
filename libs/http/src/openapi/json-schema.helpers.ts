import { componentRef, JsonSchema } from './dto-schema';

/** The prefix of every component MFA adds, so a host's own schemas keep their names. */
export const COMPONENT_PREFIX = 'Mfa';

export const ref = (name: string): JsonSchema => componentRef(`${COMPONENT_PREFIX}${name}`);

export const STRING: JsonSchema = { type: 'string' };
export const NON_EMPTY: JsonSchema = { type: 'string', minLength: 1 };
/** Every time in the HTTP contract: `Date#toISOString()`. */
export const TIME: JsonSchema = { type: 'string', format: 'date-time' };
/** Ids MFA makes itself (`randomUUID()`): challenges, enrollments, devices, audit events. */
export const UUID: JsonSchema = { type: 'string', format: 'uuid' };
export const INT: JsonSchema = { type: 'integer' };
export const COUNT: JsonSchema = { type: 'integer', minimum: 0 };
export const BOOL: JsonSchema = { type: 'boolean' };
export const TRUE: JsonSchema = { const: true };
/** An object whose keys are the host's or a provider's, not MFA's. */
export const OPEN_OBJECT: JsonSchema = { type: 'object' };

export const arrayOf = (items: JsonSchema, minItems?: number): JsonSchema => ({
  type: 'array',
  items,
  ...(minItems === undefined ? {} : { minItems }),
});

export const oneOf = (...variants: JsonSchema[]): JsonSchema => ({ oneOf: variants });

export function nullable(schema: JsonSchema): JsonSchema {
  if (schema.$ref || schema.const !== undefined) return { anyOf: [schema, { type: 'null' }] };
  const type = schema.type === undefined ? undefined : [schema.type, 'null'].flat();
  return { ...schema, ...(type ? { type } : {}), ...(schema.enum ? { enum: [...schema.enum, null] } : {}) };
}

export const enumOf = (values: readonly (string | number)[]): JsonSchema => ({
  type: values.every((v) => typeof v === 'string') ? 'string' : 'integer',
  enum: [...values],
});

/**
 * A closed object: what MFA answers is built field by field, so a key the document does not
 * list is drift (or a leak) and fails validation.
 */
export function object(required: Record<string, JsonSchema>, optional: Record<string, JsonSchema> = {}): JsonSchema {
  const names = Object.keys(required);
  return {
    type: 'object',
    properties: { ...required, ...optional },
    ...(names.length ? { required: names } : {}),
    additionalProperties: false,
  };
}
