// `node bench/web.mjs` (after `pnpm build`): the web view of `lazyscribe ui` on
// the 100k-entry repository (200 names × 500 versions, ~22 MB). Measures the
// time to the first useful paint (lanes drawn and every name's as-of version
// shown) in headless Chromium once the server has opened the repository, and
// the bytes the server sent for it; beside a plain-Node baseline measured in
// the same run: a node:http server sending the whole manifest, which the same
// browser fetches and JSON.parses (what a naive viewer would have to do).
/* global document, window -- functions passed to page.waitForFunction run in the browser */
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { startServer } from "@lazyscribe/web";
import { chromium } from "playwright-core";
import { generate, NAMES, START, STEP, VERSIONS } from "./gen.mjs";
import { median } from "./timing.mjs";

const here = import.meta.dirname;
const data = join(here, ".data", "web");
rmSync(data, { recursive: true, force: true });
mkdirSync(data, { recursive: true });
const manifest = join(data, "repository.json");
const gen = generate(manifest);
const iso = (s) => new Date(s * 1000).toISOString().slice(0, 19);
// Three releases pinning every name, so the markers and their list are part of the view.
writeFileSync(
  join(data, "releases.json"),
  JSON.stringify([100, 250, 400].map((v, i) => ({ tag: `v${i + 1}.0.0`, artifacts: Array.from({ length: NAMES }, (_, n) => [`artifact-${String(n).padStart(3, "0")}`, v]), created_at: iso(START + v * STEP + NAMES) }))),
);
console.log(`workload: ${gen.entries} entries, ${(gen.bytes / 1e6).toFixed(1)} MB (${NAMES} names × ${VERSIONS} versions)`);

const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/lib/chromium/chromium"].find((p) => p && existsSync(p));
if (!executablePath) {
  console.log("MISS  web view: no Chromium (install Debian's chromium or set CHROMIUM_PATH)");
  process.exit(1);
}
const profile = join(data, "profile");
const args = ["--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
if (process.getuid?.() === 0) args.push("--no-sandbox");
const context = await chromium.launchPersistentContext(profile, { executablePath, args, headless: true, viewport: { width: 1400, height: 900 } });

const RUNS = 5;

/** Open `url` in a fresh page; ms from navigation start until `ready` holds, and bytes received. */
async function load(url, ready) {
  const page = await context.newPage();
  const sizes = [];
  page.on("requestfinished", (req) => sizes.push(req.sizes().then((s) => s.responseBodySize, () => 0)));
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(ready, undefined, { timeout: 60_000, polling: "raf" });
  const ms = await page.evaluate(() => performance.now());
  await page.waitForLoadState("networkidle");
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await page.close();
  return { ms, bytes };
}

// Ours: the server opens the repository (timed apart), then the page's first useful paint.
const tOpen = performance.now();
const server = await startServer({ repository: manifest, port: 0 });
const info = await (await fetch(`${server.url}api/info`)).json();
const openMs = performance.now() - tOpen;
if (info.repository.state !== "ok") throw new Error(`repository did not open: ${JSON.stringify(info.repository)}`);
const oursReady = () => document.querySelectorAll(".lane .mark").length > 0 && document.querySelectorAll('.col-asof[data-asof-version=""]').length === 0 && document.querySelector("#asof-status")?.textContent?.startsWith("At ");
const ours = [];
for (let i = 0; i < RUNS; i++) ours.push(await load(`${server.url}?asof=${iso(START + 300 * STEP)}Z`, oursReady));

// Baseline: plain node:http sending the whole manifest to a page that fetches and parses it.
const page = "<!doctype html><script>fetch('/repository.json').then(r=>r.json()).then(j=>{window.done=j.length})</script>";
const plain = createServer((req, res) => {
  if (req.url === "/repository.json") {
    res.writeHead(200, { "content-type": "application/json", "content-length": statSync(manifest).size });
    createReadStream(manifest).pipe(res);
  } else res.end(page);
});
await new Promise((r) => plain.listen(0, "127.0.0.1", r));
const base = [];
for (let i = 0; i < RUNS; i++) base.push(await load(`http://127.0.0.1:${plain.address().port}/`, () => window.done > 0));

await context.close();
await server.close();
plain.close();
rmSync(data, { recursive: true, force: true });

const oursMs = median(ours.map((r) => r.ms));
const baseMs = median(base.map((r) => r.ms));
const oursBytes = median(ours.map((r) => r.bytes));
const baseBytes = median(base.map((r) => r.bytes));
const line = (ok, name, text) => console.log(`${ok ? "PASS" : "MISS"}  ${name.padEnd(34)} ${text}`);
console.log(`server opens the repository: ${openMs.toFixed(0)} ms (not part of the paint time)`);
line(oursMs < 1000, "web first useful paint", `ours ${oursMs.toFixed(0)} ms  baseline ${baseMs.toFixed(0)} ms  ratio ${(oursMs / baseMs).toFixed(2)} (target < 1000 ms)`);
line(oursBytes < gen.bytes / 10, "web bytes sent for the first view", `ours ${(oursBytes / 1e3).toFixed(0)} kB  baseline ${(baseBytes / 1e6).toFixed(1)} MB  ratio ${(oursBytes / baseBytes).toFixed(3)} (target < 1/10 of the manifest)`);
process.exit(oursMs < 1000 && oursBytes < gen.bytes / 10 ? 0 : 1);
