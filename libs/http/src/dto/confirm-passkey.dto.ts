import { IsObject } from 'class-validator';

export class ConfirmPasskeyDto {
  /** The attestation from `navigator.credentials.create()` as JSON (@simplewebauthn/browser's `startRegistration`). */
  @IsObject()
  response: Record<string, unknown>;
}
