import type { Command } from "commander";
import type { ArtifactMetadata, Repository } from "lazyscribe";
import { parseTime } from "../args.js";
import { globals, openRepository, toDate, withGlobals } from "../context.js";
import { artifactJson, expiryCell, sizeCell } from "../format.js";
import { examples, humanTime, print, printJson, stdoutColors, table } from "../output.js";

interface LsOptions {
  at?: string;
}

/** `lazyscribe ls [--at <time>]`: the latest version of each artifact. */
export function register(program: Command): void {
  withGlobals(program.command("ls"))
    .summary("list artifacts with their latest version")
    .description("list artifacts: the latest version of each name (name, version, created, expiry, handler, size)")
    .option("--at <time>", "the latest version of each name as of this time (UTC unless it has Z or an offset)", parseTime)
    .addHelpText("after", examples("lazyscribe ls", "lazyscribe ls --at 2025-02-10T00:00:00 --repo models/repository.json", "lazyscribe ls --json"))
    .action(async (opts: LsOptions, cmd: Command) => {
      const g = globals(cmd);
      const repo = await openRepository(g.repo, "r");
      const at = opts.at !== undefined ? await toDate(opts.at) : repo.now();
      const entries = opts.at !== undefined ? asOf(repo, opts.at) : latest(repo);
      const sizes = await Promise.all(entries.map((m) => sizeOf(repo, m)));
      if (g.json) {
        printJson({ artifacts: entries.map((m, i) => artifactJson(m, at, sizes[i])) });
        return;
      }
      if (entries.length === 0) {
        print(opts.at !== undefined ? `no artifacts as of ${humanTime(at)}` : "no artifacts");
        return;
      }
      const c = stdoutColors();
      print(
        table(
          [{ header: "NAME" }, { header: "VERSION", align: "right" }, { header: "CREATED" }, { header: "EXPIRY" }, { header: "HANDLER" }, { header: "SIZE", align: "right" }],
          entries.map((m, i) => [c.cyan(m.name), String(m.version), humanTime(m.createdAt), expiryCell(m, at, c), m.handler, sizeCell(sizes[i])]),
        ),
      );
    });
}

/**
 * Latest valid version of each name at now. A name whose every version has
 * expired is still listed, with its newest version (marked expired).
 */
function latest(repo: Repository): ArtifactMetadata[] {
  return repo.names().map((name) => {
    try {
      return repo.getArtifactMetadata(name);
    } catch (err) {
      if ((err as { code?: unknown }).code !== "VERSION_NOT_FOUND") throw err;
      const all = repo.versions(name);
      const newest = all.reduce((a, b) => (b.createdAt.getTime() > a.createdAt.getTime() || (b.createdAt.getTime() === a.createdAt.getTime() && b.version > a.version) ? b : a));
      return newest.toMetadata();
    }
  });
}

/** Latest version of each name as of a time; names with none then are left out. */
function asOf(repo: Repository, at: string): ArtifactMetadata[] {
  const view = repo.filter(at);
  return view.names().map((name) => view.versions(name)[0]!.toMetadata());
}

/** Recorded size, else the file's size on disk (Python entries record none). */
async function sizeOf(repo: Repository, meta: ArtifactMetadata): Promise<number | null> {
  if (meta.size !== undefined) return meta.size;
  try {
    return (await repo.storage.stat(repo.artifactKey(meta)))?.size ?? null;
  } catch {
    return null;
  }
}
