/**
 * Real-browser tests: the built page in headless Chromium (playwright-core),
 * against a repository written by the library and one written by Python
 * lazyscribe. Every highlighted version is compared with the library's own
 * answer.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { load as loadReleases, Repository } from "lazyscribe";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./server/serve.js";
import { launchChromium } from "./testing/chromium.js";
import { copyPythonRepository, DEMO_NOW, tempFolder, writeDemo } from "./testing/data.js";

const chromiumPath = process.env.CHROMIUM_PATH;
const assetFolder = fileURLToPath(new URL("../dist/public/", import.meta.url));
const now = () => new Date(DEMO_NOW);

/** What the library resolves for every name at `t` (null: none). */
async function libraryAsOf(location: string, t: string): Promise<Record<string, number | null>> {
  const repo = await Repository.open(location, { mode: "r", now });
  const out: Record<string, number | null> = {};
  for (const name of repo.names()) {
    try {
      out[name] = repo.getArtifactMetadata(name, { version: t, match: "asof" }).version;
    } catch {
      out[name] = null;
    }
  }
  return out;
}

/** What the page shows: per lane, the at-cursor cell and the highlighted mark. */
async function pageAsOf(page: Page): Promise<Record<string, { cell: string; marks: string[] }>> {
  await page.waitForFunction(() => document.querySelectorAll('.col-asof[data-asof-version=""]').length === 0 && document.querySelector(".lane .mark, .lane .mark-paths"));
  return page.evaluate(() => {
    const out: Record<string, { cell: string; marks: string[] }> = {};
    for (const lane of document.querySelectorAll<HTMLElement>(".lane")) {
      const cell = lane.querySelector<HTMLElement>("[data-asof-version]")!.dataset.asofVersion!;
      const marks = [...lane.querySelectorAll<SVGElement>(".mark.asof")].map((m) => m.dataset.version!);
      out[lane.dataset.name!] = { cell, marks };
    }
    return out;
  });
}

function expected(lib: Record<string, number | null>): Record<string, { cell: string; marks: string[] }> {
  return Object.fromEntries(Object.entries(lib).map(([n, v]) => [n, v === null ? { cell: "none", marks: [] } : { cell: String(v), marks: [String(v)] }]));
}

// A real browser on a loaded 2-core CI machine: one CI run out of many failed a single test here
// and it never failed again in 20+ runs. A retry keeps CI honest about real breakage (which fails
// every attempt) without letting one slow frame sink a run.
describe.skipIf(!chromiumPath)("the page in Chromium", { retry: 2 }, () => {
  const tmp = tempFolder();
  let demo: Awaited<ReturnType<typeof writeDemo>>;
  let python: string;
  let server: RunningServer;
  let pyServer: RunningServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const errors: string[] = [];

  beforeAll(async () => {
    demo = await writeDemo(join(tmp.dir, "demo"));
    python = copyPythonRepository(tmp.dir);
    server = await startServer({ repository: demo.repository, project: demo.project, now, assetFolder });
    pyServer = await startServer({ repository: python, project: join(tmp.dir, "none.json"), now, assetFolder });
    // evil.test resolves to this machine: a DNS-rebinding attacker's name.
    browser = await launchChromium(chromiumPath!, ["--host-resolver-rules=MAP evil.test 127.0.0.1"]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await pyServer?.close();
    tmp.cleanup();
  });

  const open = async (url: string) => {
    const page = await browser.context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`${url}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`${url}: ${e.message}`));
    await page.goto(url);
    return page;
  };

  it("shows one lane per name with every version", async () => {
    const page = await open(server.url);
    await page.waitForSelector('.lane[data-name="predictions"] .mark');
    const lanes = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll<HTMLElement>(".lane")].map((l) => [l.dataset.name, [...l.querySelectorAll<SVGElement>(".mark")].map((m) => m.dataset.version)])),
    );
    expect(lanes).toEqual({ features: ["0", "1", "2"], config: ["0", "1"], notes: ["0"], model: ["0"], predictions: ["0"] });
    // Expired versions look different: features v1 and notes v0 expired before DEMO_NOW.
    const expiredMarks = await page.$$eval(".mark.expired", (ms) => ms.map((m) => `${m.closest<HTMLElement>(".lane")!.dataset.name}@${(m as SVGElement).dataset.version}`));
    expect(expiredMarks.sort()).toEqual(["features@1", "notes@0"]);
    // Hover shows the version's metadata.
    await page.hover('.lane[data-name="config"] .mark[data-version="1"]');
    const tip = await page.locator(".tooltip table").innerText();
    expect(tip).toContain("config v1");
    expect(tip).toContain("yaml");
    expect(tip).toContain("2025-03-10T00:00:00Z");
    await page.close();
  });

  it.each([
    ["before the first version", "2024-12-01T00:00:00Z"],
    ["one version of one name", "2025-01-10T00:00:00Z"],
    ["features v1 valid", "2025-02-15T00:00:00Z"],
    ["features v1 expired (falls back to v0)", "2025-03-05T00:00:00Z"],
    ["notes expired", "2025-05-02T00:00:00Z"],
    ["the latest", DEMO_NOW],
  ])("the as-of cursor from the URL highlights exactly the library's answers: %s", async (_label, t) => {
    const page = await open(`${server.url}?asof=${encodeURIComponent(t)}`);
    expect(await pageAsOf(page)).toEqual(expected(await libraryAsOf(demo.repository, t)));
    await page.close();
  });

  it("typing a time and dragging the cursor move the highlight and the URL", async () => {
    const page = await open(server.url);
    await page.fill("#asof-input", "2025-03-05T00:00:00");
    await page.press("#asof-input", "Enter");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("asof") === "2025-03-05T00:00:00");
    await page.waitForFunction(() => document.querySelector("#asof-status")!.textContent!.startsWith("At 2025-03-05T00:00:00Z"));
    expect(await pageAsOf(page)).toEqual(expected(await libraryAsOf(demo.repository, "2025-03-05T00:00:00Z")));

    const axis = (await page.locator("svg.axis").boundingBox())!;
    await page.mouse.move(axis.x + axis.width * 0.05, axis.y + axis.height - 4);
    await page.mouse.down();
    await page.mouse.move(axis.x + axis.width * 0.6, axis.y + axis.height - 4, { steps: 5 });
    await page.mouse.up();
    const dragged = await page.waitForFunction(() => {
      const t = new URL(location.href).searchParams.get("asof")!;
      return t !== "2025-03-05T00:00:00" && document.querySelector("#asof-status")!.textContent!.startsWith(`At ${t}`) ? t : null;
    });
    const t = (await dragged.jsonValue()) as string;
    expect(await pageAsOf(page)).toEqual(expected(await libraryAsOf(demo.repository, t)));
    await page.close();
  });

  it("an invalid time shows the library's error", async () => {
    const page = await open(`${server.url}?asof=last-tuesday`);
    await page.waitForSelector("#asof-error");
    expect(await page.locator("#asof-error").innerText()).toContain("INVALID_VERSION");
    await page.close();
  });

  it("clicking a release marker highlights the versions it pins", async () => {
    const page = await open(server.url);
    await page.waitForSelector('.lane[data-name="predictions"] .mark');
    for (const r of demo.release) {
      await page.locator(`.release-marker[data-release="${r.tag}"]`).dispatchEvent("pointerdown");
      await page.waitForFunction((tag) => new URL(location.href).searchParams.get("release") === tag, r.tag);
      const pinned = await page.$$eval(".mark.pinned", (ms) => ms.map((m) => `${m.closest<HTMLElement>(".lane")!.dataset.name}@${(m as SVGElement).dataset.version}`));
      expect(pinned.sort()).toEqual(r.artifacts.map(([n, v]) => `${n}@${v}`).sort());
    }
    const rows = await page.$$eval("[data-release-row]", (rs) => rs.map((r) => (r as HTMLElement).innerText.split("\t").slice(0, 3).join(" ")));
    expect(rows).toEqual(["v1.0.0 2025-02-10 00:00 2", "v2.0.0 2025-04-15 00:00 3"]);
    await page.close();
  });

  it("a version's detail shows its preview and the library's diff", async () => {
    const page = await open(server.url);
    await page.click('.lane[data-name="features"] .mark[data-version="2"]');
    await page.waitForSelector("#diff");
    expect(await page.locator("#preview").innerText()).toContain('"tenure"');
    const repo = await Repository.open(demo.repository, { mode: "r", now });
    // The page shows the library's patch-style diff (names and versions in its header), one line a row.
    const diff = await repo.getVersionDiff("features", [1, 2], { style: "patch" });
    const rows = (text: string) => text.trim().split("\n").map((l) => l.trimEnd());
    expect(rows(await page.locator("#diff").innerText())).toEqual(rows(diff));
    await page.selectOption("#diff-with", "0");
    await page.waitForFunction(() => document.querySelector("#diff")?.textContent?.includes("features@0"));
    expect(page.url()).toContain("name=features&version=2");
    await page.close();
  });

  it("the experiments table sorts by a metric and filters by tag", async () => {
    const page = await open(`${server.url}project`);
    await page.waitForSelector("#experiments tbody tr");
    await page.click('th[data-sort="metric:accuracy"]');
    // The table re-renders after the click/select/input event: poll until it has (it failed once in CI reading too early).
    const order = async () => page.$$eval("#experiments tbody tr", (rs) => rs.map((r) => Number((r.querySelector('[data-metric="accuracy"]') as HTMLElement).innerText)));
    await expect.poll(order, { timeout: 10_000 }).toEqual([0.86, 0.84, 0.81]);
    await page.click('th[data-sort="metric:accuracy"]');
    await expect.poll(order, { timeout: 10_000 }).toEqual([0.81, 0.84, 0.86]);
    await page.selectOption("#tag-filter", "tuned");
    await expect.poll(order, { timeout: 10_000 }).toEqual([0.84, 0.86]);
    await page.fill("#text-filter", "wide");
    await expect.poll(order, { timeout: 10_000 }).toEqual([0.84]);
    await page.fill("#text-filter", "");
    await page.selectOption("#tag-filter", "");
    await page.waitForSelector("#metric-chart canvas");
    await page.selectOption("#metric-by", "slug");
    await page.waitForSelector("#metric-chart canvas");
    expect(page.url()).toContain("by=slug");
    // An experiment's tests and its promoted artifact, linked to the repository page.
    await page.click('#experiments tbody tr[data-slug^="deeper-trees"]');
    await page.waitForSelector("#experiment-detail a.promoted");
    await page.click("#experiment-detail a.promoted");
    await page.waitForSelector('#version-detail[data-detail="predictions@0"]');
    await page.close();
  });

  it("shows a repository written by Python lazyscribe, with its releases", async () => {
    const page = await open(pyServer.url);
    await page.waitForSelector(".lane .mark");
    for (const t of ["2025-01-01T00:00:00Z", "2025-01-07T00:00:00Z", "2025-02-10T00:00:00Z", "2025-03-01T00:00:00Z"]) {
      await page.fill("#asof-input", t);
      await page.press("#asof-input", "Enter");
      await page.waitForFunction((at) => document.querySelector("#asof-status")!.textContent!.startsWith(`At ${at}`), t);
      expect(await pageAsOf(page)).toEqual(expected(await libraryAsOf(python, t)));
    }
    const releases = await loadReleases(join(python, "..", "releases.json"));
    for (const r of releases) {
      await page.locator(`.release-marker[data-release="${r.tag}"]`).dispatchEvent("pointerdown");
      await page.waitForFunction((tag) => new URL(location.href).searchParams.get("release") === tag, r.tag);
      const pinned = await page.$$eval(".mark.pinned", (ms) => ms.map((m) => `${m.closest<HTMLElement>(".lane")!.dataset.name}@${(m as SVGElement).dataset.version}`));
      expect(pinned.sort()).toEqual(r.artifacts.map(([n, v]) => `${n}@${v}`).sort());
    }
    await page.close();
  });

  it("a dense lane (hundreds of versions) highlights the library's answer and hovers the nearest version", async () => {
    const location = join(tmp.dir, "dense", "repository.json");
    let t = Date.UTC(2024, 0, 1);
    const repo = await Repository.open(location, { mode: "w", now: () => new Date(t) });
    for (let i = 0; i < 300; i++) {
      t += 3600_000;
      repo.logArtifact("busy", i, { handler: "json" });
      if (i % 7 === 3) repo.setArtifactExpiry("busy", i, new Date(t + 1800_000));
    }
    await repo.save();
    const dense = await startServer({ repository: location, now, assetFolder });
    try {
      const page = await open(dense.url);
      await page.waitForSelector(".lane-svg.dense");
      expect(await page.locator(".lane-svg.dense").getAttribute("data-versions")).toBe("300");
      for (const at of ["2024-01-01T00:30:00Z", "2024-01-03T04:45:00Z", "2024-01-05T10:40:00Z", "2024-02-01T00:00:00Z"]) {
        await page.fill("#asof-input", at);
        await page.press("#asof-input", "Enter");
        await page.waitForFunction((x) => document.querySelector("#asof-status")!.textContent!.startsWith(`At ${x}`), at);
        expect(await pageAsOf(page)).toEqual(expected(await libraryAsOf(location, at)));
      }
      // Versions squeeze into the start of the axis (it runs to now): hover just beside the newest one.
      const newest = (await page.locator(".lane-svg.dense .mark.asof").boundingBox())!;
      await page.mouse.move(newest.x + newest.width / 2 + 1, newest.y + newest.height / 2 + 4);
      await page.waitForSelector(".tooltip table");
      expect(await page.locator(".tooltip").innerText()).toContain(`busy v${(await libraryAsOf(location, "2024-02-01T00:00:00Z")).busy}`);
      await page.close();
    } finally {
      await dense.close();
    }
  });

  it("shows a broken manifest's error on the page, and follows changes on disk without a reload", async () => {
    const { writeFileSync } = await import("node:fs");
    const location = join(tmp.dir, "live", "repository.json");
    const repo = await Repository.open(location, { mode: "w", now });
    repo.logArtifact("first", 1, { handler: "json" });
    await repo.save();
    const live = await startServer({ repository: location, now, assetFolder });
    try {
      const page = await open(live.url);
      await page.waitForSelector('.lane[data-name="first"] .mark');
      const more = await Repository.open(location, { mode: "a", now });
      more.logArtifact("second", 2, { handler: "json" });
      await more.save();
      await page.waitForSelector('.lane[data-name="second"] .mark', { timeout: 15_000 });
      writeFileSync(location, '[{"name": 3}]');
      await page.waitForSelector(".error-box", { timeout: 15_000 });
      expect(await page.locator(".error-box").innerText()).toContain("MANIFEST_INVALID");
      await page.close();
    } finally {
      await live.close();
    }
  });

  it("refuses other Host names (DNS rebinding) and stays read-only", async () => {
    const rebound = await browser.context.newPage();
    const res = await rebound.goto(`http://evil.test:${server.port}/api/info`);
    expect(res!.status()).toBe(403);
    expect(await res!.text()).toContain("FORBIDDEN_HOST");
    await rebound.close();
    const page = await open(server.url);
    const statuses = await page.evaluate(async () => {
      const out: number[] = [];
      for (const method of ["POST", "PUT", "DELETE", "PATCH"]) out.push((await fetch("/api/info", { method, body: method === "DELETE" ? null : "{}" })).status);
      return out;
    });
    expect(statuses).toEqual([405, 405, 405, 405]);
    await page.close();
  });

  it("the page loaded without console errors or CSP violations", () => {
    expect(errors.filter((e) => !e.includes("the server responded with a status of"))).toEqual([]);
  });
});
