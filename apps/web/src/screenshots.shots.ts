/**
 * Screenshots of the repository and project pages on the demo data (written
 * by the library with a fixed clock), for the README. Run with
 * `pnpm --filter @lazyscribe/web screenshots` after `pnpm build`.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, it } from "vitest";
import { startServer, type RunningServer } from "./server/serve.js";
import { launchChromium } from "./testing/chromium.js";
import { DEMO_NOW, tempFolder, writeDemo } from "./testing/data.js";

const out = fileURLToPath(new URL("../screenshots/", import.meta.url));
const assetFolder = fileURLToPath(new URL("../dist/public/", import.meta.url));
const tmp = tempFolder();
let server: RunningServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  const demo = await writeDemo(tmp.dir);
  server = await startServer({ repository: demo.repository, project: demo.project, now: () => new Date(DEMO_NOW), assetFolder });
  const executable = process.env.CHROMIUM_PATH;
  if (!executable) throw new Error("no Chromium: see the line above");
  browser = await launchChromium(executable);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  tmp.cleanup();
});

it("repository page", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${server.url}?asof=2025-02-15T00:00:00Z&release=v1.0.0&name=features&version=2`);
  await page.waitForSelector("#diff");
  await page.screenshot({ path: join(out, "repository.png"), fullPage: true });
  await page.close();
});

it("project page", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`${server.url}project?sort=metric:accuracy&desc=1&experiment=${"deeper-trees-20250312000000"}`);
  await page.waitForSelector("#experiment-detail");
  await page.waitForSelector("#metric-chart canvas");
  await page.screenshot({ path: join(out, "project.png"), fullPage: true });
  await page.close();
});
