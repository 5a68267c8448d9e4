import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as TypeScript from 'typescript';
import { PAGE_SECURITY_HEADERS } from './page-response';

/**
 * The pages import `nestjs-mfa/client` as native ES modules, the way a dev server would hand it
 * out: each module is compiled from its TypeScript source when asked for, so the sample runs the
 * library's own client with no build step and no bundler. The URLs keep the sources' layout, so
 * the relative imports between the modules resolve as they do in the ESM build:
 *
 *   /assets/client/src/client.js                    → src/client.ts (the package's entry)
 *   /assets/client/libs/client/src/<name>.js        → libs/client/src/<name>.ts
 *   /assets/vendor/simplewebauthn/[<dir>/]<name>.js → @simplewebauthn/browser's ESM build, as is
 */

/** The repository: three folders up from the sources (ts-jest), four from dist-sample, or the working directory. */
const ROOTS = [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..', '..', '..'), process.cwd()];

let root: string | undefined;
function repoRoot(): string {
  return (root ??= ROOTS.find((dir) => existsSync(join(dir, 'libs', 'client', 'src', 'index.ts'))) ?? ROOTS[0]);
}

// Flat names only, so nothing like ../ reaches outside the two folders; the tests next to the sources stay out.
const LIBS_MODULE = /^([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)?)\.js$/;
const VENDOR_DIRS = new Set(['helpers', 'methods', 'types']);
const VENDOR_MODULE = /^[A-Za-z][A-Za-z0-9]*\.js$/;

/** GET /assets/client/src/:file: the client's entry, and nothing else of the server's src/. */
export function sendClientEntry(res: Response, file: string): Promise<void> {
  return sendCompiled(res, file === 'client.js' ? join(repoRoot(), 'src', 'client.ts') : null);
}

/** GET /assets/client/libs/client/src/:file */
export function sendClientModule(res: Response, file: string): Promise<void> {
  const match = LIBS_MODULE.exec(file);
  const ok = match && !match[1].endsWith('.spec');
  return sendCompiled(res, ok ? join(repoRoot(), 'libs', 'client', 'src', `${match[1]}.ts`) : null);
}

/** GET /assets/vendor/simplewebauthn/:file and …/:dir/:file: the passkey prompts the pages hand the client. */
export async function sendVendorModule(res: Response, file: string, dir?: string): Promise<void> {
  const ok = VENDOR_MODULE.test(file) && (dir === undefined || VENDOR_DIRS.has(dir));
  const body = ok ? await readFile(join(simpleWebAuthnEsm(), dir ?? '', file)).catch(() => null) : null;
  send(res, body);
}

let esmDir: string | undefined;
function simpleWebAuthnEsm(): string {
  // The package exports only its entry: its CommonJS one lives in script/, the ESM build next to it in esm/.
  return (esmDir ??= join(dirname(require.resolve('@simplewebauthn/browser')), '..', 'esm'));
}

const compiled = new Map<string, { mtimeMs: number; code: string }>();

/** Compiles `source` once per change of its mtime; an edited client module shows on reload. */
async function sendCompiled(res: Response, source: string | null): Promise<void> {
  const info = source ? await stat(source).catch(() => null) : null;
  if (!source || !info?.isFile()) return send(res, null);
  let entry = compiled.get(source);
  if (entry?.mtimeMs !== info.mtimeMs) {
    entry = { mtimeMs: info.mtimeMs, code: transpile(await readFile(source, 'utf8'), source) };
    compiled.set(source, entry);
  }
  send(res, entry.code);
}

function send(res: Response, body: string | Buffer | null): void {
  res.set({ ...PAGE_SECURITY_HEADERS, 'Cache-Control': 'no-cache' });
  if (body === null) {
    res.status(404).type('text/plain').send('Not found');
    return;
  }
  // ES modules must come as JavaScript: with nosniff the browser refuses anything else.
  res.status(200).type('text/javascript; charset=utf-8').send(body);
}

let compilerOptions: TypeScript.CompilerOptions | undefined;
let ts: typeof TypeScript | undefined;

/** One module on its own (type imports erased), with the options `npm run build` gives the ESM build. */
function transpile(source: string, fileName: string): string {
  // Loaded on the first client request only: the samples' JSON routes never pay for the compiler.
  ts ??= require('typescript') as typeof TypeScript;
  compilerOptions ??= esmBuildOptions(ts);
  return ts.transpileModule(source, { compilerOptions, fileName }).outputText;
}

function esmBuildOptions(typescript: typeof TypeScript): TypeScript.CompilerOptions {
  const file = join(repoRoot(), 'tsconfig.client-esm.json');
  const config = typescript.getParsedCommandLineOfConfigFile(
    file,
    {},
    {
      ...typescript.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(`${file}: ${typescript.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      },
    },
  );
  if (!config) throw new Error(`${file} could not be read`);
  return { ...config.options, sourceMap: false, inlineSourceMap: false, declaration: false };
}
