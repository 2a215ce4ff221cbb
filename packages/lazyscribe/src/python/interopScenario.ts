/**
 * Test support: one repository, project (with an upstream project), releases
 * file and minimal repository written by this product's API under a base
 * location (a folder or `s3://bucket/prefix`); the queries Python lazyscribe is
 * asked about them; and our library's answers to the same queries, in the
 * shape tools/python/open_with_lazyscribe.py prints.
 */
import { createRelease, dump, findRelease, load, minimalRepositoryFromRelease, Project, ProjectRegistry, Repository } from "../index.js";
import type { ArtifactRecord, Experiment, Release, Test } from "../index.js";
import { answerOf, encode, pythonTime, type Answer } from "./pythonOracle.js";

/** Where everything lives under a base location (folder or `s3://bucket/prefix`). */
export function layout(base: string) {
  return {
    repository: `${base}/repository/repository.json`,
    releases: `${base}/repository/releases.json`,
    projectDir: `${base}/project`,
    project: `${base}/project/project.json`,
    upstream: `${base}/project/upstream.json`,
    minimalDir: `${base}/minimal`,
    minimal: `${base}/minimal/repository.json`,
  };
}

/** Names logged to the repository; `features` and `Model Card` get an expiry. */
export const NAMES = ["features", "config", "Model Card", "layout", "plain"] as const;
export const EXPIRING = new Set(["features", "Model Card"]);

/** A point in time for a query: `{ datetime }` is a Python `datetime`, a bare string is parsed by lazyscribe. */
type When = string | { datetime: string };
type VersionArg = null | number | When;
export type RepoQuery =
  | { op: "metadata" | "load"; name: string; version?: VersionArg; match?: "exact" | "asof" }
  | { op: "filter"; version: string | Array<[string, number]> }
  | { op: "diff"; name: string; version: number | [number, number]; match?: "exact" | "asof" }
  | { op: "list" };
export interface ReleaseQuery {
  version?: string | { datetime: string } | null;
  match?: "exact" | "asof";
}

/** Values logged, to check what Python reads against what was written (not only against what we read back). */
export const CONFIG_V0 = {
  lr: 0.1,
  layers: [32, 16],
  threshold: NaN,
  upper: Infinity,
  lower: -Infinity,
  eps: 1e-8,
  label: 'naïve ünïcode 日本語 "q"',
  nested: { a: null, b: true },
};
export const BASELINE_METRICS: Record<string, number | number[]> = { accuracy: 0.81, loss: NaN, recall: Infinity, curve: [0.1, 0.5, 0.9] };
export const BASELINE_PARAMETERS: Record<string, unknown> = {
  depth: 3,
  features: ["a", "b"],
  optimizer: { name: "adam", betas: [0.9, 0.999], decay: null, nesterov: false },
  note: "naïve",
};

const utc = (s: string): Date => new Date(`${s}Z`);
/** Python logs these warnings (filter skipping a name); the tests do not need them on stderr. */
export const quiet = (): void => {};

/**
 * Write the scenario with our API. `fixtureRepository` is a folder holding a
 * copy of the Python-written fixture repository (with its releases.json): its
 * release v0.2.0 (with a `pickle` version) becomes `<base>/minimal/`.
 */
export async function writeScenario(base: string, fixtureRepository: string): Promise<void> {
  const L = layout(base);
  let now = utc("2025-01-01T12:00:00");
  const clock = (): Date => now;
  const at = (s: string): void => {
    now = utc(s);
  };

  const repo = await Repository.open(L.repository, { mode: "w", now: clock });
  repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
  repo.logArtifact("config", CONFIG_V0, { handler: "json" });
  repo.logArtifact("plain", "first", { handler: "json" });
  at("2025-01-05T08:30:00");
  repo.logArtifact("features", [0, 1, 2, 3], { handler: "json", indent: 4 });
  repo.logArtifact("Model Card", { owner: "alice", text: "Line one\nLine two" }, { handler: "json", indent: 2 });
  at("2025-01-10T16:45:10");
  repo.logArtifact("layout", { rows: 3 }, { handler: "json", fname: "dir/x.json" });
  repo.logArtifact("plain", "second", { handler: "json" });
  at("2025-02-01T00:00:00");
  repo.logArtifact("features", [9], { handler: "json" });
  at("2025-02-03T07:00:00");
  repo.logArtifact("config", { lr: 0.05, layers: [16, 8] }, { handler: "json", indent: 4 });
  repo.logArtifact("layout", { rows: 4, cols: [1, 2] }, { handler: "json", fname: "dir/sub/x.json", indent: 4 });
  await repo.save();

  at("2025-02-05T00:00:00");
  const edit = await Repository.open(L.repository, { mode: "w+", now: clock });
  edit.setArtifactExpiry("features", 2, "2025-02-15T00:00:00"); // expired (in the past)
  edit.setArtifactExpiry("Model Card", 0, "2099-01-01T00:00:00"); // not expired yet
  await edit.save();

  // The upstream project, then the project that depends on it.
  const registry = new ProjectRegistry();
  at("2025-03-01T09:30:00");
  const up = await Project.open(L.upstream, { mode: "w", author: "bob", now: clock, registry });
  await up.log("Feature build", async (exp) => {
    exp.logMetric("rows", 1000);
    exp.logArtifact("columns", ["a", "b"], { handler: "json" });
  });
  await up.save();
  const upstream = await Project.open(L.upstream, { mode: "r", registry });

  const project = await Project.open(L.project, { mode: "w", author: "alice", now: clock, registry });
  at("2025-03-02T10:00:00");
  await project.log("Baseline model", async (exp) => {
    for (const [k, v] of Object.entries(BASELINE_METRICS)) exp.logMetric(k, v);
    for (const [k, v] of Object.entries(BASELINE_PARAMETERS)) exp.logParameter(k, v);
    exp.tag("baseline", "v1");
    exp.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
    exp.logArtifact("roc", { fpr: [0, 0.5, 1], tpr: [0, 0.8, 1] }, { handler: "json", fname: "plots/roc.json" });
    await exp.logTest(
      "Young customers",
      async (t) => {
        t.logMetric("accuracy", 0.7);
        t.logParameter("max_age", 30);
        t.logArtifact("confusion", [[5, 1], [2, 9]], { handler: "json" });
      },
      { description: "age < 30" },
    );
    // No description; an accented name, so Python's slugify picks the test folder.
    await exp.logTest("Clientèle âgée", async (t) => {
      t.logMetric("accuracy", NaN);
      t.logArtifact("sample", { ids: [1, 2] }, { handler: "json", fname: "rows/sample.json" });
    });
    exp.addDependency(upstream.get("feature-build"));
  });
  at("2025-03-03T11:15:00");
  await project.log("Tuned model", async (exp) => {
    exp.logMetric("accuracy", 0.9);
    exp.logMetric("loss", NaN);
    exp.tag("tuned");
    exp.logArtifact("features", [0, 1, 2, 3, 4], { handler: "json" });
  });
  await project.save();

  // Promote the tuned model's features (on disk) into the repository: features v3.
  at("2025-03-05T00:00:00");
  const saved = await Project.open(L.project, { mode: "r", registry });
  const target = await Repository.open(L.repository, { mode: "w+", now: clock });
  await saved.get("tuned-model").promoteArtifact(target, "features");

  // Releases, cut at two times.
  const r = await Repository.open(L.repository, { mode: "r", now: clock, onWarning: quiet });
  const early = createRelease(r.filter("2025-01-20T00:00:00"), "v0.1.0", { now: utc("2025-01-20T00:00:00") });
  await dump([early, createRelease(r, "v0.2.0", { now: utc("2025-03-10T00:00:00") })], L.releases);

  // A minimal repository of a release of the Python-written fixture (its pickle file copied as is).
  const fixture = await Repository.open(`${fixtureRepository}/repository.json`, { mode: "r" });
  const release = findRelease(await load(`${fixtureRepository}/releases.json`), "v0.2.0");
  await minimalRepositoryFromRelease(L.minimalDir, fixture, release);
}

/** The queries asked of the scenario's repository (built from what it holds). */
export function repositoryQueries(repo: Repository): RepoQuery[] {
  const qs: RepoQuery[] = [];
  const times = ["2024-12-31T00:00:00", "2025-01-03T00:00:00", "2025-01-07T00:00:00", "2025-02-10T00:00:00", "2025-02-20T00:00:00", "2025-03-04T00:00:00", "2030-01-01T00:00:00"];
  for (const name of NAMES) {
    const versions = repo.versions(name);
    qs.push({ op: "metadata", name }, { op: "load", name });
    for (const v of versions) {
      const created = pythonTime(v.createdAt);
      qs.push({ op: "metadata", name, version: v.version }, { op: "load", name, version: v.version });
      qs.push({ op: "metadata", name, version: created }, { op: "load", name, version: { datetime: created } });
      qs.push({ op: "metadata", name, version: pythonTime(new Date(v.createdAt.getTime() + 1000)) });
    }
    qs.push({ op: "metadata", name, version: 99 }, { op: "metadata", name, version: 0, match: "asof" }, { op: "metadata", name, version: "yesterday" });
    for (const t of times) qs.push({ op: "metadata", name, version: t, match: "asof" });
    qs.push({ op: "load", name, version: { datetime: "2025-02-10T00:00:00" }, match: "asof" });
  }
  qs.push({ op: "metadata", name: "nope" }, { op: "load", name: "nope", version: 0 });
  for (const t of times) qs.push({ op: "filter", version: t });
  qs.push({ op: "filter", version: [["features", 0], ["config", 1], ["layout", 1], ["Model Card", 0]] }, { op: "filter", version: [["features", 42]] });
  qs.push(
    { op: "diff", name: "features", version: [0, 1] },
    { op: "diff", name: "config", version: [1, 0] },
    { op: "diff", name: "layout", version: [0, 1] },
    { op: "diff", name: "plain", version: 0 },
    { op: "diff", name: "features", version: 0 },
  );
  qs.push({ op: "list" });
  return qs;
}

/** Queries asked of the minimal repository cut from the Python fixture (features v2 there has an expiry: exact versions only). */
export const MINIMAL_QUERIES: RepoQuery[] = [
  { op: "list" },
  { op: "metadata", name: "estimator" },
  { op: "load", name: "estimator" },
  { op: "load", name: "config" },
  { op: "load", name: "features", version: 2 },
  { op: "metadata", name: "features", version: 2 },
];

export const RELEASE_QUERIES: ReleaseQuery[] = [
  { version: null },
  { version: "v0.1.0" },
  { version: "v0.2.0" },
  { version: "v9" },
  { version: { datetime: "2025-01-20T00:00:00" } },
  { version: { datetime: "2025-01-21T00:00:00" } },
  { version: { datetime: "2025-02-01T00:00:00" }, match: "asof" },
  { version: { datetime: "2026-01-01T00:00:00" }, match: "asof" },
  { version: { datetime: "2024-01-01T00:00:00" }, match: "asof" },
  { version: "v0.1.0", match: "asof" },
];

const toVersion = (v: VersionArg | undefined): number | string | Date | undefined =>
  v === null || v === undefined ? undefined : typeof v === "object" ? utc(v.datetime) : v;

/** Python's `get_artifact_metadata` dict for one of our entries. */
function pythonMetadata(m: ReturnType<Repository["getArtifactMetadata"]>): Record<string, unknown> {
  return {
    ...m.extra,
    name: m.name,
    fname: m.fname,
    created_at: pythonTime(m.createdAt),
    expiry: m.expiry ? pythonTime(m.expiry) : null,
    version: m.version,
    handler: m.handler,
  };
}

const byName = (a: [string, number], b: [string, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Our answer to one repository query. */
export function ourRepositoryAnswer(repo: Repository, q: RepoQuery): Promise<Answer> {
  switch (q.op) {
    case "metadata":
      return answerOf(() => pythonMetadata(repo.getArtifactMetadata(q.name, { version: toVersion(q.version), match: q.match })), q);
    case "load":
      return answerOf(() => repo.loadArtifact(q.name, { version: toVersion(q.version), match: q.match }), q);
    case "filter":
      return answerOf(() => repo.filter(q.version).artifacts.map((a): [string, number] => [a.name, a.version]).sort(byName), q);
    case "diff":
      return answerOf(() => repo.getVersionDiff(q.name, q.version, { match: q.match }), q);
    case "list":
      return answerOf(() => repo.artifacts.map(pythonMetadata), {});
  }
}

/** An experiment's or test's artifact, as the driver prints it. */
async function artifactView(owner: Experiment | Test, a: ArtifactRecord) {
  return {
    name: a.name,
    handler: a.handler,
    fname: a.fname,
    created_at: pythonTime(a.createdAt),
    version: a.version,
    value: await answerOf(() => owner.loadArtifact(a.name)),
  };
}

/** project.json as Python's `Experiment.to_dict` gives it back: our entry without our integrity keys. */
function withoutIntegrity(entry: Record<string, unknown>): Record<string, unknown> {
  const strip = (list: unknown): unknown =>
    (list as Array<Record<string, unknown>>).map((a) => Object.fromEntries(Object.entries(a).filter(([k]) => k !== "sha256" && k !== "size")));
  return {
    ...entry,
    artifacts: strip(entry.artifacts),
    tests: (entry.tests as Array<Record<string, unknown>>).map((t) => ({ ...t, artifacts: strip(t.artifacts) })),
  };
}

const lastSegments = (key: string, n: number): string => key.split("/").slice(-n).join("/");

/** Our view of a project, in the driver's shape. */
export async function ourProjectView(location: string) {
  const p = await Project.open(location, { mode: "r", registry: new ProjectRegistry() });
  const experiments = [];
  for (const exp of p.experiments) {
    experiments.push({
      name: exp.name,
      author: exp.author,
      last_updated_by: exp.lastUpdatedBy,
      created_at: pythonTime(exp.createdAt),
      last_updated: pythonTime(exp.lastUpdated),
      short_slug: exp.shortSlug,
      slug: exp.slug,
      path: lastSegments(exp.path, 1),
      metrics: encode(exp.metrics),
      parameters: encode(exp.parameters),
      tags: [...exp.tags],
      dependencies: Object.fromEntries(
        Object.entries(exp.dependencies).map(([k, d]) => [k, { name: d.name, slug: d.slug, metrics: encode(d.metrics) }]),
      ),
      tests: await Promise.all(
        exp.tests.map(async (t) => ({
          name: t.name,
          description: t.description,
          metrics: encode(t.metrics),
          parameters: encode(t.parameters),
          path: lastSegments(t.path, 2),
          artifacts: await Promise.all(t.artifacts.map((a) => artifactView(t, a))),
        })),
      ),
      artifacts: await Promise.all(exp.artifacts.map((a) => artifactView(exp, a))),
      to_dict: encode(withoutIntegrity(exp.toJSON())),
    });
  }
  const lookups: Record<string, Answer> = {};
  for (const exp of p.experiments) {
    for (const key of [exp.slug, exp.shortSlug]) lookups[key] = await answerOf(() => p.get(key).slug);
  }
  return { experiments, lookups };
}

/** Python's `find_release` raises `ValueError` for an `asof` match on a tag. */
const releaseErrorFor = (code: string): string =>
  code === "VERSION_NOT_FOUND" ? "VersionNotFoundError" : code === "INVALID_VERSION" ? "ValueError" : `(no Python counterpart for ${code})`;

/** Our view of a releases file, in the driver's shape. */
export async function ourReleasesView(releasesLocation: string, repositoryLocation: string) {
  const releases = await load(releasesLocation);
  const repo = await Repository.open(repositoryLocation, { mode: "r", onWarning: quiet });
  const answers = [];
  for (const q of RELEASE_QUERIES) {
    const version = q.version === null || q.version === undefined ? q.version : typeof q.version === "object" ? utc(q.version.datetime) : q.version;
    answers.push(await answerOf(() => findRelease(releases, version, { match: q.match }).toJSON(), q, releaseErrorFor));
  }
  const pinned = async (release: Release) => {
    const view = repo.filter(release.artifacts);
    const out: Record<string, unknown> = {};
    for (const a of view.artifacts) out[a.name] = [a.version, encode(await view.loadArtifact(a.name, { version: a.version }))];
    return out;
  };
  const filtered: Record<string, Answer> = {};
  for (const r of releases) filtered[r.tag] = await answerOf(() => pinned(r));
  return { releases: releases.map((r) => r.toJSON()), answers, filtered };
}
