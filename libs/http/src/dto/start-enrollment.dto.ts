import { IsOptional, IsString } from 'class-validator';

export class StartEnrollmentDto {
  /**
   * A name the user recognises, such as "Work phone". Only the type here: the core's one
   * label rule (1–64 characters after trimming, no control or bidi characters) applies.
   */
  @IsOptional()
  @IsString()
  label?: string;
}
