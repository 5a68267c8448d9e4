import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateBody } from '../../http/src';

/** Validates bodies with the same rules and answers as the Express adapter. */
@Injectable()
export class MfaValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' || !metadata.metatype) return value;
    return validateBody(metadata.metatype as new () => object, value);
  }
}
