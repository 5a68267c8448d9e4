import { RedeemRecoveryTicketDto } from '../dto/lifecycle.dto';
import { endOtherSessions } from '../other-sessions.offer';
import { headerOnlyContext } from '../request-context.resolver';
import type { MfaRequest } from '../subject-resolvers';
import { validateBody } from '../validate-body';
import { EndpointContext, param } from './endpoint.context';

/** The signed-in user's own trusted devices, other sessions and help-desk recovery. */
export class SelfServiceEndpoints {
  constructor(private readonly ctx: EndpointContext) {}

  async listDevices(req: MfaRequest) {
    const { subject } = await this.ctx.caller(req);
    // The cookie marks which listed device is this one.
    const deviceCookie = headerOnlyContext(req, this.ctx.options).deviceCookie;
    return { devices: await (await this.ctx.engine()).listTrustedDevices(subject.userId, deviceCookie) };
  }

  async revokeDevice(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    await (await this.ctx.engine()).revokeOwnDevice(subject, param(req, 'deviceId'), context);
    return { revoked: 1 };
  }

  async revokeDevices(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    return { revoked: await (await this.ctx.engine()).revokeOwnDevices(subject, context) };
  }

  /** A help-desk ticket, redeemed by the signed-in user it was issued for. */
  async redeemRecoveryTicket(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject } = await this.ctx.caller(req);
    const body = await validateBody(RedeemRecoveryTicketDto, req.body);
    await (await this.ctx.engine()).redeemRecoveryTicket(subject, body.ticket);
    return {
      redeemed: true as const,
      next: 'enroll a factor: it is your only one now',
      otherSessions: await this.ctx.sessionsOffer(subject.userId, subject.sessionId),
    };
  }

  /** Voids MFA in the user's other sessions and ends them through `endOtherSessions`; a change like the others. */
  async revokeOtherSessions(req: MfaRequest) {
    this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    return endOtherSessions(await this.ctx.engine(), this.ctx.options.endOtherSessions, subject, context);
  }
}
