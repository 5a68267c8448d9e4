import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { MfaError } from '../../core/src';
import { MfaHttpException } from './errors/mfa-http.exception';

function describe(errors: ValidationError[], parent = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...describe(e.children ?? [], field)];
  });
}

/** class-validator for MFA bodies; every failure is 400 VALIDATION_FAILED listing the bad fields. */
@Injectable()
export class MfaValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new MfaHttpException(new MfaError('VALIDATION_FAILED', { errors: describe(errors) })),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const body = value ?? {};
      if (typeof body !== 'object' || Array.isArray(body)) {
        throw new MfaHttpException(new MfaError('VALIDATION_FAILED', { errors: [{ field: '(body)', problems: ['body must be a JSON object'] }] }));
      }
      return super.transform(body, metadata);
    }
    return super.transform(value, metadata);
  }
}
