import type { Command } from "commander";
import { parseNonEmpty, parseVersion } from "../args.js";
import { globals, openRepository, withGlobals } from "../context.js";
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
        if (repo.handlers.find(m.handler)?.binary || (!known && HANDLER_PACKAGES[m.handler])) {
          throw new CliError(
            `cannot diff "${name}": version ${m.version} (${m.fname}) is a binary ${m.handler} file, and diff compares text artifacts only; ` +
              `compare what they hold with: lazyscribe show ${name} --version ${from.version} and --version ${to.version}`,
          );
        }
      }
      const diff = await repo.getVersionDiff(name, [from.version, to.version]);
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
