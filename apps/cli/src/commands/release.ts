import { access, readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import type { Release, Repository } from "lazyscribe";
import { parseNonEmpty, parseTime } from "../args.js";
import { checkKindIfExists, explainOpenError, globals, lib, localPath, openRepository, releasesLocation, requireFile, toDate, withGlobals } from "../context.js";
import { CliError, UsageError } from "../errors.js";
import { examples, humanTime, isoTime, print, printJson, stdoutColors, table, warn } from "../output.js";
import { progressBar } from "../progress.js";

/** `lazyscribe release ...`: releases.json beside the repository. */
export function register(program: Command): void {
  const release = withGlobals(program.command("release"))
    .summary("create, list, show, sync and export releases")
    .description("releases: named, timestamped groups of artifact versions (releases.json beside the repository)")
    .addHelpText("after", examples("lazyscribe release create v1.0.0", "lazyscribe release ls", "lazyscribe release sync", "lazyscribe release export v1.0.0 deploy/"));

  withGlobals(release.command("create"))
    .description("cut a release: the latest valid version of every artifact now, appended to releases.json")
    .argument("<tag>", "release tag, e.g. v1.0.0", parseNonEmpty)
    .addHelpText("after", examples("lazyscribe release create v1.0.0", "lazyscribe release create v1.0.0 --repo models/repository.json --json"))
    .action(async (tag: string, _opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const { createRelease, appendRelease, DuplicateTagError } = await lib();
      const repo = await openRepository(g.repo, "r");
      const file = releasesLocation(g.repo);
      await checkKindIfExists(file, "releases");
      const result = await appendRelease(file, createRelease(repo, tag)).catch(async (err: unknown) => {
        throw await explainOpenError(err, file, "releases");
      });
      // The library's one rule (and message) for taken tags.
      if (!result.created) throw new DuplicateTagError(tag, result.release, file);
      if (g.json) {
        printJson({ releasesFile: file, ...releaseJson(result.release) });
        return;
      }
      print(`created release ${tag} in ${file}: ${pairsText(result.release)}`);
    });

  withGlobals(release.command("ls"))
    .description("list the releases of the repository, oldest first")
    .addHelpText("after", examples("lazyscribe release ls", "lazyscribe release ls --json"))
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const releases = await loadReleases(g.repo, false);
      if (g.json) {
        printJson({ releases: releases.map(releaseJson) });
        return;
      }
      if (releases.length === 0) {
        print(`no releases in ${releasesLocation(g.repo)}`);
        return;
      }
      const c = stdoutColors();
      print(
        table(
          [{ header: "TAG" }, { header: "CREATED" }, { header: "ARTIFACTS" }],
          releases.map((r) => [c.cyan(r.tag), humanTime(r.createdAt), pairsText(r)]),
        ),
      );
    });

  withGlobals(release.command("show"))
    .description("show one release: by tag, or the newest release as of --at (default: the latest release)")
    .argument("[tag]", "release tag", parseNonEmpty)
    .option("--at <time>", "the newest release created at or before this time", parseTime)
    .addHelpText("after", examples("lazyscribe release show v0.2.0", "lazyscribe release show --at 2025-02-15T00:00:00", "lazyscribe release show v0.2.0 --json"))
    .action(async (tag: string | undefined, opts: { at?: string }, cmd: Command) => {
      const g = globals(cmd);
      if (tag !== undefined && opts.at !== undefined) throw new UsageError("give a tag or --at, not both");
      const { findRelease } = await lib();
      const releases = await loadReleases(g.repo, true);
      const found =
        opts.at !== undefined ? findRelease(releases, await toDate(opts.at), { match: "asof" }) : findRelease(releases, tag ?? null);
      const repo = localPath(g.repo) === null || (await exists(g.repo)) ? await openRepository(g.repo, "r") : null;
      const rows = found.artifacts.map(([name, version]) => {
        const meta = repo?.has(name) ? repo.versions(name).find((r) => r.version === version) : undefined;
        return { name, version, meta };
      });
      if (g.json) {
        printJson({
          ...releaseJson(found),
          artifacts: rows.map(({ name, version, meta }) => ({
            name,
            version,
            handler: meta?.handler ?? null,
            fname: meta?.fname ?? null,
            createdAt: isoTime(meta?.createdAt),
            expiry: isoTime(meta?.expiry),
            missing: repo !== null && meta === undefined,
          })),
        });
        return;
      }
      const c = stdoutColors();
      print(`${c.bold("release")} ${c.cyan(found.tag)}  created ${humanTime(found.createdAt)}`);
      print(
        table(
          [{ header: "NAME" }, { header: "VERSION", align: "right" }, { header: "CREATED" }, { header: "HANDLER" }, { header: "FNAME" }],
          rows.map(({ name, version, meta }) => [
            name,
            String(version),
            meta ? humanTime(meta.createdAt) : repo ? c.red("missing from the repository") : "-",
            meta?.handler ?? "-",
            meta?.fname ?? "-",
          ]),
        ),
      );
    });

  withGlobals(release.command("sync"))
    .description("release every repository listed in pyproject.toml [tool.lazyscribe] or package.json \"lazyscribe\", tagged from the project version")
    .option("--config <file>", "pyproject.toml or package.json (default: whichever of them in the working directory configures lazyscribe)")
    .addHelpText(
      "after",
      examples("lazyscribe release sync", "lazyscribe release sync --config pyproject.toml", "lazyscribe release sync --config package.json --json") +
        '\npyproject.toml:\n  [project]\n  version = "1.0.0"\n  [tool.lazyscribe]\n  repositories = ["src/model-1/repository.json"]\n',
    )
    .action(async (opts: { config?: string }, cmd: Command) => {
      const g = globals(cmd);
      const config = opts.config ?? (await detectConfig());
      let text: string;
      try {
        text = await readFile(config, "utf8");
      } catch {
        throw new CliError(`cannot read ${config}: no such file`);
      }
      const { releaseFromToml, releaseFromPackageJson } = await lib();
      const isToml = /\.toml$/i.test(config);
      const options = { cwd: path.dirname(path.resolve(config)), file: path.basename(config), onWarning: (m: string) => warn(m) };
      const results = isToml ? await releaseFromToml(text, options) : await releaseFromPackageJson(text, options);
      if (g.json) {
        printJson({
          config,
          tag: results[0]?.tag ?? null,
          results: results.map((r) => ({ repository: r.repository, releasesFile: r.releasesFile, tag: r.tag, created: r.created, createdAt: isoTime(r.release.createdAt) })),
        });
        return;
      }
      const c = stdoutColors();
      print(
        table(
          [{ header: "REPOSITORY" }, { header: "TAG" }, { header: "STATUS" }],
          results.map((r) => [displayPath(r.repository), r.tag, r.created ? c.green("created") : c.yellow("already released")]),
        ),
      );
    });

  withGlobals(release.command("export"))
    .description("copy exactly one release's files into a new minimal repository (<dir>/repository.json) for deployment")
    .argument("<tag>", "release tag", parseNonEmpty)
    .argument("<dir>", "target folder (must not contain the files already)")
    .addHelpText("after", examples("lazyscribe release export v1.0.0 deploy/", "lazyscribe --repo models/repository.json release export v1.0.0 /srv/model --json"))
    .action(async (tag: string, dir: string, _opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const { findRelease, minimalRepositoryFromRelease } = await lib();
      const releases = await loadReleases(g.repo, true);
      const found = findRelease(releases, tag);
      const bar = progressBar(`export ${found.tag}`, null);
      const repo = await openRepository(g.repo, "r", bar ? { readProgress: bar } : {});
      if (bar) bar.setTotal(await releaseBytes(repo, found));
      let result;
      try {
        result = await minimalRepositoryFromRelease(dir, repo, found);
      } finally {
        bar?.finish();
      }
      const manifest = localPath(result.manifest) ?? result.manifest;
      if (g.json) {
        printJson({
          tag: found.tag,
          manifest,
          artifacts: result.artifacts.map((r) => ({ name: r.name, version: r.version, fname: r.fname, size: r.size ?? null, sha256: r.sha256 ?? null })),
        });
        return;
      }
      print(`exported release ${found.tag} (${result.artifacts.length} artifact${result.artifacts.length === 1 ? "" : "s"}) to ${manifest}`);
    });
}

/** A path relative to the working directory when it is inside it (for tables). */
function displayPath(p: string): string {
  const local = localPath(p);
  if (local === null) return p;
  const rel = path.relative(process.cwd(), local);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : local;
}

async function exists(p: string): Promise<boolean> {
  const local = localPath(p);
  if (local === null) return false;
  try {
    await access(local);
    return true;
  } catch {
    return false;
  }
}

/** The releases beside the repository; with `required`, a missing file is an error. */
async function loadReleases(repoLocation: string, required: boolean): Promise<Release[]> {
  const file = releasesLocation(repoLocation);
  if (!(await exists(file)) && localPath(file) !== null) {
    await requireFile(repoLocation, "repository", " (use --repo <path> to point at a repository.json)");
    if (required) throw new CliError(`no releases yet: ${file} does not exist (create one with lazyscribe release create <tag>)`);
    return [];
  }
  await checkKindIfExists(repoLocation, "repository");
  await checkKindIfExists(file, "releases");
  return (await lib()).load(file).catch(async (err: unknown) => {
    throw await explainOpenError(err, file, "releases");
  });
}

function releaseJson(r: Release): { tag: string; createdAt: string | null; artifacts: Array<{ name: string; version: number }> } {
  return { tag: r.tag, createdAt: isoTime(r.createdAt), artifacts: r.artifacts.map(([name, version]) => ({ name, version })) };
}

function pairsText(r: Release): string {
  return r.artifacts.length === 0 ? "(no artifacts)" : r.artifacts.map(([n, v]) => `${n}@${v}`).join(", ");
}

/** Bytes a release's files take (recorded size, else the file's size). */
async function releaseBytes(repo: Repository, release: Release): Promise<number | null> {
  let total = 0;
  for (const [name, version] of release.artifacts) {
    const r = repo.has(name) ? repo.versions(name).find((x) => x.version === version) : undefined;
    if (!r) return null;
    const size = r.size ?? (await repo.storage.stat(repo.artifactKey(r)).catch(() => null))?.size;
    if (size === undefined) return null;
    total += size;
  }
  return total;
}

/** pyproject.toml or package.json in the working directory, whichever configures lazyscribe. */
async function detectConfig(): Promise<string> {
  const candidates: Array<{ file: string; marker: RegExp }> = [
    { file: "pyproject.toml", marker: /^\s*\[tool\.lazyscribe\]/m },
    { file: "package.json", marker: /"lazyscribe"\s*:\s*\{/ },
  ];
  const present: string[] = [];
  for (const { file, marker } of candidates) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    present.push(file);
    if (marker.test(text)) return file;
  }
  if (present[0]) return present[0];
  throw new CliError(`no pyproject.toml or package.json in ${process.cwd()}; run in the project folder or pass --config <file>`);
}
