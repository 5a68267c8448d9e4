import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { FactorType } from '../../../core/src';

export class VerifyChallengeDto {
  @IsIn(['totp', 'sms', 'email', 'backup_code'])
  method: FactorType;

  @IsString()
  @Length(1, 64)
  code: string;

  /** Which authenticator app the code is from (an id from the challenge's `methods`); every active one is tried without it. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  enrollmentId?: string;

  /** Trust this browser afterwards (a cookie), where the policy allows it. */
  @IsOptional()
  @IsBoolean()
  rememberDevice?: boolean;
}
