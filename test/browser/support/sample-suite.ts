import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RunningSample, SampleKind, SAMPLES, startSample } from './browser-sample';
import { describeInChromium, launchChromium, openPage, WatchedPage } from './chromium';

/** What a test of `describeOnBothSamples` gets; every field is fresh for each test. */
export interface SampleTestContext {
  /** Which sample this run of the suite drives. */
  readonly kind: SampleKind;
  /** The sample's http://localhost:<port>, started for this test alone (its own port, SQLite file and sessions). */
  readonly baseUrl: string;
  /** The test's first browser profile and its page. */
  readonly page: Page;
  readonly context: BrowserContext;
  /** Another profile (its own cookies: another person, or the same one elsewhere), watched and closed like the first. */
  openPage(): Promise<WatchedPage>;
  /** Every Content-Security-Policy violation any of this test's profiles reported so far. */
  cspViolations(): string[];
}

/**
 * One Chromium per file, and for each test a freshly started sample with a watched page:
 * the suite runs once on the Nest sample and once on the Express one. The context's fields
 * are read inside tests and hooks, never while the suite is being declared.
 */
export function describeOnBothSamples(title: string, suite: (ctx: SampleTestContext) => void): void {
  // A real browser on a busy machine, and TOTP codes on the real clock that may wait for the next step.
  jest.setTimeout(120_000);
  describeInChromium(`${title}, in Chromium`, () => {
    let browser: Browser | undefined;
    beforeAll(async () => (browser = await launchChromium()));
    afterAll(() => browser?.close());

    describe.each(SAMPLES)('%s sample', (kind) => {
      const ctx = new SampleTest(kind, () => browser);
      beforeEach(() => ctx.start());
      afterEach(() => ctx.stop());
      suite(ctx);
    });
  });
}

class SampleTest implements SampleTestContext {
  private sample?: RunningSample;
  private watched: WatchedPage[] = [];

  constructor(
    readonly kind: SampleKind,
    private readonly browser: () => Browser | undefined,
  ) {}

  get baseUrl(): string {
    return this.running().baseUrl;
  }

  get page(): Page {
    return this.first().page;
  }

  get context(): BrowserContext {
    return this.first().context;
  }

  async openPage(): Promise<WatchedPage> {
    const browser = this.browser();
    if (!browser) throw new Error('Chromium did not start (see the beforeAll error above)');
    const watched = await openPage(browser);
    this.watched.push(watched);
    return watched;
  }

  cspViolations(): string[] {
    return this.watched.flatMap((w) => w.cspViolations);
  }

  async start(): Promise<void> {
    this.sample = await startSample(this.kind);
    await this.openPage();
  }

  async stop(): Promise<void> {
    const [watched, sample] = [this.watched, this.sample];
    this.watched = [];
    this.sample = undefined;
    try {
      await Promise.all(watched.map((w) => w.context.close()));
    } finally {
      await sample?.close();
    }
  }

  private running(): RunningSample {
    if (!this.sample) throw new Error('the sample runs only inside a test or its hooks');
    return this.sample;
  }

  private first(): WatchedPage {
    const first = this.watched[0];
    if (!first) throw new Error('the page exists only inside a test or its hooks');
    return first;
  }
}
