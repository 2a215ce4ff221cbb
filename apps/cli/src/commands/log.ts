import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { parseNonEmpty } from "../args.js";
import { globals, lib, openRepository, withGlobals } from "../context.js";
import { CliError, EXIT_FAILURE, UsageError } from "../errors.js";
import { artifactJson } from "../format.js";
import { examples, humanSize, print, printJson } from "../output.js";
import { countChunks, progressBar } from "../progress.js";

interface LogOptions {
  handler?: string;
  fname?: string;
}

/** Files above this size show a progress bar (on a TTY). */
const PROGRESS_THRESHOLD = 8 * 1024 * 1024;

/** `lazyscribe log <name> <file|-> [--handler <alias>] [--fname <f>]`: save a new version. */
export function register(program: Command): void {
  withGlobals(program.command("log"))
    .summary("save a file or stdin as a new version")
    .description("save a file (or stdin with -) as a new version of an artifact; creates the repository if needed")
    .argument("<name>", "artifact name", parseNonEmpty)
    .argument("<file>", "file to read, or - for stdin")
    .option("--handler <alias>", "bytes (default: stored as is, streamed), json, text, yaml, ... (the file is parsed with it)", parseNonEmpty)
    .option("--fname <f>", "file name inside the repository (default: <name>-<YYYYMMDDHHMMSS>.<suffix>)", parseNonEmpty)
    .addHelpText(
      "after",
      examples("lazyscribe log model model.onnx", "lazyscribe log features features.json --handler json", "curl -s https://example.com/config.yaml | lazyscribe log config - --handler yaml"),
    )
    .action(async (name: string, file: string, opts: LogOptions, cmd: Command) => {
      const g = globals(cmd);
      const alias = opts.handler ?? "bytes";
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
      print(`logged "${record.name}" version ${record.version} (${record.fname}, ${humanSize(record.size)})`);
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
