import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rename, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { parseNonEmpty, parseVersion, versionQuery } from "../args.js";
import { globals, openRepository, withGlobals } from "../context.js";
import { CliError, systemMessage, UsageError } from "../errors.js";
import { examples, print, printJson } from "../output.js";
import { countBytes, PROGRESS_THRESHOLD, progressBar } from "../progress.js";

interface CatOptions {
  version?: number | string;
  asof?: boolean;
  output?: string;
}

/** `lazyscribe cat <name> [--version] [--asof] [-o <file>]`: the raw bytes of an artifact file. */
export function register(program: Command): void {
  withGlobals(program.command("cat"))
    .summary("write an artifact file's raw bytes to stdout or a file")
    .description("write the raw bytes of an artifact version to stdout or a file (verified against its sha256)")
    .argument("<name>", "artifact name", parseNonEmpty)
    .option("--version <n|time>", "an integer version, or a creation time (exact to the second)", parseVersion)
    .option("--asof", "with a time --version: the newest version valid as of that time")
    .option("-o, --output <file>", "write to this file instead of stdout (replaced only when complete)")
    .addHelpText("after", examples("lazyscribe cat config --version 1", "lazyscribe cat features -o features.json", "lazyscribe cat config | jq ."))
    .action(async (name: string, opts: CatOptions, cmd: Command) => {
      const g = globals(cmd);
      const query = versionQuery(opts.version, opts.asof);
      if (g.json && opts.output === undefined) throw new UsageError("cat --json needs -o <file>: without it, the raw bytes go to stdout");
      const repo = await openRepository(g.repo, "r");
      // Raw bytes need no handler: an entry whose handler is not installed here (Python's pickle) is copied as is.
      const meta = repo.getArtifactMetadata(name, query);
      const size = meta.size ?? (await repo.storage.stat(repo.artifactKey(meta)).catch(() => null))?.size ?? null;
      const bar = size !== null && size > PROGRESS_THRESHOLD ? progressBar(`cat ${name}`, size) : null;
      const opened = await repo.openArtifactStream(name, { version: meta.version, match: "exact" });
      const record = opened.record;
      const stream = bar ? countBytes(opened.stream, bar) : opened.stream;
      try {
        if (opts.output === undefined) await verifiedToStdout(stream, record.sha256 !== undefined || record.size !== undefined, size);
        else await verifiedToFile(stream, path.resolve(opts.output), opts.output);
      } finally {
        bar?.finish();
      }
      if (opts.output === undefined) return;
      const target = path.resolve(opts.output);
      if (g.json) printJson({ name: record.name, version: record.version, fname: record.fname, output: target, size: record.size ?? size });
      else print(`wrote "${record.name}" version ${record.version} to ${opts.output}`);
    });
}

/** Files up to this size are verified in memory before stdout sees them; bigger ones go through a temp file. */
const IN_MEMORY_LIMIT = 32 * 1024 * 1024;

/**
 * Write an artifact to stdout only once all of it has passed the size and
 * sha256 check, so `lazyscribe cat x | jq` never sees a tampered byte.
 * Without a recorded size or sha256 (old Python entries) there is nothing to
 * check: the bytes are streamed as they come.
 */
async function verifiedToStdout(stream: ReadableStream<Uint8Array>, checked: boolean, size: number | null): Promise<void> {
  if (!checked) return toStdout(stream);
  if (size !== null && size <= IN_MEMORY_LIMIT) {
    const chunks: Uint8Array[] = [];
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    return toStdout(new ReadableStream({ start(c) { for (const chunk of chunks) c.enqueue(chunk); c.close(); } }));
  }
  const dir = await mkdtemp(path.join(tmpdir(), "lazyscribe-cat-"));
  const temp = path.join(dir, "artifact");
  try {
    await pipeline(Readable.fromWeb(stream as import("node:stream/web").ReadableStream<Uint8Array>), createWriteStream(temp, { flags: "wx" }));
    await toStdout(Readable.toWeb(createReadStream(temp, { highWaterMark: 1 << 20 })) as unknown as ReadableStream<Uint8Array>);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Write to `target` through a temp file beside it, renamed only when verified; errors name the file the user gave. */
async function verifiedToFile(stream: ReadableStream<Uint8Array>, target: string, shownAs: string): Promise<void> {
  const temp = `${target}.${process.pid}.lztmp`;
  try {
    await pipeline(Readable.fromWeb(stream as import("node:stream/web").ReadableStream<Uint8Array>), createWriteStream(temp, { flags: "wx" }));
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (typeof code === "string" && (err as NodeJS.ErrnoException).syscall !== undefined) {
      throw new CliError(`cannot write ${shownAs}: ${systemMessage(code) ?? (err as Error).message}`, undefined, { cause: err });
    }
    throw err;
  }
}

/** Stream to stdout with backpressure; a closed pipe (`| head`) ends quietly. */
async function toStdout(stream: ReadableStream<Uint8Array>): Promise<void> {
  const out = process.stdout;
  let closed = false;
  // Stays attached: a reader that went away (EPIPE) is not an error of ours.
  out.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") closed = true;
    else throw err;
  });
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || closed) break;
      if (!out.write(value)) {
        try {
          await once(out, "drain");
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === "EPIPE") closed = true;
          else throw err;
        }
      }
    }
  } finally {
    if (closed) await reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
}
