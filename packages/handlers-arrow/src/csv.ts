import { type ArtifactHandler, type ArtifactSource, type HandlerReadOptions } from "@lazyscribe/core";
import {
  Bool, DateDay, Float64, Int64, Null, Table, TimeUnit, Timestamp, Type, Utf8, makeData, makeVector, vectorFromArray,
  type DataType, type Vector,
} from "apache-arrow";
import { CsvError, parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { TICKS, formatDate, formatTimestamp, parseTime, type ParsedTime } from "./civilTime.js";
import { HandlerError, TableFormatError } from "./errors.js";
import { parseOptions } from "./parquet.js";
import { describeTable } from "./describeTable.js";
import { toArrowTable, type TableInput } from "./toArrowTable.js";

/** Column types the CSV reader infers or can be told (`columnTypes`), spelled like pyarrow's types. */
const COLUMN_TYPE = /^(null|bool|int64|float64|string|date32|timestamp\[(s|ms|us|ns)(?:, tz=([^\]]+))?\])$/;

/** Options of `logArtifact(name, table, { handler: "csv", ... })` (pyarrow's `WriteOptions`). */
export const CsvWriteOptionsSchema = z
  .object({
    /** Field separator (default `,`). */
    delimiter: z.string().length(1).default(","),
    /** Write the header row (default true). */
    includeHeader: z.boolean().default(true),
    include_header: z.boolean().optional(),
  })
  .strict();
export type CsvWriteOptions = z.input<typeof CsvWriteOptionsSchema>;

/** Options of `loadArtifact(name, { ... })` for a csv artifact (pyarrow's `read_csv` options). */
export const CsvReadOptionsSchema = z
  .object({
    /** Field separator (default `,`). */
    delimiter: z.string().length(1).default(","),
    /** Keep only these columns, in this order (pyarrow's `include_columns`). */
    columns: z.array(z.string()).optional(),
    /** Types of some columns instead of inferring them, e.g. `{ id: "int64", at: "timestamp[ms, tz=UTC]" }`. */
    columnTypes: z.record(z.string(), z.string().regex(COLUMN_TYPE, "must be null, bool, int64, float64, string, date32 or timestamp[s|ms|us|ns(, tz=ZONE)]")).optional(),
  })
  .passthrough();
export type CsvReadOptions = z.input<typeof CsvReadOptionsSchema>;

/**
 * CSV files holding an Apache Arrow `Table` (alias `csv`, suffix `csv`,
 * binary like Python's), written and read like Python's lazyscribe-arrow
 * `CSVArtifact` (`pyarrow.csv.write_csv` / `read_csv`): a header row, comma,
 * RFC 4180 quoting with every string quoted, null as an empty field.
 * Reading infers each column's type like pyarrow: null, int64 (as `bigint`),
 * bool, date32, timestamp (seconds, or nanoseconds when a value has a
 * fraction; UTC when values carry `Z` or an offset), float64, else string. In
 * typed columns pyarrow's null tokens (`NA`, `null`, `nan`, ...) read as null,
 * so NaN does not survive a CSV round trip (use parquet); in string columns
 * only an unquoted empty field is null (`""` is the empty string).
 *
 * @example
 * repo.logArtifact("scores", [{ id: 1n, score: 0.5 }], { handler: "csv" });
 * await repo.save();
 * const table = await repo.loadArtifact<Table>("scores", { columnTypes: { id: "int64" } });
 */
export const csvHandler: ArtifactHandler<TableInput | Table> = Object.freeze({
  alias: "csv",
  suffix: "csv",
  binary: true,
  prepare(value: unknown, options: Record<string, unknown>): Table {
    parseOptions(CsvWriteOptionsSchema, options, "csv write");
    const table = toArrowTable(value);
    for (const f of table.schema.fields) formatterFor(f.name, f.type);
    return table;
  },
  write(value: TableInput | Table, options: Record<string, unknown>): string {
    const opts = parseOptions(CsvWriteOptionsSchema, options, "csv write");
    return writeCsv(toArrowTable(value), { delimiter: opts.delimiter, includeHeader: opts.include_header ?? opts.includeHeader });
  },
  async read(source: ArtifactSource, options: HandlerReadOptions): Promise<Table> {
    const opts = parseOptions(CsvReadOptionsSchema, options, "csv read");
    return readCsv(await source.text(), opts);
  },
  async describe(source: ArtifactSource): Promise<Record<string, unknown>> {
    return { ...describeTable(readCsv(await source.text())) };
  },
});

// ------------------------------------------------------------------ writing

type Formatter = (vector: Vector) => (string | null)[];

/**
 * Encode a table as CSV text the way pyarrow's `write_csv` does.
 *
 * @example
 * writeCsv(tableFromArrays({ id: new BigInt64Array([1n]), name: ["a"] })); // '"id","name"\n1,"a"\n'
 */
export function writeCsv(table: Table, options: { delimiter?: string; includeHeader?: boolean } = {}): string {
  const fields = table.schema.fields;
  if (fields.length === 0) return "";
  const quoted = fields.map((f) => isStringLike(f.type));
  const cells = fields.map((f, j) => formatterFor(f.name, f.type)(table.getChildAt(j)!));
  const rows: (string | null)[][] = [];
  if (options.includeHeader !== false) rows.push(fields.map((f) => f.name));
  for (let i = 0; i < table.numRows; i++) rows.push(cells.map((c) => c[i]!));
  const headerRows = options.includeHeader !== false ? 1 : 0;
  return stringify(rows, {
    delimiter: options.delimiter ?? ",",
    record_delimiter: "unix",
    cast: {
      string: (value, ctx) => (ctx.records < headerRows || quoted[ctx.index] ? { value, quoted: true, quoted_empty: true } : value),
    },
  });
}

function isStringLike(type: DataType): boolean {
  if (type.typeId === Type.Dictionary) return isStringLike((type as unknown as { dictionary: DataType }).dictionary);
  return type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8;
}

function formatterFor(name: string, type: DataType): Formatter {
  switch (type.typeId) {
    case Type.Null:
      return (v) => new Array<null>(v.length).fill(null);
    case Type.Bool:
      return (v) => map(v, (x) => (x ? "true" : "false"));
    case Type.Int:
      return (v) => map(v, (x) => String(x));
    case Type.Float:
      return (v) => map(v, (x) => formatFloat(x as number));
    case Type.Utf8:
    case Type.LargeUtf8:
      return (v) => map(v, (x) => x as string);
    case Type.Dictionary: {
      const inner = formatterFor(name, (type as unknown as { dictionary: DataType }).dictionary);
      return (v) => {
        // Decode to plain values and format them with the dictionary's value type.
        const plain = vectorFromArray(v.toArray() as unknown[], (type as unknown as { dictionary: DataType }).dictionary as never);
        return inner(plain);
      };
    }
    case Type.Date: {
      // date32 stores days, date64 milliseconds.
      const perDay = (type as unknown as { unit: number }).unit === 0 ? 1n : 86400000n;
      return (v) => rawValues(v, (raw) => formatDate(Number(floorDiv(BigInt(raw), perDay))));
    }
    case Type.Timestamp: {
      const t = type as Timestamp;
      const zone = t.timezone ? "Z" : "";
      return (v) => rawValues(v, (raw) => formatTimestamp(BigInt(raw), t.unit as 0 | 1 | 2 | 3) + zone);
    }
    default:
      throw new HandlerError(`column "${name}" has type ${String(type)}, which CSV cannot hold (pyarrow refuses it too); write it with the "parquet" handler`);
  }
}

function map(v: Vector, f: (x: unknown) => string): (string | null)[] {
  const out = new Array<string | null>(v.length);
  let i = 0;
  for (const x of v) out[i++] = x === null || x === undefined ? null : f(x);
  return out;
}

/** Read raw stored values (exact int64 ticks) chunk by chunk. */
function rawValues(v: Vector, f: (raw: bigint | number) => string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const data of v.data) {
    const values = data.values as ArrayLike<bigint | number>;
    for (let i = 0; i < data.length; i++) out.push(data.getValid(i) ? f(values[i]!) : null);
  }
  return out;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Floats as pyarrow writes them: shortest round-trip digits, `nan`, `inf`, `-inf`. */
function formatFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return Object.is(x, -0) ? "-0" : String(x);
}

// ------------------------------------------------------------------ reading

/** pyarrow's default `null_values`, which read as null in every column but strings. */
const NULL_TOKENS = new Set(["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null"]);
const TRUE_TOKENS = new Set(["1", "True", "TRUE", "true"]);
const FALSE_TOKENS = new Set(["0", "False", "FALSE", "false"]);
const INT = /^-?\d{1,19}$/;
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity)$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Decode CSV text into a table, inferring column types like pyarrow's
 * `read_csv` (see {@link csvHandler}). Throws {@link TableFormatError} for
 * ragged rows or broken quoting.
 *
 * @example
 * readCsv('"id","score"\n1,0.5\n').getChild("id")?.get(0); // 1n
 */
export function readCsv(text: string, options: { delimiter?: string; columns?: string[]; columnTypes?: Record<string, string> } = {}): Table {
  const delimiter = options.delimiter ?? ",";
  let rows: (string | null)[][];
  try {
    if (hasQuotedEmptyField(text, delimiter)) {
      // An unquoted empty field is null; a quoted one ("") is the empty string.
      // csv-parse's per-field cast tells them apart but is ~14x slower, so it
      // runs only when the text may hold a quoted empty field.
      rows = parse(text, { delimiter, bom: true, cast: (value, ctx) => (value === "" && !ctx.quoting ? null : value) }) as (string | null)[][];
    } else {
      rows = parse(text, { delimiter, bom: true }) as (string | null)[][];
      for (const row of rows) for (let j = 0; j < row.length; j++) if (row[j] === "") row[j] = null;
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const problem = err.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" ? "ragged" : "invalid";
      throw new TableFormatError(problem, `invalid CSV: ${err.message}`, { cause: err });
    }
    throw err;
  }
  if (rows.length === 0) return new Table();
  const header = rows[0]!.map((h) => h ?? "");
  const wanted = options.columns ?? header;
  const vectors: Record<string, Vector> = {};
  for (const name of wanted) {
    const j = header.indexOf(name);
    if (j < 0) throw new HandlerError(`column "${name}" is not in the CSV file (columns: ${header.join(", ")})`);
    const raw = new Array<string | null>(rows.length - 1);
    for (let i = 1; i < rows.length; i++) raw[i - 1] = rows[i]![j]!;
    const typeName = options.columnTypes?.[name];
    vectors[name] = typeName ? buildColumn(name, raw, typeName) : inferColumn(raw);
  }
  return new Table(vectors);
}

/** True when the text may contain a quoted empty field `""` (false positives only inside quoted text). */
function hasQuotedEmptyField(text: string, delimiter: string): boolean {
  const d = delimiter.replace(/[\\^$.*+?()[\]{}|-]/g, "\\$&");
  return new RegExp(`(?:^\\uFEFF?|[${d}\\n])""(?=[${d}\\r\\n]|$)`).test(text);
}

function inferColumn(raw: (string | null)[]): Vector {
  const present = raw.filter((s): s is string => s !== null && !NULL_TOKENS.has(s));
  if (present.length === 0) return buildColumn("", raw, "null");
  if (present.every((s) => INT.test(s) && inInt64(s))) return buildColumn("", raw, "int64");
  if (present.every((s) => TRUE_TOKENS.has(s) || FALSE_TOKENS.has(s))) return buildColumn("", raw, "bool");
  const times = parseAllTimes(present);
  if (times !== null) {
    if (times.every((t) => !t.hasTime)) return buildColumn("", raw, "date32");
    const zoned = times.filter((t) => t.zoned).length;
    if (zoned === 0 || zoned === times.length) {
      const unit = times.some((t) => t.hasFraction) ? "ns" : "s";
      return buildColumn("", raw, zoned ? `timestamp[${unit}, tz=UTC]` : `timestamp[${unit}]`);
    }
  }
  if (present.every((s) => FLOAT.test(s))) return buildColumn("", raw, "float64");
  return buildColumn("", raw, "string");
}

/** Every value parsed as a date or time, or null at the first that is not one. */
function parseAllTimes(values: string[]): ParsedTime[] | null {
  const out: ParsedTime[] = [];
  for (const s of values) {
    const t = parseTime(s);
    if (t === null) return null;
    out.push(t);
  }
  return out;
}

function inInt64(s: string): boolean {
  // Up to 18 digits always fits; only longer ones need the exact check.
  if (s.length <= 18) return true;
  const b = BigInt(s);
  return b >= INT64_MIN && b <= INT64_MAX;
}

/** Build a column of the named type; a value that does not fit is a {@link TableFormatError}. */
function buildColumn(name: string, raw: (string | null)[], typeName: string): Vector {
  const n = raw.length;
  if (typeName === "string") return vectorFromArray(raw, new Utf8());
  if (typeName === "null") {
    raw.forEach((s, i) => s !== null && !NULL_TOKENS.has(s) && bad(name, i, s, typeName));
    return makeVector(makeData({ type: new Null(), length: n }));
  }
  const valid = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  const isNull = (s: string | null, i: number): boolean => {
    if (s === null || NULL_TOKENS.has(s)) return (nullCount++, true);
    valid[i >> 3]! |= 1 << (i & 7);
    return false;
  };
  if (typeName === "int64") {
    const data = new BigInt64Array(n);
    raw.forEach((s, i) => {
      if (isNull(s, i)) return;
      if (!INT.test(s!) || !inInt64(s!)) bad(name, i, s!, typeName);
      data[i] = BigInt(s!);
    });
    return makeVector(makeData({ type: new Int64(), length: n, nullCount, data, nullBitmap: valid }));
  }
  if (typeName === "float64") {
    const data = new Float64Array(n);
    raw.forEach((s, i) => {
      if (isNull(s, i)) return;
      if (!FLOAT.test(s!)) bad(name, i, s!, typeName);
      data[i] = /inf/i.test(s!) ? (s!.startsWith("-") ? -Infinity : Infinity) : Number(s);
    });
    return makeVector(makeData({ type: new Float64(), length: n, nullCount, data, nullBitmap: valid }));
  }
  if (typeName === "bool") {
    const values = raw.map((s, i) => {
      if (s === null || NULL_TOKENS.has(s)) return null;
      if (TRUE_TOKENS.has(s)) return true;
      if (FALSE_TOKENS.has(s)) return false;
      return bad(name, i, s, typeName);
    });
    return vectorFromArray(values, new Bool());
  }
  if (typeName === "date32") {
    const data = new Int32Array(n);
    raw.forEach((s, i) => {
      if (isNull(s, i)) return;
      const t = parseTime(s!);
      if (!t || t.hasTime) bad(name, i, s!, typeName);
      data[i] = Number(t!.nanos / 86400000000000n);
    });
    return makeVector(makeData({ type: new DateDay(), length: n, nullCount, data, nullBitmap: valid }));
  }
  const m = /^timestamp\[(s|ms|us|ns)(?:, tz=([^\]]+))?\]$/.exec(typeName);
  if (!m) throw new HandlerError(`unknown column type "${typeName}" for column "${name}"`);
  const unit = ({ s: TimeUnit.SECOND, ms: TimeUnit.MILLISECOND, us: TimeUnit.MICROSECOND, ns: TimeUnit.NANOSECOND } as const)[m[1] as "s"];
  const perTick = 1000000000n / TICKS[unit];
  const data = new BigInt64Array(n);
  raw.forEach((s, i) => {
    if (isNull(s, i)) return;
    const t = parseTime(s!);
    if (!t || t.nanos % perTick !== 0n) bad(name, i, s!, typeName);
    data[i] = t!.nanos / perTick;
  });
  return makeVector(makeData({ type: new Timestamp(unit, m[2] ?? null), length: n, nullCount, data, nullBitmap: valid }));
}

function bad(name: string, row: number, value: string, typeName: string): never {
  throw new TableFormatError("invalid", `column "${name}" row ${row + 1}: ${JSON.stringify(value)} is not a ${typeName} value`);
}
