// Disk full, read-only filesystem and permission denied, for real: a 1 MiB
// tmpfs in a private mount namespace, remounted read-only, and a folder
// without write permission for a process without CAP_DAC_OVERRIDE. Each write
// must fail with StorageError (code STORAGE, the OS code, the path, a hint),
// leave the manifest as it was and leave no temp, lock or staging file.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "./testHelpers.js";

const WORKER = path.join(__dirname, "../test-workers/diskErrorWriter.mjs");

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(() => {
  if (!existsSync(path.join(__dirname, "../dist/index.js"))) throw new Error("build @lazyscribe/storage-fs first (pnpm build)");
});
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await cleanup();
});

const isRoot = process.getuid?.() === 0;
const canMount = isRoot && spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"]).status === 0;
const canDropDac = isRoot && spawnSync("setpriv", ["--bounding-set=-dac_override,-dac_read_search", "true"]).status === 0;
if (!canMount) console.warn("SKIPPED: full-disk and read-only tests need root and `unshare -m` + `mount -t tmpfs`; not available here");
if (isRoot && !canDropDac) console.warn("SKIPPED: permission-denied test as root needs `setpriv --bounding-set`; not available here");

interface Failure { ok?: boolean; code?: string; osCode?: string; path?: string; hint?: string; message?: string }
interface Report { results: Record<string, Failure>; after: { manifest: string; files: string[] } }

function run(command: string[]): Report {
  const r = spawnSync(command[0]!, command.slice(1), { encoding: "utf8", timeout: 60_000 });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{")) throw new Error(`worker failed (${r.status}): ${r.stderr}`);
  return JSON.parse(line) as Report;
}

const node = (scenario: string): string => `"${process.execPath}" "${WORKER}" ${scenario} "$1"`;

function expectTypedAndNothingLeft(report: Report, osCodes: string[]): void {
  for (const [what, failure] of Object.entries(report.results)) {
    expect(failure.code, what).toBe("STORAGE");
    expect(osCodes, what).toContain(failure.osCode);
    expect(failure.path?.startsWith(`${dir}/`), what).toBe(true);
    expect(failure.hint, what).toMatch(/\w/);
    expect(failure.message, what).toContain(failure.osCode);
    expect(failure.message, what).toContain(failure.path);
  }
  expect(report.after.manifest).toBe("[1]");
  expect(report.after.files).toEqual(["a/", "a/x.bin", "m.json"]);
}

describe("storage failures are typed, and nothing is committed or left behind", () => {
  it.skipIf(!canMount)("disk full (ENOSPC)", () => {
    // The storage is a folder of the tmpfs, so a ballast file beside it can fill the disk.
    const report = run(["unshare", "-m", "--propagation", "private", "sh", "-c",
      `mount -t tmpfs -o size=1m tmpfs "$0" && ${node("prepare")} && ${node("fill-and-attempt")}`, dir, path.join(dir, "store")]);
    expectTypedAndNothingLeft(report, ["ENOSPC"]);
    expect(report.results.manifest!.hint).toMatch(/space/);
  });

  it.skipIf(!canMount)("read-only filesystem (EROFS)", () => {
    const report = run(["unshare", "-m", "--propagation", "private", "sh", "-c",
      `mount -t tmpfs -o size=1m tmpfs "$1" && ${node("prepare")} && mount -o remount,ro "$1" && ${node("attempt")}`, "sh", dir]);
    expectTypedAndNothingLeft(report, ["EROFS"]);
    expect(report.results.manifest!.hint).toMatch(/read-write|read-only/);
  });

  it.skipIf(isRoot && !canDropDac)("permission denied (EACCES)", async () => {
    run([process.execPath, WORKER, "prepare", dir]);
    await mkdir(path.join(dir, "b")); // exists, but is not writable either
    await chmod(path.join(dir, "b"), 0o555);
    await chmod(path.join(dir, "a"), 0o555);
    await chmod(dir, 0o555);
    const prefix = isRoot ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] : [];
    const report = run([...prefix, process.execPath, WORKER, "attempt", dir]);
    await chmod(dir, 0o700);
    await chmod(path.join(dir, "a"), 0o700);
    await chmod(path.join(dir, "b"), 0o700);
    report.after.files = report.after.files.filter((f) => f !== "b/");
    expectTypedAndNothingLeft(report, ["EACCES", "EPERM"]);
    expect(report.results.manifest!.hint).toMatch(/access/);
  });
});
