import { IsOptional, IsString, Length } from 'class-validator';

export class StartEnrollmentDto {
  /** A name the user recognises, such as "Work phone". */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  label?: string;
}
