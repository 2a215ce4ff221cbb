/**
 * The system Chromium for browser tests: found from `CHROMIUM_PATH`, else
 * Debian's `/usr/bin/chromium` (or its real binary), and installed with
 * apt-get when missing and possible (root on Debian/Ubuntu).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser"];

/** Path of a Chromium binary, or null. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;
const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/**
 * Chromium's path, installing Debian's `chromium` package when it is missing
 * (apt-get update once, then install). Null with a reason when impossible.
 */
export function ensureChromium(log: (line: string) => void = console.log): { path: string | null; reason?: string } {
  const found = findChromium();
  if (found) return { path: found };
  if (process.env.CHROMIUM_PATH) return { path: null, reason: `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` };
  if (!has("apt-get")) return { path: null, reason: "no Chromium and no apt-get to install it (set CHROMIUM_PATH)" };
  const sudo = isRoot() ? [] : has("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0 ? ["sudo", "-n"] : null;
  if (sudo === null) return { path: null, reason: "no Chromium, and apt-get needs root (run as root or install chromium; or set CHROMIUM_PATH)" };
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...sudo, ...args];
    execFileSync(cmd!, rest, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  };
  try {
    log("browser tests: installing Debian's chromium with apt-get (once)…");
    run(["apt-get", "update"]);
    run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"]);
  } catch (err) {
    return { path: null, reason: `apt-get install chromium failed: ${(err as Error).message.split("\n")[0]}` };
  }
  const path = findChromium();
  return path ? { path } : { path: null, reason: "apt-get installed chromium, but no binary was found" };
}

/** Launch headless Chromium with a fresh profile; `close()` also removes the profile. */
export async function launchChromium(executablePath: string, extraArgs: string[] = []): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "lazyscribe-chromium-"));
  const args = [
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ];
  if (isRoot()) args.push("--no-sandbox");
  args.push(...extraArgs);
  // A persistent context on a fresh folder: the --user-data-dir is ours (playwright passes it).
  const context = await chromium.launchPersistentContext(profile, { executablePath, args, headless: true, timeout: 60_000, viewport: { width: 1400, height: 900 } });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
