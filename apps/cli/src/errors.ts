/**
 * Exit codes and error classification. 0 ok, 1 failure, 2 usage error
 * (unknown command or option, missing argument, bad value).
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A failure the CLI reports as one line (`lazyscribe: <message>`), exit 1 by default. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The command line itself is wrong: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_USAGE, options);
  }
}

/** The command ran and found problems (e.g. `verify`): exit 1 after normal output. */
export class ProblemsFound extends CliError {}

/** Library error codes that mean "the user gave a bad value" rather than "it failed". */
const USAGE_CODES = new Set(["INVALID_VERSION"]);

/** Node system error codes, phrased for people. */
const SYSTEM_MESSAGES: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  ENOSPC: "no space left on device",
  EEXIST: "already exists",
};

/** A Node system error code in words (`EACCES` → "permission denied"), or undefined. */
export function systemMessage(code: string): string | undefined {
  return SYSTEM_MESSAGES[code];
}

interface SystemError extends Error {
  code?: string;
  path?: string;
  syscall?: string;
}

/** The exit code for an error thrown by a command. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && USAGE_CODES.has(code)) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** One line describing an error, without the `lazyscribe:` prefix. */
export function describeError(err: unknown): string {
  let message: string;
  if (err instanceof Error) {
    const sys = err as SystemError;
    if (typeof sys.code === "string" && SYSTEM_MESSAGES[sys.code] && sys.path) {
      message = `${sys.path}: ${SYSTEM_MESSAGES[sys.code]}`;
    } else {
      message = err.message || err.name;
    }
  } else {
    message = String(err);
  }
  return oneLine(cliPhrasing(message));
}

/**
 * Library messages speak API (`match "asof"`, `call save()`,
 * `registerHandler()`); the CLI says the flag or command instead, never
 * names an internal temp file (`.<name>.<pid>-<rand>.lztmp` → the file the
 * user knows), and prints times as ISO with `Z` like the rest of its output.
 */
export function cliPhrasing(message: string): string {
  return (
    message
      .replace(/use match "asof"/g, "use --asof")
      .replace(/match "asof" needs a time/g, "--asof needs a time")
      .replace(/load an exact version or an asof time instead/g, "give --version <n> or --version <time> --asof")
      .replace(/;?\s*call (?:project\.)?save\(\) (?:again|first)\.?/g, "; run the command again.")
      .replace(/ ?Register one with registerHandler\(\) or pass a handler registry to open\(\)\./g, " This lazyscribe command has no handler for it; `lazyscribe cat` still copies its raw bytes.")
      .replace(/minimalRepositoryFromRelease\(\)(?: (?:location|repository|release|options))?/g, "release export")
      .replace(/createRelease\(\)/g, "release create")
      .replace(/(^|[\s"'(/])\.([^/\s"']+?)\.\d+-[0-9a-z]+\.lztmp\b/gi, "$1$2")
      .replace(/([^\s"'(]+?)\.\d+\.lztmp\b/g, "$1")
      // Naive ISO times from the library are UTC: say so the way every other time is printed.
      .replace(/\b(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?![\d.:Z+-])/g, "$1Z")
  );
}

/** Collapse whitespace runs that contain newlines, so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** The stack of an error and its causes (for `--debug`). */
export function debugDetails(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push((depth > 0 ? "Caused by: " : "") + (current.stack ?? `${current.name}: ${current.message}`) + (typeof code === "string" ? `\n  code: ${code}` : ""));
      current = current.cause;
    } else {
      parts.push(`${depth > 0 ? "Caused by: " : ""}${String(current)}`);
      break;
    }
  }
  return parts.join("\n");
}
