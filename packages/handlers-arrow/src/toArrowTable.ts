import { Bool, Float64, Int64, Null, Table, TimestampMillisecond, Utf8, Vector, vectorFromArray, type DataType } from "apache-arrow";
import { HandlerError } from "./errors.js";

/** What the `parquet` and `csv` handlers write: a Table, rows, or columns. */
export type TableInput = Table | ReadonlyArray<Record<string, unknown>> | Readonly<Record<string, ArrayLike<unknown> | Vector>>;

/**
 * Convert a value to an Apache Arrow `Table`: a `Table` is kept as it is, an
 * array of plain row objects and a `{ column: values }` record are converted
 * column by column. Column types: `bigint` → int64, `number` → float64,
 * `boolean` → bool, `string` → utf8, `Date` → timestamp[ms, UTC];
 * `null` / `undefined` → null. Typed arrays and Arrow vectors keep their
 * type. Anything else, or a column mixing types, throws {@link HandlerError}.
 *
 * @example
 * toArrowTable([{ id: 1n, score: 0.5 }, { id: 2n, score: null }]).numRows; // 2
 * toArrowTable({ id: new BigInt64Array([1n, 2n]), name: ["a", "b"] }).schema.fields.length; // 2
 */
export function toArrowTable(value: unknown): Table {
  if (value instanceof Table) return value;
  if (isArrowTableLike(value)) {
    throw new HandlerError(
      "got an Arrow Table from another copy of apache-arrow; the handlers use their own copy: install one apache-arrow version (dedupe) so tables are shared",
    );
  }
  if (Array.isArray(value)) return fromRows(value);
  if (isPlainObject(value)) return fromColumns(value);
  throw new HandlerError(
    `cannot convert ${describe(value)} to an Arrow table: pass an apache-arrow Table, an array of plain row objects, or a { column: values } record`,
  );
}

function fromRows(rows: ReadonlyArray<unknown>): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!isPlainObject(row)) throw new HandlerError(`row ${i} is ${describe(row)}; every row must be a plain object such as { id: 1n, name: "a" }`);
    for (const k of Object.keys(row)) {
      if (seen.has(k)) continue;
      seen.add(k);
      names.push(k);
    }
  });
  const columns: Record<string, unknown[]> = {};
  for (const n of names) columns[n] = rows.map((r) => (r as Record<string, unknown>)[n]);
  return fromColumns(columns);
}

function fromColumns(record: Record<string, unknown>): Table {
  const vectors: Record<string, Vector> = {};
  let length: number | undefined;
  for (const [name, col] of Object.entries(record)) {
    const v = toVector(name, col);
    if (length !== undefined && v.length !== length) {
      throw new HandlerError(`column "${name}" has ${v.length} values but the columns before it have ${length}; every column needs the same length`);
    }
    length = v.length;
    vectors[name] = v;
  }
  return new Table(vectors);
}

function toVector(name: string, col: unknown): Vector {
  if (col instanceof Vector) return col;
  if (ArrayBuffer.isView(col) && !(col instanceof DataView)) return vectorFromArray(col as never);
  if (!Array.isArray(col)) throw new HandlerError(`column "${name}" is ${describe(col)}; a column must be an array, a typed array or an Arrow vector`);
  const type = inferType(name, col) ?? new Null();
  return vectorFromArray(col.map((v) => (v === undefined ? null : v)), type as never);
}

/** The column's Arrow type, or null when every value is null. */
function inferType(name: string, values: unknown[]): DataType | null {
  let kind: string | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const k = typeof v === "object" ? (v instanceof Date ? "date" : "object") : typeof v;
    if (k === "date" && Number.isNaN((v as Date).getTime())) throw new HandlerError(`column "${name}" row ${i} is an invalid Date`);
    if (kind === null) kind = k;
    else if (kind !== k) throw new HandlerError(`column "${name}" mixes ${kind} and ${k} values (row ${i}); a column holds one type`);
  }
  switch (kind) {
    case null:
      return null;
    case "bigint":
      for (const v of values) {
        if (typeof v === "bigint" && (v > 9223372036854775807n || v < -9223372036854775808n)) throw new HandlerError(`column "${name}" has ${v}, outside int64`);
      }
      return new Int64();
    case "number":
      return new Float64();
    case "boolean":
      return new Bool();
    case "string":
      return new Utf8();
    case "date":
      return new TimestampMillisecond("UTC");
    default:
      throw new HandlerError(`column "${name}" holds ${kind} values; columns hold bigint, number, boolean, string or Date values (or pass an Arrow Table)`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isArrowTableLike(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as { constructor?: { name?: string } }).constructor?.name === "Table" && "schema" in v && "batches" in v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "object") return `a ${(v as object).constructor?.name ?? "object"}`;
  return `a ${typeof v}`;
}
