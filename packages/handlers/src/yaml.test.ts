import { describe, expect, it } from "vitest";
import { yamlHandler } from "./yaml.js";
import { readOptions, roundTrip, sourceFrom, errorOf } from "./testSource.js";

describe("yaml handler", () => {
  it("has alias, suffix and is text", () => {
    expect([yamlHandler.alias, yamlHandler.suffix, yamlHandler.binary]).toEqual(["yaml", "yaml", false]);
  });

  it("round-trips nested data, including NaN and Infinity", async () => {
    const value = { lr: 0.1, layers: [8, 4], name: "naïve", ok: true, none: null, inf: Infinity, nan: NaN };
    const { value: back, text } = await roundTrip(yamlHandler, value);
    expect(back).toEqual(value);
    expect(text).toContain("layers:\n  - 8\n  - 4\n");
    expect(text).toContain("inf: .inf");
  });

  it("passes writer options to yaml.stringify", async () => {
    const text = await yamlHandler.write({ a: { b: [1] } }, { indent: 4 });
    expect(text).toBe("a:\n    b:\n        - 1\n");
    const sorted = await yamlHandler.write({ b: 1, a: 2 }, { sortMapEntries: true });
    expect(sorted).toBe("a: 2\nb: 1\n");
  });

  it("passes reader options to yaml.parse", async () => {
    const value = await yamlHandler.read(sourceFrom("n: 12345678901234567890\n", "x.yaml"), readOptions(yamlHandler, { intAsBigInt: true }));
    expect(value).toEqual({ n: 12345678901234567890n });
  });

  it("refuses undefined and functions with ArtifactLogError", async () => {
    for (const v of [undefined, () => 1]) {
      const err = await errorOf(() => yamlHandler.write(v, {}));
      expect(err.code).toBe("ARTIFACT_LOG");
      expect(yamlHandler.accepts!(v)).toBe(false);
    }
  });

  it("reports malformed YAML as ArtifactLoadError", async () => {
    const err = await errorOf(() => yamlHandler.read(sourceFrom("a: [1, 2\nb: }", "bad.yaml"), readOptions(yamlHandler)));
    expect(err.code).toBe("ARTIFACT_LOAD");
    expect(err.message).toMatch(/bad\.yaml/);
  });
});
