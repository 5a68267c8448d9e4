/** `nestjs-mfa/redis`: attempt counters shared by every instance (ioredis ^5). */
export * from '../libs/redis/src';
