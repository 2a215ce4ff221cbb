import os from "node:os";

/**
 * The author recorded on new experiments when `Project.open` gets none: the
 * operating-system user (`os.userInfo().username`, like Python's
 * `getpass.getuser()`), else `$USER` / `$USERNAME`, else `"unknown"`.
 *
 * This is the only place in `@lazyscribe/experiments` that touches a Node
 * built-in.
 *
 * @example
 * const author = defaultAuthor(); // "alice"
 */
export function defaultAuthor(): string {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // No passwd entry (e.g. a container running as an arbitrary uid).
  }
  const env = typeof process === "object" ? process.env : {};
  return env.USER || env.USERNAME || env.LOGNAME || "unknown";
}
