import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Body of `POST /mfa/admin/users/:userId/exemptions`: exactly one of `days` and `expiresAt`. */
export class GrantExemptionDto {
  /** `enrollment`: mandatory enrollment; `rule`: the requirement of the rule named by `ruleId`. */
  @IsIn(['enrollment', 'rule'])
  scope: 'enrollment' | 'rule';

  /** With `scope: 'rule'`: the id of a rule of the active policy that requires a factor. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  ruleId?: string;

  /** Why, for the audit trail and the help desk: e.g. "phone lost abroad, ticket #4711". */
  @IsString()
  @Length(1, 512)
  reason: string;

  /** How long it runs, from now: 1 to 90 days. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  days?: number;

  /** Or when it ends: at most 90 days ahead. */
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}
