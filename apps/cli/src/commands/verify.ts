import type { Command } from "commander";
import { globals, openRepository, withGlobals } from "../context.js";
import { ProblemsFound } from "../errors.js";
import { examples, print, printJson, stdoutColors, table } from "../output.js";

/** `lazyscribe verify`: check every file against its recorded size and sha256. */
export function register(program: Command): void {
  withGlobals(program.command("verify"))
    .summary("check every file's size and sha256")
    .description("check that every artifact file exists and matches its recorded size and sha256 (exit 1 on problems)")
    .addHelpText("after", examples("lazyscribe verify", "lazyscribe verify --repo models/repository.json --json"))
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const repo = await openRepository(g.repo, "r");
      const problems = await repo.verify();
      const checked = repo.artifacts.length;
      const unhashed = repo.artifacts.filter((r) => r.sha256 === undefined).length;
      if (g.json) {
        printJson({ ok: problems.length === 0, checked, unhashed, problems });
      } else if (problems.length === 0) {
        const c = stdoutColors();
        print(`${c.green("ok")}: ${checked} file${checked === 1 ? "" : "s"} verified` + (unhashed ? ` (${unhashed} without a recorded sha256: checked for presence only)` : ""));
      } else {
        const c = stdoutColors();
        print(
          table(
            [{ header: "NAME" }, { header: "VERSION", align: "right" }, { header: "FNAME" }, { header: "PROBLEM" }, { header: "DETAIL" }],
            problems.map((p) => [p.name, String(p.version), p.fname, c.red(p.problem), p.detail]),
          ),
        );
      }
      if (problems.length > 0) {
        throw new ProblemsFound(`verify found ${problems.length} problem${problems.length === 1 ? "" : "s"} in ${checked} file${checked === 1 ? "" : "s"}`);
      }
    });
}
