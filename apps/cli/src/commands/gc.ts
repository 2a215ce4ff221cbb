import type { Command } from "commander";
import { parseSeconds } from "../args.js";
import { globals, openRepository, withGlobals } from "../context.js";
import { examples, print, printJson } from "../output.js";

interface GcOptions {
  dryRun?: boolean;
  grace?: number;
}

/** `lazyscribe gc [--dry-run]`: remove files no manifest entry references. */
export function register(program: Command): void {
  withGlobals(program.command("gc"))
    .summary("remove orphan files")
    .description("remove orphan files (no entry references them, e.g. left by a crashed writer)")
    .option("--dry-run", "only list what would be removed")
    .option("--grace <seconds>", "leave orphans younger than this alone: a writer may still commit them (default: 3600)", parseSeconds)
    .addHelpText("after", examples("lazyscribe gc --dry-run", "lazyscribe gc", "lazyscribe gc --grace 0 --json"))
    .action(async (opts: GcOptions, cmd: Command) => {
      const g = globals(cmd);
      const dryRun = opts.dryRun === true;
      const repo = await openRepository(g.repo, dryRun ? "r" : "w+");
      const result = await repo.gc({ dryRun, ...(opts.grace !== undefined ? { graceSeconds: opts.grace } : {}) });
      if (g.json) {
        printJson({ dryRun, removed: result.removed ? result.orphans : [], orphans: result.orphans, skippedRecent: result.skippedRecent });
        return;
      }
      const verb = dryRun ? "would remove" : "removed";
      if (result.orphans.length === 0) print("no orphan files");
      else print(result.orphans.map((k) => `${verb} ${k}`).join("\n"));
      if (result.skippedRecent.length > 0) {
        print(`kept ${result.skippedRecent.length} recent orphan${result.skippedRecent.length === 1 ? "" : "s"} (younger than the grace period; use --grace 0 to include them)`);
      }
    });
}
