import { IsIn, IsString, Length } from 'class-validator';
import type { FactorType } from '../../../core/src';

export class VerifyChallengeDto {
  @IsIn(['totp', 'sms', 'email', 'backup_code'])
  method: FactorType;

  @IsString()
  @Length(1, 64)
  code: string;
}
