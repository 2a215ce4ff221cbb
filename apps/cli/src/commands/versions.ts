import type { Command } from "commander";
import { parseNonEmpty } from "../args.js";
import { globals, openRepository, withGlobals } from "../context.js";
import { artifactJson, expiryCell, sizeCell } from "../format.js";
import { examples, humanTime, print, printJson, stdoutColors, table } from "../output.js";

/** `lazyscribe versions <name>`: every version of one artifact. */
export function register(program: Command): void {
  withGlobals(program.command("versions"))
    .summary("list every version of an artifact")
    .description("list every version of an artifact, oldest first (* marks the latest valid one)")
    .argument("<name>", "artifact name", parseNonEmpty)
    .addHelpText("after", examples("lazyscribe versions features", "lazyscribe versions features --json"))
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const repo = await openRepository(g.repo, "r");
      const now = repo.now();
      const all = repo.versions(name);
      let latest: number | null = null;
      try {
        latest = repo.getArtifactMetadata(name).version;
      } catch (err) {
        if ((err as { code?: unknown }).code !== "VERSION_NOT_FOUND") throw err;
      }
      // Entries written by Python record no size: show the file's.
      const sizes = await Promise.all(all.map(async (r) => r.size ?? (await repo.storage.stat(repo.artifactKey(r)).catch(() => null))?.size ?? null));
      if (g.json) {
        printJson({ name, latest, versions: all.map((r, i) => ({ ...artifactJson(r.toMetadata(), now, sizes[i]), latest: r.version === latest })) });
        return;
      }
      const c = stdoutColors();
      print(
        table(
          [{ header: "VERSION", align: "right" }, { header: "CREATED" }, { header: "EXPIRY" }, { header: "HANDLER" }, { header: "SIZE", align: "right" }, { header: "FNAME" }],
          all.map((r, i) => [
            r.version === latest ? c.green(`* ${r.version}`) : String(r.version),
            humanTime(r.createdAt),
            expiryCell(r, now, c),
            r.handler,
            sizeCell(sizes[i]),
            r.fname,
          ]),
        ),
      );
    });
}
