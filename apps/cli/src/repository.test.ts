/** Repository commands of the built CLI on a repository it creates itself. */
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, hasAnsi, json, run, tempDir } from "./testing/cli.js";
import type { ArtifactJson as Row } from "./format.js";

let dir: string;
const cli = (args: string[], input?: string | Buffer) => run(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });


beforeEach(() => {
  dir = tempDir();
});
afterEach(() => cleanup(dir));

function manifest(): Array<Record<string, unknown>> {
  return JSON.parse(readFileSync(path.join(dir, "repository.json"), "utf8")) as Array<Record<string, unknown>>;
}

describe("log", () => {
  it("stores a file with the bytes handler by default, creating the repository", () => {
    const data = randomBytes(5000);
    writeFileSync(path.join(dir, "model.bin"), data);
    const r = cli(["log", "model", "model.bin"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^logged "model" version 0 \(model-\d{14}\.bin, 4\.9 KiB\) with handler bytes \(the default for \.bin files\)\n$/);
    const [entry] = manifest();
    expect(entry).toMatchObject({ name: "model", version: 0, handler: "bytes", size: 5000, expiry: null });
    expect(readFileSync(path.join(dir, "model", entry!.fname as string)).equals(data)).toBe(true);
    expect(cli(["cat", "model"]).stdoutBytes.equals(data)).toBe(true);
  });

  it("prints the new version; --json gives the entry", () => {
    writeFileSync(path.join(dir, "a.txt"), "one");
    expect(cli(["log", "notes", "a.txt", "--handler", "text"]).code).toBe(0);
    writeFileSync(path.join(dir, "a.txt"), "two");
    const r = cli(["log", "notes", "a.txt", "--handler", "text", "--json"]);
    expect(r.code).toBe(0);
    const row = json<Row>(r);
    expect(row).toMatchObject({ name: "notes", version: 1, handler: "text", size: 3, expiry: null, expired: false });
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(cli(["cat", "notes", "--version", "0"]).stdout).toBe("one");
  });

  it("parses with --handler json (Python NaN tokens too) and re-serializes", () => {
    writeFileSync(path.join(dir, "f.json"), '{"a": [1, 2], "b": NaN}');
    const r = cli(["log", "features", "f.json", "--handler", "json", "--fname", "features.json"]);
    expect(r.code).toBe(0);
    expect(manifest()[0]).toMatchObject({ fname: "features.json", handler: "json" });
    expect(JSON.parse(cli(["cat", "features"]).stdout.replace("NaN", "null"))).toEqual({ a: [1, 2], b: null });
  });

  it("rejects a file the handler cannot parse (exit 1, nothing written)", () => {
    writeFileSync(path.join(dir, "bad.json"), "{not json");
    const r = cli(["log", "features", "bad.json", "--handler", "json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lazyscribe: cannot read bad\.json as json: /);
    expect(existsSync(path.join(dir, "repository.json"))).toBe(false);
  });

  it("reads stdin with -, for bytes, text and yaml", () => {
    expect(cli(["log", "raw", "-"], Buffer.from([0, 1, 2, 255])).code).toBe(0);
    expect(cli(["cat", "raw"]).stdoutBytes.equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
    expect(cli(["log", "readme", "-", "--handler", "text"], "hello\n").code).toBe(0);
    expect(cli(["cat", "readme"]).stdout).toBe("hello\n");
    const y = cli(["log", "cfg", "-", "--handler", "yaml", "--json"], "a: 1\nb: [x, y]\n");
    expect(y.code).toBe(0);
    expect(json<Row>(y)).toMatchObject({ name: "cfg", version: 0, handler: "yaml" });
    expect(cli(["cat", "cfg"]).stdout).toMatch(/^a: 1\nb:\n {2}- x\n {2}- y\n$/);
  });

  it("missing input file → exit 1; unknown handler → exit 2", () => {
    const missing = cli(["log", "x", "nope.bin"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("lazyscribe: cannot read nope.bin: no such file\n");
    writeFileSync(path.join(dir, "a.txt"), "x");
    const bad = cli(["log", "x", "a.txt", "--handler", "pickle"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no handler "pickle"; known handlers: .*json/);
  });

  it("an invalid name or fname is refused (exit 1)", () => {
    writeFileSync(path.join(dir, "a.txt"), "x");
    expect(cli(["log", "../escape", "a.txt"]).code).toBe(1);
    const r = cli(["log", "ok", "a.txt", "--fname", "../../etc/passwd"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lazyscribe: /);
  });

  it("shows no progress bar when stderr is piped, even for a big file", () => {
    writeFileSync(path.join(dir, "big.bin"), Buffer.alloc(9 * 1024 * 1024, 7));
    const r = cli(["log", "big", "big.bin"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(manifest()[0]).toMatchObject({ size: 9 * 1024 * 1024 });
  });
});

/** A repository with features v0..v2 (json) and a binary blob. */
function seed(): void {
  for (const value of ["[0, 1, 2]", "[0, 1, 2, 3]", "[1, 2, 3]"]) {
    writeFileSync(path.join(dir, "f.json"), value);
    expect(cli(["log", "features", "f.json", "--handler", "json"]).code).toBe(0);
  }
  writeFileSync(path.join(dir, "blob.bin"), randomBytes(64));
  expect(cli(["log", "blob", "blob.bin"]).code).toBe(0);
}

describe("ls, versions, show", () => {
  it("ls shows the latest version of each name, in a table without colour when piped", () => {
    seed();
    const r = cli(["ls"]);
    expect(r.code).toBe(0);
    expect(hasAnsi(r.stdout)).toBe(false);
    expect(r.stdout).toMatch(/^features\s+2\s+\S+Z\s+-\s+json\s+9 B$/m);
    expect(r.stdout).toMatch(/^blob\s+0\s+\S+Z\s+-\s+bytes\s+64 B$/m);
    const rows = json<{ artifacts: Row[] }>(cli(["ls", "--json"])).artifacts;
    expect(rows.map((a) => [a.name, a.version, a.handler, a.size])).toEqual([["features", 2, "json", 9], ["blob", 0, "bytes", 64]]);
  });

  it("ls on an empty repository", () => {
    writeFileSync(path.join(dir, "repository.json"), "[]");
    expect(cli(["ls"]).stdout).toBe("no artifacts\n");
    expect(json(cli(["ls", "--json"]))).toEqual({ artifacts: [] });
  });

  it("ls keeps a name whose every version expired, marked expired", () => {
    seed();
    for (const v of ["0", "1", "2"]) expect(cli(["expire", "features", v, "--at", "2000-01-01T00:00:00"]).code).toBe(0);
    const rows = json<{ artifacts: Row[] }>(cli(["ls", "--json"])).artifacts;
    expect(rows[0]).toMatchObject({ name: "features", version: 2, expired: true, expiry: "2000-01-01T00:00:00Z" });
    expect(cli(["ls"]).stdout).toMatch(/^features\s+2\s+\S+\s+2000-01-01T00:00:00Z \(expired\)/m);
  });

  it("versions of an unknown name → exit 1", () => {
    seed();
    const r = cli(["versions", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lazyscribe: no artifact named "nope"/);
  });

  it("show --version n and errors", () => {
    seed();
    const j = json(cli(["show", "features", "--version", "1", "--json"]));
    expect(j).toMatchObject({ name: "features", version: 1, handler: "json", size: 12, expired: false, extra: {} });
    expect(j.path).toBe(path.join(dir, "features", j.fname as string));
    expect(cli(["show", "features", "--version", "9"]).code).toBe(1);
    expect(cli(["show", "nope"]).code).toBe(1);
    const human = cli(["show", "features"]);
    expect(human.stdout).toMatch(/^version\s+2$/m);
    expect(human.stdout).toMatch(/^sha256\s+[0-9a-f]{64}$/m);
  });
});

describe("cat", () => {
  it("-o writes the file and reports it; --json without -o is a usage error", () => {
    seed();
    const r = cli(["cat", "features", "--version", "0", "-o", "out.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('wrote "features" version 0 to out.json\n');
    expect(readFileSync(path.join(dir, "out.json"), "utf8")).toBe("[0, 1, 2]");
    const j = cli(["cat", "features", "-o", "out2.json", "--json"]);
    expect(json(j)).toEqual({ name: "features", version: 2, fname: expect.any(String), output: path.join(dir, "out2.json"), size: 9 });
    const bad = cli(["cat", "features", "--json"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
  });

  it("a corrupted file fails the integrity check (exit 1) and -o leaves no file", () => {
    seed();
    const entry = manifest().find((e) => e.name === "features" && e.version === 2)!;
    writeFileSync(path.join(dir, "features", entry.fname as string), "[6, 6, 6]");
    const r = cli(["cat", "features", "-o", "out.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lazyscribe: .*(sha256|changed)/);
    expect(existsSync(path.join(dir, "out.json"))).toBe(false);
  });

  it("a missing file → exit 1", () => {
    seed();
    const entry = manifest().find((e) => e.name === "blob")!;
    rmSync(path.join(dir, "blob", entry.fname as string));
    const r = cli(["cat", "blob"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^lazyscribe: .*missing/);
  });
});

describe("expire", () => {
  it("expires the latest with --latest, a given version with --at, and --clear undoes it", () => {
    seed();
    const r = cli(["expire", "features", "--latest"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^"features" version 2 expires at \S+Z\n$/);
    expect(json(cli(["show", "features", "--json"])).version).toBe(1);

    const at = cli(["expire", "features", "1", "--at", "2099-12-25T00:00:00", "--json"]);
    expect(json<Row>(at)).toMatchObject({ name: "features", version: 1, expiry: "2099-12-25T00:00:00Z", expired: false });
    expect(manifest().find((e) => e.version === 1 && e.name === "features")!.expiry).toBe("2099-12-25T00:00:00");

    const clear = cli(["expire", "features", "2", "--clear"]);
    expect(clear.stdout).toBe('"features" version 2 no longer expires\n');
    expect(json(cli(["show", "features", "--json"])).version).toBe(2);
  });

  it("bad input: unknown name → 1, bad version → 2, --clear with --at → 2", () => {
    seed();
    expect(cli(["expire", "nope", "0"]).code).toBe(1);
    expect(cli(["expire", "nope", "--latest"]).code).toBe(1);
    expect(cli(["expire", "features", "x1"]).code).toBe(2);
    expect(cli(["expire", "features", "1", "--at", "tomorrow"]).code).toBe(2);
    expect(cli(["expire", "features", "1", "--clear", "--at", "2030-01-01"]).code).toBe(2);
  });
});

describe("diff", () => {
  it("diffs two versions, or one with the latest; --json", () => {
    seed();
    const r = cli(["diff", "features", "0", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("-[0, 1, 2]");
    expect(r.stdout).toContain("+[0, 1, 2, 3]");
    const j = json(cli(["diff", "features", "0", "--json"]));
    expect(j).toMatchObject({ name: "features", from: 0, to: 2, identical: false });
    expect(j.diff).toContain("+[1, 2, 3]");
    expect(json(cli(["diff", "features", "1", "1", "--json"]))).toMatchObject({ identical: true });
  });

  it("binary handler → exit 1; bad version → 2; missing v1 → 2", () => {
    seed();
    const b = cli(["diff", "blob", "0"]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/binary/);
    expect(cli(["diff", "features", "zero"]).code).toBe(2);
    expect(cli(["diff", "features"]).code).toBe(2);
  });
});

describe("verify", () => {
  it("ok, then problems → exit 1 with a table and one error line", () => {
    seed();
    expect(cli(["verify"]).stdout).toBe("ok: 4 files verified\n");
    const entries = manifest();
    appendFileSync(path.join(dir, "blob", entries.find((e) => e.name === "blob")!.fname as string), "x");
    rmSync(path.join(dir, "features", entries.find((e) => e.name === "features" && e.version === 0)!.fname as string));
    const r = cli(["verify"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^blob\s+0\s+\S+\s+size\s/m);
    expect(r.stdout).toMatch(/^features\s+0\s+\S+\s+missing\s/m);
    expect(r.stderr).toBe("lazyscribe: verify found 2 problems in 4 files\n");
    const j = cli(["verify", "--json"]);
    expect(j.code).toBe(1);
    const doc = json<{ ok: boolean; checked: number; problems: Array<{ name: string; problem: string }> }>(j);
    expect(doc.ok).toBe(false);
    expect(doc.checked).toBe(4);
    expect(doc.problems.map((p) => [p.name, p.problem])).toEqual([["blob", "size"], ["features", "missing"]]);
  });
});

describe("gc", () => {
  it("--dry-run lists, gc removes old orphans; recent ones need --grace 0", () => {
    seed();
    const old = path.join(dir, "features", "orphan-old.json");
    const fresh = path.join(dir, "features", "orphan-new.json");
    writeFileSync(old, "x");
    writeFileSync(fresh, "y");
    const past = new Date(Date.now() - 3 * 3600 * 1000);
    utimesSync(old, past, past);

    const dry = cli(["gc", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe("would remove features/orphan-old.json\nkept 1 recent orphan (younger than the grace period; use --grace 0 to include them)\n");
    expect(existsSync(old)).toBe(true);

    const j = json(cli(["gc", "--json"]));
    expect(j).toEqual({ dryRun: false, removed: ["features/orphan-old.json"], orphans: ["features/orphan-old.json"], skippedRecent: ["features/orphan-new.json"] });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);

    expect(cli(["gc", "--grace", "0"]).stdout).toBe("removed features/orphan-new.json\n");
    expect(cli(["gc"]).stdout).toBe("no orphan files\n");
    expect(cli(["verify"]).code).toBe(0);
    expect(cli(["gc", "--grace", "soon"]).code).toBe(2);
  });
});
