import { DEMO_USERS, DemoUser } from '../demo-users';
import { html } from './html';
import { layout, liveRegions } from './page-layout';

/** The password step the app already had; sign-in.js posts it to POST /auth/login as JSON. */
export function signInPage(user: DemoUser | undefined, next: string, signedOut: boolean): string {
  return layout({
    title: 'Sign in',
    user,
    scripts: ['sign-in.js'],
    main: html`${signedOut && html`<p class="notice" role="status">You are signed out.</p>`}
      ${user && html`<p>You are signed in as ${user.username}. Signing in again switches the account.</p>`}
      <form id="sign-in-form" method="post" action="/auth/login" data-next="${next}" aria-describedby="demo-users">
        ${liveRegions('sign-in')}
        <label for="username">Username</label>
        <input id="username" name="username" autocomplete="username" autocapitalize="none" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
      <p id="demo-users" class="hint">
        Demo users:
        ${DEMO_USERS.map((u, i) => html`${i > 0 && ', '}<code>${u.username}</code> / <code>${u.password}</code>`)}.
      </p>`,
  });
}
