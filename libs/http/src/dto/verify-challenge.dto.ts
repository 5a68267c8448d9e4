import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { FactorType } from '../../../core/src';

export class VerifyChallengeDto {
  @IsIn(['totp', 'sms', 'email', 'backup_code'])
  method: FactorType;

  @IsString()
  @Length(1, 64)
  code: string;

  /** Trust this browser afterwards (a cookie), where the policy allows it. */
  @IsOptional()
  @IsBoolean()
  rememberDevice?: boolean;
}
