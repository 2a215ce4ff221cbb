import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { parseNonEmpty, parseVersion, versionQuery } from "../args.js";
import { globals, openRepository, withGlobals } from "../context.js";
import { ensureHandler, installHint } from "../handlerPackages.js";
import { CliError, UsageError } from "../errors.js";
import { examples, print, printJson } from "../output.js";

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
      const meta = repo.getArtifactMetadata(name, query);
      if (!(await ensureHandler(repo.handlers, meta.handler))) {
        throw new CliError(
          `cannot read "${name}" version ${meta.version} (${meta.fname}): its handler "${meta.handler}" is not registered here${installHint(meta.handler)}` +
            (meta.extra.python_version !== undefined ? ` (written by Python ${String(meta.extra.python_version)})` : "") +
            `; known handlers: ${repo.handlers.aliases().join(", ")}`,
        );
      }
      const { record, stream } = await repo.openArtifactStream(name, { ...query, version: meta.version, match: "exact" });
      if (opts.output === undefined) {
        await toStdout(stream);
        return;
      }
      const target = path.resolve(opts.output);
      const temp = `${target}.${process.pid}.lztmp`;
      try {
        await pipeline(Readable.fromWeb(stream as import("node:stream/web").ReadableStream<Uint8Array>), createWriteStream(temp, { flags: "wx" }));
        await rename(temp, target);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        throw err;
      }
      const size = record.size ?? null;
      if (g.json) printJson({ name: record.name, version: record.version, fname: record.fname, output: target, size });
      else print(`wrote "${record.name}" version ${record.version} to ${opts.output}`);
    });
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
