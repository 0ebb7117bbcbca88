// The browser tests' Chromium: the launcher shared with scripts/screenshots.mjs.
export { chromiumPath, launchChromium } from '../../scripts/chromium.mjs';
