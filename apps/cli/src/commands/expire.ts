import type { Command } from "commander";
import { parseNonEmpty, parseTime, parseVersion } from "../args.js";
import { globals, openRepository, withGlobals } from "../context.js";
import { UsageError } from "../errors.js";
import { artifactJson } from "../format.js";
import { examples, humanTime, print, printJson, warn } from "../output.js";

interface ExpireOptions {
  at?: string;
  latest?: boolean;
  clear?: boolean;
}

/** `lazyscribe expire <name> <version>|--latest [--at <time>]`: deprecate a version. */
export function register(program: Command): void {
  withGlobals(program.command("expire"))
    .summary("expire a version (now or --at)")
    .description("set the expiry of a version (give it, or --latest for the latest valid one) to now or --at; expired versions are skipped as latest")
    .argument("<name>", "artifact name", parseNonEmpty)
    .argument("[version]", "an integer version, or a creation time (exact to the second)", parseVersion)
    .option("--at <time>", "expiry time (default: now)", parseTime)
    .option("--latest", "expire the latest valid version (instead of naming one)")
    .option("--clear", "remove the expiry instead")
    .addHelpText(
      "after",
      examples("lazyscribe expire features 2", "lazyscribe expire features --latest", "lazyscribe expire features 2 --at 2025-12-25T00:00:00", "lazyscribe expire features 2 --clear"),
    )
    .action(async (name: string, version: number | string | undefined, opts: ExpireOptions, cmd: Command) => {
      const g = globals(cmd);
      if (opts.clear && opts.at !== undefined) throw new UsageError("--clear and --at cannot be used together");
      // Naming the version is required: a default of "the latest" would walk back through history when repeated.
      if (version === undefined && !opts.latest) throw new UsageError(`expire needs a version: lazyscribe expire ${name} <version>, or --latest for the latest valid one`);
      if (version !== undefined && opts.latest) throw new UsageError("give a version or --latest, not both");
      const repo = await openRepository(g.repo, "w+");
      const record = repo.setArtifactExpiry(name, version, opts.clear ? null : opts.at);
      if (record.expiry !== null && record.expiry.getTime() < record.createdAt.getTime()) {
        warn(`the expiry ${humanTime(record.expiry)} is before "${record.name}" version ${record.version} was created (${humanTime(record.createdAt)}): it has always counted as expired`);
      }
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
