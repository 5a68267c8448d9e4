import { IsIn, IsOptional } from 'class-validator';

/** Query string of `GET /mfa/admin/compliance`. */
export class ComplianceQueryDto {
  /** `csv`: one line per finding, as `text/csv`. @default 'json' */
  @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
