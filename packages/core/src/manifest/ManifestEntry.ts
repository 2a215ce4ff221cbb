import { z } from "zod";
import { fnameProblem, nameProblem } from "../names.js";
import { parseEpochSeconds } from "../time.js";

const timeString = z.string().refine((s) => parseEpochSeconds(s) !== null, {
  message: "expected a time like 2025-01-05T08:30:00 (ISO 8601)",
});

/**
 * One entry of `repository.json` (and of an experiment's `artifacts`), as
 * written by Python lazyscribe 2.x plus this product's `sha256` / `size`.
 * Unknown keys (such as `python_version`) are kept.
 */
export const ManifestEntrySchema = z.looseObject({
  name: z.string().superRefine((s, ctx) => {
    const p = nameProblem(s);
    if (p) ctx.addIssue({ code: "custom", message: `invalid artifact name: ${p}` });
  }),
  version: z.number().int().nonnegative(),
  handler: z.string().min(1),
  fname: z.string().superRefine((s, ctx) => {
    const p = fnameProblem(s);
    if (p) ctx.addIssue({ code: "custom", message: `invalid file name: ${p}` });
  }),
  created_at: timeString,
  // Absent in manifests written before lazyscribe had expiry (Python 2.2.1 still opens them): null.
  expiry: timeString.nullable().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits").optional(),
  size: z.number().int().nonnegative().optional(),
});

export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const ManifestSchema = z.array(ManifestEntrySchema);

/** Keys with a meaning of their own; everything else goes to `extra`. */
export const KNOWN_ENTRY_KEYS = new Set(["name", "version", "handler", "fname", "created_at", "expiry", "sha256", "size"]);
