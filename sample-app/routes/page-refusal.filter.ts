import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { refusalPage } from '../shared/pages/page-refusal';
import { sendPage } from '../shared/pages/page-response';

/**
 * On the page controller only: MfaGuard's refusal (401 MFA_REQUIRED with its challenge, 403
 * MFA_ENROLLMENT_REQUIRED, 401 UNAUTHENTICATED) is answered as the challenge page, an
 * "add a factor" page or a redirect to sign-in instead of JSON. The JSON routes keep JSON.
 */
@Catch(HttpException)
export class PageRefusalFilter implements ExceptionFilter {
  catch(err: HttpException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendPage(http.getResponse<Response>(), refusalPage(err.getStatus(), err.getResponse(), http.getRequest<Request>()));
  }
}
