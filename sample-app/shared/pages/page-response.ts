import type { Response } from 'express';

/** What a page handler decides; both samples write it with `sendPage`. */
export type PageResult = { status: number; html: string } | { redirect: string };

/**
 * Every page, error page and asset carries these. The policy allows only this origin's own
 * files: no inline script or style (the pages have none), no plugins, no framing.
 * `img-src data:` is for the TOTP QR code, shown as an SVG data URL (an image cannot run script).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // Not `no-referrer`: under it a browser sends `Origin: null` on same-origin POSTs, and MFA's
  // CSRF check (rightly) refuses those. `same-origin` keeps the Origin and leaks no URL elsewhere.
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY', // frame-ancestors for browsers that predate it
  'Cross-Origin-Opener-Policy': 'same-origin',
  // Pages show factors, devices and sessions: never from a shared cache or the back button after sign-out.
  'Cache-Control': 'no-store',
};

export function sendPage(res: Response, page: PageResult): void {
  res.set(PAGE_SECURITY_HEADERS);
  if ('redirect' in page) {
    res.redirect(303, page.redirect);
    return;
  }
  res.status(page.status).type('html').send(page.html);
}
