import type { BrowserContext } from 'playwright-core';

export function chromiumPath(): string;
export function launchChromium(options?: {
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
}): Promise<BrowserContext>;
