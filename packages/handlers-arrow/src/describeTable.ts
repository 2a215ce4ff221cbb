import { Table, type DataType, type Field } from "apache-arrow";

/** A table's shape for people and `lazyscribe show`. */
export interface TableDescription {
  rows: number;
  columns: number;
  /** Each column's name, Arrow type (`Int64`, `Timestamp<MILLISECOND, UTC>`, ...) and nullability. */
  schema: { name: string; type: string; nullable: boolean }[];
}

/**
 * Rows, columns and schema of a table.
 *
 * @example
 * describeTable(await repo.loadArtifact("features")); // { rows: 3, columns: 2, schema: [...] }
 */
export function describeTable(table: Table): TableDescription {
  return {
    rows: table.numRows,
    columns: table.numCols,
    schema: table.schema.fields.map((f: Field) => ({ name: f.name, type: typeName(f.type), nullable: f.nullable })),
  };
}

function typeName(type: DataType): string {
  return String(type);
}
