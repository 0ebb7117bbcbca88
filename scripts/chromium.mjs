// Debian's Chromium driven by playwright-core (which downloads no browser): one launcher for the
// browser tests (test/helpers/chromium.ts) and the README screenshots (scripts/screenshots.mjs).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** The flags every run uses: headless, no sandbox (containers run as root), no network extras. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** CHROMIUM_PATH, else Debian's binary; missing, an error that says how to get it. */
export function chromiumPath() {
  const path =
    process.env.CHROMIUM_PATH ??
    ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new Error(
      'Chromium is needed by the browser tests and screenshots (the HTML report, the reviewer web app): install it with ' +
        '`apt-get install -y chromium` (Debian/Ubuntu; .ci/run installs it when missing), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return path;
}

/** A headless Chromium with a fresh profile; `options` may set the viewport or scale factor. */
export function launchChromium(options = {}) {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'qa-chromium-')), {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1200, height: 900 },
    ...options,
    args: FLAGS,
  });
}
