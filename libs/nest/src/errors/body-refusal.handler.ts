import { Logger, OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { bodyParserRefusal, bodyParserRefusalLabel, toMfaErrorResponse } from '../../../http/src';

const logger = new Logger('nestjs-mfa');

/** The slice of Express's error middleware this uses: the Nest adapter stays free of `express` imports. */
interface ExpressLikeResponse {
  headersSent: boolean;
  status(code: number): ExpressLikeResponse;
  set(headers: Record<string, string>): ExpressLikeResponse;
  json(body: unknown): unknown;
}
type ErrorRequestHandler = (
  err: unknown,
  req: { method: string; originalUrl: string },
  res: ExpressLikeResponse,
  next: (err?: unknown) => void,
) => void;

/** Answers a refusal of the host's body parser on MFA's paths as the Express router does. */
const answerBodyRefusals: ErrorRequestHandler = (err, req, res, next) => {
  const refusal = bodyParserRefusal(err);
  if (!refusal || res.headersSent) return next(err);
  const { status, body, headers } = toMfaErrorResponse(refusal);
  // One line, no stack: the caller sent a bad body, nothing on the server broke.
  logger.warn(
    `${req.method} ${req.originalUrl.split('?')[0]}: ${status} ${body.code} (${bodyParserRefusalLabel(err)})`,
  );
  res.status(status).set(headers).json(body);
};

/**
 * Nest parses bodies before routing, so a parser refusal never reaches MfaExceptionFilter:
 * Nest's ExceptionsHandler would log it as an ERROR with a stack (and answer a bad gzip or
 * charset with 500), even for anonymous callers. This puts an error middleware on MFA's
 * prefix alone, so the host's other routes keep the host's own handling.
 */
export class BodyRefusalHandler implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ApplicationConfig,
    private readonly routePrefix: string,
  ) {}

  // Init hooks run after the routes are registered and before Nest adds its own error handler.
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return; // Fastify has its own parser and envelope
    const segments = [this.config.getGlobalPrefix(), this.routePrefix]
      .map((s) => s.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean);
    adapter.use(`/${segments.join('/')}`, answerBodyRefusals);
  }
}
