import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArtifactRecord } from "../repository/ArtifactRecord.js";
import { resolveVersion } from "./resolveVersion.js";
import { VersionIndex } from "./VersionIndex.js";

const day = 86400;
function index(specs: Array<{ created: number; expiry: number | null }>): VersionIndex {
  const idx = new VersionIndex("a");
  specs.forEach((s, v) => idx.add(new ArtifactRecord("a", v, "json", `a-${v}.json`, s.created, s.expiry)));
  return idx.finish();
}

// Reference semantics, written the slow obvious way.
function naiveLatest(specs: Array<{ created: number; expiry: number | null }>, now: number): number | undefined {
  let best: number | undefined;
  specs.forEach((s, v) => {
    if (s.expiry !== null && !(now < s.expiry)) return;
    if (best === undefined || s.created > specs[best]!.created || (s.created === specs[best]!.created && v > best)) best = v;
  });
  return best;
}
function naiveAsof(specs: Array<{ created: number; expiry: number | null }>, t: number): number | undefined {
  return naiveLatest(specs.map((s) => (s.created <= t ? s : { created: s.created, expiry: -Infinity })), t);
}
function naiveExact(specs: Array<{ created: number; expiry: number | null }>, t: number): number | undefined {
  const i = specs.findIndex((s) => s.created === t);
  return i < 0 ? undefined : i;
}

const specArb = fc.array(
  fc.record({
    created: fc.integer({ min: 0, max: 40 }).map((d) => 1_700_000_000 + d * day),
    expiry: fc.option(fc.integer({ min: 0, max: 50 }).map((d) => 1_700_000_000 + d * day), { nil: null }),
  }),
  { minLength: 1, maxLength: 30 },
);
const timeArb = fc.integer({ min: -2, max: 52 }).map((d) => 1_700_000_000 + d * day);

describe("resolveVersion", () => {
  it("latest = newest valid at now (property)", () => {
    fc.assert(
      fc.property(specArb, timeArb, (specs, now) => {
        const expected = naiveLatest(specs, now);
        const run = () => resolveVersion(index(specs), {}, now).version;
        if (expected === undefined) expect(run).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
        else expect(run()).toBe(expected);
      }),
    );
  });

  it("asof = newest created by T and valid at T (property)", () => {
    fc.assert(
      fc.property(specArb, timeArb, timeArb, (specs, t, now) => {
        const expected = naiveAsof(specs, t);
        const run = () => resolveVersion(index(specs), { version: new Date(t * 1000), match: "asof" }, now).version;
        if (expected === undefined) expect(run).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
        else expect(run()).toBe(expected);
      }),
    );
  });

  it("exact time = created at that second, lowest version, expiry ignored (property)", () => {
    fc.assert(
      fc.property(specArb, timeArb, (specs, t) => {
        const expected = naiveExact(specs, t);
        const run = () => resolveVersion(index(specs), { version: new Date(t * 1000) }, 0).version;
        if (expected === undefined) expect(run).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
        else expect(run()).toBe(expected);
      }),
    );
  });

  it("integer versions: exact ignores expiry; asof is invalid; non-integers are invalid", () => {
    const idx = index([{ created: 10, expiry: 11 }, { created: 20, expiry: null }]);
    expect(resolveVersion(idx, { version: 0 }, 100).version).toBe(0);
    expect(() => resolveVersion(idx, { version: 0, match: "asof" }, 100)).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => resolveVersion(idx, { version: 1.5 }, 100)).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => resolveVersion(idx, { version: -1 }, 100)).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => resolveVersion(idx, { version: 7 }, 100)).toThrow(expect.objectContaining({ code: "VERSION_NOT_FOUND" }));
    expect(() => resolveVersion(idx, { version: "2", match: "exact" }, 100)).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
    expect(() => resolveVersion(idx, { match: "nearest" as never }, 100)).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
  });

  it("rejects nonsense version strings (property)", () => {
    const idx = index([{ created: 10, expiry: null }]);
    fc.assert(
      fc.property(fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)), (s) => {
        expect(() => resolveVersion(idx, { version: s }, 100)).toThrow(expect.objectContaining({ code: "INVALID_VERSION" }));
      }),
    );
  });

  it("ties on creation time: latest picks the highest version, exact the lowest", () => {
    const idx = index([{ created: 10, expiry: null }, { created: 10, expiry: null }]);
    expect(resolveVersion(idx, {}, 100).version).toBe(1);
    expect(resolveVersion(idx, { version: new Date(10_000) }, 100).version).toBe(0);
  });
});
