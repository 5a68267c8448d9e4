// Walks a host app through the README's HTTP flow as a user would: sign in, meet the guard,
// enroll TOTP, sign in again, answer the challenge, get in. Node built-ins only, so it proves
// nothing about the host beyond what goes over the wire.
// Usage: node drive.mjs http://127.0.0.1:PORT
import { createHmac } from 'node:crypto';

const base = process.argv[2];
if (!base) throw new Error('usage: node drive.mjs BASE_URL');

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0,
    value = 0;
  const out = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    value = ((value << 5) | alphabet.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238, parameters from the otpauth URI the enrollment returned. */
function totp(otpauthUri, step) {
  const params = new URL(otpauthUri).searchParams;
  const digits = Number(params.get('digits') ?? 6);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac((params.get('algorithm') ?? 'SHA1').toLowerCase(), base32(params.get('secret')))
    .update(counter)
    .digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits).padStart(digits, '0');
}
const stepNow = (otpauthUri) =>
  Math.floor(Date.now() / 1000 / Number(new URL(otpauthUri).searchParams.get('period') ?? 30));

/** One signed-in user: a cookie jar for session hosts, a bearer token for token hosts. */
class Client {
  cookies = new Map();
  token = null;

  async call(method, path, body) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: shown raw on failure */
    }
    return { status: res.status, headers: res.headers, json, text, what: `${method} ${path}` };
  }

  async signIn() {
    const res = expect(await this.call('POST', '/login', { username: 'alice', password: 'alice-password' }), 200);
    if (res.json?.token) this.token = res.json.token;
    else if (!this.cookies.size) fail(res, 'a session cookie or a { token }');
    return this;
  }
}

function fail(res, wanted) {
  console.error(`FAIL ${res.what}: wanted ${wanted}, got ${res.status}\n${res.text}`);
  process.exit(1);
}
function expect(res, status, code) {
  if (res.status !== status || (code && res.json?.code !== code)) fail(res, `${status}${code ? ` ${code}` : ''}`);
  console.log(`ok   ${res.what} -> ${status}${code ? ` ${code}` : ''}`);
  return res;
}

expect(await new Client().call('GET', '/billing'), 401);

const first = await new Client().signIn();
expect(await first.call('GET', '/billing'), 403, 'MFA_ENROLLMENT_REQUIRED');
const enrollment = expect(await first.call('POST', '/mfa/totp/enrollments', { label: 'Phone' }), 201).json;
// Confirm spends this time step; the challenge below uses the next one, which the ±1 step window
// accepts now, so the run never waits 30 s for a step the replay check would allow.
const confirmStep = stepNow(enrollment.otpauthUri);
const confirmed = expect(
  await first.call('POST', `/mfa/totp/enrollments/${enrollment.enrollmentId}/confirm`, {
    code: totp(enrollment.otpauthUri, confirmStep),
  }),
  200,
);
if (confirmed.json?.backupCodes?.length !== 10) fail(confirmed, 'ten backup codes');

const second = await new Client().signIn();
const refused = expect(await second.call('GET', '/billing'), 401, 'MFA_REQUIRED');
const challengeId = refused.json.challenge?.id;
if (!challengeId || !refused.headers.get('www-authenticate')?.includes(`challenge="${challengeId}"`))
  fail(refused, 'a challenge id, also in WWW-Authenticate');
const verified = expect(
  await second.call('POST', `/mfa/challenges/${challengeId}/verify`, {
    method: 'totp',
    code: totp(enrollment.otpauthUri, confirmStep + 1),
  }),
  200,
);
if (verified.json?.verified !== true) fail(verified, '{ verified: true }');
expect(await second.call('GET', '/billing'), 200);
console.log('drive: ok');
