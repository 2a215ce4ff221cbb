import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parsePythonJson, stringifyPythonJson } from "./pythonJson.js";

describe("Python-compatible JSON", () => {
  it("reads NaN, Infinity and -Infinity tokens as numbers", () => {
    expect(parsePythonJson('{"loss": NaN, "a": [Infinity, -Infinity], "s": "NaN"}')).toEqual({ loss: NaN, a: [Infinity, -Infinity], s: "NaN" });
  });
  it("writes them back as the same tokens, never null", () => {
    expect(stringifyPythonJson({ loss: NaN, a: [Infinity, -Infinity] })).toBe('{"loss":NaN,"a":[Infinity,-Infinity]}');
    expect(stringifyPythonJson({ b: NaN, a: 1 }, { indent: 4, sortKeys: true })).toBe('{\n    "a": 1,\n    "b": NaN\n}');
  });
  it("escapes non-ASCII like Python's ensure_ascii", () => {
    expect(stringifyPythonJson(["naïve 🚀"], { ensureAscii: true })).toBe('["na\\u00efve \\ud83d\\ude80"]');
  });
  it("reports line and column of syntax errors", () => {
    expect(() => parsePythonJson('[\n  1,\n  nope\n]')).toThrow(JsonSyntaxError);
    expect(() => parsePythonJson('[\n  1,\n  nope\n]')).toThrow(/line 3 column 3/);
    expect(() => parsePythonJson("[1, 2")).toThrow(/end of input|expected/);
  });
  it("round-trips any JSON value including non-finite numbers (property)", () => {
    const value = fc.jsonValue().chain((v) => fc.constantFrom(v, [v, NaN], { x: v, y: Infinity, z: -Infinity }));
    fc.assert(
      fc.property(value, fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), (v, indent) => {
        const back = parsePythonJson(stringifyPythonJson(v, { indent, ensureAscii: true }));
        expect(back).toEqual(JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? `#${x}` : x)), (_k, x) => (typeof x === "string" && /^#(NaN|-?Infinity)$/.test(x) ? Number(x.slice(1)) : x)));
      }),
    );
  });
  it("agrees with JSON.parse on any standard JSON text (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v, null, 2);
        expect(parsePythonJson(text)).toEqual(JSON.parse(text));
      }),
    );
  });
});

describe("Python json.dumps layouts", () => {
  it("indent 0, string indents and Python's one-line separators", () => {
    expect(stringifyPythonJson([1, { a: 2 }], { indent: 0 })).toBe('[\n1,\n{\n"a": 2\n}\n]');
    expect(stringifyPythonJson({ a: [1] }, { indent: "\t" })).toBe('{\n\t"a": [\n\t\t1\n\t]\n}');
    expect(stringifyPythonJson({ a: [1, 2], "b:,": "x, y: z" }, { separators: [", ", ": "] })).toBe('{"a": [1, 2], "b:,": "x, y: z"}');
    expect(stringifyPythonJson({ a: NaN }, { indent: 12 })).toBe(`{\n${" ".repeat(12)}"a": NaN\n}`);
  });
});
