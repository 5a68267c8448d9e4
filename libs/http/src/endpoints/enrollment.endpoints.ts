import type { MfaSubject } from '../../../core/src';
import type { MfaResponse } from '../cookies';
import { ConfirmEnrollmentDto } from '../dto/confirm-enrollment.dto';
import { ConfirmPasskeyDto } from '../dto/confirm-passkey.dto';
import { StartEmailEnrollmentDto, StartSmsEnrollmentDto } from '../dto/delivery.dto';
import { RenameFactorDto } from '../dto/rename-factor.dto';
import { StartEnrollmentDto } from '../dto/start-enrollment.dto';
import { renewSession } from '../session-renewal';
import type { MfaRequest } from '../subject-resolvers';
import { validateBody } from '../validate-body';
import { EndpointContext, param } from './endpoint.context';

export type DeliveryChannel = 'sms' | 'email';

/** The signed-in user's factors: adding (TOTP, SMS, email, passkeys), listing, renaming, removing, backup codes. */
export class EnrollmentEndpoints {
  constructor(private readonly ctx: EndpointContext) {}

  /** Metadata only: never a secret. */
  async list(req: MfaRequest) {
    return (await this.ctx.engine()).listEnrollments((await this.ctx.caller(req)).subject);
  }

  async startTotp(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const body = await validateBody(StartEnrollmentDto, req.body);
    return (await this.ctx.engine()).startTotpEnrollment(subject, body.label, context);
  }

  async confirmTotp(req: MfaRequest, res?: MfaResponse) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const body = await validateBody(ConfirmEnrollmentDto, req.body);
    const confirmed = await (
      await this.ctx.engine()
    ).confirmTotpEnrollment(subject, param(req, 'enrollmentId'), body.code, context);
    return this.factorAdded(req, res, subject, confirmed);
  }

  async startPasskey(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const body = await validateBody(StartEnrollmentDto, req.body);
    return (await this.ctx.engine()).startPasskeyEnrollment(subject, body.label, context);
  }

  async confirmPasskey(req: MfaRequest, res?: MfaResponse) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const body = await validateBody(ConfirmPasskeyDto, req.body);
    const confirmed = await (
      await this.ctx.engine()
    ).confirmPasskeyEnrollment(subject, param(req, 'enrollmentId'), body.response as never, context);
    return this.factorAdded(req, res, subject, confirmed);
  }

  async startDelivery(req: MfaRequest, channel: DeliveryChannel) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const target =
      channel === 'sms'
        ? await validateBody(StartSmsEnrollmentDto, req.body)
        : await validateBody(StartEmailEnrollmentDto, req.body);
    const raw = 'phone' in target ? target.phone : target.email;
    return (await this.ctx.engine()).startDeliveryEnrollment(subject, channel, raw, target.label, context);
  }

  async resendDelivery(req: MfaRequest, channel: DeliveryChannel) {
    this.ctx.sameOrigin(req);
    const { subject } = await this.ctx.caller(req);
    return (await this.ctx.engine()).resendDeliveryEnrollment(subject, channel, param(req, 'enrollmentId'));
  }

  async confirmDelivery(req: MfaRequest, channel: DeliveryChannel, res?: MfaResponse) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const body = await validateBody(ConfirmEnrollmentDto, req.body);
    const confirmed = await (
      await this.ctx.engine()
    ).confirmDeliveryEnrollment(subject, channel, param(req, 'enrollmentId'), body.code, context);
    return this.factorAdded(req, res, subject, confirmed);
  }

  async regenerateBackupCodes(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    return { backupCodes: await (await this.ctx.engine()).regenerateBackupCodes(subject, context) };
  }

  async remove(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    await (await this.ctx.engine()).removeFactor(subject, param(req, 'enrollmentId'), context);
    return { removed: true as const, otherSessions: await this.ctx.sessionsOffer(subject.userId, subject.sessionId) };
  }

  /** Answers with the factor view; another user's id is ENROLLMENT_NOT_FOUND. */
  async rename(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const body = await validateBody(RenameFactorDto, req.body);
    return (await this.ctx.engine()).renameFactor(subject, param(req, 'enrollmentId'), body.label, context);
  }

  /** A confirmed factor verified this session: its id is renewed, then the other sessions are offered an end. */
  private async factorAdded<T extends object>(
    req: MfaRequest,
    res: MfaResponse | undefined,
    subject: MfaSubject,
    confirmed: T,
  ) {
    const renewed = await renewSession(await this.ctx.engine(), this.ctx.options.rotateSession, req, res, subject);
    return {
      ...confirmed,
      ...renewed.answer,
      otherSessions: await this.ctx.sessionsOffer(subject.userId, renewed.subject.sessionId),
    };
  }
}
