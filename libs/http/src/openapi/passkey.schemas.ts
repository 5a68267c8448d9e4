import type { JsonSchema } from './dto-schema';
import { arrayOf, BOOL, enumOf, INT, NON_EMPTY, object, ref, STRING, TIME, UUID } from './json-schema.helpers';

/** base64url without padding, as WebAuthn's JSON encodings (and @simplewebauthn) write binary values. */
const BASE64URL: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]+$' };
const USER_VERIFICATION = enumOf(['discouraged', 'preferred', 'required']);
const HINTS = arrayOf(enumOf(['hybrid', 'security-key', 'client-device']));

/** Left open: @simplewebauthn/server writes these, and a minor release may add a WebAuthn field. */
const open = (schema: JsonSchema): JsonSchema => ({ ...schema, additionalProperties: true });

/**
 * The WebAuthn options MFA hands the browser, as @simplewebauthn/server writes them
 * (`PublicKeyCredentialCreationOptionsJSON`, `…RequestOptionsJSON`): pass them to
 * `startRegistration` / `startAuthentication` of @simplewebauthn/browser unchanged.
 */
export const PASSKEY_SCHEMAS: Record<string, JsonSchema> = {
  PasskeyCredentialDescriptor: object(
    { id: BASE64URL, type: { const: 'public-key' } },
    { transports: arrayOf(STRING) },
  ),
  PasskeyExtensions: open(object({}, { appid: STRING, credProps: BOOL, hmacCreateSecret: BOOL, minPinLength: BOOL })),
  PasskeyCreationOptions: open(
    object(
      {
        rp: object({ name: NON_EMPTY }, { id: NON_EMPTY }),
        user: object({ id: BASE64URL, name: NON_EMPTY, displayName: STRING }),
        challenge: BASE64URL,
        pubKeyCredParams: arrayOf(object({ alg: INT, type: { const: 'public-key' } }), 1),
      },
      {
        timeout: INT,
        excludeCredentials: arrayOf(ref('PasskeyCredentialDescriptor')),
        authenticatorSelection: object(
          {},
          {
            authenticatorAttachment: enumOf(['cross-platform', 'platform']),
            requireResidentKey: BOOL,
            residentKey: enumOf(['discouraged', 'preferred', 'required']),
            userVerification: USER_VERIFICATION,
          },
        ),
        hints: HINTS,
        attestation: enumOf(['direct', 'enterprise', 'indirect', 'none']),
        attestationFormats: arrayOf(STRING),
        extensions: ref('PasskeyExtensions'),
      },
    ),
  ),
  PasskeyRequestOptions: open(
    object(
      { challenge: BASE64URL },
      {
        timeout: INT,
        rpId: NON_EMPTY,
        allowCredentials: arrayOf(ref('PasskeyCredentialDescriptor')),
        userVerification: USER_VERIFICATION,
        hints: HINTS,
        extensions: ref('PasskeyExtensions'),
      },
    ),
  ),
  PasskeyEnrollmentStart: object({ enrollmentId: UUID, options: ref('PasskeyCreationOptions'), expiresAt: TIME }),
  PasskeyRequest: object({ options: ref('PasskeyRequestOptions'), expiresAt: TIME }),
};
