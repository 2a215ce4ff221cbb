/** Issue 14 point 15: option objects are exact; a misspelt key is an InvalidOptionError naming the closest valid key. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidOptionError, isLazyscribeError, Project, Repository, type DynamicLogOptions } from "./index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lazyscribe-options-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(fn: () => unknown): Promise<InvalidOptionError> {
  try {
    await fn();
  } catch (err) {
    expect(isLazyscribeError(err, "INVALID_OPTION")).toBe(true);
    expect(err).toBeInstanceOf(InvalidOptionError);
    return err as InvalidOptionError;
  }
  throw new Error("expected an InvalidOptionError");
}

// The casts stand for plain JavaScript callers, whom the types cannot stop.
const loose = <T>(value: Record<string, unknown>): T => value as T;

describe("unknown option keys", () => {
  it("logArtifact: { handlr } and { indnt } name the closest option", async () => {
    const repo = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    const a = await errorOf(() => repo.logArtifact("f", [1], loose<DynamicLogOptions>({ handlr: "json" })));
    expect(a.message).toMatch(/unknown option "handlr" .*did you mean "handler"\?/);
    const b = await errorOf(() => repo.logArtifact("f", [1], loose<DynamicLogOptions>({ handler: "json", indnt: 2 })));
    expect([b.key, b.closest]).toEqual(["indnt", "indent"]);
    expect(repo.dirty).toBe(false);
    repo.logArtifact("f", [1], { handler: "json", indent: 2 });
    await repo.save();
  });

  it("loadArtifact and getArtifactMetadata: { mtch } → match", async () => {
    const w = await Repository.open(join(dir, "repository.json"), { mode: "w" });
    w.logArtifact("f", [1], { handler: "json" });
    await w.save();
    const r = await Repository.open(join(dir, "repository.json"), { mode: "r" });
    const a = await errorOf(() => r.loadArtifact("f", loose({ version: new Date(), mtch: "asof" })));
    expect([a.key, a.closest]).toEqual(["mtch", "match"]);
    const b = await errorOf(() => r.getArtifactMetadata("f", loose({ versoin: 0 })));
    expect(b.closest).toBe("version");
    expect(await r.loadArtifact("f", { version: 0 })).toEqual([1]);
    // Reader options of the handler are still accepted.
    w.logArtifact("b", new Uint8Array([1]), { handler: "bytes" });
    await w.save();
    const r2 = await Repository.open(join(dir, "repository.json"), { mode: "r" });
    expect(await r2.loadArtifact("b", { stream: true })).toBeInstanceOf(ReadableStream);
  });

  it("Repository.open and Project.open: { mdoe }, { athor }", async () => {
    const a = await errorOf(() => Repository.open(join(dir, "repository.json"), loose({ mdoe: "r" })));
    expect(a.closest).toBe("mode");
    const b = await errorOf(() => Project.open(join(dir, "project.json"), loose({ athor: "alice" })));
    expect(b.closest).toBe("author");
  });
});
