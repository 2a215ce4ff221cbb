/**
 * Test support: run real Python lazyscribe 2.2.1 (vendored in
 * tools/python/lazyscribe-2.2.1, see tools/python/README.md) with Debian's
 * /usr/bin/python3 on files this product wrote, through the read-only driver
 * tools/python/open_with_lazyscribe.py.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const TOOLS = join(__dirname, "../../../../tools/python");
export const PYTHON = "/usr/bin/python3";
export const VENDORED = join(TOOLS, "lazyscribe-2.2.1");
export const DRIVER = join(TOOLS, "open_with_lazyscribe.py");
/** The writing counterpart of DRIVER (see its docstring). */
export const WRITER = join(TOOLS, "write_with_lazyscribe.py");
/** `<git blob sha1>  <path>` of every vendored file, from `git ls-tree -r v2.2.1 -- lazyscribe LICENSE`. */
export const VENDORED_BLOBS = join(TOOLS, "lazyscribe-2.2.1.sha1");

/** An answer of the driver: a value or the Python exception's class name and message. */
export type Answer = { ok: unknown; error?: undefined; message?: undefined } | { ok?: undefined; error: string; message: string };

/**
 * Null when /usr/bin/python3 imports lazyscribe 2.2.1's runtime dependencies
 * (Debian's python3-attr, python3-fsspec, python3-slugify); else what is missing.
 */
export function pythonDepsProblem(): string | null {
  return importProblem("attrs, fsspec, slugify");
}

/** Null when /usr/bin/python3 imports `modules`; else why not (its last error line). */
function importProblem(modules: string): string | null {
  const r = spawnSync(PYTHON, ["-c", `import ${modules}`], { encoding: "utf8" });
  if (r.error) return `${PYTHON} cannot run (${r.error.message})`;
  if (r.status !== 0) return r.stderr.trim().split("\n").at(-1) ?? `exit ${r.status}`;
  return null;
}

/** Fail (never skip) when Python or its packages are missing, naming the fix. */
export function requirePython(): void {
  const problem = pythonDepsProblem();
  if (problem) {
    throw new Error(
      `Python lazyscribe 2.2.1 needs Debian's python3-attr, python3-fsspec and python3-slugify for ${PYTHON}: ${problem}. ` +
        "Run scripts/ensure-python-test-deps.sh as root.",
    );
  }
}

/**
 * The environment Python runs in: the vendored lazyscribe, no __pycache__ in
 * the vendored tree, no user site packages, UTF-8; and the `AWS_*` variables
 * (endpoint, keys, region) for `s3://` paths (tools/python/boto3_fsspec.py).
 */
function pythonEnv(): NodeJS.ProcessEnv {
  const aws = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("AWS_")));
  return { ...aws, PATH: process.env.PATH ?? "/usr/bin:/bin", PYTHONPATH: VENDORED, PYTHONDONTWRITEBYTECODE: "1", PYTHONNOUSERSITE: "1", LANG: "C.UTF-8" };
}

function runScript<T>(script: string, request: { tasks: unknown[] }): T {
  const out = execFileSync(PYTHON, [script], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: pythonEnv(),
    stdio: ["pipe", "pipe", "pipe"],
  });
  return JSON.parse(out) as T;
}

/** Run the driver on a request (see its docstring); returns its parsed answer. */
export function runPython(request: { tasks: unknown[] }): { lazyscribe: string; results: Array<Record<string, unknown>> } {
  return runScript(DRIVER, request);
}

/** Run the writer on a request (see tools/python/write_with_lazyscribe.py); one `{ ok }` / `{ error }` per task. */
export function runPythonWriter(request: { tasks: unknown[] }): { lazyscribe: string; results: Answer[] } {
  return runScript(WRITER, request);
}

/**
 * Null when /usr/bin/python3 imports boto3 (Debian's python3-boto3), which
 * tools/python/boto3_fsspec.py needs to serve `s3://` paths; else what is missing.
 */
export function pythonS3Problem(): string | null {
  return importProblem("boto3, fsspec");
}

/** Fail (never skip) when Python cannot reach S3 through boto3_fsspec, naming the fix. */
export function requirePythonS3(): void {
  requirePython();
  const problem = pythonS3Problem();
  if (problem) throw new Error(`Python lazyscribe on s3:// needs Debian's python3-boto3 for ${PYTHON}: ${problem}. Run scripts/ensure-python-test-deps.sh as root.`);
}

/** The vendored files whose git blob hash differs from upstream's, and files upstream does not have. */
export function vendoredDrift(): string[] {
  const wanted = new Map(
    readFileSync(VENDORED_BLOBS, "utf8")
      .trim()
      .split("\n")
      .map((line) => {
        const [sha, path] = line.split(/ {2}/);
        return [path!, sha!] as const;
      }),
  );
  const problems: string[] = [];
  const files = readdirSync(VENDORED, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name).slice(VENDORED.length + 1).split("\\").join("/"))
    .filter((p) => !p.startsWith("lazyscribe-2.2.1.dist-info/"));
  for (const path of files) {
    const bytes = readFileSync(join(VENDORED, path));
    const blob = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
    if (!wanted.has(path)) problems.push(`${path}: not in lazyscribe v2.2.1`);
    else if (wanted.get(path) !== blob) problems.push(`${path}: edited (blob ${blob}, upstream ${wanted.get(path)})`);
  }
  for (const path of wanted.keys()) if (!files.includes(path)) problems.push(`${path}: missing`);
  return problems;
}

/**
 * A value as the driver prints it: `NaN` / `±Infinity` as `{ $float }`
 * (strict JSON), `Date` as Python's `isoformat(timespec="seconds")`.
 */
export function encode(value: unknown): unknown {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return { $float: "nan" };
    if (value === Infinity) return { $float: "inf" };
    if (value === -Infinity) return { $float: "-inf" };
    return value;
  }
  if (value instanceof Date) return pythonTime(value);
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

/** `YYYY-MM-DDTHH:MM:SS` (UTC), as lazyscribe writes and Python prints times. */
export function pythonTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** Python's exception for one of our error codes (fixtures/README.md's mapping, reversed). */
export function pythonErrorFor(code: string, query: { version?: unknown; match?: string }): string {
  if (code === "ARTIFACT_NOT_FOUND") return "ValueError";
  if (code === "INVALID_VERSION") return typeof query.version === "number" && query.match === "asof" ? "ValueError" : "InvalidVersionError";
  if (code === "VERSION_NOT_FOUND") return "VersionNotFoundError";
  return `(no Python counterpart for ${code})`;
}

/** Our answer to a query in the driver's shape: `{ ok }`, or `{ error }` with Python's exception name. */
export async function answerOf(
  fn: () => unknown,
  query: { version?: unknown; match?: string } = {},
  errorFor: (code: string, query: { version?: unknown; match?: string }) => string = pythonErrorFor,
): Promise<Answer> {
  try {
    return { ok: encode(await fn()) };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (!code) throw err;
    return { error: errorFor(code, query), message: (err as Error).message };
  }
}

/** Compare answers by outcome: the value, or the exception class (messages differ by design). */
export function outcome(a: Answer | undefined): unknown {
  if (a === undefined) return "(no answer)";
  return a.error !== undefined ? { error: a.error } : { ok: a.ok };
}
