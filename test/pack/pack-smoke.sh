#!/usr/bin/env bash
# Proves `npm pack` yields a package a separate app can install, type-check and run, that each
# entry point loads on its own, and that apps written from the README work (test/hosts).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball="$root/$(npm pack --silent 2>/dev/null | tail -1)"
trap 'rm -rf "$work" "$tarball"' EXIT

cp "$root/test/pack/consumer.ts" "$work/consumer.ts"
cd "$work"
cat > package.json <<'JSON'
{ "name": "pack-consumer", "private": true, "version": "0.0.0" }
JSON
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext", "target": "ES2022", "strict": true,
  "experimentalDecorators": true, "emitDecoratorMetadata": true, "skipLibCheck": false, "types": ["node"], "outDir": "out" } }
JSON
# better-sqlite3 takes the project's own native build, so the check does not compile it a second time.
sqlite_version="$(node -p "require('$root/node_modules/better-sqlite3/package.json').version")"
npm install --no-audit --no-fund --ignore-scripts "$tarball" \
  @nestjs/common@11.1.6 @nestjs/core@11.1.6 reflect-metadata rxjs typeorm@1.1.1 typescript@~6.0.3 @types/node@^20.19.0 express@^5.1.0 @types/express@^5.0.3 ioredis@^5.9.2 \
  "better-sqlite3@$sqlite_version" 2>&1 | grep -v nodedir
cp -r "$root/node_modules/better-sqlite3/build" node_modules/better-sqlite3/
test -f node_modules/nestjs-mfa/dist/src/index.d.ts
if find node_modules/nestjs-mfa -name '*.spec.*' | grep -q .; then echo "spec files leaked into the package" >&2; exit 1; fi
npx tsc -p tsconfig.json
node out/consumer.js

# Each entry point must load in a process that imported nothing else: the consumer above
# imports reflect-metadata first, and so hid the Express entry's crash without it.
for entry in nestjs-mfa nestjs-mfa/core nestjs-mfa/express nestjs-mfa/typeorm nestjs-mfa/redis nestjs-mfa/delivery nestjs-mfa/geoip nestjs-mfa/client; do
  node -e "require('$entry')" || { echo "entry point $entry does not load on its own" >&2; exit 1; }
done
# The browser client's ESM build, as a bundler or a browser's import map would load it.
node --input-type=module -e "
  const { createMfaClient } = await import('nestjs-mfa/client');
  if (typeof createMfaClient !== 'function') throw new Error('nestjs-mfa/client (ESM) has no createMfaClient');
" || { echo "the ESM build of nestjs-mfa/client does not load" >&2; exit 1; }
# The surface is an explicit list (etc/*.api.md): internals the barrels once leaked stay out.
node -e "
  const internals = ['stepsKey', 'totpSecretAad', 'deliveryTargetAad', 'policyHash', 'canonicalJson', 'sessionRefOf', 'MFA_MODULE_OPTIONS', 'MFA_REQUIREMENT_KEY', 'toBase32', 'CodeHasher'];
  for (const entry of ['nestjs-mfa', 'nestjs-mfa/core', 'nestjs-mfa/express', 'nestjs-mfa/typeorm', 'nestjs-mfa/redis', 'nestjs-mfa/delivery', 'nestjs-mfa/geoip']) {
    const leaked = internals.filter((name) => name in require(entry));
    if (leaked.length) { console.error(entry + ' exports internals: ' + leaked.join(', ')); process.exit(1); }
  }
"
node -e "
  const { createMfa } = require('nestjs-mfa/express');
  const key = require('node:crypto').randomBytes(32).toString('base64');
  const mfa = createMfa({ encryption: { keys: [{ id: 'k1', key }] }, database: { type: 'better-sqlite3', database: ':memory:' }, audit: { emit() {} } });
  mfa.ready.then(() => mfa.close()).then(() => console.log('bare createMfa: ready'), (err) => { console.error(err); process.exit(1); });
"

# The operator CLI through the package's `bin`, on an SQLite file of the consumer project:
# exit codes and --json output as a script would read them.
cli_env=(MFA_DATABASE_URL="sqlite:$work/cli.sqlite" MFA_ENCRYPTION_KEYS="k1:$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")")
env "${cli_env[@]}" ./node_modules/.bin/nestjs-mfa migrate --json > cli-migrate.json
node -e "const r = require('./cli-migrate.json'); if (!r.ran.length || r.pending.length) { console.error('nestjs-mfa migrate:', r); process.exit(1); }"
env "${cli_env[@]}" ./node_modules/.bin/nestjs-mfa keys status --check --json > cli-keys.json
node -e "const r = require('./cli-keys.json'); if (r.currentKeyId !== 'k1' || !r.allOnCurrentKey) { console.error('nestjs-mfa keys status:', r); process.exit(1); }"
if env "${cli_env[@]}" ./node_modules/.bin/nestjs-mfa frobnicate 2>/dev/null; then echo "nestjs-mfa accepted an unknown command" >&2; exit 1; fi

bash "$root/test/hosts/run-hosts.sh" "$root" "$tarball"
