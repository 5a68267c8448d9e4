import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { StartEnrollmentDto } from './start-enrollment.dto';

// Only shape and size here: the core validates phone numbers (E.164) and addresses,
// so both adapters answer the same INVALID_PHONE_NUMBER / INVALID_EMAIL_ADDRESS.
export class StartSmsEnrollmentDto extends StartEnrollmentDto {
  /** International format, e.g. +905321234567 (national format only with delivery.defaultCountry). */
  @IsString()
  @Length(1, 32)
  phone: string;
}

export class StartEmailEnrollmentDto extends StartEnrollmentDto {
  @IsString()
  @Length(3, 254)
  email: string;
}

export class SendChallengeCodeDto {
  @IsIn(['sms', 'email'])
  method: 'sms' | 'email';

  /** Which bound phone or address; the first one when absent. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  enrollmentId?: string;
}
