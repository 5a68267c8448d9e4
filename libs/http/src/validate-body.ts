// class-transformer reads decorator metadata at load time; a plain Express app has loaded no polyfill.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { MfaError } from '../../core/src';

export interface FieldProblem {
  field: string;
  problems: string[];
}

function describe(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...describe(e.children ?? [], field)];
  });
}

// class-transformer recurses without a bound: deep enough for any MFA body or policy document,
// far too shallow to exhaust the stack.
const MAX_DEPTH = 32;
// The Express router's parser limit (64 KiB), counted in characters, so a Nest host whose own
// parser allows more gets the same answer and validation never walks an unbounded body.
const MAX_SIZE = 64 * 1024;
// Names every object inherits (`__proto__`, `constructor`, `toString`, …) and `prototype`:
// class-transformer follows some into the DTO class and crashes, and silently drops the others,
// which then slip past forbidNonWhitelisted. No MFA field and no policy name is one of them.
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

function refuse(field: string, problem: string): MfaError {
  return new MfaError('VALIDATION_FAILED', { errors: [{ field, problems: [problem] }] });
}

/** Walks what the parser produced before class-transformer does; returns the size left. */
function checkShape(value: unknown, field: string, depth: number, sizeLeft: number): number {
  sizeLeft -= 1;
  if (typeof value === 'string') {
    sizeLeft -= value.length;
    // No MFA field carries one, and some databases refuse it: the store would answer 503.
    if (value.includes('\0')) throw refuse(field, 'must not contain NUL characters');
  } else if (value !== null && typeof value === 'object') {
    if (depth > MAX_DEPTH) throw refuse(field, `nested more than ${MAX_DEPTH} levels deep`);
    for (const key of Object.keys(value)) {
      const at = field === '(body)' ? key : `${field}.${key}`;
      if (PROTOTYPE_KEYS.has(key)) throw refuse(at, 'is a reserved name');
      if (key.includes('\0')) throw refuse(field, 'keys must not contain NUL characters');
      sizeLeft = checkShape((value as Record<string, unknown>)[key], at, depth + 1, sizeLeft - key.length);
    }
  }
  if (sizeLeft < 0) throw new MfaError('PAYLOAD_TOO_LARGE');
  return sizeLeft;
}

/**
 * class-validator over a request body (or the audit query string), shared by both adapters
 * so they refuse the same bodies with the same 400 VALIDATION_FAILED. Unknown fields are
 * refused, not ignored. Whatever a parser can produce is refused here, never thrown
 * further as a 503: too deep, too large, prototype keys, NUL characters.
 */
export async function validateBody<T extends object>(dto: new () => T, body: unknown): Promise<T> {
  const value = body ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MfaError('VALIDATION_FAILED', {
      errors: [{ field: '(body)', problems: ['body must be a JSON object'] }],
    });
  }
  checkShape(value, '(body)', 1, MAX_SIZE);
  const instance = plainToInstance(dto, value);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new MfaError('VALIDATION_FAILED', { errors: describe(errors) });
  return instance;
}
