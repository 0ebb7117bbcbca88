import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (which downloads no browser). Missing, the tests that
 * need it fail with how to get it: `apt-get install -y chromium` (.ci/run does it), or point
 * CHROMIUM_PATH at another build.
 */
export function chromiumPath(): string {
  const path =
    process.env.CHROMIUM_PATH ??
    ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new Error(
      'Chromium is needed by the browser tests (the HTML report, the reviewer web app): install it with `apt-get install -y chromium` ' +
        '(Debian/Ubuntu; .ci/run installs it when missing), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return path;
}

/** A headless Chromium with a fresh profile, no network extras, no sandbox (containers run as root). */
export async function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'qa-chromium-')), {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
