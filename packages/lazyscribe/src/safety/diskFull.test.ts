// save() on a really full disk (a 1 MiB tmpfs in a private mount namespace):
// StorageError naming the OS code and the path, the manifest byte for byte as
// it was, and no file left behind.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const WORKER = join(__dirname, "../../test-workers/diskFullSaver.mjs");
const canMount = process.getuid?.() === 0 &&
  spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"]).status === 0;
if (!canMount) console.warn("SKIPPED: the full-disk save test needs root and `unshare -m` + `mount -t tmpfs`; not available here");

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("save() on a full disk", () => {
  it.skipIf(!canMount)("throws StorageError (ENOSPC, the path, a hint), keeps the manifest and leaves no file", () => {
    dir = mkdtempSync(join(tmpdir(), "lz-full-"));
    const folder = join(dir, "repo");
    const node = (phase: string): string => `"${process.execPath}" "${WORKER}" "$1" ${phase}`;
    const r = spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c",
      `mount -t tmpfs -o size=1m tmpfs "$0" && mkdir "$1" && ${node("prepare")} && ${node("fill-and-save")}`, dir, folder], { encoding: "utf8", timeout: 60_000 });
    const line = r.stdout.trim().split("\n").pop() ?? "";
    expect(line.startsWith("{"), r.stderr).toBe(true);
    const report = JSON.parse(line) as {
      error: { code: string; osCode: string; path: string; hint: string; message: string } | null;
      before: { manifest: string; files: string[] };
      after: { manifest: string; files: string[] };
    };
    expect(report.error?.code).toBe("STORAGE");
    expect(report.error?.osCode).toBe("ENOSPC");
    expect(report.error?.path.startsWith(`${folder}/`)).toBe(true);
    expect(report.error?.message).toContain("ENOSPC");
    expect(report.error?.hint).toMatch(/space/);
    expect(report.after).toEqual(report.before);
  });
});
