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

/**
 * class-validator over a request body, shared by both adapters so they refuse the same
 * bodies with the same 400 VALIDATION_FAILED. Unknown fields are refused, not ignored.
 */
export async function validateBody<T extends object>(dto: new () => T, body: unknown): Promise<T> {
  const value = body ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MfaError('VALIDATION_FAILED', { errors: [{ field: '(body)', problems: ['body must be a JSON object'] }] });
  }
  const instance = plainToInstance(dto, value);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new MfaError('VALIDATION_FAILED', { errors: describe(errors) });
  return instance;
}
