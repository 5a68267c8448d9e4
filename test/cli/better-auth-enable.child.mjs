// Drives the real Better Auth (bench/better-auth, its own install) the way an app's users do:
// sign up, enable two-factor, confirm it with a TOTP code, so the `twoFactor` rows are Better
// Auth's own. ESM, run with `node` from the test; prints one JSON line: the users it made.
//   argv: <sqlite file | postgres:// URL> ; env: BA_SECRET, BA_USERS (JSON [{ email, verify }]), BA_DIGITS, BA_PERIOD
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.cwd(), 'bench/better-auth/package.json'));
const load = (name) => import(require.resolve(name));
const [
  { betterAuth },
  { twoFactor },
  { getMigrations },
  { createOTP },
  { base32 },
  { default: Database },
  { default: pg },
] = await Promise.all([
  load('better-auth'),
  load('better-auth/plugins'),
  load('better-auth/db/migration'),
  load('@better-auth/utils/otp'),
  load('@better-auth/utils/base32'),
  load('better-sqlite3'),
  load('pg'),
]);

const [where] = process.argv.slice(2);
const database = /^postgres(ql)?:/.test(where) ? new pg.Pool({ connectionString: where }) : new Database(where);
const totpOptions = { digits: Number(process.env.BA_DIGITS ?? 6), period: Number(process.env.BA_PERIOD ?? 30) };
const options = {
  baseURL: 'http://127.0.0.1:3000',
  secret: process.env.BA_SECRET,
  database,
  emailAndPassword: { enabled: true },
  plugins: [twoFactor({ totpOptions })],
  rateLimit: { enabled: false },
  logger: { disabled: true },
};
const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);

const users = [];
for (const { email, verify } of JSON.parse(process.env.BA_USERS)) {
  const password = 'correct horse battery staple';
  const signUp = await auth.api.signUpEmail({ body: { email, password, name: email }, returnHeaders: true });
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const headers = new Headers({ cookie });
  const enabled = await auth.api.enableTwoFactor({ body: { password }, headers });
  const secret = new URL(enabled.totpURI).searchParams.get('secret');
  if (verify) {
    // Better Auth's own generator, as an authenticator app would show the code.
    const code = await createOTP(base32.decode(secret), totpOptions).totp();
    await auth.api.verifyTOTP({ body: { code }, headers });
  }
  users.push({ userId: signUp.response.user.id, email, totpURI: enabled.totpURI, backupCodes: enabled.backupCodes });
}
process.stdout.write(JSON.stringify({ users }) + '\n');
await (database.end?.() ?? database.close());
