import type { Command } from "commander";
import { parseNonEmpty, parseVersion } from "../args.js";
import type { ArtifactMetadata, Repository } from "lazyscribe";
import { globals, lib, openRepository, withGlobals } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import { HANDLER_PACKAGES, ensureHandler } from "../handlerPackages.js";
import { examples, printJson, stdoutColors } from "../output.js";

interface DiffOptions {
  asof?: boolean;
}

/** `lazyscribe diff <name> <v1> [<v2>]`: unified diff of two versions (text handlers). */
export function register(program: Command): void {
  withGlobals(program.command("diff"))
    .summary("diff two versions of a text artifact")
    .description("unified diff between two versions of a text artifact (v2 defaults to the latest valid version)")
    .argument("<name>", "artifact name", parseNonEmpty)
    .argument("<v1>", "an integer version or a creation time", parseVersion)
    .argument("[v2]", "an integer version or a creation time (default: latest)", parseVersion)
    .option("--asof", "treat time versions as 'newest valid as of' instead of exact")
    .addHelpText("after", examples("lazyscribe diff features 0", "lazyscribe diff features 0 1", "lazyscribe diff config 2025-01-20T00:00:00 2025-02-10T00:00:00 --asof"))
    .action(async (name: string, v1: number | string, v2: number | string | undefined, opts: DiffOptions, cmd: Command) => {
      const g = globals(cmd);
      if (opts.asof && (typeof v1 === "number" || typeof v2 === "number")) throw new UsageError("--asof needs time versions, not integers");
      const match = opts.asof ? "asof" : "exact";
      const repo = await openRepository(g.repo, "r");
      const from = repo.getArtifactMetadata(name, { version: v1, match });
      const to = v2 === undefined ? repo.getArtifactMetadata(name) : repo.getArtifactMetadata(name, { version: v2, match });
      for (const m of [from, to]) {
        const known = await ensureHandler(repo.handlers, m.handler);
        // `bytes` is left to asTextWhereUtf8: a UTF-8 text file stored as bytes diffs as text.
        if ((m.handler !== "bytes" && repo.handlers.find(m.handler)?.binary) || (!known && HANDLER_PACKAGES[m.handler])) {
          throw new CliError(
            `cannot diff "${name}": version ${m.version} (${m.fname}) is a binary ${m.handler} file, and diff compares text artifacts only; ` +
              `compare what they hold with: lazyscribe show ${name} --version ${from.version} and --version ${to.version}`,
          );
        }
      }
      const diff = await (await asTextWhereUtf8(repo, [from, to])).getVersionDiff(name, [from.version, to.version], { style: "patch" });
      if (g.json) {
        printJson({ name, from: from.version, to: to.version, identical: !/^@@/m.test(diff), diff });
        return;
      }
      const c = stdoutColors();
      const colored = diff
        .split("\n")
        .map((line) =>
          line.startsWith("+++") || line.startsWith("---") ? c.bold(line) : line.startsWith("@@") ? c.cyan(line) : line.startsWith("+") ? c.green(line) : line.startsWith("-") ? c.red(line) : line,
        )
        .join("\n");
      process.stdout.write(colored.endsWith("\n") ? colored : `${colored}\n`);
    });
}

/**
 * `bytes` (or any binary handler) versions whose files are valid UTF-8 are
 * diffed as text: the repository is reopened with those handlers marked
 * textual. Files that are not UTF-8 keep the library's "binary" refusal.
 */
async function asTextWhereUtf8(repo: Repository, versions: ArtifactMetadata[]): Promise<Repository> {
  const binary = versions.filter((m) => repo.handlers.find(m.handler)?.binary === true);
  if (binary.length === 0) return repo;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const m of binary) {
    const { stream } = await repo.openArtifactStream(m.name, { version: m.version, match: "exact" });
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    try {
      decoder.decode(bytes);
    } catch {
      return repo;
    }
  }
  const handlers = repo.handlers.clone();
  for (const alias of new Set(binary.map((m) => m.handler))) {
    handlers.register(Object.create(repo.handlers.get(alias), { binary: { value: false } }));
  }
  const { Repository: Repo } = await lib();
  return Repo.open(repo.manifestKey, { mode: "r", storage: repo.storage, handlers });
}
