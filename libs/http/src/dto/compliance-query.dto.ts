import { IsIn, IsOptional, Matches } from 'class-validator';

/** Query string of `GET /mfa/admin/compliance`: one page of the users the store knows. */
export class ComplianceQueryDto {
  /** `csv`: one line per finding, as `text/csv`. @default 'json' */
  @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  /** Users checked in this page. @default 1000 */
  @IsOptional()
  @Matches(/^([1-9]\d{0,2}|[1-4]\d{3}|5000)$/, { message: 'limit must be a whole number from 1 to 5000' })
  limit?: string;
  /** A previous page's `nextCursor`. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,764}$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}
