import type { MfaResponse } from '../cookies';
import { SendChallengeCodeDto } from '../dto/delivery.dto';
import { VerifyChallengeDto } from '../dto/verify-challenge.dto';
import { deviceCookieName } from '../request-context.resolver';
import { verificationRenewal } from '../session-renewal';
import type { MfaRequest } from '../subject-resolvers';
import { validateBody } from '../validate-body';
import { EndpointContext, param } from './endpoint.context';

/** Answering a challenge, and the codes and delivery reports around it. */
export class ChallengeEndpoints {
  constructor(
    private readonly ctx: EndpointContext,
    /** Routes whose own requirement lets a trusted device stand in, named by the adapters. */
    private readonly deviceRoutes: ReadonlySet<string>,
  ) {}

  /**
   * With `rememberDevice: true`, also sets the trusted-device cookie (where the policy allows)
   * and says truthfully where the device will stand in for a verification: possibly nowhere.
   */
  async verify(req: MfaRequest, res?: MfaResponse) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const body = await validateBody(VerifyChallengeDto, req.body).catch(async (refused: unknown) => {
      // Still a failed attempt when it names this session's challenge and a factor; the answer stays the 400.
      const method = req.body && typeof req.body === 'object' ? (req.body as { method?: unknown }).method : undefined;
      await (await this.ctx.engine()).countMalformedVerify(subject, param(req, 'challengeId'), method);
      throw refused;
    });
    const engine = await this.ctx.engine();
    const renewal = verificationRenewal(engine, this.ctx.options.rotateSession, req, res, subject);
    const { trustedDevice, ...verified } = await engine.verifyChallenge(
      subject,
      param(req, 'challengeId'),
      body.method,
      body.method === 'webauthn' ? body.response! : body.code!,
      context,
      body.rememberDevice === true,
      body.enrollmentId,
      renewal.renew,
    );
    const result = { ...verified, ...renewal.answer() };
    if (!trustedDevice) {
      if (body.rememberDevice !== true) return { verified: true as const, ...result };
      return {
        verified: true as const,
        ...result,
        trustedDevice: null,
        deviceNotRemembered: result.singleUse ? 'single_use_grant' : 'policy_disallows',
      };
    }
    const cookie = this.ctx.options.trustedDeviceCookie ?? {};
    const secure = cookie.secure === undefined || cookie.secure === 'auto' ? !isLocalPlainHttp(req) : cookie.secure;
    res?.cookie?.(deviceCookieName(this.ctx.options), trustedDevice.cookieValue, {
      httpOnly: true,
      secure,
      sameSite: cookie.sameSite ?? 'lax',
      path: cookie.path ?? '/',
      maxAge: trustedDevice.maxAgeSeconds * 1000,
      ...(cookie.domain ? { domain: cookie.domain } : {}),
    });
    const waives = engine.trustedDeviceWaivers(this.deviceRoutes);
    return { verified: true as const, ...result, trustedDevice: { ...trustedDevice.device, waives } };
  }

  /** Sends, or re-sends, an SMS or email code for a challenge of this session. */
  async sendCode(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject } = await this.ctx.caller(req);
    const body = await validateBody(SendChallengeCodeDto, req.body);
    return (await this.ctx.engine()).sendChallengeCode(
      subject,
      param(req, 'challengeId'),
      body.method,
      body.enrollmentId,
    );
  }

  /** The options for `navigator.credentials.get()` that answer this challenge with a passkey. */
  async passkeyOptions(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject } = await this.ctx.caller(req);
    return (await this.ctx.engine()).passkeyChallengeOptions(subject, param(req, 'challengeId'));
  }

  /**
   * A provider's delivery report. No session: the SMS sender authenticates it (Twilio's
   * signature, Vonage's URL token) or it is refused with 403.
   */
  async deliveryStatus(req: MfaRequest) {
    const headers = (req as { headers?: Record<string, string | undefined> }).headers ?? {};
    return (await this.ctx.engine()).recordDeliveryStatus(param(req, 'provider'), {
      query: strings(req.query),
      body: strings(req.body),
      headers,
    });
  }
}

/**
 * `'auto'` drops `Secure` only for plain HTTP to this machine (local development). Anything
 * else keeps it: behind a TLS proxy without `trust proxy`, `req.secure` is false although the
 * browser spoke HTTPS, and a cookie sent in clear would hand the device to a network attacker.
 */
function isLocalPlainHttp(req: MfaRequest): boolean {
  if (req.secure === true || req.protocol === 'https') return false;
  const host = String(req.headers?.host ?? '')
    .replace(/:\d+$/, '')
    .toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';
}

function strings(source: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (source && typeof source === 'object') {
    for (const [key, value] of Object.entries(source as Record<string, unknown>))
      if (typeof value === 'string') out[key] = value;
  }
  return out;
}
