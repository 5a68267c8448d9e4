/** `nestjs-mfa/core`: the framework-free engine and ports, for custom adapters. */
export * from '../libs/core/src';
