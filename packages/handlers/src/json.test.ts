import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jsonHandler, jsonProblem, writeJson } from "./json.js";
import { readOptions, roundTrip, sourceFrom, errorOf } from "./testSource.js";

const FIXTURES = fileURLToPath(new URL("../../../fixtures/lazyscribe-2.2.1/", import.meta.url));

async function readText(text: string, fname = "x.json"): Promise<unknown> {
  return jsonHandler.read(sourceFrom(text, fname), readOptions(jsonHandler));
}

describe("json handler: identity", () => {
  it("has alias, suffix and is text", () => {
    expect(jsonHandler.alias).toBe("json");
    expect(jsonHandler.suffix).toBe("json");
    expect(jsonHandler.binary).toBe(false);
  });
});

describe("json handler: Python's NaN / Infinity tokens", () => {
  it("reads them as numbers, never null", async () => {
    const v = (await readText('{"loss": NaN, "a": Infinity, "b": -Infinity}')) as Record<string, number>;
    expect(Number.isNaN(v.loss)).toBe(true);
    expect(v.a).toBe(Infinity);
    expect(v.b).toBe(-Infinity);
  });

  it("writes them back as the same tokens", async () => {
    const text = '{"loss": NaN, "a": Infinity, "b": -Infinity}';
    const v = await readText(text);
    expect(await jsonHandler.write(v, {})).toBe(text);
  });

  it("round-trips non-finite numbers nested in arrays, with indent", async () => {
    const { value, text } = await roundTrip(jsonHandler, { xs: [NaN, 1, -Infinity] }, { indent: 2 });
    expect(text).toBe('{\n  "xs": [\n    NaN,\n    1,\n    -Infinity\n  ]\n}');
    expect(value).toEqual({ xs: [NaN, 1, -Infinity] });
  });

  it("reads the reference project.json with its NaN metric", async () => {
    const text = readFileSync(join(FIXTURES, "project/project.json"), "utf8");
    const experiments = (await readText(text, "project.json")) as Array<{ name: string; metrics: Record<string, number> }>;
    const tuned = experiments.find((e) => e.name === "Tuned model");
    expect(tuned).toBeDefined();
    expect(Number.isNaN(tuned!.metrics.loss)).toBe(true);
  });
});

describe("json handler: output matches Python's json.dumps", () => {
  it("indent 4 of [0, 1, 2]", async () => {
    expect(await jsonHandler.write([0, 1, 2], { indent: 4 })).toBe("[\n    0,\n    1,\n    2\n]");
  });

  it("one line uses Python's default separators", async () => {
    expect(await jsonHandler.write([9, 9], {})).toBe("[9, 9]");
    expect(await jsonHandler.write({ lr: 0.1, layers: [8, 4] }, {})).toBe('{"lr": 0.1, "layers": [8, 4]}');
    expect(await jsonHandler.write([[5, 1], [2, 9]], {})).toBe("[[5, 1], [2, 9]]");
  });

  it("indent 2 of a nested object", async () => {
    expect(await jsonHandler.write({ lr: 0.05, layers: [16, 8] }, { indent: 2 })).toBe(
      '{\n  "lr": 0.05,\n  "layers": [\n    16,\n    8\n  ]\n}',
    );
  });

  it("indent 0 and string indents", async () => {
    expect(await jsonHandler.write([1, [2]], { indent: 0 })).toBe("[\n1,\n[\n2\n]\n]");
    expect(await jsonHandler.write({ a: [1] }, { indent: "\t" })).toBe('{\n\t"a": [\n\t\t1\n\t]\n}');
  });

  it("empty containers stay compact", async () => {
    expect(await jsonHandler.write({ a: [], b: {} }, { indent: 4 })).toBe('{\n    "a": [],\n    "b": {}\n}');
  });

  it("sortKeys sorts at every level", async () => {
    expect(await jsonHandler.write({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: true })).toBe('{"a": {"c": 2, "d": 1}, "b": 1}');
  });

  it("escapes non-ASCII by default (ensure_ascii) and keeps it with ensureAscii: false", async () => {
    expect(await jsonHandler.write({ name: "naïve 🚀" }, {})).toBe('{"name": "na\\u00efve \\ud83d\\ude80"}');
    expect(await jsonHandler.write({ name: "naïve" }, { ensureAscii: false })).toBe('{"name": "naïve"}');
  });

  it("leaves separators inside strings alone", async () => {
    const v = { "a, b": "x: y, z", "q\"": ["\\", ":"] };
    const text = (await jsonHandler.write(v, {})) as string;
    expect(text).toBe('{"a, b": "x: y, z", "q\\"": ["\\\\", ":"]}');
    expect(JSON.parse(text)).toEqual(v);
  });

  it("custom separators", async () => {
    expect(writeJson({ a: [1, 2] }, { separators: [",", ":"] })).toBe('{"a":[1,2]}');
    expect(writeJson([1, 2], { indent: 1, separators: [", ", ": "] })).toBe("[\n 1, \n 2\n]");
  });

  it("dates become ISO strings via toJSON", async () => {
    expect(await jsonHandler.write({ at: new Date(Date.UTC(2025, 0, 1)) }, {})).toBe('{"at": "2025-01-01T00:00:00.000Z"}');
  });
});

describe("json handler: Python-written fixture files", () => {
  const expected: Record<string, unknown> = {
    "repository/features/features-20250101120000.json": [0, 1, 2],
    "repository/features/features-20250105083000.json": [0, 1, 2, 3],
    "repository/features/features-20250201000000.json": [9, 9],
    "repository/config/config-20250110164510.json": { lr: 0.1, layers: [8, 4] },
    "repository/config/config-20250203070000.json": { lr: 0.05, layers: [16, 8] },
  };

  it("covers every features/*.json and config/*.json fixture", () => {
    const found = ["features", "config"].flatMap((d) =>
      readdirSync(join(FIXTURES, "repository", d)).filter((f) => f.endsWith(".json")).map((f) => `repository/${d}/${f}`),
    );
    expect(found.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, value] of Object.entries(expected)) {
    it(`reads ${file}`, async () => {
      const bytes = new Uint8Array(readFileSync(join(FIXTURES, file)));
      expect(await jsonHandler.read(sourceFrom(bytes, file), readOptions(jsonHandler))).toEqual(value);
    });
  }

  it("writes them back byte for byte with the indent Python used", async () => {
    const indents: Record<string, number | undefined> = {
      "repository/features/features-20250101120000.json": 4,
      "repository/features/features-20250105083000.json": 4,
      "repository/features/features-20250201000000.json": undefined,
      "repository/config/config-20250110164510.json": undefined,
      "repository/config/config-20250203070000.json": 2,
    };
    for (const [file, indent] of Object.entries(indents)) {
      const original = readFileSync(join(FIXTURES, file), "utf8");
      const options = indent === undefined ? {} : { indent };
      expect(await jsonHandler.write(expected[file], options), file).toBe(original);
    }
  });
});

describe("json handler: values JSON cannot hold", () => {
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const bad: Array<[string, unknown, RegExp]> = [
    ["undefined", undefined, /undefined/],
    ["a function", { f: () => 1 }, /the value\.f is a function/],
    ["a symbol", [Symbol("s")], /\[0\] is a symbol/],
    ["a bigint", { n: 10n }, /bigint/],
    ["a circular reference", circular, /circular/],
    ["a Map", { m: new Map([["a", 1]]) }, /Map/],
    ["a Set", new Set([1]), /Set/],
    ["a typed array", { t: new Float32Array(2) }, /typed array/],
  ];
  for (const [what, value, message] of bad) {
    it(`refuses ${what} with ArtifactLogError`, async () => {
      const err = await errorOf(() => jsonHandler.write(value, {}));
      expect(err.code).toBe("ARTIFACT_LOG");
      expect(err.message).toMatch(message);
      expect(jsonHandler.accepts!(value)).toBe(false);
    });
  }

  it("accepts shared (non-circular) references and undefined properties", async () => {
    const shared = { x: 1 };
    expect(jsonHandler.accepts!({ a: shared, b: shared, c: undefined })).toBe(true);
    expect(await jsonHandler.write({ a: shared, b: shared, c: undefined }, {})).toBe('{"a": {"x": 1}, "b": {"x": 1}}');
  });

  it("accepts plain JSON values", () => {
    for (const v of [null, 0, "s", true, [], {}, { a: [1, { b: NaN }] }]) expect(jsonProblem(v)).toBeNull();
  });

  it("refuses bad writer options", async () => {
    for (const options of [{ indent: -1 }, { indent: 1.5 }, { sortKeys: "yes" }, { separators: [","] }]) {
      const err = await errorOf(() => jsonHandler.write([1], options));
      expect(err.code).toBe("ARTIFACT_LOG");
    }
  });

  it("reports malformed JSON as ArtifactLoadError with line and column", async () => {
    const err = await errorOf(() => readText('{\n  "a": [1,, 2]\n}', "broken.json"));
    expect(err.code).toBe("ARTIFACT_LOAD");
    expect(err.message).toMatch(/broken\.json/);
    expect(err.message).toMatch(/line 2 column/);
  });
});
