/**
 * Errors as JSON for the page: the library's stable `code` and message, and
 * an HTTP status (400 bad input, 404 not found). Never a stack trace.
 */
import { isLazyscribeError } from "lazyscribe";

export interface ErrorBody {
  error: { code: string; message: string };
}

const NOT_FOUND = new Set(["ARTIFACT_NOT_FOUND", "VERSION_NOT_FOUND", "STORAGE_NOT_FOUND", "NOT_FOUND", "EXPERIMENT_NOT_FOUND", "RELEASE_NOT_FOUND"]);
/** Broken files on disk: the request was fine, the data is not. */
const BROKEN_DATA = new Set(["MANIFEST_INVALID", "INTEGRITY"]);

/** A request the server refuses before asking the library (missing parameter, bad number). */
export class BadRequestError extends Error {
  readonly code: string = "BAD_REQUEST";
}

/** Something the page asked for is not there (no repository or project was given, or its file is missing). */
export class NotFoundError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Status and JSON body for any thrown value. */
export function errorResponse(err: unknown): { status: 400 | 404 | 500; body: ErrorBody } {
  if (err instanceof NotFoundError) return { status: 404, body: { error: { code: err.code, message: err.message } } };
  if (err instanceof BadRequestError) return { status: 400, body: { error: { code: err.code, message: err.message } } };
  if (isLazyscribeError(err) && !isSystemError(err)) {
    const code = err.code;
    const status = NOT_FOUND.has(code) || code.endsWith("_NOT_FOUND") ? 404 : BROKEN_DATA.has(code) ? 500 : 400;
    return { status, body: { error: { code, message: err.message } } };
  }
  // Unknown failures: a generic message only (the details may hold paths or stacks).
  return { status: 500, body: { error: { code: "INTERNAL", message: "the server could not answer this request; see the terminal running lazyscribe ui" } } };
}

/** Node's own I/O errors (`ENOENT`, ...) also carry a `code`; their messages hold paths. */
function isSystemError(err: Error): boolean {
  return "syscall" in err || "errno" in err;
}
