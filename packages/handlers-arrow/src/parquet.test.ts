import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ArtifactLoadError, isLazyscribeError } from "lazyscribe";
import { Dictionary, Int32, Table, TimestampMicrosecond, Utf8, tableFromArrays, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HandlerError, PARQUET_CODECS, TableFormatError, readParquet, writeParquet } from "./index.js";
import { exactColumns, openRepo, tempDir } from "./testSupport.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function sample(): Table {
  return new Table({
    id: vectorFromArray([-(2n ** 63n), 2n ** 63n - 1n, null, 0n]),
    score: vectorFromArray([NaN, Infinity, -Infinity, null]),
    name: vectorFromArray(["é", "日本語", "", null], new Utf8()),
    at: vectorFromArray([0, 1700000000123, null, -86400000], new TimestampMicrosecond("Europe/Paris")),
    kind: vectorFromArray(["a", "b", "a", null], new Dictionary(new Utf8(), new Int32())),
  });
}

describe("parquet handler", () => {
  it("writes the fname and manifest entry Python's lazyscribe-arrow writes, and loads the same values", async () => {
    const repo = await openRepo(dir);
    repo.logArtifact("My features", sample(), { handler: "parquet" });
    await repo.save();
    const entry = JSON.parse(readFileSync(join(dir, "repository.json"), "utf8"))[0];
    expect(entry).toMatchObject({ name: "My features", fname: "my-features-20250120132330.parquet", handler: "parquet", version: 0 });
    expect(Object.keys(entry).sort()).toEqual(["created_at", "expiry", "fname", "handler", "name", "sha256", "size", "version"]);
    const back = await (await openRepo(dir, "r")).loadArtifact<Table>("My features");
    expect(exactColumns(back)).toEqual(exactColumns(sample()));
    expect(String(back.schema.fields[3]!.type)).toBe("Timestamp<MICROSECOND, Europe/Paris>");
    expect(back.schema.fields[4]!.type).toBeInstanceOf(Dictionary);
  });

  it.each(PARQUET_CODECS)("round-trips with compression %s", (codec) => {
    const bytes = writeParquet(sample(), codec);
    expect(exactColumns(readParquet(bytes))).toEqual(exactColumns(sample()));
  });

  it("takes pyarrow's option names and reads only the asked columns", async () => {
    const repo = await openRepo(dir);
    repo.logArtifact("t", sample(), { handler: "parquet", compression: "ZSTD", row_group_size: 2 });
    await repo.save();
    const t = await repo.loadArtifact<Table>("t", { columns: ["name", "id"] });
    expect(t.schema.fields.map((f) => f.name)).toEqual(["name", "id"]);
    expect(t.numRows).toBe(4);
  });

  it("converts row objects and column records, and refuses anything else at log time", async () => {
    const repo = await openRepo(dir);
    repo.logArtifact("rows", [{ id: 1n, x: 0.5 }, { id: 2n, y: "b" }], { handler: "parquet" });
    repo.logArtifact("cols", { id: new BigInt64Array([1n, 2n]), when: [new Date(0), null] }, { handler: "parquet" });
    for (const bad of [42, "text", null, [1, 2], { a: [1, "x"] }, { a: [1], b: [1, 2] }, [{ a: {} }]]) {
      expect(() => repo.logArtifact("bad", bad, { handler: "parquet" })).toThrow(HandlerError);
    }
    expect(() => repo.logArtifact("bad", [], { handler: "parquet", compression: "lzo" })).toThrow(/compression/);
    expect(repo.has("bad")).toBe(false);
    await repo.save();
    const rows = await repo.loadArtifact<Table>("rows");
    expect(exactColumns(rows)).toEqual({ id: [1n, 2n], x: [0.5, null], y: [null, "b"] });
    const cols = await repo.loadArtifact<Table>("cols");
    expect(exactColumns(cols)).toEqual({ id: [1n, 2n], when: [0n, null] });
    expect(String(cols.schema.fields[1]!.type)).toBe("Timestamp<MILLISECOND, UTC>");
  });

  it("round-trips empty tables and zero columns", () => {
    const empty = tableFromArrays({ a: new Float64Array(0) });
    expect(readParquet(writeParquet(empty)).numRows).toBe(0);
    const none = readParquet(writeParquet(new Table()));
    expect([none.numRows, none.numCols]).toEqual([0, 0]);
  });
});

describe("parquet files that cannot be read", () => {
  async function loadBroken(bytes: Uint8Array): Promise<unknown> {
    const repo = await openRepo(dir);
    repo.logArtifact("features", sample(), { handler: "parquet" });
    await repo.save();
    writeFileSync(join(dir, "features", repo.getArtifactMetadata("features").fname), bytes);
    return repo.loadArtifact("features", { verify: false }).then(
      () => expect.unreachable("loaded a broken file"),
      (err: unknown) => err,
    );
  }

  it("a truncated file → ArtifactLoadError naming artifact and version, cause TableFormatError(truncated)", async () => {
    const good = writeParquet(sample());
    const err = (await loadBroken(good.subarray(0, good.length - 10))) as ArtifactLoadError;
    expect(isLazyscribeError(err, "ARTIFACT_LOAD")).toBe(true);
    expect(err.message).toMatch(/"features" version 0 \(features-20250120132330\.parquet\)/);
    expect((err.cause as TableFormatError).problem).toBe("truncated");
    // Cut in the middle of the footer, the magic bytes are back at the end: still a clean error.
    const mid = new Uint8Array([...good.subarray(0, 40), ...good.subarray(good.length - 30)]);
    const err2 = (await loadBroken(mid)) as ArtifactLoadError;
    expect(err2.cause).toBeInstanceOf(TableFormatError);
  });

  it("a file with a codec the reader lacks (LZO) → a codec error, and the reader still works after", async () => {
    const err = (await loadBroken(withLzoCodec(writeParquet(tableFromArrays({ lzo_col: [1.5, 2.5] }), "none")))) as ArtifactLoadError;
    expect(isLazyscribeError(err, "ARTIFACT_LOAD")).toBe(true);
    expect(err.message).toMatch(/"features" version 0/);
    expect(err.cause).toBeInstanceOf(TableFormatError);
    expect(exactColumns(readParquet(writeParquet(sample())))).toEqual(exactColumns(sample()));
  });

  it("a file that is not parquet → not-parquet", async () => {
    const err = (await loadBroken(new TextEncoder().encode("id,name\n1,a\n"))) as ArtifactLoadError;
    expect((err.cause as TableFormatError).problem).toBe("not-parquet");
  });
});

/**
 * Rewrite the codec of column "lzo_col" in the footer to LZO (3 in the
 * Parquet thrift enum): the ColumnMetaData holds path_in_schema (a list with
 * one string) followed by field 4, codec, as zigzag varint 0 (UNCOMPRESSED).
 */
function withLzoCodec(file: Uint8Array): Uint8Array {
  const out = file.slice();
  const pattern = [0x19, 0x18, 7, ...new TextEncoder().encode("lzo_col"), 0x15, 0x00];
  for (let i = out.length - pattern.length; i >= 0; i--) {
    if (pattern.every((b, k) => out[i + k] === b)) {
      out[i + pattern.length - 1] = 3 * 2; // zigzag(3)
      return out;
    }
  }
  throw new Error("codec field not found in the footer");
}

describe("damaged parquet bytes", () => {
  it("never crash the process: each read gives a table or a TableFormatError, and the reader keeps working", () => {
    const good = writeParquet(sample(), "snappy");
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const bad = good.slice();
        for (const [at, byte] of edits) bad[at] = byte;
        try {
          readParquet(bad);
        } catch (err) {
          expect(err).toBeInstanceOf(TableFormatError);
        }
        expect(readParquet(good).numRows).toBe(4);
      }),
      { numRuns: 300 },
    );
  });
});
