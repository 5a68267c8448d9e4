import { DemoUser, isAdmin } from '../demo-users';
import { html, SafeHtml } from './html';

export interface LayoutInput {
  title: string;
  user?: DemoUser | null;
  main: SafeHtml;
  /** Page scripts under /assets (ES modules). Every page also loads page.js, which wires sign-out. */
  scripts?: string[];
}

const NAV = [
  { href: '/ui', label: 'Home' },
  { href: '/ui/secure', label: 'Secure page' },
  { href: '/ui/payments', label: 'Payments' },
  { href: '/ui/profile', label: 'Profile' },
  { href: '/ui/enroll', label: 'Add a factor' },
];

/** The pages that only make sense signed in, and the admin console for admins only. */
function navFor(user: DemoUser | null | undefined) {
  if (!user) return NAV;
  return [
    ...NAV,
    { href: '/ui/password', label: 'Password' },
    ...(isAdmin(user.groups) ? [{ href: '/ui/admin', label: 'Admin console' }] : []),
  ];
}

/** The one page shell: a skip link, the navigation, who is signed in, and a focusable <main>. */
export function layout({ title, user, main, scripts = [] }: LayoutInput): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · nestjs-mfa sample</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
        <script type="module" src="/assets/page.js"></script>
        ${scripts.map((s) => html`<script type="module" src="/assets/${s}"></script>`)}
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site">
          <nav aria-label="Sample pages">
            <ul>
              ${navFor(user).map((n) => html`<li><a href="${n.href}">${n.label}</a></li>`)}
            </ul>
          </nav>
          ${
            user
              ? html`<form id="sign-out-form" class="who" method="post" action="/auth/logout">
                  <span>Signed in as <strong>${user.username}</strong></span>
                  <button type="submit">Sign out</button>
                </form>`
              : html`<p class="who"><a href="/ui/sign-in">Sign in</a></p>`
          }
        </header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${main}
        </main>
      </body>
    </html> `.value;
}

/** Where a page may send the user next: only this sample's own pages, never another site (`//evil.example`). */
export function safeNext(value: unknown, fallback = '/ui/profile'): string {
  if (typeof value !== 'string') return fallback;
  // Anchored on /ui: a value like //evil.example or https://evil.example never matches.
  return /^\/ui(?:[/?][^\\\s]*)?$/.test(value) ? value : fallback;
}

/** A polite announcement region and an assertive one, present from the start so screen readers pick up changes. */
export function liveRegions(id: string): SafeHtml {
  return html`<div id="${id}-error" class="alert" role="alert"></div>
    <div id="${id}-status" class="status" role="status"></div>`;
}
