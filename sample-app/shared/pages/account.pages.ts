import type { OutboxMessage } from '../../../src/delivery';
import type { DemoUser } from '../demo-users';
import { html, SafeHtml } from './html';
import { layout, liveRegions } from './page-layout';

/** GET /ui/password: the app's own password change; password.js posts it to POST /auth/password. */
export function passwordPage(user: DemoUser): string {
  return layout({
    title: 'Change your password',
    user,
    scripts: ['password.js'],
    main: html`<form
      id="password-form"
      class="card"
      method="post"
      action="/auth/password"
      aria-describedby="password-hint"
    >
      ${liveRegions('password')}
      <p id="password-hint" class="hint">
        Changing your password forgets every browser you chose to remember: each asks for a second factor again.
      </p>
      <input type="text" name="username" value="${user.username}" autocomplete="username" hidden />
      <label for="current-password">Current password</label>
      <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required />
      <label for="new-password">New password</label>
      <input
        id="new-password"
        name="newPassword"
        type="password"
        autocomplete="new-password"
        minlength="8"
        maxlength="128"
        aria-describedby="new-password-hint"
        required
      />
      <p id="new-password-hint" class="hint">8 to 128 characters.</p>
      <label for="repeat-password">New password again</label>
      <input id="repeat-password" name="repeatPassword" type="password" autocomplete="new-password" required />
      <button type="submit">Change password</button>
    </form>`,
  });
}

/** GET /ui/recovery: a help-desk ticket, redeemed by the signed-in user it was issued for (recovery.js). */
export function recoveryPage(user: DemoUser): string {
  return layout({
    title: 'Redeem a recovery ticket',
    user,
    scripts: ['recovery.js'],
    main: html`${liveRegions('recovery')}
      <form id="recovery-form" class="card" aria-describedby="recovery-hint">
        <p id="recovery-hint" class="hint">
          The help desk gives you a ticket after checking who you are. It works once, for your account only, and removes
          your old factors: add a new one right after.
        </p>
        <label for="recovery-ticket">Recovery ticket</label>
        <input id="recovery-ticket" name="ticket" autocomplete="off" spellcheck="false" maxlength="256" required />
        <button type="submit">Redeem</button>
      </form>
      <p id="recovery-next" hidden><a class="button" href="/ui/enroll">Add a factor now</a></p>`,
  });
}

/** GET /ui/outbox (development only): what GET /dev/outbox answers, as a page, newest first. */
export function outboxPage(user: DemoUser | undefined, messages: OutboxMessage[]): string {
  return layout({
    title: 'Development outbox',
    user,
    main: html`<p class="notice" role="note">
        Nothing here was delivered: in development the sample's text messages and emails land here. Disabled in
        production.
      </p>
      ${
        messages.length
          ? html`<ol id="outbox-list" class="rows" reversed>
              ${messages.map(messageItem)}
            </ol>`
          : html`<p id="outbox-empty">No messages yet.</p>`
      }
      <p><a href="/ui/outbox">Refresh</a></p>`,
  });
}

function messageItem(m: OutboxMessage): SafeHtml {
  return html`<li class="outbox-message" data-channel="${m.channel}" data-to="${m.to}">
    <article aria-label="${m.channel === 'sms' ? 'Text message' : 'Email'} to ${m.to}">
      <p>
        <strong>${m.channel === 'sms' ? 'Text message' : 'Email'}</strong> to <code>${m.to}</code>,
        <time datetime="${m.at}">${m.at.slice(0, 19).replace('T', ' ')} UTC</time>
      </p>
      ${m.subject && html`<p>Subject: ${m.subject}</p>`}
      <pre class="outbox-text">${m.text}</pre>
    </article>
  </li>`;
}
