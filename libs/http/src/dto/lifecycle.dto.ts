import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class RedeemRecoveryTicketDto {
  @IsString()
  @Length(1, 128)
  ticket: string;
}

export class IssueRecoveryTicketDto {
  /** Why, for the audit trail: e.g. "identity verified by video call, ticket #4711". */
  @IsOptional()
  @IsString()
  @Length(1, 512)
  reason?: string;

  /** @default 24 */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(72)
  ttlHours?: number;
}
