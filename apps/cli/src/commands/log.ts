import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import type { Repository } from "lazyscribe";
import { parseNonEmpty } from "../args.js";
import { globals, lib, openRepository, withGlobals } from "../context.js";
import { CliError, EXIT_FAILURE, UsageError } from "../errors.js";
import { artifactJson } from "../format.js";
import { examples, humanSize, print, printJson } from "../output.js";
import { countChunks, PROGRESS_THRESHOLD, progressBar } from "../progress.js";

interface LogOptions {
  handler?: string;
  fname?: string;
}

/** The handler a file gets when `--handler` is not given and the artifact is new. */
const BY_EXTENSION: Record<string, string> = { ".json": "json", ".txt": "text", ".md": "text", ".yaml": "yaml", ".yml": "yaml" };

/**
 * `--handler`, else the handler of the artifact's latest version (a text
 * artifact stays text), else one inferred from the file's extension, else
 * `bytes`; with the reason, printed so the choice is never a surprise.
 */
function chooseHandler(repo: Repository, name: string, explicit: string | undefined, file: string | null): { alias: string; why: string | null } {
  if (explicit !== undefined) return { alias: explicit, why: null };
  if (repo.has(name)) {
    const latest = repo.versions(name).reduce((a, b) => (b.version > a.version ? b : a));
    if (!repo.handlers.has(latest.handler)) {
      throw new UsageError(`"${name}" version ${latest.version} uses handler "${latest.handler}", which this CLI does not have; pass --handler <alias> (known handlers: ${repo.handlers.aliases().join(", ")})`);
    }
    return { alias: latest.handler, why: `as version ${latest.version}` };
  }
  const ext = file === null ? "" : path.extname(file).toLowerCase();
  const alias = BY_EXTENSION[ext];
  if (alias !== undefined && repo.handlers.has(alias)) return { alias, why: `from the ${ext} extension` };
  return { alias: "bytes", why: ext ? `the default for ${ext} files` : "the default" };
}

/** `lazyscribe log <name> <file|-> [--handler <alias>] [--fname <f>]`: save a new version. */
export function register(program: Command): void {
  withGlobals(program.command("log"))
    .summary("save a file or stdin as a new version")
    .description("save a file (or stdin with -) as a new version of an artifact; creates the repository if needed")
    .argument("<name>", "artifact name", parseNonEmpty)
    .argument("<file>", "file to read, or - for stdin")
    .option(
      "--handler <alias>",
      "json, text, yaml, bytes (stored as is, streamed), ... (the file is parsed with it); default: the handler of the artifact's latest version, else by extension (.json, .txt/.md, .yaml/.yml), else bytes",
      parseNonEmpty,
    )
    .option("--fname <f>", "file name inside the repository (default: <name>-<YYYYMMDDHHMMSS>.<suffix>)", parseNonEmpty)
    .addHelpText(
      "after",
      examples("lazyscribe log model model.onnx", "lazyscribe log features features.json --handler json", "curl -s https://example.com/config.yaml | lazyscribe log config - --handler yaml"),
    )
    .action(async (name: string, file: string, opts: LogOptions, cmd: Command) => {
      const g = globals(cmd);
      const fromStdin = file === "-";
      let size: number | null = null;
      if (!fromStdin) {
        let s;
        try {
          s = await stat(file);
        } catch {
          throw new CliError(`cannot read ${file}: no such file`);
        }
        if (!s.isFile()) throw new CliError(`cannot read ${file}: not a regular file`);
        size = s.size;
      }
      const repo = await openRepository(g.repo, "a", { mustExist: false });
      const { alias, why } = chooseHandler(repo, name, opts.handler, fromStdin ? null : file);
      const handler = repo.handlers.find(alias);
      if (!handler) throw new UsageError(`--handler: no handler "${alias}"; known handlers: ${repo.handlers.aliases().join(", ")}`);

      let value: unknown;
      const bar = alias === "bytes" && size !== null && size > PROGRESS_THRESHOLD ? progressBar(`log ${name}`, size) : null;
      if (alias === "bytes") {
        // 1 MiB reads: with the 64 KiB default, one small read in flight limits big files to a fraction of disk speed.
        const nodeStream = fromStdin ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
        // A Node stream is an async iterable of bytes: handed over as is (no web-stream layer).
        value = bar ? countChunks(nodeStream as AsyncIterable<Uint8Array>, bar) : nodeStream;
      } else {
        const bytes = fromStdin ? await readAll(process.stdin) : new Uint8Array(await readFile(file));
        value = await parseWith(handler, bytes, fromStdin ? "stdin" : path.basename(file));
      }
      const record = repo.logArtifact(name, value, { handler: alias, ...(opts.fname !== undefined ? { fname: opts.fname } : {}) });
      try {
        await repo.save();
      } finally {
        bar?.finish();
      }
      if (g.json) {
        printJson(artifactJson(record.toMetadata(), repo.now()));
        return;
      }
      print(`logged "${record.name}" version ${record.version} (${record.fname}, ${humanSize(record.size)}) with handler ${alias}${why ? ` (${why})` : ""}`);
    });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Read a file's content as the handler's value (json → parsed JSON, text → string, yaml → parsed). */
async function parseWith(handler: import("lazyscribe").ArtifactHandler, bytes: Uint8Array, label: string): Promise<unknown> {
  const { toByteStream } = await lib();
  let text: string | undefined;
  const source = {
    fname: label,
    bytes: async () => bytes,
    text: async () => (text ??= new TextDecoder("utf-8", { fatal: true }).decode(bytes)),
    stream: async () => toByteStream(bytes),
  };
  try {
    return await handler.read(source, { environment: {}, validate: false });
  } catch (err) {
    throw new CliError(`cannot read ${label} as ${handler.alias}: ${(err as Error)?.message ?? String(err)}`, EXIT_FAILURE, { cause: err });
  }
}
