import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expectEqual, type Example } from "./story.js";

const CLI = join(import.meta.dirname, "..", "..", "cli", "dist", "lazyscribe.mjs");

/** One session at the command line, driven by `--json` output. */
export const cliSession: Example = {
  title: "A session with the lazyscribe command",
  async run(dir, say) {
    if (!existsSync(CLI)) throw new Error(`build the CLI first (pnpm build): ${CLI} is missing`);
    const repo = join(dir, "repository.json");
    const cli = (...args: string[]) =>
      JSON.parse(execFileSync(process.execPath, [CLI, ...args, "--repo", repo, "--json"], { cwd: dir, encoding: "utf8" })) as Record<string, unknown>;

    writeFileSync(join(dir, "features.json"), "[0, 1, 2]");
    writeFileSync(join(dir, "model.bin"), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    cli("log", "features", join(dir, "features.json"), "--handler", "json");
    cli("log", "model", join(dir, "model.bin"));
    writeFileSync(join(dir, "features.json"), "[0, 1, 2, 3]");
    cli("log", "features", join(dir, "features.json"), "--handler", "json");
    say("lazyscribe log: features twice (json) and model once (bytes, streamed)");

    const ls = cli("ls") as { artifacts: Array<{ name: string; version: number }> };
    expectEqual(ls.artifacts.map((a) => [a.name, a.version]).sort(), [["features", 1], ["model", 0]], "ls");
    const versions = cli("versions", "features") as { versions: unknown[] };
    expectEqual(versions.versions.length, 2, "versions");
    say("lazyscribe ls / versions: features is at version 1, model at 0");

    const cat = spawnSync(process.execPath, [CLI, "cat", "features", "--version", "0", "--repo", repo], { encoding: "utf8" });
    expectEqual(JSON.parse(cat.stdout), [0, 1, 2], "cat version 0");
    say(`lazyscribe cat features --version 0 → ${cat.stdout.trim()}`);

    const verify = spawnSync(process.execPath, [CLI, "verify", "--repo", repo], { encoding: "utf8" });
    expectEqual(verify.status, 0, "verify exit code");
    cli("release", "create", "v1.0.0");
    const releases = cli("release", "ls") as { releases: Array<{ tag: string }> };
    expectEqual(releases.releases.map((r) => r.tag), ["v1.0.0"], "release ls");
    say("lazyscribe verify passes; release create v1.0.0 pins both artifacts");

    const bad = spawnSync(process.execPath, [CLI, "show", "features", "--version", "yesterday", "--repo", repo], { encoding: "utf8" });
    expectEqual(bad.status, 2, "usage error exit code");
    say(`a bad version is a usage error (exit 2): ${bad.stderr.trim()}`);
  },
};
