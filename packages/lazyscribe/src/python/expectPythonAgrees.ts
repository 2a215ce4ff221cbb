/**
 * Test support: ask real Python lazyscribe 2.2.1 about a scenario written by
 * our API (interopScenario.ts) and expect its answers to equal ours.
 *
 * `localBase` is where Python reads (the scenario's folder, a verbatim download
 * of it, or the `s3://` location itself, through tools/python/boto3_fsspec.py);
 * `ourBase` is where our library reads the same files (the same folder, or the
 * `s3://` location they were written to).
 */
import { dirname } from "node:path";
import { expect } from "vitest";
import { Repository } from "../index.js";
import {
  BASELINE_METRICS,
  BASELINE_PARAMETERS,
  CONFIG_V0,
  EXPIRING,
  layout,
  MINIMAL_QUERIES,
  ourProjectView,
  ourReleasesView,
  ourRepositoryAnswer,
  quiet,
  RELEASE_QUERIES,
  repositoryQueries,
  type RepoQuery,
} from "./interopScenario.js";
import { encode, outcome, runPython, type Answer } from "./pythonOracle.js";

/** Python 2.2.1 leaves `expiry` a string when it loads repository.json, so comparing it with a datetime raises this. */
const EXPIRY_TYPE_ERROR = "'<' not supported between instances of 'datetime.datetime' and 'str'";

/** Queries whose search compares `expiry` (the latest version, `asof`, a filter by time) on a name that has one. */
function comparesExpiry(q: RepoQuery): boolean {
  if (q.op === "filter") return typeof q.version === "string";
  if (q.op === "diff") return EXPIRING.has(q.name) && !Array.isArray(q.version);
  if (q.op === "metadata" || q.op === "load") return EXPIRING.has(q.name) && (q.version === undefined || q.version === null || q.match === "asof");
  return false;
}

type Results = Array<Record<string, unknown>>;

/**
 * Ask Python about everything under `localBase`. Python resolves a project's
 * dependencies from its working folder: `projectCwd` (default: the project's
 * folder; none on `s3://`). For a bucket downloaded verbatim, the folder holding the bucket's
 * folder stands for s3fs's bucket root.
 */
export async function askPython(localBase: string, ourBase: string, projectCwd?: string) {
  const L = layout(localBase);
  const ours = layout(ourBase);
  const queries = repositoryQueries(await Repository.open(ours.repository, { mode: "r", onWarning: quiet }));
  const answer = runPython({
    tasks: [
      { kind: "repository", path: L.repository, queries },
      { kind: "repository", path: L.repository, queries, parse_expiry: true },
      // On S3 there is no working folder: dependencies are read as `s3://<bucket/key>`.
      { kind: "project", path: L.project, cwd: projectCwd ?? (L.project.startsWith("s3://") ? undefined : dirname(L.project)) },
      { kind: "releases", path: L.releases, repository: L.repository, queries: RELEASE_QUERIES },
      { kind: "repository", path: L.minimal, queries: MINIMAL_QUERIES },
    ],
  });
  return { answer, queries };
}

/** Every answer Python gave about the scenario equals ours (see the module comment). */
export async function expectPythonAgrees(localBase: string, ourBase: string, projectCwd?: string): Promise<void> {
  const ours = layout(ourBase);
  const { answer, queries } = await askPython(localBase, ourBase, projectCwd);
  expect(answer.lazyscribe).toBe("2.2.1");
  const [verbatim, parsedExpiry, project, releases, minimal] = answer.results as Results;

  // Repository: Python opens it; with expiries parsed, every answer equals ours.
  const repo = await Repository.open(ours.repository, { mode: "r", onWarning: quiet });
  expect(verbatim!.open).toEqual({ ok: repo.artifacts.length });
  const ourAnswers = await Promise.all(queries.map((q) => ourRepositoryAnswer(repo, q)));
  const pyVerbatim = verbatim!.answers as Answer[];
  const pyParsed = parsedExpiry!.answers as Answer[];
  const mismatches: unknown[] = [];
  let typeErrors = 0;
  queries.forEach((q, i) => {
    const mine = outcome(ourAnswers[i]);
    if (JSON.stringify(outcome(pyParsed[i])) !== JSON.stringify(mine)) mismatches.push({ q, python: pyParsed[i], ours: ourAnswers[i] });
    // As read (no harness step): the same answers, except the TypeError of
    // Python's expiry bug, and only where a search compares an expiry.
    const py = pyVerbatim[i]!;
    if (py.error === "TypeError" && py.message === EXPIRY_TYPE_ERROR && comparesExpiry(q)) typeErrors++;
    else if (JSON.stringify(outcome(py)) !== JSON.stringify(mine)) mismatches.push({ q, verbatim: true, python: py, ours: ourAnswers[i] });
  });
  expect(mismatches).toEqual([]);
  expect(queries.length).toBeGreaterThan(100);
  expect(typeErrors).toBeGreaterThan(0);
  expect(typeErrors).toBeLessThan(queries.length / 3);
  // What Python reads is what was logged (not only what we read back): NaN and ±Infinity included.
  const configV0 = queries.findIndex((q) => q.op === "load" && q.name === "config" && q.version === 0);
  expect(pyVerbatim[configV0]).toEqual({ ok: encode(CONFIG_V0) });
  // Loads of every version of every name gave values, not errors.
  expect(pyParsed.filter((a, i) => queries[i]!.op === "load" && a.error === undefined).length).toBeGreaterThan(30);

  // Project: experiments, metrics (NaN too), parameters, tags, tests, artifacts, dependencies.
  const ourProject = await ourProjectView(ours.project);
  expect(project!.open).toEqual({ ok: 2 });
  expect(project!.experiments).toEqual(ourProject.experiments);
  const [baseline] = project!.experiments as Array<Record<string, unknown>>;
  expect(baseline).toMatchObject({ name: "Baseline model", metrics: encode(BASELINE_METRICS), parameters: encode(BASELINE_PARAMETERS) });
  expect(baseline!.dependencies).toEqual({ "feature-build": { name: "Feature build", slug: "feature-build-20250301093000", metrics: { rows: 1000 } } });
  expect(Object.fromEntries(Object.entries(project!.lookups as Record<string, Answer>).map(([k, v]) => [k, outcome(v)]))).toEqual(
    Object.fromEntries(Object.entries(ourProject.lookups).map(([k, v]) => [k, outcome(v)])),
  );

  // Releases: the file, find_release, and the repository filtered by each release.
  const ourReleases = await ourReleasesView(ours.releases, ours.repository);
  expect(releases!.open).toEqual({ ok: 2 });
  expect(releases!.releases).toEqual(ourReleases.releases);
  expect((releases!.answers as Answer[]).map(outcome)).toEqual(ourReleases.answers.map(outcome));
  expect(releases!.filtered).toEqual(ourReleases.filtered);

  // Minimal repository of the fixture's release: Python loads the pickle we copied.
  const minimalRepo = await Repository.open(ours.minimal, { mode: "r", onWarning: quiet });
  const ourMinimal = await Promise.all(MINIMAL_QUERIES.map((q) => ourRepositoryAnswer(minimalRepo, q)));
  const pyMinimal = minimal!.answers as Answer[];
  MINIMAL_QUERIES.forEach((q, i) => {
    if (q.op === "load" && q.name === "estimator") {
      expect(pyMinimal[i]).toEqual({ ok: { coef: [0.5, -1.25] } });
      expect(ourMinimal[i]!.error).toMatch(/UNKNOWN_HANDLER/); // our side has no pickle reader
    } else {
      expect(outcome(pyMinimal[i]), JSON.stringify(q)).toEqual(outcome(ourMinimal[i]));
    }
  });
}
