import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastEntryReader } from "./fastEntry.js";
import { ManifestEntrySchema } from "./ManifestEntry.js";
import { appendToManifest, parseManifest, serializeManifest } from "./manifestCodec.js";

const valid = { created_at: "2025-01-01T12:00:00", expiry: null, fname: "f-20250101120000.json", handler: "json", name: "f", version: 0 };

// Values that are sometimes right and often subtly wrong for each field.
const fieldValue = fc.oneof(
  fc.constantFrom("2025-01-01T12:00:00", "2025-01-01T12:00:00Z", "2025-02-30T00:00:00", "bad", "", "a/b", "../x", "ok", "a\u0000b", "x.json", "0".repeat(64), "A".repeat(64)),
  fc.string(),
  fc.integer({ min: -2, max: 3 }),
  fc.double(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer(), { maxLength: 2 }),
);

describe("manifest entries", () => {
  it("the fast reader accepts exactly what the zod schema accepts (property)", () => {
    const keys = ["created_at", "expiry", "fname", "handler", "name", "version", "sha256", "size", "python_version"] as const;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fieldValue, { minKeys: 0 }), fc.boolean(), (overrides, startValid) => {
        const entry: Record<string, unknown> = startValid ? { ...valid, ...overrides } : { ...overrides };
        for (const k of Object.keys(entry)) if (entry[k] === undefined) delete entry[k];
        const fast = new FastEntryReader().read(entry);
        const zod = ManifestEntrySchema.safeParse(entry).success;
        expect(fast !== null).toBe(zod);
      }),
      { numRuns: 3000 },
    );
  });

  it("round-trips entries, keeping unknown keys, in Python's format", () => {
    const text = JSON.stringify(
      [
        valid,
        { created_at: "2025-01-02T00:00:00", expiry: "2025-02-15T00:00:00", fname: "e.pkl", handler: "pickle", name: "é", python_version: "3.11", version: 1 },
      ],
      null,
      4,
    ).replace("\u00e9", "\\u00e9");
    const records = parseManifest("repository.json", text);
    expect(serializeManifest(records)).toBe(text);
    expect(records[1]!.extra).toEqual({ python_version: "3.11" });
  });

  it("rejects duplicates and non-arrays with file and position", () => {
    expect(() => parseManifest("m.json", JSON.stringify([valid, valid]))).toThrow(/m\.json at \[1\]: duplicate/);
    expect(() => parseManifest("m.json", "{}")).toThrow(/m\.json/);
    expect(() => parseManifest("m.json", '[\n  {"a": 1,}\n]')).toThrow(/line 2/);
  });

  it("serializes an empty manifest as []", () => {
    expect(serializeManifest([])).toBe("[]");
  });
});

describe("appending to a manifest", () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
  const [rec] = parseManifest("m.json", JSON.stringify([{ ...valid, name: "new", fname: "n.json" }]));

  it("keeps every existing byte, in any layout, and adds entries in Python's", () => {
    const foreign = JSON.stringify([valid], null, 2) + "\n";
    const out = dec(appendToManifest(enc(foreign), [rec!]))!;
    expect(out.startsWith(JSON.stringify([valid], null, 2).slice(0, -2))).toBe(true);
    expect(JSON.parse(out)).toEqual([valid, { ...valid, name: "new", fname: "n.json" }]);
    const canonical = serializeManifest(parseManifest("m.json", JSON.stringify([valid])));
    expect(dec(appendToManifest(enc(canonical), [rec!]))).toBe(serializeManifest([...parseManifest("m.json", JSON.stringify([valid])), rec!]));
  });

  it("declines what does not end like a non-empty array", () => {
    expect(appendToManifest(enc("[]"), [rec!])).toBeNull();
    expect(appendToManifest(enc("[\n]\n"), [rec!])).toBeNull();
    expect(appendToManifest(enc(""), [rec!])).toBeNull();
  });
});
