/**
 * vitest global setup: make sure Chromium is there for the browser tests
 * (installing Debian's package when missing). When no package manager can
 * provide it, the browser tests skip, and this says so in one loud line.
 */
import { ensureChromium } from "./chromium.js";

export default function setup(): void {
  const { path, reason } = ensureChromium();
  if (path) process.env.CHROMIUM_PATH = path;
  else console.warn(`\n!!! BROWSER TESTS SKIPPED: ${reason} !!!\n`);
}
