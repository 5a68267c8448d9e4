import session from 'express-session';
import { MfaConfigurationError } from '../../core/src';
import { expressSessionRevoker, ListableSessionStore } from './express-session.revoker';

const put = (store: session.MemoryStore, sid: string, data: object) =>
  new Promise<void>((resolve) =>
    store.set(sid, { cookie: { originalMaxAge: null }, ...data } as never, () => resolve()),
  );

describe('expressSessionRevoker', () => {
  it("destroys the user's other sessions only, and counts them first", async () => {
    const store = new session.MemoryStore();
    await put(store, 'current', { passport: { user: 'u-1' } });
    await put(store, 'other', { passport: { user: 'u-1' } });
    await put(store, 'object-user', { passport: { user: { id: 'u-1' } } });
    await put(store, 'someone-else', { passport: { user: 'u-2' } });
    await put(store, 'anonymous', {});
    const revoke = expressSessionRevoker(store);
    expect(await revoke.count!('u-1', 'current')).toBe(2);
    expect(await revoke('u-1', 'current')).toBe(2);
    const left = await new Promise<object>((resolve) => store.all((_err, all) => resolve(all ?? {})));
    expect(Object.keys(left).sort()).toEqual(['anonymous', 'current', 'someone-else']);
  });

  it('refuses at boot a store that cannot list its sessions (connect-pg-simple), saying what to do', () => {
    const pgLike: ListableSessionStore = { destroy: (_sid, cb) => cb?.() };
    expect(() => expressSessionRevoker(pgLike)).toThrow(MfaConfigurationError);
    expect(() => expressSessionRevoker(pgLike)).toThrow(/endOtherSessions/);
  });

  it('fails (never skips) when a listing store omits session ids', async () => {
    const store: ListableSessionStore = {
      all: (cb) => cb(null, [{ passport: { user: 'u-1' } }]),
      destroy: (_sid, cb) => cb?.(),
    };
    await expect(expressSessionRevoker(store)('u-1', 'x')).rejects.toThrow(/without its id/);
  });
});
