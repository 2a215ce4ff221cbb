// DuckDB's own Parquet reader and writer as the independent other party
// (Debian has no pyarrow): it reads every file the handler writes, and
// writes snappy and zstd files the handler must read with the same values.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { Dictionary, Int32, Table, TimestampMicrosecond, TimestampNanosecond, Utf8, vectorFromArray } from "apache-arrow";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PARQUET_CODECS, readParquet } from "./index.js";
import { exactColumns, openRepo, tempDir } from "./testSupport.js";

let db: DuckDBInstance;
let con: DuckDBConnection;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
  con = await db.connect();
});
afterAll(() => {
  con.closeSync();
  db.closeSync();
});
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** DuckDB's view of a parquet file, with timestamps as epoch ns and dates as days (exact). */
async function duckColumns(path: string): Promise<Record<string, unknown[]>> {
  const types = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS() as { column_name: string; column_type: string }[];
  const select = types.map(({ column_name: n, column_type: t }) => {
    const q = `"${n}"`;
    if (t.startsWith("TIMESTAMP")) return `epoch_ns(${q}) AS ${q}`;
    if (t === "DATE") return `(${q} - DATE '1970-01-01')::BIGINT AS ${q}`;
    if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT)$/.test(t)) return `${q}::BIGINT AS ${q}`;
    if (t.startsWith("ENUM")) return `${q}::VARCHAR AS ${q}`;
    return q;
  });
  const reader = await con.runAndReadAll(`SELECT ${select.join(", ")} FROM read_parquet('${path}')`);
  const out: Record<string, unknown[]> = {};
  const cols = reader.getColumnsJS();
  types.forEach((t, j) => (out[t.column_name] = cols[j] as unknown[]));
  return out;
}

function sample(): Table {
  return new Table({
    id: vectorFromArray([-(2n ** 63n), 2n ** 63n - 1n, null, 0n]),
    score: vectorFromArray([NaN, Infinity, -Infinity, null]),
    name: vectorFromArray(["é", "日本語 \"quoted\", comma", "", null], new Utf8()),
    flag: vectorFromArray([true, false, null, true]),
    at: vectorFromArray([0, 1700000000123, null, -86400000], new TimestampMicrosecond("UTC")),
    kind: vectorFromArray(["a", "b", "a", null], new Dictionary(new Utf8(), new Int32())),
  });
}

describe("DuckDB reads what the parquet handler writes", () => {
  it.each(PARQUET_CODECS)("codec %s: identical values", async (codec) => {
    const repo = await openRepo(dir);
    repo.logArtifact("features", sample(), { handler: "parquet", compression: codec });
    await repo.save();
    const path = join(dir, "features", repo.getArtifactMetadata("features").fname);
    expect(await duckColumns(path)).toEqual(exactColumns(sample()));
  });
});

describe("the parquet handler reads what DuckDB writes", () => {
  it.each(["snappy", "zstd"])("codec %s: identical values and types", async (codec) => {
    const repo = await openRepo(dir);
    repo.logArtifact("features", sample(), { handler: "parquet" }); // any version; its file is replaced below
    await repo.save();
    const path = join(dir, "features", repo.getArtifactMetadata("features").fname);
    await con.run(
      `COPY (SELECT * FROM (VALUES
         (1::BIGINT, 0.5::DOUBLE, 'é'::VARCHAR, true, TIMESTAMPTZ '2020-01-01 00:00:00.123456+00', TIMESTAMP_NS '1969-12-31 23:59:59.999999999', DATE '2024-02-29'),
         ((-9223372036854775808)::BIGINT, 'NaN'::DOUBLE, NULL, NULL, NULL, NULL, NULL),
         (NULL, '-Infinity'::DOUBLE, '', false, TIMESTAMPTZ '1900-01-01 00:00:00+00', TIMESTAMP_NS '2262-04-11 23:47:16.854775806', DATE '1900-01-01')
       ) AS t(id, score, "name", flag, "at", at_ns, "day")) TO '${path}' (FORMAT parquet, COMPRESSION ${codec})`,
    );
    const table = await repo.loadArtifact<Table>("features", { verify: false });
    expect(exactColumns(table)).toEqual(await duckColumns(path));
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      "Int64", "Float64", "Utf8", "Bool", "Timestamp<MICROSECOND, UTC>", "Timestamp<NANOSECOND>", "Date32<DAY>",
    ]);
  });
});

// Written with TimestampNanosecond so exact ns values are checked end to end.
it("nanosecond timestamps stay exact through DuckDB", async () => {
  const t = new Table({ at: vectorFromArray([1, 2], new TimestampNanosecond()) });
  const path = join(dir, "ns.parquet");
  const { writeParquet } = await import("./index.js");
  writeFileSync(path, writeParquet(t));
  expect(await duckColumns(path)).toEqual(exactColumns(t));
});

// Files of apache/parquet-testing, the suite pyarrow's and arrow-rs's tests
// read (see fixtures/parquet-testing/README.md): written by parquet-mr,
// Impala, Hadoop and others, with every codec. The handler's values must
// equal DuckDB's for every column of a flat type.
describe("parquet-testing files (pyarrow's test data)", () => {
  const folder = join(import.meta.dirname, "fixtures", "parquet-testing");
  const files = readdirSync(folder).filter((f) => f.endsWith(".parquet"));
  it.each(files)("%s", async (file) => {
    const path = join(folder, file);
    const ours = exactColumns(readParquet(readFileSync(path)));
    // DuckDB lacks the deprecated framed LZ4 codec; these two files hold the
    // same data as lz4_raw_compressed.parquet, which it reads.
    const theirs = await duckColumns(/^(non_)?hadoop_lz4/.test(file) ? join(folder, "lz4_raw_compressed.parquet") : path);
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    const flat = Object.keys(ours).filter((k) => theirs[k]!.every((v) => v === null || typeof v !== "object" || v instanceof Uint8Array));
    expect(flat.length).toBeGreaterThan(0);
    for (const k of flat) expect(normalize(ours[k]!), `${file} column ${k}`).toEqual(normalize(theirs[k]!));
  });
});

/** Binary values as plain byte arrays (the two readers return different Uint8Array views). */
function normalize(values: unknown[]): unknown[] {
  return values.map((v) => (v instanceof Uint8Array ? Array.from(v) : v));
}
