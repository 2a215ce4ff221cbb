/**
 * The public surface of @lazyscribe/handlers-arrow as a visible diff: `exports.txt`
 * lists the names the package's entry exports (sorted). After a deliberate
 * change: `UPDATE_EXPORTS=1 pnpm --filter @lazyscribe/handlers-arrow exec vitest run src/exports.test.ts`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("@lazyscribe/handlers-arrow exports exactly what exports.txt lists", async () => {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../exports.txt");
  const names = Object.keys(await import("./index.js")).sort();
  const actual =
    "# Public exports of @lazyscribe/handlers-arrow, one name a line, sorted (checked by src/exports.test.ts).\n" +
    "# After a deliberate change: UPDATE_EXPORTS=1 pnpm --filter @lazyscribe/handlers-arrow exec vitest run src/exports.test.ts\n\n" +
    `[@lazyscribe/handlers-arrow]\n${names.join("\n")}\n`;
  if (process.env.UPDATE_EXPORTS === "1") writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
});
