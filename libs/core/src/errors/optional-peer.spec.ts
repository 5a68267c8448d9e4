import { MfaConfigurationError } from './mfa-configuration.error';
import { requireOptionalPeer } from './optional-peer';

const HOW_TO_FIX = 'run `npm install not-installed-peer`';

describe('requireOptionalPeer', () => {
  it('turns the missing peer into a configuration error that says what to install', () => {
    const load = () => requireOptionalPeer('not-installed-peer', () => require('not-installed-peer'), HOW_TO_FIX);
    expect(load).toThrow(MfaConfigurationError);
    expect(load).toThrow(HOW_TO_FIX);
  });

  it('keeps the error of a peer that is there but broken', () => {
    const inside = Object.assign(new Error("Cannot find module 'its-own-dependency'"), { code: 'MODULE_NOT_FOUND' });
    expect(() =>
      requireOptionalPeer(
        'peer',
        () => {
          throw inside;
        },
        HOW_TO_FIX,
      ),
    ).toThrow(inside);
    const failing = new SyntaxError('Unexpected token');
    expect(() =>
      requireOptionalPeer(
        'peer',
        () => {
          throw failing;
        },
        HOW_TO_FIX,
      ),
    ).toThrow(failing);
  });

  it('returns the module when it is installed', () => {
    expect(requireOptionalPeer('node:path', () => require('node:path'), HOW_TO_FIX)).toBe(require('node:path'));
  });
});
