import { IsString } from 'class-validator';

/** `PATCH /mfa/enrollments/:enrollmentId`. */
export class RenameFactorDto {
  /** Only the type here: the core's label rule (1–64 characters after trimming, no control or bidi characters) applies. */
  @IsString()
  label: string;
}
