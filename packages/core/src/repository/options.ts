import { z } from "zod";
import type { HandlerRegistry } from "../handlers/HandlerRegistry.js";
import { LazyscribeError } from "../errors.js";
import { assertKnownOptions } from "../options/exactOptions.js";
import type { HashFactory } from "../hashing/Sha256.js";
import type { StorageBackend } from "../storage/StorageBackend.js";
import { WarningHandlerSchema, type WarningHandler } from "../warnings.js";

/** `r` read-only, `a` append-only, `w` start fresh, `w+` read and edit (default). */
export type Mode = "r" | "a" | "w" | "w+";

/** Bounds of the compare-and-swap loop in `save()`. */
export interface RetryOptions {
  /** Commit attempts before `ConflictError` (default 40). */
  attempts?: number;
  /** First backoff delay in ms; doubles per attempt, full jitter (default 5). */
  baseDelayMs?: number;
  /** Largest backoff delay in ms (default 250). */
  maxDelayMs?: number;
}

/** Options of `Repository.open`. */
export interface RepositoryOptions {
  mode?: Mode;
  /** Where files live; default chosen from the location (path → local fs, `memory://` → memory). */
  storage?: StorageBackend;
  /** Handler registry; default: built-ins plus `registerHandler` additions. */
  handlers?: HandlerRegistry;
  /** The clock (UTC). Tests inject it. */
  now?: () => Date;
  /** SHA-256 implementation; default native in Node, portable elsewhere. */
  hash?: HashFactory;
  retry?: RetryOptions;
  /**
   * Receives the warnings Python lazyscribe gives (output-only artifacts
   * logged, saved or loaded; `filter(time)` skipping a name). Default: the
   * process-wide handler — none in `@lazyscribe/core`, `process.emitWarning`
   * in `lazyscribe`.
   */
  onWarning?: WarningHandler;
}

export const ModeSchema = z.enum(["r", "a", "w", "w+"], {
  error: (issue) => `mode must be one of "r", "a", "w", "w+", not ${JSON.stringify(issue.input)}`,
});

/** Duck-typing check: `v` is an object with all these methods. */
export const hasMethods = (v: unknown, methods: string[]): boolean =>
  typeof v === "object" && v !== null && methods.every((m) => typeof (v as Record<string, unknown>)[m] === "function");

/**
 * Option schemas shared by every `open()` (Repository, Project). Duck-typed
 * rather than `instanceof`: a bundled CLI and a library may each carry a copy of core.
 */
export const StorageOptionSchema = z.custom<StorageBackend>(
  (v) => hasMethods(v, ["read", "readStream", "write", "stat", "list", "delete", "copy"]),
  "storage must implement StorageBackend (read, readStream, write, stat, list, delete, copy)",
);
export const HandlersOptionSchema = z.custom<HandlerRegistry>(
  (v) => hasMethods(v, ["get", "find", "register", "chooseFor"]),
  "handlers must be a HandlerRegistry",
);
export const ClockOptionSchema = z.custom<() => Date>((v) => typeof v === "function", "now must be a function returning a Date");
export const HashOptionSchema = z.custom<HashFactory>((v) => typeof v === "function", "hash must be a function");
export const RetryOptionsSchema = z
  .object({
    attempts: z.number().int().min(1).max(1000).default(40),
    baseDelayMs: z.number().min(0).max(10_000).default(5),
    maxDelayMs: z.number().min(0).max(60_000).default(250),
  })
  .default({ attempts: 40, baseDelayMs: 5, maxDelayMs: 250 });

export const RepositoryOptionsSchema = z.object({
  mode: ModeSchema.default("w+"),
  storage: StorageOptionSchema.optional(),
  handlers: HandlersOptionSchema.optional(),
  now: ClockOptionSchema.optional(),
  hash: HashOptionSchema.optional(),
  retry: RetryOptionsSchema,
  onWarning: WarningHandlerSchema.optional(),
});

export type ParsedRepositoryOptions = z.output<typeof RepositoryOptionsSchema>;

/** Parse user options into typed values or a clear error. */
export function parseOptions<T extends z.ZodType>(schema: T, options: unknown, what: string): z.output<T> {
  // zod objects drop unknown keys silently: a misspelt option would be ignored.
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (shape && typeof options === "object" && options !== null) assertKnownOptions(options, Object.keys(shape), `${what} options`);
  const r = schema.safeParse(options ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const at = issue.path.length ? ` (${issue.path.join(".")})` : "";
    throw new LazyscribeError(`invalid ${what} options${at}: ${issue.message}`);
  }
  return r.data;
}

/** Read the clock as whole epoch seconds, rejecting a broken clock. */
export function clockSeconds(now: () => Date): number {
  const d = now();
  const ms = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(ms)) throw new LazyscribeError("the now() clock returned an invalid Date");
  return Math.floor(ms / 1000);
}

/** Full-jitter exponential backoff (no shared clock needed; uses real timers). */
export function backoff(attempt: number, retry: Required<RetryOptions>): Promise<void> {
  const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  const ms = Math.random() * cap;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
