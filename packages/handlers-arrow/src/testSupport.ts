/**
 * Test helpers (not exported by the package): a repository in a temp dir with
 * these handlers, and tables reduced to exact comparable values.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Repository, createHandlerRegistry } from "lazyscribe";
import { Type, type Table, type Timestamp } from "apache-arrow";
import { arrowHandlers } from "./index.js";

export const handlers = createHandlerRegistry(arrowHandlers);

/** A temp folder removed by `cleanup()`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "lz-arrow-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openRepo(dir: string, mode: "r" | "w+" = "w+"): Promise<Repository> {
  return Repository.open(join(dir, "repository.json"), { mode, handlers, now: () => new Date("2025-01-20T13:23:30Z") });
}

/** Column values made exact: integers as bigint, timestamps as ns bigint, dates as days. */
export function exactColumns(table: Table): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  table.schema.fields.forEach((f, j) => {
    const col = table.getChildAt(j)!;
    const values: unknown[] = [];
    const typeId = f.type.typeId;
    if (typeId === Type.Timestamp || typeId === Type.Date) {
      const scale = typeId === Type.Timestamp ? [1000000000n, 1000000n, 1000n, 1n][(f.type as Timestamp).unit]! : 1n;
      const dateMs = typeId === Type.Date && (f.type as unknown as { unit: number }).unit === 1;
      for (const data of col.data) {
        for (let i = 0; i < data.length; i++) {
          const raw = (data.values as ArrayLike<bigint | number>)[i]!;
          values.push(data.getValid(i) ? (dateMs ? BigInt(raw) / 86400000n : BigInt(raw) * scale) : null);
        }
      }
    } else {
      for (const v of col) values.push(typeId === Type.Int && v !== null ? BigInt(v as number) : v);
    }
    out[f.name] = values;
  });
  return out;
}
