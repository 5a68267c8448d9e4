import { IsString, Length } from 'class-validator';

export class ConfirmEnrollmentDto {
  @IsString()
  @Length(1, 16)
  code: string;
}
