import { existsSync } from 'node:fs';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const MISSING = `${CHROMIUM_PATH} is missing (apt-get install chromium)`;

/**
 * A developer without Chromium gets the other suites and a printed reason; CI (which installs
 * it in .ci/run) never skips: there a missing browser fails the launch, loudly.
 */
export function describeInChromium(name: string, suite: () => void): void {
  if (!existsSync(CHROMIUM_PATH) && !process.env.CI) {
    process.stderr.write(`skipped: ${name}: ${MISSING}\n`);
    describe.skip(name, suite);
    return;
  }
  describe(name, suite);
}

/** Debian's Chromium, not the build playwright-core was made with (CI installs Debian's too: see .ci/run). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`cannot run the browser suites: ${MISSING}`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Every `securitypolicyviolation` event and every CSP complaint on the console. */
  cspViolations: string[];
}

/** A fresh browser profile (its own cookies) whose pages report any Content-Security-Policy violation. */
export async function openPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspViolations: string[] = [];
  await context.exposeFunction('__reportCspViolation', (report: string) => cspViolations.push(report));
  // Injected by the browser itself (not an inline script), so the page's own CSP does not block the listener.
  await context.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => window.__reportCspViolation(e.violatedDirective + ' ' + e.blockedURI));",
  );
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { page, context, cspViolations };
}

/** Chromium's virtual authenticator: a platform passkey with user verification, no human needed. */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
}
