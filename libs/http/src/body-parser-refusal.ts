import { MfaError } from '../../core/src';

// body-parser and raw-body name each refusal with a `type`; the ones a client can cause.
// Others (`entity.verify.failed` from a host's own `verify`, `stream.not.readable` from
// parsing twice) are the host's and stay with the host's error handler.
const PROBLEMS = new Map<unknown, string>([
  ['entity.parse.failed', 'body is not valid JSON or form data'],
  ['querystring.parse.rangeError', 'form data is nested too deeply'],
  ['request.size.invalid', 'body length does not match Content-Length'],
  ['request.aborted', 'the request was aborted before its body arrived'],
]);

/**
 * A body-parser refusal on one of MFA's routes as the MFA refusal both adapters answer with,
 * or undefined when `err` is not one. Never carries the parser's message: a JSON syntax
 * error quotes the body, which may hold a code.
 */
export function bodyParserRefusal(err: unknown): MfaError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, type, code } = err as { status?: unknown; type?: unknown; code?: unknown };
  if (status === 413 && (type === 'entity.too.large' || type === 'parameters.too.many'))
    return new MfaError('PAYLOAD_TOO_LARGE');
  if (status === 415 && (type === 'encoding.unsupported' || type === 'charset.unsupported'))
    return new MfaError('UNSUPPORTED_MEDIA_TYPE');
  if (status !== 400) return undefined;
  // A gzip or deflate body that does not inflate: zlib's error, given status 400 by body-parser.
  const problem = PROBLEMS.has(type)
    ? PROBLEMS.get(type)
    : typeof code === 'string' && code.startsWith('Z_')
      ? 'body does not match its Content-Encoding'
      : undefined;
  return problem === undefined
    ? undefined
    : new MfaError('VALIDATION_FAILED', { errors: [{ field: '(body)', problems: [problem] }] });
}

/** What a log line may say about a refusal: the parser's own label, never its message. */
export function bodyParserRefusalLabel(err: unknown): string {
  const { type, code } = err as { type?: unknown; code?: unknown };
  return typeof type === 'string' ? type : typeof code === 'string' ? code : 'unknown';
}
