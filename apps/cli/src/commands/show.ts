import type { Command } from "commander";
import { parseNonEmpty, parseVersion, versionQuery } from "../args.js";
import { artifactPath, globals, openRepository, withGlobals } from "../context.js";
import { describeArtifact, descriptionPairs } from "../describeArtifact.js";
import { artifactJson, expiryCell } from "../format.js";
import { cell, examples, humanSize, humanTime, keyValues, print, printJson, stdoutColors } from "../output.js";

interface ShowOptions {
  version?: number | string;
  asof?: boolean;
}

/** `lazyscribe show <name> [--version <n|time>] [--asof]`: one version's metadata. */
export function register(program: Command): void {
  withGlobals(program.command("show"))
    .summary("show one version's metadata")
    .description("show the metadata of one artifact version (default: the latest valid one)")
    .argument("<name>", "artifact name", parseNonEmpty)
    .option("--version <n|time>", "an integer version, or a creation time (exact to the second)", parseVersion)
    .option("--asof", "with a time --version: the newest version valid as of that time")
    .addHelpText(
      "after",
      examples("lazyscribe show features", "lazyscribe show features --version 0", "lazyscribe show features --version 2025-02-10T00:00:00 --asof --json"),
    )
    .action(async (name: string, opts: ShowOptions, cmd: Command) => {
      const g = globals(cmd);
      const query = versionQuery(opts.version, opts.asof);
      const repo = await openRepository(g.repo, "r");
      const meta = repo.getArtifactMetadata(name, query);
      const now = repo.now();
      let size = meta.size ?? null;
      if (size === null) size = (await repo.storage.stat(repo.artifactKey(meta)).catch(() => null))?.size ?? null;
      const file = artifactPath(g.repo, meta.name, meta.fname);
      const content = await describeArtifact(repo, meta);
      if (g.json) {
        printJson({ ...artifactJson(meta, now, size), extra: meta.extra, path: file, ...(content ? { content } : {}) });
        return;
      }
      const c = stdoutColors();
      const pairs: Array<[string, string]> = [
        ["name", meta.name],
        ["version", String(meta.version)],
        ["created", humanTime(meta.createdAt)],
        ["expiry", expiryCell(meta, now, c)],
        ["handler", meta.handler],
        ["fname", meta.fname],
        ["size", size === null ? "-" : `${humanSize(size)}${size >= 1024 ? ` (${size} bytes)` : ""}`],
        ["sha256", meta.sha256 ?? "-"],
      ];
      for (const [k, v] of Object.entries(meta.extra)) pairs.push([k, cell(v)]);
      if (file) pairs.push(["path", file]);
      if (content) pairs.push(...descriptionPairs(content));
      print(keyValues(pairs, c));
    });
}
