import { describe, expect, it } from "vitest";
import { isRelease, Release } from "./index.js";

describe("Release", () => {
  it("keeps tag, artifacts (in the given order) and createdAt at second precision", () => {
    const r = new Release({ tag: "v1", artifacts: [["b", 1], ["a", 0]], createdAt: new Date("2025-01-20T00:00:00.999Z") });
    expect(r.tag).toBe("v1");
    expect(r.artifacts).toEqual([["b", 1], ["a", 0]]);
    expect(r.createdAt.toISOString()).toBe("2025-01-20T00:00:00.000Z");
    expect(isRelease(r)).toBe(true);
  });

  it("toJSON writes tag, artifacts, created_at in that order, UTC without offset", () => {
    const r = new Release({ tag: "v1", artifacts: [["a", 0]], createdAt: "2025-01-20T01:02:03+01:00" });
    const json = r.toJSON();
    expect(Object.keys(json)).toEqual(["tag", "artifacts", "created_at"]);
    expect(json).toEqual({ tag: "v1", artifacts: [["a", 0]], created_at: "2025-01-20T00:02:03" });
    expect(JSON.stringify(r)).toBe('{"tag":"v1","artifacts":[["a",0]],"created_at":"2025-01-20T00:02:03"}');
  });

  it("copies its inputs", () => {
    const artifacts: Array<[string, number]> = [["a", 0]];
    const r = new Release({ tag: "v1", artifacts, createdAt: "2025-01-20T00:00:00" });
    artifacts[0]![1] = 5;
    expect(r.artifacts).toEqual([["a", 0]]);
    r.toJSON().artifacts[0]![1] = 7;
    expect(r.artifacts).toEqual([["a", 0]]);
  });

  it("keeps unknown keys after the known ones", () => {
    const r = Release.fromJSON({ tag: "v1", artifacts: [], created_at: "2025-01-20T00:00:00", note: "hotfix" });
    expect(r.extra).toEqual({ note: "hotfix" });
    expect(Object.keys(r.toJSON())).toEqual(["tag", "artifacts", "created_at", "note"]);
  });

  it.each([
    [{ tag: "", artifacts: [], createdAt: "2025-01-20T00:00:00" }, "LAZYSCRIBE_ERROR", /tag must not be empty/],
    [{ tag: 3, artifacts: [], createdAt: "2025-01-20T00:00:00" }, "LAZYSCRIBE_ERROR", /tag/],
    [{ tag: "v", artifacts: [["a", -1]], createdAt: "2025-01-20T00:00:00" }, "LAZYSCRIBE_ERROR", /artifacts\.0\.1/],
    [{ tag: "v", artifacts: [["a", 1.5]], createdAt: "2025-01-20T00:00:00" }, "LAZYSCRIBE_ERROR", /integer/],
    [{ tag: "v", artifacts: [["../a", 1]], createdAt: "2025-01-20T00:00:00" }, "LAZYSCRIBE_ERROR", /invalid artifact name/],
    [{ tag: "v", artifacts: [["a", 1], ["a", 2]], createdAt: "2025-01-20T00:00:00" }, "LAZYSCRIBE_ERROR", /listed twice/],
    [{ tag: "v", artifacts: [], createdAt: "yesterday" }, "INVALID_VERSION", /yesterday/],
    [{ tag: "v", artifacts: [], createdAt: new Date(NaN) }, "LAZYSCRIBE_ERROR", /createdAt/],
  ])("rejects invalid input %#", (init, code, message) => {
    expect(() => new Release(init as never)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });
});
