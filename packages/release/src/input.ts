import { LazyscribeError } from "@lazyscribe/core/internal";
import type { z } from "zod";

/**
 * Validate a value passed in by a caller (not read from a file) with a zod
 * schema, or throw a {@link LazyscribeError} naming what was wrong and where.
 * File contents go through `ManifestError` instead (see `loads`).
 *
 * @example
 * const opts = parseInput(DumpsOptionsSchema, options, "dumps() options");
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const at = issue.path.length > 0 ? ` at ${issue.path.map(String).join(".")}` : "";
  throw new LazyscribeError(`invalid ${what}${at}: ${issue.message}`);
}
