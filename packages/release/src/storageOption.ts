import type { StorageBackend } from "@lazyscribe/core/internal";
import { z } from "zod";

const METHODS = ["read", "readStream", "write", "stat", "list", "delete", "copy"] as const;

/**
 * A `StorageBackend` passed as an option, checked by shape (not
 * `instanceof`, so backends from any bundle work).
 *
 * @example
 * z.object({ storage: StorageSchema.optional() }).parse({ storage: new MemoryStorage() });
 */
export const StorageSchema = z.custom<StorageBackend>(
  (v) => typeof v === "object" && v !== null && METHODS.every((m) => typeof (v as Record<string, unknown>)[m] === "function"),
  `storage must implement StorageBackend (${METHODS.join(", ")})`,
);
