/** Usage errors, help, version, global options and error formatting of the built CLI. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, CLI, copyFixture, hasAnsi, json, run, tempDir } from "./testing/cli.js";

let dir: string;
let repo: string;
const cli = (args: string[], env?: Record<string, string | undefined>) => run(args, { cwd: repo, ...(env ? { env } : {}) });

beforeAll(() => {
  dir = tempDir();
  repo = copyFixture("repository", dir);
});
afterAll(() => cleanup(dir));

const pkg = JSON.parse(readFileSync(path.join(path.dirname(CLI), "..", "package.json"), "utf8")) as { version: string };

function expectUsage(args: string[], pattern: RegExp): void {
  const r = cli(args);
  expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^lazyscribe: /);
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe("the bundle", () => {
  it("is one file with exactly one shebang, executable", () => {
    const text = readFileSync(CLI, "utf8");
    expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(text.split("#!/usr/bin/env node").length - 1).toBe(1);
    expect(text).not.toMatch(/from\s*["'](commander|zod|lazyscribe|@lazyscribe\/[a-z-]+)["']/);
    // The only other file is the S3 backend (AWS SDK), imported on the first s3:// location.
    expect(text.replace(/import\(\s*["']\.\/lazyscribe-s3\.mjs["']\s*\)/g, "")).not.toMatch(/import\(\s*["']\.\//);
    expect(text).not.toMatch(/^import[^;]*["']\.\/lazyscribe-s3\.mjs["']/m);
    expect(existsSync(path.join(path.dirname(CLI), "lazyscribe-s3.mjs"))).toBe(true);
  });
});

describe("version and help", () => {
  it("--version / -V print the package version", () => {
    for (const flag of ["--version", "-V"]) {
      const r = cli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it("--help lists every command", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["ls", "versions", "show", "cat", "log", "expire", "diff", "verify", "gc", "release", "project"]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    }
    expect(r.stdout).toContain("--repo <path>");
    expect(r.stdout).toContain("--json");
  });

  it("every command's --help shows an example", () => {
    const commands = [
      ["ls"], ["versions"], ["show"], ["cat"], ["log"], ["expire"], ["diff"], ["verify"], ["gc"],
      ["release"], ["release", "create"], ["release", "ls"], ["release", "show"], ["release", "sync"], ["release", "export"],
      ["project"], ["project", "ls"], ["project", "show"], ["project", "promote"],
    ];
    for (const c of commands) {
      const r = cli([...c, "--help"]);
      expect(r.code, c.join(" ")).toBe(0);
      expect(r.stdout, c.join(" ")).toMatch(/Usage: lazyscribe /);
      expect(r.stdout, c.join(" ")).toMatch(new RegExp(`Examples:\\n  \\$ (.*\\| )?lazyscribe ${c.join(" ")}`));
    }
  });

  it("help <command> works too", () => {
    const r = cli(["help", "show"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--asof");
  });

  it("no command: help on stderr, exit 2", () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: lazyscribe");
  });
});

describe("usage errors exit 2 with one line", () => {
  it("unknown command", () => expectUsage(["bogus"], /unknown command 'bogus'/));
  it("unknown option", () => expectUsage(["ls", "--nope"], /unknown option '--nope'/));
  it("missing argument", () => expectUsage(["show"], /missing required argument 'name'/));
  it("too many arguments", () => expectUsage(["verify", "extra"], /too many arguments/));
  it("option without its value", () => expectUsage(["show", "features", "--version"], /argument missing/));
  it("bad version string", () => expectUsage(["show", "features", "--version", "yesterday"], /"yesterday" is not a version/));
  it("impossible date", () => expectUsage(["show", "features", "--version", "2025-02-30T00:00:00"], /not a version/));
  it("bad time", () => expectUsage(["ls", "--at", "2025-13-01"], /not a valid time/));
  it("--asof with an integer", () => expectUsage(["show", "features", "--version", "1", "--asof"], /--asof needs a time/));
  it("--asof without --version", () => expectUsage(["cat", "features", "--asof"], /--asof needs --version/));
  it("unknown release subcommand", () => expectUsage(["release", "bogus"], /unknown command 'bogus'/));
  it("release show with both a tag and --at", () => expectUsage(["release", "show", "v0.1.0", "--at", "2025-01-01"], /not both/));
  it("in --json mode too: nothing on stdout", () => expectUsage(["show", "features", "--version", "x", "--json"], /not a version/));
});

describe("failures exit 1 with one line", () => {
  it("unknown artifact name", () => {
    const r = cli(["show", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`lazyscribe: no artifact named "nope" in ${path.join(repo, "repository.json")} (artifacts: features, config, estimator)\n`);
  });

  it("unknown name in --json mode: stderr line, empty stdout", () => {
    const r = cli(["versions", "nope", "--json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("missing repository", () => {
    const r = run(["ls"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("lazyscribe: no repository at ./repository.json (use --repo <path> to point at a repository.json)\n");
    const other = run(["ls", "--repo", "nowhere/repository.json", "--json"], { cwd: dir });
    expect(other.code).toBe(1);
    expect(other.stdout).toBe("");
  });

  it("--repo pointing at a folder", () => {
    const r = run(["ls", "--repo", "repository"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is a folder/);
  });

  it("malformed manifest names the file and position", () => {
    writeFileSync(path.join(dir, "bad.json"), '[{"name": 1}]');
    const r = run(["ls", "--repo", "bad.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lazyscribe: .*bad\.json.*\[0\]/);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("--debug adds the stack", () => {
    const r = cli(["show", "nope", "--debug"]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^lazyscribe: no artifact named "nope"/);
    expect(lines.length).toBeGreaterThan(2);
    expect(r.stderr).toMatch(/ArtifactNotFoundError/);
    expect(r.stderr).toMatch(/code: ARTIFACT_NOT_FOUND/);
  });
});

describe("global options", () => {
  it("are accepted before the command and after it", () => {
    const before = run(["--repo", path.join(repo, "repository.json"), "--json", "ls"], { cwd: dir });
    const after = run(["ls", "--repo", path.join(repo, "repository.json"), "--json"], { cwd: dir });
    expect(before.code).toBe(0);
    expect(after.code).toBe(0);
    expect(before.stdout).toBe(after.stdout);
    expect(json<{ artifacts: unknown[] }>(before).artifacts).toHaveLength(3);
  });

  it("--repo accepts a file:// URL", () => {
    const r = run(["versions", "config", "--json", "--repo", `file://${path.join(repo, "repository.json")}`], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json<{ versions: unknown[] }>(r).versions).toHaveLength(2);
  });

  it("show --version <n> is not the global --version", () => {
    const r = cli(["show", "config", "--version", "0", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r).version).toBe(0);
  });

  it("no ANSI colour when piped, whatever NO_COLOR says", () => {
    for (const env of [{}, { NO_COLOR: "1" }]) {
      const r = cli(["versions", "features"], env);
      expect(hasAnsi(r.stdout)).toBe(false);
      const e = cli(["show", "nope"], env);
      expect(hasAnsi(e.stderr)).toBe(false);
    }
  });

  it("time arguments accept Z, offsets and bare dates", () => {
    expect(json(cli(["show", "features", "--version", "2025-01-05T09:30:00+01:00", "--json"])).version).toBe(1);
    expect(json(cli(["show", "features", "--version", "2025-01-05T08:30:00Z", "--json"])).version).toBe(1);
    expect(json(cli(["show", "features", "--version", "2025-01-06", "--asof", "--json"])).version).toBe(1);
  });
});
