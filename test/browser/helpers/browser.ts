import path from 'node:path';
import { FIXTURE_FILES } from '../../helpers/journey';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Response,
} from 'playwright-core';

/**
 * Debian's Chromium (apt-get install chromium). Playwright's own browser download cannot work here: never run
 * `npx playwright install`. The flags are the ones known to work on this kind of machine (no GPU, no network
 * chatter that the closed network would refuse); /dev/shm can be small in containers.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const DESKTOP = { width: 1280, height: 900 } as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export async function newContext(browser: Browser, { js }: { js: boolean }): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: js,
    viewport: DESKTOP,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  context.setDefaultTimeout(15000);
  if (js) {
    // Content-Security-Policy violations also reach the console, but this catches any the console misses.
    await context.addInitScript(() => {
      const w = window as unknown as { __cspViolations: string[] };
      w.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
      });
    });
  }
  return context;
}

/**
 * One browser tab on the portal: knows whether JavaScript runs, keeps the last document response (its HTML,
 * as the server sent it, is what html-validate checks) and the console errors since the last navigation.
 */
export class Tab {
  document: Response | undefined;
  problems: string[] = [];

  private constructor(
    readonly page: Page,
    readonly js: boolean,
    readonly baseUrl: string,
  ) {
    page.on('response', (response) => {
      if (response.frame() === page.mainFrame() && response.request().isNavigationRequest()) {
        this.document = response;
      }
    });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.problems = [];
    });
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      // The browser logs the page's own status (404, 422, 429...) as a failed load: that status is intended.
      const own = message.location().url?.split('#')[0] === page.url().split('#')[0];
      if (own && /^Failed to load resource: the server responded with a status of [45]\d\d/.test(text))
        return;
      this.problems.push(`console error: ${text}`);
    });
    page.on('pageerror', (error) => this.problems.push(`uncaught exception: ${error.message}`));
  }

  /** A new tab in a context made by newContext(); `js` must match the context's javaScriptEnabled. */
  static async open(context: BrowserContext, baseUrl: string, { js }: { js: boolean }): Promise<Tab> {
    return new Tab(await context.newPage(), js, baseUrl);
  }

  /** The path and query of the current page, without the fragment. */
  get path(): string {
    const u = new URL(this.page.url());
    return u.pathname + u.search;
  }

  async goto(path: string): Promise<Response> {
    const response = await this.page.goto(`${this.baseUrl}${path}`, { waitUntil: 'load' });
    if (!response) throw new Error(`no response for ${path}`);
    return response;
  }

  /** Run something that submits a form or follows a link, and wait for the new page to load. */
  async navigating(action: () => Promise<unknown>): Promise<Response> {
    const [response] = await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), action()]);
    if (!response) throw new Error('the navigation had no response');
    return response;
  }

  /** Press a button (by its accessible name) and wait for the page it leads to. */
  submit(buttonName: string | RegExp = 'Continue'): Promise<Response> {
    return this.navigating(() => this.button(buttonName).click());
  }

  button(name: string | RegExp): Locator {
    return this.page.getByRole('button', { name, exact: typeof name === 'string' }).first();
  }

  /** On an upload page: choose each file (from test/fixtures/files) and press "Upload file". */
  async upload(files: readonly string[], afterEach?: (file: string) => Promise<void>): Promise<void> {
    for (const file of files) {
      await this.page.locator('input[type="file"]').setInputFiles(path.join(FIXTURE_FILES, file));
      await this.submit('Upload file');
      await afterEach?.(file);
    }
  }

  /**
   * Fill a form the way its fixture body says (field name → value): choices first, so that the conditional
   * questions they reveal are shown, then text. Done in the page in one go, as clicks and input events
   * (govuk-frontend reacts to both); the keyboard tests type for real.
   */
  async fill(body: Readonly<Record<string, string | readonly string[]>>): Promise<void> {
    const missing = await this.page.evaluate(
      (fields: [string, string[]][]) => {
        const notFound: string[] = [];
        const controls = (name: string) =>
          Array.from(document.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(name)}"]`));
        const isChoice = (el: HTMLInputElement) => el.type === 'radio' || el.type === 'checkbox';
        const ordered = [...fields].sort(
          ([a], [b]) => Number(!controls(a).some(isChoice)) - Number(!controls(b).some(isChoice)),
        );
        for (const [name, values] of ordered) {
          const els = controls(name);
          if (els.length === 0) notFound.push(name);
          for (const el of els) {
            if (isChoice(el)) {
              if (el.checked !== values.includes(el.value)) el.click();
            } else {
              el.value = values.join(',');
              el.dispatchEvent(new Event('input', { bubbles: true }));
              el.dispatchEvent(new Event('change', { bubbles: true }));
            }
          }
        }
        return notFound;
      },
      Object.entries(body).map(([name, value]): [string, string[]] => [
        name,
        Array.isArray(value) ? [...value] : [String(value)],
      ]),
    );
    if (missing.length > 0) throw new Error(`no field named ${missing.join(', ')} on ${this.path}`);
  }
}
