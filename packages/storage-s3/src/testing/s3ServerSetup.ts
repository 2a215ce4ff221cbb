/**
 * vitest global setup: a real S3 server (single-node Ceph, `scripts/s3-server.sh`)
 * for the tests of this package. Reuses one that is already running (and
 * leaves it running); otherwise starts one and stops it afterwards. On a
 * machine that cannot run Ceph (no apt, not installed) the S3 tests are
 * skipped with one loud line; in CI (`CI` set) that is a failure instead.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../scripts/s3-server.sh");
let startedHere = false;

function canRunCeph(): boolean {
  const has = (cmd: string): boolean => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
  return has("ceph-mon") || (has("apt-get") && process.getuid?.() === 0);
}

export function setup(): void {
  if (spawnSync("bash", [script, "status"], { stdio: "ignore" }).status !== 0) {
    if (!canRunCeph() && !process.env.CI) {
      console.warn(
        `\n!!! S3 TESTS SKIPPED: no Ceph here and no apt as root to install it. Run (as root, Debian 12): ${script} start\n`,
      );
      process.env.LAZYSCRIBE_S3_SKIP = "1";
      return;
    }
    const started = spawnSync("bash", [script, "start"], { stdio: ["ignore", "inherit", "inherit"] });
    if (started.status !== 0) {
      throw new Error(`the S3 test server did not start (${script} start exited ${started.status}); its log is above`);
    }
    startedHere = true;
  }
  const lines = execFileSync("bash", [script, "env"], { encoding: "utf8" });
  for (const m of lines.matchAll(/^export (\w+)=(.*)$/gm)) process.env[m[1]!] = m[2]!;
}

export function teardown(): void {
  if (startedHere && existsSync(script)) spawnSync("bash", [script, "stop"], { stdio: "inherit" });
}
