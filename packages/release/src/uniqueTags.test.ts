import { isLazyscribeError, MemoryStorage } from "@lazyscribe/core/internal";
import { describe, expect, it } from "vitest";
import { dump, load } from "./dumpLoad.js";
import { dumps } from "./codec.js";
import { Release } from "./Release.js";
import { DuplicateTagError } from "./uniqueTags.js";

const a = new Release({ tag: "v1", artifacts: [["features", 0]], createdAt: "2025-01-20T00:00:00" });
const b = new Release({ tag: "v1", artifacts: [["features", 1]], createdAt: "2025-02-01T00:00:00" });

describe("tags are never reused (one rule for dump, dumps, appendRelease and the CLI)", () => {
  it("dump() refuses a list that repeats a tag and writes nothing", async () => {
    const storage = new MemoryStorage();
    const err = await dump([a, b], "releases.json", { storage }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateTagError);
    expect(isLazyscribeError(err, "DUPLICATE_TAG")).toBe(true);
    expect((err as Error).message).toBe('release "v1" already exists in releases.json (created 2025-01-20T00:00:00Z); tags are never reused');
    expect(await storage.stat("releases.json")).toBeNull();
    await dump([a], "releases.json", { storage });
    expect((await load("releases.json", { storage })).map((r) => r.tag)).toEqual(["v1"]);
  });

  it("dumps() refuses it too", () => {
    expect(() => dumps([a, b])).toThrow(DuplicateTagError);
  });
});
