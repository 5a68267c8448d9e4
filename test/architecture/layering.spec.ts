// Invariant: the core imports no web framework, database or transport; the shared HTTP layer
// no framework and no database; each adapter only its own framework; and an optional peer
// (TypeORM, nodemailer, libphonenumber-js) or a heavy dependency (@simplewebauthn/server) is
// required only lazily, where it is used, so an app that never uses the feature loads without it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  module: string;
  /** An indented `require()` or `import()`, i.e. inside a function: nothing loads until that code runs. */
  lazy: boolean;
  /** `import type` / `export type` / `typeof import()`: erased from the built JavaScript. */
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?from\s+)?['"]([^'"]+)['"]/gm)) {
    found.push({ module: m[2], lazy: false, typeOnly: !!m[1] });
  }
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]/g)) {
    const line = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
    found.push({ module: m[1], lazy: /^\s/.test(line), typeOnly: /typeof\s+$/.test(line) });
  }
  // Relative paths as repo paths, so `../../http/src` reads as `libs/http/src`.
  return found.map((i) =>
    i.module.startsWith('.') ? { ...i, module: relative(root, resolve(dirname(file), i.module)) } : i,
  );
}

const isNest = (m: string) => m.startsWith('@nestjs/') || m.includes('libs/nest');
const isExpress = (m: string) => m === 'express' || m.startsWith('express/') || m.includes('libs/express');
const isTypeOrm = (m: string) => m === 'typeorm' || m.startsWith('typeorm/') || m.includes('libs/typeorm');
const isRedis = (m: string) => m === 'ioredis' || m.includes('libs/redis');
const isNodemailer = (m: string) => m === 'nodemailer' || m.startsWith('nodemailer/');
const isPhoneLib = (m: string) => m === 'libphonenumber-js' || m.startsWith('libphonenumber-js/');
const isWebAuthnLib = (m: string) => m === '@simplewebauthn/server' || m.startsWith('@simplewebauthn/server/');
const isGeoIpLib = (m: string) => m === 'maxmind' || m === 'mmdb-lib' || m.startsWith('mmdb-lib/');
const isSocket = (m: string) => ['node:dgram', 'dgram', 'node:net', 'net', 'node:tls', 'tls'].includes(m);
const isTransport = (m: string) => m.includes('libs/delivery') || isNodemailer(m) || isSocket(m);
const any =
  (...tests: Array<(m: string) => boolean>) =>
  (m: string) =>
    tests.some((test) => test(m));

interface Rule {
  /** Never imported, not even lazily. */
  forbidden: (m: string) => boolean;
  /** Optional peers: a type import or a lazy `require` only. */
  lazyOnly?: (m: string) => boolean;
}

const RULES: Array<[string, Rule]> = [
  [
    'libs/core/src',
    {
      forbidden: any(
        isNest,
        isExpress,
        (m) => m.includes('libs/http') || m.includes('libs/setup'),
        isTypeOrm,
        isRedis,
        isTransport,
        isGeoIpLib,
      ),
      lazyOnly: any(isPhoneLib, isWebAuthnLib),
    },
  ],
  [
    'libs/http/src',
    { forbidden: any(isNest, isExpress, isTypeOrm, isRedis, isTransport, isPhoneLib, (m) => m.includes('libs/setup')) },
  ],
  [
    'libs/delivery/src',
    {
      forbidden: any(isNest, isExpress, isTypeOrm, isRedis, (m) => m.includes('libs/http') || m.includes('libs/setup')),
      lazyOnly: isNodemailer,
    },
  ],
  [
    'libs/setup/src',
    { forbidden: any(isNest, isExpress), lazyOnly: any(isTypeOrm, isRedis, isNodemailer, isPhoneLib) },
  ],
  ['libs/express/src', { forbidden: isNest, lazyOnly: any(isTypeOrm, isNodemailer, isPhoneLib) }],
  ['libs/nest/src', { forbidden: isExpress, lazyOnly: any(isTypeOrm, isNodemailer, isPhoneLib) }],
  [
    'libs/geoip/src',
    {
      forbidden: any(isNest, isExpress, isTypeOrm, isRedis, (m) => m.includes('libs/http') || m.includes('libs/setup')),
      lazyOnly: isGeoIpLib,
    },
  ],
  ['libs/redis/src', { forbidden: any(isNest, isExpress, isTransport, (m) => m.includes('libs/setup')) }],
  ['libs/typeorm/src', { forbidden: any(isNest, isExpress, isTransport, (m) => m.includes('libs/setup')) }],
];

describe.each(RULES)('%s', (dir, rule) => {
  const files = sourceFiles(join(root, dir));

  it('has source files to check', () => expect(files.length).toBeGreaterThan(0));

  it.each(files.map((f) => [relative(root, f), f]))('%s stays in its layer', (_rel, file) => {
    const imports = importsOf(file);
    expect(imports.filter((i) => rule.forbidden(i.module)).map((i) => i.module)).toEqual([]);
    const eager = imports.filter((i) => !i.lazy && !i.typeOnly && rule.lazyOnly?.(i.module));
    expect(eager.map((i) => `${i.module} loaded at import time`)).toEqual([]);
  });
});

describe('optional peers', () => {
  // One loader per peer keeps the "install X" message in one place.
  it.each([
    ['libphonenumber-js', isPhoneLib, 'libs/core/src/delivery/phone-numbers.ts'],
    ['nodemailer', isNodemailer, 'libs/delivery/src/smtp-email.sender.ts'],
    ['@simplewebauthn/server', isWebAuthnLib, 'libs/core/src/factors/passkey/webauthn.ceremony.ts'],
    ['maxmind', isGeoIpLib, 'libs/geoip/src/maxmind-geoip.resolver.ts'],
  ])('%s is required in one file only', (_name, isPeer, loader) => {
    const requiring = sourceFiles(join(root, 'libs'))
      .filter((file) => importsOf(file).some((i) => isPeer(i.module) && !i.typeOnly))
      .map((file) => relative(root, file));
    expect(requiring).toEqual([loader]);
  });
});
