import { MfaConfigurationError } from './mfa-configuration.error';

/**
 * Runs `load` (a `require` of an optional peer dependency, written out at the call site so
 * bundlers see it) and turns the peer's absence into a configuration error that says what
 * to install. A peer that is there but fails to load keeps its own error.
 */
export function requireOptionalPeer<T>(name: string, load: () => T, howToFix: string): T {
  try {
    return load();
  } catch (err) {
    if (!isPeerMissing(err, name)) throw err;
    throw new MfaConfigurationError(howToFix);
  }
}

// Only the peer itself: a module missing deeper in its own tree is a broken install, whose
// error names that module, and saying "install the peer" would send the user the wrong way.
function isPeerMissing(err: unknown, name: string): boolean {
  const { code, message } = (err ?? {}) as { code?: string; message?: string };
  return code === 'MODULE_NOT_FOUND' && (message ?? '').startsWith(`Cannot find module '${name}`);
}
