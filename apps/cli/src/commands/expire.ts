import type { Command } from "commander";
import { parseNonEmpty, parseTime, parseVersion } from "../args.js";
import { globals, openRepository, withGlobals } from "../context.js";
import { UsageError } from "../errors.js";
import { artifactJson } from "../format.js";
import { examples, humanTime, print, printJson } from "../output.js";

interface ExpireOptions {
  at?: string;
  clear?: boolean;
}

/** `lazyscribe expire <name> [<version>] [--at <time>]`: deprecate a version. */
export function register(program: Command): void {
  withGlobals(program.command("expire"))
    .summary("expire a version (now or --at)")
    .description("set the expiry of a version (default: the latest valid one) to now or --at; expired versions are skipped as latest")
    .argument("<name>", "artifact name", parseNonEmpty)
    .argument("[version]", "an integer version, or a creation time (exact to the second)", parseVersion)
    .option("--at <time>", "expiry time (default: now)", parseTime)
    .option("--clear", "remove the expiry instead")
    .addHelpText(
      "after",
      examples("lazyscribe expire features", "lazyscribe expire features 2 --at 2025-12-25T00:00:00", "lazyscribe expire features 2 --clear"),
    )
    .action(async (name: string, version: number | string | undefined, opts: ExpireOptions, cmd: Command) => {
      const g = globals(cmd);
      if (opts.clear && opts.at !== undefined) throw new UsageError("--clear and --at cannot be used together");
      const repo = await openRepository(g.repo, "w+");
      const record = repo.setArtifactExpiry(name, version, opts.clear ? null : opts.at);
      await repo.save();
      if (g.json) {
        printJson(artifactJson(record.toMetadata(), repo.now()));
        return;
      }
      print(
        record.expiry === null
          ? `"${record.name}" version ${record.version} no longer expires`
          : `"${record.name}" version ${record.version} expires at ${humanTime(record.expiry)}`,
      );
    });
}
