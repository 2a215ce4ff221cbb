import { describe, expect, it } from "vitest";
import { findRelease, Release } from "./index.js";

const mk = (tag: string, createdAt: string) => new Release({ tag, artifacts: [], createdAt });
// Deliberately out of time order.
const releases = [
  mk("v2", "2025-02-01T00:00:00"),
  mk("v1", "2025-01-01T00:00:00"),
  mk("2025-03-01T00:00:00", "2025-01-15T00:00:00"), // a tag that looks like a time
  mk("v3", "2025-03-01T00:00:00"),
];

describe("findRelease", () => {
  it("asof with a tag → INVALID_VERSION, even when there are no releases", () => {
    expect(() => findRelease([], "v1", { match: "asof" })).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => findRelease(releases, "v1", { match: "asof" })).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => findRelease([], "2025-01-01T00:00:00", { match: "asof" })).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
  });

  it("no version → the latest by createdAt", () => {
    expect(findRelease(releases).tag).toBe("v3");
    expect(findRelease(releases, null).tag).toBe("v3");
  });

  it("by tag, exact", () => {
    expect(findRelease(releases, "v1").tag).toBe("v1");
    expect(() => findRelease(releases, "v9")).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND", message: expect.stringMatching(/v9/) }));
  });

  it("a string that is a tag wins over the same string as a time (exact)", () => {
    expect(findRelease(releases, "2025-03-01T00:00:00").createdAt.toISOString()).toBe("2025-01-15T00:00:00.000Z");
    expect(findRelease(releases, new Date("2025-03-01T00:00:00Z")).tag).toBe("v3");
  });

  it("with asof, a time string is always a time", () => {
    expect(findRelease(releases, "2025-03-01T00:00:00", { match: "asof" }).tag).toBe("v3");
  });

  it("exact time at second precision, any ISO 8601 form", () => {
    expect(findRelease(releases, "2025-02-01T00:00:00").tag).toBe("v2");
    expect(findRelease(releases, "2025-02-01T01:00:00+01:00").tag).toBe("v2");
    expect(findRelease(releases, new Date("2025-02-01T00:00:00.750Z")).tag).toBe("v2");
    expect(() => findRelease(releases, "2025-02-01T00:00:01")).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
  });

  it("asof: the latest created at or before T", () => {
    expect(findRelease(releases, "2025-02-01T00:00:00", { match: "asof" }).tag).toBe("v2");
    expect(findRelease(releases, "2025-01-31T23:59:59", { match: "asof" }).tag).toBe("2025-03-01T00:00:00");
    expect(findRelease(releases, new Date("2099-01-01T00:00:00Z"), { match: "asof" }).tag).toBe("v3");
    expect(() => findRelease(releases, "2024-12-31T23:59:59", { match: "asof" })).toThrow(
      expect.objectContaining({ code: "VERSION_NOT_FOUND", message: expect.stringMatching(/predates the earliest release "v1"/) }),
    );
  });

  it("asof with a tag, a bad match, a bad version type → InvalidVersionError", () => {
    expect(() => findRelease(releases, "v1", { match: "asof" })).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => findRelease(releases, "v1", { match: "nearest" as never })).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => findRelease(releases, 3 as never)).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => findRelease(releases, new Date(NaN))).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
  });

  it("ties: exact takes the first listed, latest / asof the last listed (as Python)", () => {
    const tied = [mk("a", "2025-01-01T00:00:00"), mk("b", "2025-01-01T00:00:00")];
    expect(findRelease(tied, "2025-01-01T00:00:00").tag).toBe("a");
    expect(findRelease(tied).tag).toBe("b");
    expect(findRelease(tied, "2025-01-02T00:00:00", { match: "asof" }).tag).toBe("b");
  });

  it("no releases → VersionNotFoundError; not a list → clear error", () => {
    expect(() => findRelease([])).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
    expect(() => findRelease("v1" as never)).toThrow(expect.objectContaining({ code: "LAZYSCRIBE_ERROR" }));
  });
});
