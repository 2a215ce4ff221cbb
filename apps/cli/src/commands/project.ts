import type { Command } from "commander";
import type { Experiment, Project } from "lazyscribe";
import { parseNonEmpty } from "../args.js";
import { allOptions, DEFAULT_PROJECT, explainOpenError, globals, lib, localPath, openRepository, requireFile, withGlobals } from "../context.js";
import { CliError } from "../errors.js";
import { isRepositoryEntry, wrongKind } from "../manifestKind.js";
import { artifactJson } from "../format.js";
import { cell, examples, humanSize, humanTime, isoTime, keyValues, print, printJson, stdoutColors, table } from "../output.js";
import { progressBar } from "../progress.js";

/** `--project <path>`, accepted by `project` and each of its commands. */
function withProject(cmd: Command): Command {
  return withGlobals(cmd).option("--project <path>", `project file (default: ${DEFAULT_PROJECT})`);
}

function projectLocation(cmd: Command): string {
  const p = allOptions(cmd).project;
  return typeof p === "string" ? p : DEFAULT_PROJECT;
}

const PROJECT_HINT = " (use --project <path> to point at a project.json)";

async function openProject(location: string): Promise<Project> {
  const local = localPath(location) !== null;
  if (local) await requireFile(location, "project", PROJECT_HINT);
  const { Project } = await lib();
  if (local) return Project.open(location, { mode: "r" });
  // Elsewhere (s3://) the open's own read (one GET) is what gets checked.
  let p: Project;
  try {
    p = await Project.open(location, { mode: "r" });
  } catch (err) {
    throw await explainOpenError(err, location, "project");
  }
  const first = p.experiments[0];
  if (first === undefined && (await p.storage.stat(p.key)) === null) throw new CliError(`no project at ${location}${PROJECT_HINT}`);
  // A repository manifest passes the project schema (unknown keys are kept): its entries give it away.
  if (first !== undefined && isRepositoryEntry(first.toJSON())) throw wrongKind(location, "repository", "project");
  return p;
}

/** `lazyscribe project ls | show <slug> | promote <slug> <artifact> [--to <repo>]`. */
export function register(program: Command): void {
  const project = withProject(program.command("project"))
    .summary("list and show experiments, promote their artifacts")
    .description("experiments of a project (project.json): list, inspect, promote an artifact to a repository")
    .addHelpText("after", examples("lazyscribe project ls", "lazyscribe project show tuned-model", "lazyscribe project promote tuned-model features --to repository.json"));

  withProject(project.command("ls"))
    .description("list the experiments of a project, oldest first")
    .addHelpText("after", examples("lazyscribe project ls", "lazyscribe project ls --project runs/project.json --json"))
    .action(async (_opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const p = await openProject(projectLocation(cmd));
      const list = p.experiments;
      if (g.json) {
        printJson({
          experiments: list.map((e) => ({
            slug: e.slug,
            shortSlug: e.shortSlug,
            name: e.name,
            author: e.author,
            createdAt: isoTime(e.createdAt),
            lastUpdated: isoTime(e.lastUpdated),
            metrics: e.metrics,
            tags: [...e.tags],
            artifacts: e.artifacts.map((a) => a.name),
            tests: e.tests.length,
          })),
        });
        return;
      }
      if (list.length === 0) {
        print(`no experiments in ${projectLocation(cmd)}`);
        return;
      }
      const c = stdoutColors();
      print(
        table(
          [{ header: "SLUG" }, { header: "NAME" }, { header: "AUTHOR" }, { header: "CREATED" }, { header: "METRICS" }, { header: "TAGS" }, { header: "ARTIFACTS" }],
          list.map((e) => [
            c.cyan(e.slug),
            e.name,
            e.author,
            humanTime(e.createdAt),
            Object.entries(e.metrics).map(([k, v]) => `${k}=${cell(v)}`).join(" ") || "-",
            e.tags.join(",") || "-",
            e.artifacts.map((a) => a.name).join(",") || "-",
          ]),
        ),
      );
    });

  withProject(project.command("show"))
    .description("show one experiment: metrics, parameters, tags, tests, artifacts, dependencies")
    .argument("<slug>", "slug or short slug (the newest experiment with it)", parseNonEmpty)
    .addHelpText("after", examples("lazyscribe project show baseline-model", "lazyscribe project show baseline-model-20250302100000 --json"))
    .action(async (slug: string, _opts: unknown, cmd: Command) => {
      const g = globals(cmd);
      const p = await openProject(projectLocation(cmd));
      const e = p.get(slug);
      const now = p.now();
      if (g.json) {
        printJson({
          slug: e.slug,
          shortSlug: e.shortSlug,
          name: e.name,
          author: e.author,
          lastUpdatedBy: e.lastUpdatedBy,
          createdAt: isoTime(e.createdAt),
          lastUpdated: isoTime(e.lastUpdated),
          metrics: e.metrics,
          parameters: e.parameters,
          tags: [...e.tags],
          dependencies: [...e.dependencyRefs],
          artifacts: e.artifacts.map((a) => artifactJson(a.toMetadata(), now)),
          tests: e.tests.map((t) => ({
            name: t.name,
            description: t.description,
            metrics: t.metrics,
            parameters: t.parameters,
            artifacts: t.artifacts.map((a) => artifactJson(a.toMetadata(), now)),
          })),
        });
        return;
      }
      const c = stdoutColors();
      const pairs: Array<[string, string]> = [
        ["name", e.name],
        ["slug", e.slug],
        ["author", e.author],
        ["created", humanTime(e.createdAt)],
        ["last updated", `${humanTime(e.lastUpdated)} by ${e.lastUpdatedBy}`],
        ["tags", e.tags.join(", ") || "-"],
        ["dependencies", e.dependencyRefs.join(", ") || "-"],
      ];
      print(keyValues(pairs, c));
      section("metrics", e.metrics);
      section("parameters", e.parameters);
      if (e.artifacts.length > 0) {
        print(c.bold("artifacts"));
        print(indent(table([{ header: "NAME" }, { header: "HANDLER" }, { header: "CREATED" }, { header: "FNAME" }], e.artifacts.map((a) => [a.name, a.handler, humanTime(a.createdAt), a.fname]), c)));
      }
      for (const t of e.tests) {
        print(`${c.bold("test")} ${t.name}${t.description ? ` (${t.description})` : ""}`);
        const lines = [
          ...Object.entries(t.metrics).map(([k, v]) => `metric ${k} = ${cell(v)}`),
          ...Object.entries(t.parameters).map(([k, v]) => `parameter ${k} = ${cell(v)}`),
          ...t.artifacts.map((a) => `artifact ${a.name} (${a.handler}, ${a.fname})`),
        ];
        if (lines.length) print(indent(lines.join("\n")));
      }

      function section(title: string, values: Readonly<Record<string, unknown>>): void {
        const entries = Object.entries(values);
        if (entries.length === 0) return;
        print(c.bold(title));
        print(indent(keyValues(entries.map(([k, v]) => [k, cell(v)]), { ...c, bold: (s) => s })));
      }
    });

  withProject(project.command("promote"))
    .description("copy an experiment's artifact into a repository as its new latest version")
    .argument("<slug>", "experiment slug or short slug", parseNonEmpty)
    .argument("<artifact>", "artifact name in the experiment", parseNonEmpty)
    .option("--to <repo>", "target repository manifest (default: --repo, ./repository.json); created if missing")
    .addHelpText("after", examples("lazyscribe project promote tuned-model features", "lazyscribe project promote tuned-model features --project runs/project.json --to models/repository.json"))
    .action(async (slug: string, artifact: string, opts: { to?: string }, cmd: Command) => {
      const g = globals(cmd);
      const p = await openProject(projectLocation(cmd));
      const e = p.get(slug);
      const target = opts.to ?? g.repo;
      const source = e.artifacts.find((a) => a.name === artifact);
      const bar = progressBar(`promote ${artifact}`, source?.size ?? null);
      if (bar && source && source.size === undefined) bar.setTotal(await experimentFileSize(e, source.fname));
      const repo = await openRepository(target, "a", { mustExist: false, ...(bar ? { writeProgress: bar } : {}) });
      let record;
      try {
        record = await e.promoteArtifact(repo, artifact);
        if (repo.dirty) await repo.save();
      } finally {
        bar?.finish();
      }
      if (g.json) {
        printJson({ experiment: e.slug, repository: target, ...artifactJson(record.toMetadata(), repo.now()) });
        return;
      }
      print(`promoted "${artifact}" of ${e.slug} to ${target} as version ${record.version} (${record.fname}, ${humanSize(record.size)})`);
    });
}

async function experimentFileSize(e: Experiment, fname: string): Promise<number | null> {
  const { joinKey } = await lib();
  return (await e.storage.stat(joinKey(e.path, fname)).catch(() => null))?.size ?? null;
}

function indent(text: string): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
