import { SetMetadata } from '@nestjs/common';

/**
 * @nestjs/swagger's own exclude-controller mark (`@ApiExcludeController()`), set without
 * importing it, so it stays an optional peer. Scanned, MFA's controllers would show without
 * bodies or schemas; `mergeMfaOpenApi(document)` adds them complete, from the route table.
 */
export const ExcludeFromSwagger = () => SetMetadata('swagger/apiExcludeController', [true]);
