/** `nestjs-mfa`: the NestJS module over the framework-free core. */
export * from '../libs/nest/src';
export * from '../libs/core/src';
