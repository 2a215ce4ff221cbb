import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isLazyscribeError, type ArtifactLoadError } from "lazyscribe";
import { Table, TimestampMillisecond, Utf8, vectorFromArray } from "apache-arrow";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HandlerError, TableFormatError, readCsv, writeCsv } from "./index.js";
import { exactColumns, openRepo, tempDir } from "./testSupport.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const fixture = (name: string): string => join(import.meta.dirname, "fixtures", name);

function sample(): Table {
  return new Table({
    id: vectorFromArray([-(2n ** 63n), 2n ** 63n - 1n, null, 7n]),
    score: vectorFromArray([0.1, Infinity, -Infinity, null]),
    name: vectorFromArray(["é 日本語", 'say "hi", then\nleave', "NA", null], new Utf8()),
    flag: vectorFromArray([true, false, null, true]),
    at: vectorFromArray([0, 1737379410500, null, -2208988800000], new TimestampMillisecond("UTC")),
  });
}

describe("csv handler", () => {
  it("writes pyarrow's layout: quoted header and strings, bare numbers, empty nulls, \\n rows", () => {
    const text = writeCsv(sample());
    expect(text).toBe(
      '"id","score","name","flag","at"\n' +
        '-9223372036854775808,0.1,"é 日本語",true,1970-01-01 00:00:00.000Z\n' +
        '9223372036854775807,inf,"say ""hi"", then\nleave",false,2025-01-20 13:23:30.500Z\n' +
        ',-inf,"NA",,\n' +
        '7,,,true,1900-01-01 00:00:00.000Z\n',
    );
  });

  it("round-trips through a repository with the same entry Python writes, inferring int64, float64, string, bool, timestamp", async () => {
    const repo = await openRepo(dir);
    repo.logArtifact("Scores", sample(), { handler: "csv" });
    await repo.save();
    const entry = JSON.parse(readFileSync(join(dir, "repository.json"), "utf8"))[0];
    expect(entry).toMatchObject({ fname: "scores-20250120132330.csv", handler: "csv" });
    const back = await (await openRepo(dir, "r")).loadArtifact<Table>("Scores");
    expect(back.schema.fields.map((f) => String(f.type))).toEqual(["Int64", "Float64", "Utf8", "Bool", "Timestamp<NANOSECOND, UTC>"]);
    expect(exactColumns(back)).toEqual(exactColumns(sample()));
    const typed = await (await openRepo(dir, "r")).loadArtifact<Table>("Scores", { columnTypes: { at: "timestamp[ms, tz=UTC]" }, columns: ["at", "id"] });
    expect(typed.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(["at:Timestamp<MILLISECOND, UTC>", "id:Int64"]);
  });

  it("infers like pyarrow: null tokens in typed columns, 0/1 as int64, dates, naive timestamps in seconds, empty → null", () => {
    const t = readCsv('"a","b","c","d","e","f"\n1,0,2024-02-29,2024-02-29 10:00:00,NA,\n2,1,1900-01-01,2024-03-01T00:00:01,nan,""\n,NaN,,,,x\n');
    expect(t.schema.fields.map((f) => String(f.type))).toEqual(["Int64", "Int64", "Date32<DAY>", "Timestamp<SECOND>", "Null", "Utf8"]);
    expect(exactColumns(t)).toMatchObject({ a: [1n, 2n, null], b: [0n, 1n, null], f: [null, "", "x"] });
    expect(String(readCsv('"x"\ntrue\nFalse\n').schema.fields[0]!.type)).toBe("Bool");
    expect(String(readCsv('"x"\n1.5\n-2e3\ninf\n').schema.fields[0]!.type)).toBe("Float64");
    expect(String(readCsv('"x"\n99999999999999999999\n').schema.fields[0]!.type)).toBe("Float64");
  });

  it("reads the CSV Debian's pandas wrote (fixtures/make_pandas_csv.py) with the same values", () => {
    const t = readCsv(readFileSync(fixture("pandas-written.csv"), "utf8"));
    expect(t.schema.fields.map((f) => String(f.type))).toEqual(["Int64", "Float64", "Utf8", "Bool", "Timestamp<SECOND>", "Timestamp<NANOSECOND, UTC>"]);
    const s = (iso: string): bigint => BigInt(Date.parse(iso)) * 1000000n;
    expect(exactColumns(t)).toEqual({
      id: [1n, -(2n ** 63n), 2n ** 63n - 1n, null],
      score: [0.5, Infinity, -Infinity, null],
      name: ["é", 'quote " and, comma', "line\nbreak", null],
      flag: [true, false, null, true],
      at: [s("2025-01-20T13:23:30Z"), 0n, null, s("1900-02-28T23:59:59Z")],
      at_utc: [s("2025-01-20T13:23:30.5Z"), 0n, null, s("2000-01-01T00:00:00Z") + 1000n],
    });
  });

  it("Debian's pandas reads what the handler writes with the same values", async () => {
    const repo = await openRepo(dir);
    repo.logArtifact("scores", sample(), { handler: "csv" });
    await repo.save();
    const path = join(dir, "scores", repo.getArtifactMetadata("scores").fname);
    // pandas 1.5 parses a nullable Int64 column through float64 (losing the
    // int64 extremes), so ids are read as text and checked as exact integers.
    const script = `
import json, sys, pandas as pd
df = pd.read_csv(sys.argv[1], dtype={"id": "string", "name": "string"}, keep_default_na=False, na_values={"id": [""], "score": [""], "name": [""], "flag": [""], "at": [""]}, parse_dates=["at"])
def cell(v):
    if v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v)): return None
    if isinstance(v, pd.Timestamp): return v.isoformat()
    if isinstance(v, float): return repr(v)
    return str(v)
out = {c: [cell(v) for v in df[c].tolist()] for c in df.columns}
out["id"] = [None if v is None else str(int(v)) for v in out["id"]]
print(json.dumps(out | {"dtypes": [str(t) for t in df.dtypes]}))
`;
    const out = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, path], { encoding: "utf8" }));
    expect(out).toEqual({
      id: ["-9223372036854775808", "9223372036854775807", null, "7"],
      score: ["0.1", "inf", "-inf", null],
      name: ["é 日本語", 'say "hi", then\nleave', "NA", null],
      flag: ["True", "False", null, "True"],
      at: ["1970-01-01T00:00:00+00:00", "2025-01-20T13:23:30.500000+00:00", null, "1900-01-01T00:00:00+00:00"],
      dtypes: ["string", "float64", "string", "object", "datetime64[ns, UTC]"],
    });
  });

  it("refuses columns CSV cannot hold at log time, and ragged rows at load time naming artifact and version", async () => {
    const repo = await openRepo(dir);
    expect(() => repo.logArtifact("bad", { a: [new Uint8Array([1])] as unknown as string[] }, { handler: "csv" })).toThrow(HandlerError);
    repo.logArtifact("scores", sample(), { handler: "csv" });
    await repo.save();
    writeFileSync(join(dir, "scores", repo.getArtifactMetadata("scores").fname), '"a","b"\n1,2\n3\n');
    const err = (await repo.loadArtifact("scores", { verify: false }).catch((e: unknown) => e)) as ArtifactLoadError;
    expect(isLazyscribeError(err, "ARTIFACT_LOAD")).toBe(true);
    expect(err.message).toMatch(/"scores" version 0 \(scores-20250120132330\.csv\).*Invalid Record Length/);
    expect((err.cause as TableFormatError).problem).toBe("ragged");
  });

  it("tells a quoted empty string from an unquoted null, with any delimiter", () => {
    expect(exactColumns(readCsv('"a","b"\n,x\n"",y\n"z",w\n'))).toEqual({ a: [null, "", "z"], b: ["x", "y", "w"] });
    expect(exactColumns(readCsv('"a";"b"\n;x\n"";y\n"z";""\n', { delimiter: ";" }))).toEqual({ a: [null, "", "z"], b: ["x", "y", ""] });
    expect(exactColumns(readCsv('"a","b"\n,x\n"z",\n'))).toEqual({ a: [null, "z"], b: ["x", null] });
    expect(exactColumns(readCsv('"a","b"\n"say ""hi""",\n'))).toEqual({ a: ['say "hi"'], b: [null] });
  });

  it("a value that does not fit a given column type is a TableFormatError naming row and column", () => {
    expect(() => readCsv('"a"\n1\nx\n', { columnTypes: { a: "int64" } })).toThrow(/column "a" row 2: "x" is not a int64 value/);
  });
});
