/** Issue 14, "first hour of a new user": the CLI surprises that misled people, each pinned by the built CLI. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, CLI, copyFixture, json, run, tempDir } from "./testing/cli.js";
import type { ArtifactJson as Row } from "./format.js";

let dir: string;
const cli = (args: string[], input?: string | Buffer) => run(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });

beforeEach(() => {
  dir = tempDir();
});
afterEach(() => cleanup(dir));

function manifest(file = "repository.json"): Array<Record<string, unknown>> {
  return JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Array<Record<string, unknown>>;
}

function logText(name: string, text: string, ...extra: string[]): void {
  writeFileSync(path.join(dir, "in.txt"), text);
  const r = cli(["log", name, "in.txt", ...extra]);
  expect(r.code, r.stderr).toBe(0);
}

describe("5. a folder given as the repository", () => {
  it("log --repo <folder> fails at once with the 'is a folder' error of ls, creating nothing", () => {
    mkdirSync(path.join(dir, "existing"));
    writeFileSync(path.join(dir, "a.txt"), "hi");
    const before = readdirSync(dir).sort();
    // "At once" (no retry loop) is checked without a clock: the message is the CLI's own folder
    // check, and storage-fs fails a write onto a folder with EISDIR instead of retrying.
    const r = cli(["log", "n", "a.txt", "--repo", "existing"]);
    const ls = cli(["ls", "--repo", "existing"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(ls.stderr);
    expect(r.stderr).toBe("lazyscribe: existing is a folder; point at the repository file inside it (e.g. existing/repository.json)\n");
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readdirSync(path.join(dir, "existing"))).toEqual([]);
  });

  it("project promote --to <folder> is refused the same way", () => {
    const project = copyFixture("project", dir);
    mkdirSync(path.join(dir, "target"));
    const r = run(["project", "promote", "baseline-model", "features", "--to", path.join(dir, "target")], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/target is a folder; point at the repository file inside it/);
    expect(readdirSync(path.join(dir, "target"))).toEqual([]);
  });
});

describe("6. cat verifies before a byte reaches stdout", () => {
  it("a same-size tampered file writes nothing to stdout", () => {
    logText("notes", "good data\n");
    const entry = manifest()[0]!;
    writeFileSync(path.join(dir, "notes", entry.fname as string), "evil data\n");
    const r = cli(["cat", "notes"]);
    expect(r.code).toBe(1);
    expect(r.stdoutBytes.length).toBe(0);
    expect(r.stderr).toMatch(/sha256/);
  });

  it("a tampered file above the in-memory limit also writes nothing (verified through a temp file)", () => {
    const big = Buffer.alloc(33 * 1024 * 1024, 1);
    writeFileSync(path.join(dir, "big.bin"), big);
    expect(cli(["log", "big", "big.bin"]).code).toBe(0);
    const entry = manifest()[0]!;
    big[big.length - 1] = 2;
    writeFileSync(path.join(dir, "big", entry.fname as string), big);
    const r = cli(["cat", "big"]);
    expect(r.code).toBe(1);
    expect(r.stdoutBytes.length).toBe(0);
    big[big.length - 1] = 1;
    writeFileSync(path.join(dir, "big", entry.fname as string), big);
    const ok = cli(["cat", "big"]);
    expect(ok.code).toBe(0);
    expect(ok.stdoutBytes.equals(big)).toBe(true);
  });

  it("cat -o shows a progress bar on a terminal, like log", () => {
    writeFileSync(path.join(dir, "big.bin"), Buffer.alloc(9 * 1024 * 1024, 3));
    expect(cli(["log", "big", "big.bin"]).code).toBe(0);
    // `script` gives the CLI a pseudo-terminal on stderr.
    const r = spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} cat big -o out.bin`, "/dev/null"], { cwd: dir, encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/cat big \[[#-]{24}\]/);
    expect(readFileSync(path.join(dir, "out.bin")).length).toBe(9 * 1024 * 1024);
  });

  it("a failed -o write names the file the user gave, never a temp file", () => {
    logText("notes", "x");
    const r = cli(["cat", "notes", "-o", "no-such-folder/out.txt"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lazyscribe: cannot write no-such-folder\/out\.txt: /);
    expect(r.stderr).not.toMatch(/lztmp/);
  });
});

describe("7. cat needs no handler", () => {
  it("copies the raw bytes of a Python pickle artifact", () => {
    const repo = copyFixture("repository", dir);
    const r = run(["cat", "estimator"], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdoutBytes.equals(readFileSync(path.join(repo, "estimator", "estimator-20250204000000.pkl")))).toBe(true);
  });
});

describe("8. log picks the handler the artifact already has, or one by extension", () => {
  it("a text artifact stays text, and says so", () => {
    logText("notes", "one\n", "--handler", "text");
    writeFileSync(path.join(dir, "notes.new"), "two\n");
    const r = cli(["log", "notes", "notes.new"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^logged "notes" version 1 \(notes-\d{14}(-1)?\.txt, 4 B\) with handler text \(as version 0\)\n$/);
    expect(manifest()[1]).toMatchObject({ handler: "text" });
    expect(cli(["diff", "notes", "0", "1"]).stdout).toContain("+two");
  });

  it("a new artifact's handler comes from the file extension", () => {
    const cases: Array<[string, string, string]> = [
      ["a.json", '{"a": 1}', "json"],
      ["b.txt", "text", "text"],
      ["c.md", "# md", "text"],
      ["d.yaml", "a: 1\n", "yaml"],
      ["e.yml", "b: 2\n", "yaml"],
      ["f.csv", "x,y\n", "bytes"],
    ];
    for (const [file, content, handler] of cases) {
      writeFileSync(path.join(dir, file), content);
      const r = cli(["log", file.replace(".", "-"), file, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(json<Row>(r).handler, file).toBe(handler);
    }
    expect(cli(["log", "g", "a.json"]).stdout).toMatch(/with handler json \(from the \.json extension\)/);
  });

  it("diff of bytes versions that are UTF-8 text diffs them as text; real binary is still refused", () => {
    logText("raw", "alpha\n", "--handler", "bytes");
    logText("raw", "beta\n");
    expect(manifest().map((e) => e.handler)).toEqual(["bytes", "bytes"]);
    const r = cli(["diff", "raw", "0", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("-alpha");
    expect(r.stdout).toContain("+beta");
    writeFileSync(path.join(dir, "bin.bin"), Buffer.from([0xff, 0xfe, 0x00]));
    expect(cli(["log", "bin", "bin.bin"]).code).toBe(0);
    expect(cli(["log", "bin", "bin.bin"]).code).toBe(0);
    const b = cli(["diff", "bin", "0", "1"]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/binary/);
  });
});

describe("9. each command checks the kind of file it was given", () => {
  it("project ls on a repository manifest, ls on a project, release ls on a misplaced releases file", () => {
    const repo = copyFixture("repository", dir);
    const project = copyFixture("project", dir);
    const p = run(["project", "ls", "--project", "repository.json"], { cwd: repo });
    expect(p.code).toBe(1);
    expect(p.stdout).toBe("");
    expect(p.stderr).toMatch(/repository\.json is a repository manifest \(repository\.json\), not a project file/);
    const l = run(["ls", "--repo", path.join(project, "project.json")], { cwd: dir });
    expect(l.code).toBe(1);
    expect(l.stderr).toMatch(/project\.json is a project file \(project\.json\), not a repository manifest/);
    const rel = run(["ls", "--repo", "releases.json"], { cwd: repo });
    expect(rel.stderr).toMatch(/releases\.json is a releases file \(releases\.json\), not a repository manifest/);
    // A repository manifest where releases.json should be.
    writeFileSync(path.join(repo, "releases.json"), readFileSync(path.join(repo, "repository.json")));
    const rl = run(["release", "ls"], { cwd: repo });
    expect(rl.code).toBe(1);
    expect(rl.stderr).toMatch(/releases\.json is a repository manifest \(repository\.json\), not a releases file/);
    const lg = run(["log", "x", "-", "--repo", path.join(project, "project.json")], { cwd: dir, input: "x" });
    expect(lg.code).toBe(1);
    expect(lg.stderr).toMatch(/is a project file/);
  });
});

describe("10. expire needs an explicit version", () => {
  it("no version → usage error and nothing changes; --latest expires the latest", () => {
    logText("f", "0", "--handler", "text");
    logText("f", "1");
    const r = cli(["expire", "f"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expire needs a version: .*--latest/);
    expect(manifest().map((e) => e.expiry)).toEqual([null, null]);
    const l = cli(["expire", "f", "--latest", "--json"]);
    expect(l.code).toBe(0);
    expect(json<Row>(l)).toMatchObject({ version: 1 });
    expect(cli(["expire", "f", "1", "--latest"]).code).toBe(2);
  });

  it("warns when --at is before the version was created", () => {
    logText("f", "0", "--handler", "text");
    const r = cli(["expire", "f", "0", "--at", "2000-01-01"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^lazyscribe: warning: the expiry 2000-01-01T00:00:00Z is before "f" version 0 was created \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)/);
    const later = cli(["expire", "f", "0", "--at", "2999-01-01"]);
    expect(later.stderr).toBe("");
  });
});

describe("11. times", () => {
  it('"2025-01-01 10:00" (a space, no seconds) is accepted wherever a time is', () => {
    const repo = copyFixture("repository", dir);
    const c = (args: string[]) => run(args, { cwd: repo });
    expect(json(c(["show", "features", "--version", "2025-01-05 08:30", "--json"])).version).toBe(1);
    expect(json(c(["show", "features", "--version", "2025-01-06 00:00", "--asof", "--json"])).version).toBe(1);
    expect(json<{ artifacts: Row[] }>(c(["ls", "--at", "2025-01-06 00:00:00", "--json"])).artifacts.map((a) => a.name)).toEqual(["features"]);
    expect(json(c(["release", "show", "--at", "2025-01-21 00:00", "--json"])).tag).toBe("v0.1.0");
    expect(json(c(["expire", "features", "1", "--at", "2099-01-01 12:30", "--json"])).expiry).toBe("2099-01-01T12:30:00Z");
    expect(c(["ls", "--at", "2025-01-01 25:00"]).code).toBe(2);
  });

  it("times in messages are ISO with Z", () => {
    const repo = copyFixture("repository", dir);
    const r = run(["show", "features", "--version", "2025-01-05T08:30:01"], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("2025-01-05T08:30:01Z");
    expect(r.stderr).not.toMatch(/\d\d:\d\d:\d\d(?!Z)/);
  });
});

describe("12. messages speak CLI", () => {
  it("no API names in messages a command prints", () => {
    const repo = copyFixture("repository", dir);
    const r = run(["show", "features", "--version", "2025-01-05T08:30:01"], { cwd: repo });
    expect(r.stderr).toContain("use --asof");
    expect(r.stderr).not.toMatch(/match "asof"/);
    mkdirSync(path.join(dir, "deploy"));
    writeFileSync(path.join(dir, "deploy", "repository.json"), "[]");
    const e = run(["release", "export", "v0.1.0", path.join(dir, "deploy")], { cwd: repo });
    expect(e.code).toBe(1);
    expect(e.stderr).not.toMatch(/minimalRepositoryFromRelease|\(\)/);
    expect(e.stderr).toMatch(/release export never overwrites/);
  });

  it("API phrases map to commands and flags", async () => {
    const { cliPhrasing } = await import("./errors.js");
    expect(cliPhrasing('could not commit x after 40 attempts: other writers kept changing it. Nothing was committed; call save() again.')).toBe(
      "could not commit x after 40 attempts: other writers kept changing it. Nothing was committed; run the command again.",
    );
    expect(cliPhrasing('no handler is registered for "pickle". Register one with registerHandler() or pass a handler registry to open().')).not.toMatch(/registerHandler|open\(\)/);
    expect(cliPhrasing("EACCES: permission denied, open '/data/models/.repository.json.1234-k2j3h4.lztmp'")).toBe("EACCES: permission denied, open '/data/models/repository.json'");
    expect(cliPhrasing("every version is expired at 2025-01-05T08:30:00; load an exact version or an asof time instead")).toBe(
      "every version is expired at 2025-01-05T08:30:00Z; give --version <n> or --version <time> --asof",
    );
  });
});

describe("13. --json keeps non-finite metrics", () => {
  it('NaN, Infinity and -Infinity are the strings "NaN", "Infinity", "-Infinity"', () => {
    const project = copyFixture("project", dir);
    const j = json<{ experiments: Array<{ metrics: Record<string, unknown> }> }>(run(["project", "ls", "--json"], { cwd: project }));
    expect(j.experiments[1]!.metrics).toEqual({ accuracy: 0.88, loss: "NaN" });
    const file = path.join(project, "project.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"loss": NaN', '"loss": Infinity, "gain": -Infinity'));
    const k = json<{ experiments: Array<{ metrics: Record<string, unknown> }> }>(run(["project", "ls", "--json"], { cwd: project }));
    expect(k.experiments[1]!.metrics).toMatchObject({ loss: "Infinity", gain: "-Infinity" });
  });
});

describe("14. nothing at the path", () => {
  it("every read-only command says 'no repository at PATH' (exit 1) and creates nothing", () => {
    const commands = [["ls"], ["versions", "x"], ["show", "x"], ["cat", "x"], ["diff", "x", "0"], ["verify"], ["gc", "--dry-run"], ["release", "ls"], ["release", "show"], ["release", "create", "v1"], ["expire", "x", "0"]];
    for (const c of commands) {
      const r = cli([...c, "--repo", "nothere.json"]);
      expect(r.code, c.join(" ")).toBe(1);
      expect(r.stderr, c.join(" ")).toMatch(/^lazyscribe: no repository at nothere\.json/);
    }
    expect(existsSync(path.join(dir, "nothere.json"))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("4. shell completion and help <unknown>", () => {
  it("completion bash|zsh|fish prints a script; another shell is a usage error", () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const r = cli(["completion", shell]);
      expect(r.code, shell).toBe(0);
      expect(r.stdout, shell).toContain("lazyscribe __complete --");
    }
    expect(cli(["completion", "tcsh"]).code).toBe(2);
    expect(cli(["--help"]).stdout).not.toContain("__complete");
  });

  it("completes commands, flags, handler aliases, artifact names and release tags", () => {
    const repo = copyFixture("repository", dir);
    const complete = (...words: string[]) => run(["__complete", "--", ...words], { cwd: repo }).stdout.trim().split("\n");
    expect(complete("")).toEqual(expect.arrayContaining(["ls", "show", "cat", "release", "project", "completion", "help"]));
    expect(complete("ve")).toEqual(["versions", "verify"]);
    expect(complete("show", "")).toEqual(["features", "config", "estimator"]);
    expect(complete("cat", "f")).toEqual(["features"]);
    expect(complete("show", "--a")).toEqual(["--asof"]);
    expect(complete("log", "x", "--handler", "")).toEqual(expect.arrayContaining(["json", "text", "bytes", "yaml"]));
    expect(complete("release", "show", "")).toEqual(["v0.1.0", "v0.2.0", "v0.3.0"]);
    expect(complete("ls", "--repo", "")).toEqual(["__files__"]);
    expect(complete("help", "pr")).toEqual(["project"]);
    // --repo elsewhere: names come from that repository.
    expect(run(["__complete", "--", "--repo", path.join(repo, "repository.json"), "versions", "c"], { cwd: dir }).stdout).toBe("config\n");
  });

  it("the bash script completes through the real CLI", () => {
    const repo = copyFixture("repository", dir);
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "lazyscribe"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`, { mode: 0o755 });
    const script = cli(["completion", "bash"]).stdout;
    writeFileSync(path.join(dir, "completion.bash"), script);
    const probe = `source ${JSON.stringify(path.join(dir, "completion.bash"))}; COMP_WORDS=(lazyscribe show fe); COMP_CWORD=2; _lazyscribe_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync("bash", ["-c", probe], { cwd: repo, encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("features\n");
  });

  it("help <unknown> says the command is unknown (exit 2); help <known> still helps", () => {
    const r = cli(["help", "shwo"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^lazyscribe: unknown command 'shwo' \(did you mean show\?\)/);
    const nested = cli(["release", "help", "nope"]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/unknown command 'nope' of lazyscribe release/);
    expect(cli(["help", "show"]).code).toBe(0);
    expect(cli(["release", "help", "create"]).stdout).toContain("Usage: lazyscribe release create");
  });
});
