import { z } from "zod";

/** What a {@link LazyscribeWarning} is about. */
export type WarningCode =
  /** An output-only artifact (a report, not meant to be read back as the value) was logged, saved or loaded. */
  | "OUTPUT_ONLY"
  /** `filter(time)` left out a name with no version before that time. */
  | "NO_VERSION_BEFORE"
  /** `getVersionDiff` was given one version twice. */
  | "SAME_VERSION";

/**
 * A warning Python lazyscribe gives (with `warnings.warn` or `LOG.warning`):
 * nothing failed, but the caller may not get what they expect. An `Error`
 * subclass, so Node's `process.emitWarning(warning)` prints it as
 * `LazyscribeWarning: ...`.
 *
 * @example
 * const repo = await Repository.open("repository.json", { onWarning: (w) => console.warn(w.code, w.message) });
 */
export class LazyscribeWarning extends Error {
  override readonly name = "LazyscribeWarning";
  constructor(
    readonly code: WarningCode,
    message: string,
  ) {
    super(message);
  }
}

/** Receives warnings; see the `onWarning` option of `Repository.open` / `Project.open`. */
export type WarningHandler = (warning: LazyscribeWarning) => void;

export const WarningHandlerSchema = z.custom<WarningHandler>((v) => typeof v === "function", "onWarning must be a function");

let defaultHandler: WarningHandler | undefined;

/**
 * The process-wide warning handler used when `onWarning` is not given. Core
 * has none (silent); the `lazyscribe` package sets one that calls
 * `process.emitWarning`. Pass `undefined` to silence.
 *
 * @example
 * setDefaultWarningHandler((w) => log.warn(w.message));
 */
export function setDefaultWarningHandler(handler: WarningHandler | undefined): void {
  defaultHandler = handler;
}

/** Deliver a warning to `handler`, else to the process-wide default, else nowhere. */
export function emitWarning(handler: WarningHandler | undefined, code: WarningCode, message: string): void {
  const h = handler ?? defaultHandler;
  if (h) h(new LazyscribeWarning(code, message));
}
