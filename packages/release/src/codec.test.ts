import { describe, expect, it } from "vitest";
import { dumps, loads, Release } from "./index.js";

const r1 = new Release({ tag: "v0.1.0", artifacts: [["config", 0], ["features", 1]], createdAt: "2025-01-20T00:00:00" });
const empty = new Release({ tag: "v0.0.0", artifacts: [], createdAt: "2025-01-01T00:00:00" });

describe("dumps", () => {
  it("writes Python's json.dump(..., indent=4) layout", () => {
    expect(dumps([r1])).toBe(
      [
        "[",
        "    {",
        '        "tag": "v0.1.0",',
        '        "artifacts": [',
        "            [",
        '                "config",',
        "                0",
        "            ],",
        "            [",
        '                "features",',
        "                1",
        "            ]",
        "        ],",
        '        "created_at": "2025-01-20T00:00:00"',
        "    }",
        "]",
      ].join("\n"),
    );
  });

  it("writes empty lists as [] and one-line output like Python's default json.dumps", () => {
    expect(dumps([])).toBe("[]");
    expect(dumps([empty])).toContain('"artifacts": [],');
    expect(dumps([r1, empty], { indent: null })).toBe(
      '[{"tag": "v0.1.0", "artifacts": [["config", 0], ["features", 1]], "created_at": "2025-01-20T00:00:00"}, ' +
        '{"tag": "v0.0.0", "artifacts": [], "created_at": "2025-01-01T00:00:00"}]',
    );
    expect(dumps([empty], { indent: 0 })).toBe('[\n{\n"tag": "v0.0.0",\n"artifacts": [],\n"created_at": "2025-01-01T00:00:00"\n}\n]');
  });

  it("escapes non-ASCII like Python's ensure_ascii", () => {
    const r = new Release({ tag: "v1-é\u007f😀", artifacts: [["naïve", 0]], createdAt: "2025-01-01T00:00:00" });
    const text = dumps([r], { indent: null });
    expect(text).toContain('"v1-\\u00e9\\u007f\\ud83d\\ude00"');
    expect(text).toContain('"na\\u00efve"');
    expect(loads(text)[0]!.tag).toBe("v1-é\u007f😀");
  });

  it("rejects bad input", () => {
    expect(() => dumps([{ tag: "x" }] as never)).toThrow(expect.objectContaining({ code: "LAZYSCRIBE_ERROR" }));
    expect(() => dumps([r1], { indent: -1 })).toThrow(/indent/);
  });
});

describe("loads", () => {
  it("round-trips, keeping unknown keys and Python's NaN token", () => {
    const text = '[{"tag": "v1", "artifacts": [["a", 0]], "created_at": "2025-01-20T00:00:00", "score": NaN}]';
    const [r] = loads(text);
    expect(r!.extra.score).toBeNaN();
    expect(dumps(loads(text), { indent: null })).toBe(text);
  });

  it("keeps an unknown key named __proto__ on rewrite", () => {
    const text = '[{"tag": "v1", "artifacts": [["a", 0]], "created_at": "2025-01-20T00:00:00", "__proto__": {"x": 1}, "z": 2}]';
    const [r] = loads(text);
    expect(Object.keys(r!.extra)).toEqual(["__proto__", "z"]);
    expect(dumps(loads(text), { indent: null })).toBe(text);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("deeply nested JSON (100k levels) → ManifestError, not RangeError", () => {
    const N = 100_000;
    const deep = "[".repeat(N) + "]".repeat(N);
    for (const text of [deep, `[{"tag": "v1", "artifacts": [], "created_at": "2025-01-20T00:00:00", "x": ${deep}}]`, "[".repeat(N), `[{"tag": "v1", "x": ${"[".repeat(N)}NaN${"]".repeat(N)}}]`]) {
      expect(() => loads(text)).toThrow(expect.objectContaining({ code: "MANIFEST_INVALID" }));
    }
  });

  it("accepts any ISO 8601 created_at and bytes", () => {
    const [r] = loads(new TextEncoder().encode('[{"tag":"v1","artifacts":[],"created_at":"2025-01-20T01:00:00+01:00"}]'));
    expect(r!.createdAt.toISOString()).toBe("2025-01-20T00:00:00.000Z");
  });

  it("malformed JSON → ManifestError naming the file, line and column", () => {
    const err = (() => {
      try {
        loads('[\n  {"tag": "v1",\n   "artifacts": [}\n]', { file: "models/releases.json" });
      } catch (e) {
        return e as Error & { code: string; file: string };
      }
      throw new Error("no error");
    })();
    expect(err.code).toBe("MANIFEST_INVALID");
    expect(err.file).toBe("models/releases.json");
    expect(err.message).toMatch(/^models\/releases\.json: not valid JSON .*line 3 column/);
  });

  it.each([
    ["{}", /^releases\.json: expected an array of releases/, []],
    ['[{"tag": 1, "artifacts": [], "created_at": "2025-01-01T00:00:00"}]', /releases\.json at \[0\]\.tag/, [0, "tag"]],
    ['[{"tag": "v", "artifacts": [["a"]], "created_at": "2025-01-01T00:00:00"}]', /at \[0\]\.artifacts\[0\]/, [0, "artifacts", 0]],
    ['[{"tag": "v", "artifacts": [], "created_at": "soon"}]', /\[0\]\.created_at: expected a time/, [0, "created_at"]],
    ['[{"tag": "v", "artifacts": []}]', /\[0\]\.created_at/, [0, "created_at"]],
    ['[{"tag": "v", "artifacts": [["a", 0], ["a", 1]], "created_at": "2025-01-01T00:00:00"}]', /listed twice/, [0, "artifacts", 1, 0]],
  ])("wrong shape %s → ManifestError with the zod path", (text, message, path) => {
    expect(() => loads(text)).toThrow(expect.objectContaining({ code: "MANIFEST_INVALID", file: "releases.json", path, message: expect.stringMatching(message) }));
  });
});
