import { describe, expect, it } from "vitest";
import { nodeMajor, v8Handler } from "./v8.js";
import { readOptions, roundTrip, sourceFrom, errorOf } from "./testSource.js";

const currentMajor = Number(process.versions.node.split(".")[0]);
const otherVersion = `${currentMajor + 1}.0.0`;

describe("v8 handler", () => {
  it("has alias, suffix and is binary", () => {
    expect([v8Handler.alias, v8Handler.suffix, v8Handler.binary]).toEqual(["v8", "v8", true]);
  });

  it("records the Node version", () => {
    expect(v8Handler.environment!()).toEqual({ node_version: process.versions.node });
  });

  it("round-trips Map, Set, Date, BigInt, typed arrays and more", async () => {
    const value = {
      map: new Map<unknown, unknown>([["a", 1], [2, { b: [3n] }]]),
      set: new Set(["x", "y"]),
      date: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
      big: 2n ** 70n,
      bytes: new Uint8Array([1, 2, 255]),
      floats: new Float64Array([NaN, -0, Infinity]),
      undef: undefined,
      re: /ab+c/gi,
    };
    const { value: back } = await roundTrip(v8Handler, value);
    const b = back as typeof value;
    expect(b.map).toBeInstanceOf(Map);
    expect(b.map.get("a")).toBe(1);
    expect(b.map.get(2)).toEqual({ b: [3n] });
    expect(b.set).toEqual(new Set(["x", "y"]));
    expect(b.date).toBeInstanceOf(Date);
    expect(b.date.getTime()).toBe(value.date.getTime());
    expect(b.big).toBe(2n ** 70n);
    expect(b.bytes).toBeInstanceOf(Uint8Array);
    expect([...b.bytes]).toEqual([1, 2, 255]);
    expect(b.floats).toBeInstanceOf(Float64Array);
    expect(Number.isNaN(b.floats[0])).toBe(true);
    expect(Object.is(b.floats[1], -0)).toBe(true);
    expect("undef" in b && b.undef === undefined).toBe(true);
    expect(b.re.source).toBe("ab+c");
    expect(b.re.flags).toBe("gi");
  });

  it("keeps circular references", async () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    const { value } = await roundTrip(v8Handler, a);
    const b = value as Record<string, unknown>;
    expect(b.self).toBe(b);
  });

  it("refuses functions and symbols with ArtifactLogError", async () => {
    for (const v of [{ f: () => 1 }, Symbol("s")]) {
      const err = await errorOf(() => v8Handler.write(v, {}));
      expect(err.code).toBe("ARTIFACT_LOG");
      expect(v8Handler.accepts!(v)).toBe(false);
    }
    expect(v8Handler.accepts!(new Map())).toBe(true);
  });

  it("refuses a value written by another Node major version", async () => {
    const bytes = (await v8Handler.write(new Map([["k", 1]]), {})) as Uint8Array;
    const options = readOptions(v8Handler, { environment: { node_version: otherVersion } });
    const err = await errorOf(() => v8Handler.read(sourceFrom(bytes, "lookup.v8"), options));
    expect(err.code).toBe("ARTIFACT_LOAD");
    expect(err.message).toContain(otherVersion);
    expect(err.message).toContain(process.versions.node);
    expect(err.message).toContain("validate: false");

    const err2 = await errorOf(() => v8Handler.checkEnvironment!({ node_version: otherVersion }));
    expect(err2.code).toBe("ARTIFACT_LOAD");
  });

  it("loads it anyway with validate: false", async () => {
    const bytes = (await v8Handler.write(new Map([["k", 1]]), {})) as Uint8Array;
    const options = readOptions(v8Handler, { environment: { node_version: otherVersion }, validate: false });
    expect(await v8Handler.read(sourceFrom(bytes), options)).toEqual(new Map([["k", 1]]));
  });

  it("accepts the same major with another minor, and a missing node_version", async () => {
    const bytes = (await v8Handler.write([1], {})) as Uint8Array;
    for (const environment of [{ node_version: `${currentMajor}.0.1` }, {}, { python_version: "3.11" }]) {
      expect(await v8Handler.read(sourceFrom(bytes), readOptions(v8Handler, { environment }))).toEqual([1]);
      expect(() => v8Handler.checkEnvironment!(environment)).not.toThrow();
    }
  });

  it("refuses an unreadable node_version unless validate is false", async () => {
    const err = await errorOf(() => v8Handler.checkEnvironment!({ node_version: "banana" }));
    expect(err.code).toBe("ARTIFACT_LOAD");
  });

  it("reports corrupt data as ArtifactLoadError", async () => {
    const err = await errorOf(() => v8Handler.read(sourceFrom(new Uint8Array([1, 2, 3]), "bad.v8"), readOptions(v8Handler)));
    expect(err.code).toBe("ARTIFACT_LOAD");
    expect(err.message).toMatch(/bad\.v8/);
  });

  it("parses Node version majors", () => {
    expect(nodeMajor("20.19.0")).toBe(20);
    expect(nodeMajor("v22.1.0")).toBe(22);
    expect(nodeMajor("18")).toBe(18);
    expect(nodeMajor("x")).toBeNull();
  });
});
