import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';

/** Query string of `GET /mfa/admin/audit`. */
export class AuditQueryDto {
  @IsOptional() @IsString() @Length(1, 191) userId?: string;
  @IsOptional() @IsString() @Length(1, 64) type?: string;
  @IsOptional() @IsISO8601() from?: string;
  @IsOptional() @IsISO8601() to?: string;
  @IsOptional()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be a whole number from 1 to 200' })
  limit?: string;
  @IsOptional()
  @Matches(/^\d{1,16}:[0-9a-f-]{36}$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}
