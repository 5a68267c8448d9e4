/** `nestjs-mfa/typeorm`: entities, migrations, the TypeORM store and audit sink. */
export * from '../libs/typeorm/src';
