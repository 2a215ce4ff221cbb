/**
 * @lazyscribe/handlers-arrow — `parquet` and `csv` artifact handlers holding
 * Apache Arrow tables, file-compatible with Python's lazyscribe-arrow.
 *
 * @example
 * import { registerHandler } from "lazyscribe";
 * import { arrowHandlers } from "@lazyscribe/handlers-arrow";
 * for (const h of arrowHandlers) registerHandler(h);
 */
import type { ArtifactHandler } from "@lazyscribe/core";
import { csvHandler, type CsvReadOptions, type CsvWriteOptions } from "./csv.js";
import { parquetHandler, type ParquetReadOptions, type ParquetWriteOptions } from "./parquet.js";

// The options of `parquet` and `csv`, so `{ handler: "parquet", compresion: "zstd" }`
// is a compile error wherever this package is installed. The reader schemas
// pass unknown keys through (loadArtifact's own keys reach them), so their
// input types have an index signature: Pick keeps the real options only.
declare module "@lazyscribe/core" {
  interface HandlerWriteOptionsMap {
    parquet: ParquetWriteOptions;
    csv: CsvWriteOptions;
  }
  interface HandlerReadOptionsMap {
    parquet: Pick<ParquetReadOptions, "columns">;
    csv: Pick<CsvReadOptions, "delimiter" | "columns" | "columnTypes">;
  }
}

export { parquetHandler, readParquet, writeParquet, PARQUET_CODECS, ParquetWriteOptionsSchema, ParquetReadOptionsSchema } from "./parquet.js";
export type { ParquetCodec, ParquetWriteOptions, ParquetReadOptions } from "./parquet.js";
export { csvHandler, readCsv, writeCsv, CsvWriteOptionsSchema, CsvReadOptionsSchema } from "./csv.js";
export type { CsvWriteOptions, CsvReadOptions } from "./csv.js";
export { toArrowTable, type TableInput } from "./toArrowTable.js";
export { describeTable, type TableDescription } from "./describeTable.js";
export { HandlerError, TableFormatError, type TableFormatProblem } from "./errors.js";

/**
 * The handlers of this package, `parquet` and `csv`. Register them in the
 * default registry (`registerHandler`) or a registry you pass to `open()`.
 *
 * @example
 * const handlers = createHandlerRegistry(arrowHandlers);
 * const repo = await Repository.open("repository.json", { handlers });
 */
export const arrowHandlers: ReadonlyArray<ArtifactHandler> = Object.freeze([parquetHandler as ArtifactHandler, csvHandler as ArtifactHandler]);

/**
 * The handlers this package provides, under the name every lazyscribe
 * handler package exports: the `lazyscribe` CLI registers them when the
 * package is installed.
 */
export const lazyscribeHandlers: ReadonlyArray<ArtifactHandler> = arrowHandlers;
