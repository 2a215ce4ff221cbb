import { type ArtifactHandler, type ArtifactSource, type HandlerReadOptions } from "@lazyscribe/core";
import { Table, tableFromIPC, tableToIPC } from "apache-arrow";
import * as wasm from "parquet-wasm";
import { z } from "zod";
import { HandlerError, TableFormatError } from "./errors.js";
import { describeTable } from "./describeTable.js";
import { toArrowTable, type TableInput } from "./toArrowTable.js";

/** Codecs, by the names pyarrow's `write_table(compression=...)` takes. */
export const PARQUET_CODECS = ["snappy", "zstd", "gzip", "brotli", "lz4", "none"] as const;
export type ParquetCodec = (typeof PARQUET_CODECS)[number];

const CODEC: Record<ParquetCodec, wasm.Compression> = {
  snappy: wasm.Compression.SNAPPY,
  zstd: wasm.Compression.ZSTD,
  gzip: wasm.Compression.GZIP,
  brotli: wasm.Compression.BROTLI,
  // pyarrow's "lz4" writes the LZ4_RAW codec (the framed LZ4 codec is deprecated by the format).
  lz4: wasm.Compression.LZ4_RAW,
  none: wasm.Compression.UNCOMPRESSED,
};

/** Options of `logArtifact(name, table, { handler: "parquet", ... })`. */
export const ParquetWriteOptionsSchema = z
  .object({
    /** Codec for every column (pyarrow's default: snappy). `uncompressed` = `none`. */
    compression: z
      .string()
      .transform((s) => s.toLowerCase())
      .transform((s) => (s === "uncompressed" ? "none" : s))
      .pipe(z.enum(PARQUET_CODECS))
      .default("snappy"),
    /** Rows per row group (pyarrow's `row_group_size`; default 1,048,576 like pyarrow). */
    rowGroupSize: z.number().int().positive().optional(),
    row_group_size: z.number().int().positive().optional(),
  })
  .strict();
export type ParquetWriteOptions = z.input<typeof ParquetWriteOptionsSchema>;

/** Options of `loadArtifact(name, { ... })` for a parquet artifact. */
export const ParquetReadOptionsSchema = z
  .object({
    /** Read only these columns (pyarrow's `read_table(columns=...)`), in this order. */
    columns: z.array(z.string()).optional(),
  })
  .passthrough();
export type ParquetReadOptions = z.input<typeof ParquetReadOptionsSchema>;

/**
 * Apache Parquet files holding an Apache Arrow `Table` (alias `parquet`,
 * suffix `parquet`, binary), written and read like Python's
 * lazyscribe-arrow `ParquetArtifact` (`pyarrow.parquet.write_table` /
 * `read_table`): Python reads what this writes and the other way round.
 * Writes a `Table`, an array of row objects or a `{ column: values }` record
 * (see {@link toArrowTable}), with snappy compression unless told otherwise.
 *
 * @example
 * import { tableFromArrays } from "apache-arrow";
 * repo.logArtifact("features", tableFromArrays({ id: new BigInt64Array([1n, 2n]) }), { handler: "parquet", compression: "zstd" });
 * await repo.save();
 * const table = await repo.loadArtifact<Table>("features", { columns: ["id"] });
 */
export const parquetHandler: ArtifactHandler<TableInput | Table> = Object.freeze({
  alias: "parquet",
  suffix: "parquet",
  binary: true,
  prepare(value: unknown, options: Record<string, unknown>): Table {
    parseOptions(ParquetWriteOptionsSchema, options, "parquet write");
    return toArrowTable(value);
  },
  write(value: TableInput | Table, options: Record<string, unknown>): Uint8Array {
    const opts = parseOptions(ParquetWriteOptionsSchema, options, "parquet write");
    return writeParquet(toArrowTable(value), opts.compression, opts.rowGroupSize ?? opts.row_group_size);
  },
  async read(source: ArtifactSource, options: HandlerReadOptions): Promise<Table> {
    const opts = parseOptions(ParquetReadOptionsSchema, options, "parquet read");
    return readParquet(await source.bytes(), opts.columns);
  },
  async describe(source: ArtifactSource): Promise<Record<string, unknown>> {
    return { ...describeTable(readParquet(await source.bytes())) };
  },
});

/**
 * Encode a table as a Parquet file.
 *
 * @example
 * const bytes = writeParquet(tableFromArrays({ x: [1, 2] }), "zstd");
 */
export function writeParquet(table: Table, compression: ParquetCodec = "snappy", rowGroupSize?: number): Uint8Array {
  let builder = new wasm.WriterPropertiesBuilder().setCompression(CODEC[compression]);
  if (rowGroupSize !== undefined) builder = builder.setMaxRowGroupSize(rowGroupSize);
  const wasmTable = wasm.Table.fromIPCStream(tableToIPC(table, "stream"));
  return wasm.writeParquet(wasmTable, builder.build());
}

/**
 * Decode a Parquet file into a table (every codec pyarrow writes: snappy,
 * zstd, gzip, brotli, lz4, lz4_raw, none). Throws {@link TableFormatError}
 * for a file that is not Parquet, truncated, or uses another codec.
 *
 * @example
 * const table = readParquet(await fs.readFile("features.parquet"), ["id"]);
 */
export function readParquet(bytes: Uint8Array, columns?: string[]): Table {
  if (bytes.length < 12 || !isMagic(bytes, 0)) {
    throw new TableFormatError("not-parquet", `not a Parquet file: it does not start with "PAR1" (${bytes.length} bytes)`);
  }
  if (!isMagic(bytes, bytes.length - 4)) {
    throw new TableFormatError("truncated", `the Parquet file is truncated or damaged: it does not end with "PAR1" (${bytes.length} bytes)`);
  }
  let ipc: Uint8Array;
  try {
    // Big record batches: parquet-wasm's default of 1,024 rows makes a
    // 1M-row file about 20× slower to read (one batch per row group instead).
    ipc = wasm.readParquet(bytes, { batchSize: 1 << 20 }).intoIPCStream();
  } catch (err) {
    const detail = messageOf(err);
    const problem = /codec|compression|lzo|unsupported/i.test(detail) ? "codec" : /eof|truncat|out of range|too short|unexpected end/i.test(detail) ? "truncated" : "invalid";
    throw new TableFormatError(problem, `cannot decode the Parquet file: ${detail}`, { cause: err });
  }
  const table = tableFromIPC(ipc);
  if (!columns) return table;
  const names = table.schema.fields.map((f) => f.name);
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new HandlerError(`no column ${missing.map((c) => `"${c}"`).join(", ")} in the Parquet file (columns: ${names.join(", ")})`);
  return table.select(columns);
}

function isMagic(b: Uint8Array, at: number): boolean {
  return b[at] === 0x50 && b[at + 1] === 0x41 && b[at + 2] === 0x52 && b[at + 3] === 0x31;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Validate handler options with zod; an unknown or bad option is a {@link HandlerError}. */
export function parseOptions<S extends z.ZodType>(schema: S, options: Record<string, unknown>, what: string): z.output<S> {
  const { environment: _e, validate: _v, ...rest } = options ?? {};
  const parsed = schema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HandlerError(`invalid ${what} option${issue.path.length ? ` "${issue.path.join(".")}"` : ""}: ${issue.message}`);
  }
  return parsed.data;
}
