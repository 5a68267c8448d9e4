import { bodyParserRefusal } from './body-parser-refusal';

const parserError = (status: number, props: Record<string, unknown>) =>
  Object.assign(new Error('Unexpected token } in JSON: {"code":"480213"'), {
    status,
    statusCode: status,
    expose: true,
    ...props,
  });

describe('bodyParserRefusal', () => {
  it.each([
    [parserError(400, { type: 'entity.parse.failed' }), 400, 'VALIDATION_FAILED'],
    [parserError(413, { type: 'entity.too.large' }), 413, 'PAYLOAD_TOO_LARGE'],
    [parserError(413, { type: 'parameters.too.many' }), 413, 'PAYLOAD_TOO_LARGE'],
    [parserError(415, { type: 'charset.unsupported' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [parserError(415, { type: 'encoding.unsupported' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [parserError(400, { code: 'Z_DATA_ERROR' }), 400, 'VALIDATION_FAILED'],
  ])('a parser refusal becomes an MFA refusal (%#)', (err, status, code) => {
    const refusal = bodyParserRefusal(err);
    expect(refusal).toMatchObject({ status, code });
    expect(JSON.stringify(refusal?.details)).not.toContain('480213'); // the parser's message quotes the body
  });

  it.each([
    ['a host verify() refusal', parserError(403, { type: 'entity.verify.failed' })],
    ['a CSRF middleware', parserError(403, { code: 'EBADCSRFTOKEN' })],
    ['a 400 of the host without a parser type', parserError(400, {})],
    ['a prototype name as type', parserError(400, { type: 'toString' })],
    ['a session store that is down', new Error('ECONNREFUSED')],
    ['not an error', 'boom'],
  ])('leaves %s to the host', (_label, err) => {
    expect(bodyParserRefusal(err)).toBeUndefined();
  });
});
