import type { Logger as TypeOrmLogger } from 'typeorm';

/** Counts the statements a DataSource runs (pass as its `logger`): store costs are counted, never timed. */
export class QueryCounter implements TypeOrmLogger {
  count = 0;
  logQuery(): void {
    this.count++;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
