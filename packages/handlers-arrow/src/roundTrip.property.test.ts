// Random tables survive parquet and CSV round trips: nulls, unicode, int64
// extremes, NaN / ±Inf / -0, empty tables and zero columns.
import { Bool, Float64, Int64, Table, TimestampMillisecond, Utf8, vectorFromArray, type DataType } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PARQUET_CODECS, readCsv, readParquet, writeCsv, writeParquet } from "./index.js";
import { exactColumns } from "./testSupport.js";

type Kind = "int64" | "float64" | "string" | "bool" | "timestamp[ms, tz=UTC]";
const TYPES: Record<Kind, () => DataType> = {
  int64: () => new Int64(),
  float64: () => new Float64(),
  string: () => new Utf8(),
  bool: () => new Bool(),
  "timestamp[ms, tz=UTC]": () => new TimestampMillisecond("UTC"),
};
const VALUE: Record<Kind, fc.Arbitrary<unknown>> = {
  int64: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n)),
  float64: fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0)),
  string: fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom("", "NA", "null", "nan", "1", "true", '"', ",", "\n", "\r\n", "2024-01-01")),
  bool: fc.boolean(),
  // Years 0001..9999, the range CSV's YYYY layout holds.
  "timestamp[ms, tz=UTC]": fc.integer({ min: -62135596800000, max: 253402300799999 }),
};

const tableArb = fc
  .tuple(fc.nat({ max: 12 }), fc.uniqueArray(fc.tuple(fc.string({ unit: "grapheme", maxLength: 8 }), fc.constantFrom(...(Object.keys(TYPES) as Kind[]))), { maxLength: 5, selector: ([n]) => n }))
  .chain(([rows, cols]) =>
    fc.tuple(...cols.map(([, kind]) => fc.array(fc.option(VALUE[kind], { freq: 4 }), { minLength: rows, maxLength: rows }))).map((columns) => {
      const vectors: Record<string, ReturnType<typeof vectorFromArray>> = {};
      cols.forEach(([name, kind], j) => (vectors[name] = vectorFromArray(columns[j]!, TYPES[kind]() as never)));
      return { table: new Table(vectors), kinds: Object.fromEntries(cols.map(([n, k]) => [n, k])) as Record<string, Kind> };
    }),
  );

describe("round trips of random tables", () => {
  it("parquet keeps every value and type, with every codec", () => {
    fc.assert(
      fc.property(tableArb, fc.constantFrom(...PARQUET_CODECS), ({ table }, codec) => {
        const back = readParquet(writeParquet(table, codec));
        expect(back.schema.fields.map((f) => [f.name, String(f.type)])).toEqual(table.schema.fields.map((f) => [f.name, String(f.type)]));
        expect(exactColumns(back)).toEqual(exactColumns(table));
      }),
      { numRuns: 150 },
    );
  });

  it("CSV keeps every value given the column types (NaN reads as null, like pyarrow)", () => {
    fc.assert(
      fc.property(tableArb, ({ table, kinds }) => {
        const back = readCsv(writeCsv(table), { columnTypes: kinds });
        const expected = exactColumns(table);
        for (const [name, kind] of Object.entries(kinds)) {
          if (kind === "float64") expected[name] = expected[name]!.map((v) => (Number.isNaN(v) ? null : v));
        }
        expect(exactColumns(back)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
