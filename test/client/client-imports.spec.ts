// Invariant: the browser client loads in any browser and in Node as it is built: no Node
// built-in, no Node global, no runtime import from another lib (their types only, erased),
// relative imports spelled with `.js` for the ESM build, and @simplewebauthn/browser imported
// lazily, only when a passkey prompt runs.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..', '..');
const clientDir = join(root, 'libs', 'client', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  /** As written. */
  specifier: string;
  /** Relative paths as repo paths. */
  module: string;
  /** An indented `import()`, i.e. inside a function: nothing loads until that code runs. */
  lazy: boolean;
  /** `import type` / `export type` / `typeof import()`: erased from the built JavaScript. */
  typeOnly: boolean;
}

// The parser of test/architecture/layering.spec.ts.
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Array<Omit<Import, 'module'>> = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?from\s+)?['"]([^'"]+)['"]/gm)) {
    found.push({ specifier: m[2], lazy: false, typeOnly: !!m[1] });
  }
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]/g)) {
    const line = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
    found.push({ specifier: m[1], lazy: /^\s/.test(line), typeOnly: /typeof\s+$/.test(line) });
  }
  return found.map((i) => ({
    ...i,
    module: i.specifier.startsWith('.') ? relative(root, resolve(dirname(file), i.specifier)) : i.specifier,
  }));
}

/** The code without comments, for the globals a browser lacks. */
function codeOf(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const files = [...sourceFiles(clientDir), join(root, 'src', 'client.ts')];
const inClient = (m: string) => m.startsWith('libs/client/src/');

describe('the browser client stays framework-free', () => {
  it('has source files to check', () => expect(files.length).toBeGreaterThan(5));

  it.each(files.map((f) => [relative(root, f), f]))('%s', (_rel, file) => {
    const imports = importsOf(file);
    expect(imports.filter((i) => nodeBuiltins.has(i.specifier) || i.specifier.startsWith('node:'))).toEqual([]);

    const runtime = imports.filter((i) => !i.typeOnly);
    const foreign = runtime.filter((i) => !inClient(i.module) && i.specifier !== '@simplewebauthn/browser');
    expect(foreign.map((i) => `${i.specifier} is loaded at runtime`)).toEqual([]);
    const extensionless = runtime.filter((i) => i.specifier.startsWith('.') && !i.specifier.endsWith('.js'));
    expect(extensionless.map((i) => `${i.specifier} needs .js for the ESM build`)).toEqual([]);
    const eagerWebAuthn = runtime.filter((i) => i.specifier === '@simplewebauthn/browser' && !i.lazy);
    expect(eagerWebAuthn).toEqual([]);

    // Types may come from the server's core and HTTP contract only.
    const typeSources = imports.filter((i) => i.typeOnly && !inClient(i.module)).map((i) => i.module);
    expect(typeSources.filter((m) => !/^libs\/(core|http)\/src(\/|$)/.test(m))).toEqual([]);

    const code = codeOf(file);
    expect(code.match(/\b(Buffer|process|require|__dirname|__filename|global)\b(?!\w)/g) ?? []).toEqual([]);
  });

  it('imports @simplewebauthn/browser in one place only', () => {
    const importing = files.filter((f) => importsOf(f).some((i) => i.specifier === '@simplewebauthn/browser'));
    expect(importing.map((f) => relative(root, f))).toEqual(['libs/client/src/passkey.ceremony.ts']);
  });
});
