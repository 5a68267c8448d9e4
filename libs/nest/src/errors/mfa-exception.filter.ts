import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { toMfaHttpException } from './mfa-http.exception';

/** Scoped to the MFA controllers: every failure there leaves as a coded HTTP answer. */
@Catch()
export class MfaExceptionFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse();
    const httpError = toMfaHttpException(err, res);
    res.status(httpError.getStatus()).json(httpError.getResponse());
  }
}
