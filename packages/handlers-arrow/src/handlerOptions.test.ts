import { describe, expect, it } from "vitest";
import type { Repository } from "@lazyscribe/core";
import type { Table } from "apache-arrow";
import "./index.js";

/**
 * Compile-time checks of the `parquet` / `csv` option types (run by `tsc` in
 * `typecheck`; never called): each `@ts-expect-error` fails the type check
 * if the options were loose again.
 */
function optionTypes(repo: Repository, table: Table): void {
  repo.logArtifact("features", table, { handler: "parquet", compression: "zstd", rowGroupSize: 1000 });
  repo.logArtifact("features", table, { handler: "parquet", row_group_size: 1000 });
  repo.logArtifact("scores", table, { handler: "csv", delimiter: ";", includeHeader: false });
  // @ts-expect-error -- misspelt `compression`
  repo.logArtifact("features", table, { handler: "parquet", compresion: "zstd" });
  // @ts-expect-error -- a csv option on parquet
  repo.logArtifact("features", table, { handler: "parquet", delimiter: ";" });
  void repo.loadArtifact("features", { version: 0, columns: ["age"] });
  void repo.loadArtifact("scores", { delimiter: ";", columnTypes: { id: "int64" } });
  // @ts-expect-error -- misspelt `columns`
  void repo.loadArtifact("features", { colums: ["age"] });
}

describe("parquet and csv option types", () => {
  it("are checked by tsc (typecheck); this only keeps the file a test", () => {
    expect(typeof optionTypes).toBe("function");
  });
});
