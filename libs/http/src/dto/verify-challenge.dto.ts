import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import type { FactorType } from '../../../core/src';

export class VerifyChallengeDto {
  @IsIn(['totp', 'sms', 'email', 'backup_code', 'webauthn'])
  method: FactorType;

  /** The code, for every method but `webauthn`. */
  @ValidateIf((body: VerifyChallengeDto) => body.method !== 'webauthn')
  @IsString()
  @Length(1, 64)
  code?: string;

  /** `webauthn`: the assertion from `navigator.credentials.get()` as JSON (@simplewebauthn/browser's `startAuthentication`). */
  @ValidateIf((body: VerifyChallengeDto) => body.method === 'webauthn')
  @IsObject()
  response?: Record<string, unknown>;

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
