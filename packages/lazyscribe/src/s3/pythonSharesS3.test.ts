// Python lazyscribe 2.2.1 and this product share one S3 bucket, both ways, as
// in production: Python reads and writes `s3://bucket/prefix/...` itself
// (through fsspec; tools/python/boto3_fsspec.py stands in for s3fs, which
// Debian 12 does not package), with no download step. Python runs with
// Debian's /usr/bin/python3 on the vendored lazyscribe (tools/python). Missing
// Python packages fail this test (scripts/ensure-python-test-deps.sh installs them).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Project, ProjectRegistry, Repository } from "../index.js";
import { expectPythonAgrees } from "../python/expectPythonAgrees.js";
import { NAMES, ourProjectView, ourReleasesView, ourRepositoryAnswer, quiet, RELEASE_QUERIES, repositoryQueries, writeScenario, type RepoQuery } from "../python/interopScenario.js";
import { outcome, requirePython, requirePythonS3, runPython, runPythonWriter, type Answer } from "../python/pythonOracle.js";
import { deletePrefix, s3Available, TEST_BUCKET, testClient, uniquePrefix } from "../../../storage-s3/src/testing/s3TestEnv.js";

const FIXTURES = join(__dirname, "../../../../fixtures/lazyscribe-2.2.1");
const prefix = uniquePrefix("pyshare");
const base = `s3://${TEST_BUCKET}/${prefix}`;
let dir: string;

beforeAll(() => {
  // As the sibling tests: Python's packages are required (never skipped); boto3 only when the S3 tests run.
  if (s3Available) requirePythonS3();
  else requirePython();
  dir = mkdtempSync(join(tmpdir(), "lz-python-shares-s3-"));
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (s3Available) await deletePrefix(TEST_BUCKET, `${prefix}/`);
});

/** Every key under `<prefix>/<sub>/`, relative to it. */
async function keysUnder(sub: string): Promise<string[]> {
  const from = `${prefix}/${sub}/`;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await testClient().send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: from, ContinuationToken: token }));
    for (const o of page.Contents ?? []) keys.push(o.Key!.slice(from.length));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function s3Text(key: string): Promise<string> {
  return (await testClient().send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}/${key}` }))).Body!.transformToString();
}

/** Python's json writes the bare tokens NaN / Infinity; enough to look at the structure. */
const parseLoose = (text: string): unknown => JSON.parse(text.replace(/\bNaN\b|-?Infinity\b/g, "null"));

/** The answer of a writer task, or a failure naming Python's exception. */
function written(answer: Answer | undefined, task = 0): unknown {
  if (answer === undefined) throw new Error(`the writer gave no answer for task ${task}`);
  if (answer.error !== undefined) throw new Error(`Python lazyscribe failed task ${task}: ${answer.error}: ${answer.message}`);
  return answer.ok;
}

/** Exact-version queries over every version of every name: the values and entries must match one for one. */
function everyVersion(repo: Repository): RepoQuery[] {
  const qs: RepoQuery[] = [{ op: "list" }];
  for (const name of new Set(repo.artifacts.map((a) => a.name))) {
    for (const v of repo.versions(name)) qs.push({ op: "metadata", name, version: v.version }, { op: "load", name, version: v.version });
  }
  return qs;
}

/** Ask the driver about one repository; returns its answers in query order (expiries parsed, see the driver). */
function pythonRepositoryAnswers(location: string, queries: RepoQuery[], parseExpiry = true): { open: Answer; answers: Answer[] } {
  const [r] = runPython({ tasks: [{ kind: "repository", path: location, queries, parse_expiry: parseExpiry }] }).results;
  return { open: r!.open as Answer, answers: (r!.answers ?? []) as Answer[] };
}

/** Our answers and Python's to the same queries differ nowhere (by value, or by exception class). */
async function expectSameAnswers(repo: Repository, queries: RepoQuery[], python: Answer[]): Promise<void> {
  const ours = await Promise.all(queries.map((q) => ourRepositoryAnswer(repo, q)));
  const mismatches = queries.flatMap((q, i) =>
    JSON.stringify(outcome(python[i])) === JSON.stringify(outcome(ours[i])) ? [] : [{ q, python: python[i], ours: ours[i] }],
  );
  expect(mismatches).toEqual([]);
}

// What Python is asked to write (b); our reads are checked against these values, not only against Python's reads.
const NAN = { $float: "nan" };
const INF = { $float: "inf" };
const PY_CONFIG_V0 = { lr: 0.1, threshold: NAN, upper: INF, label: 'naïve ünïcode 日本語 "q"', nested: { a: null, b: true } };
const PY_LOGGED: Record<string, unknown[]> = {
  features: [[0, 1, 2], [0, 1, 2, 3], [9]],
  config: [PY_CONFIG_V0, { lr: 0.05, layers: [16, 8] }],
  "Model Card": [{ owner: "py", text: "Line one\nLine two" }],
  layout: [{ rows: 3 }, { rows: 4, cols: [1, 2] }],
  plain: ["first"],
};
/** Python's JSON handler writes NaN / Infinity as bare tokens; we read them back as numbers. */
const decoded = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(decoded);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && "$float" in o) return { nan: NaN, inf: Infinity, "-inf": -Infinity }[o.$float as string];
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decoded(x)]));
  }
  return v;
};

describe.skipIf(!s3Available)("Python lazyscribe 2.2.1 and this product share s3:// directly (boto3_fsspec for s3fs)", () => {
  const py = {
    dir: `${base}/python`,
    repository: `${base}/python/repository/repository.json`,
    project: `${base}/python/project/project.json`,
    upstream: `${base}/python/project/upstream.json`,
  };

  it("a. Python opens the repository, project and releases we write to s3:// from s3:// and answers like our library", async () => {
    cpSync(join(FIXTURES, "repository"), join(dir, "fixture"), { recursive: true });
    const at = `${base}/ours`;
    await writeScenario(at, join(dir, "fixture"));
    expect(await keysUnder("ours")).toEqual(expect.arrayContaining(["repository/repository.json", "project/project.json", "minimal/estimator/estimator-20250204000000.pkl"]));
    // The same helper as for local files and downloaded copies, with s3:// on both sides.
    await expectPythonAgrees(at, at);
  }, 120_000);

  it("b. Python writes a repository and a project to s3://; our library reads every version and experiment identically", async () => {
    const log = (at: string, name: string, version: number, extra: Record<string, unknown> = {}) => ({ op: "log", at, name, value: PY_LOGGED[name]![version], handler: "json", ...extra });
    const answer = runPythonWriter({
      tasks: [
        {
          kind: "repository",
          path: py.repository,
          mode: "w",
          steps: [
            log("2025-01-01T12:00:00", "features", 0, { kwargs: { indent: 4 } }),
            log("2025-01-01T12:00:00", "config", 0),
            log("2025-01-01T12:00:00", "plain", 0),
            log("2025-01-05T08:30:00", "features", 1, { kwargs: { indent: 4 } }),
            log("2025-01-05T08:30:00", "Model Card", 0, { kwargs: { indent: 2 } }),
            log("2025-01-10T16:45:10", "layout", 0, { fname: "dir/x.json" }),
            log("2025-02-03T07:00:00", "config", 1, { kwargs: { indent: 4 } }),
            { op: "expiry", name: "Model Card", version: 0, expiry: "2099-01-01T00:00:00" },
          ],
        },
        // A second session appends to what the first saved on S3 (w+ reads it back first).
        {
          kind: "repository",
          path: py.repository,
          mode: "w+",
          steps: [
            log("2025-02-01T00:00:00", "features", 2),
            log("2025-02-04T00:00:00", "layout", 1, { fname: "dir/sub/x.json", kwargs: { indent: 4 } }),
            // On a name without an expiry so far: Python 2.2.1 cannot find the latest version of a name
            // whose expiry it read from a file (a TypeError), which promote_artifact does below for `features`.
            { op: "expiry", name: "config", version: 1, expiry: "2025-02-15T00:00:00" },
          ],
        },
        {
          kind: "project",
          path: py.upstream,
          mode: "w",
          author: "bob",
          experiments: [{ name: "Feature build", at: "2025-03-01T09:30:00", metrics: { rows: 1000 }, artifacts: [{ name: "columns", value: ["a", "b"], handler: "json" }] }],
        },
        {
          kind: "project",
          path: py.project,
          mode: "w",
          author: "alice",
          experiments: [
            {
              name: "Baseline model",
              at: "2025-03-02T10:00:00",
              metrics: { accuracy: 0.81, loss: NAN, curve: [0.1, 0.5, 0.9] },
              parameters: { depth: 3, optimizer: { name: "adam", betas: [0.9, 0.999], decay: null }, note: "naïve" },
              tags: ["baseline", "v1"],
              artifacts: [
                { name: "features", value: [0, 1, 2], handler: "json", kwargs: { indent: 4 } },
                { name: "roc", value: { fpr: [0, 0.5, 1], tpr: [0, 0.8, 1] }, handler: "json", fname: "plots/roc.json" },
              ],
              tests: [
                { name: "Young customers", description: "age < 30", metrics: { accuracy: 0.7 }, parameters: { max_age: 30 }, artifacts: [{ name: "confusion", value: [[5, 1], [2, 9]], handler: "json" }] },
                { name: "Clientèle âgée", metrics: { accuracy: NAN }, artifacts: [{ name: "sample", value: { ids: [1, 2] }, handler: "json", fname: "rows/sample.json" }] },
              ],
              dependencies: [{ project: py.upstream, experiment: "feature-build" }],
            },
            { name: "Tuned model", at: "2025-03-03T11:15:00", metrics: { accuracy: 0.9 }, tags: ["tuned"], artifacts: [{ name: "features", value: [0, 1, 2, 3, 4], handler: "json" }] },
          ],
          // Experiment.promote_artifact: the file is copied on S3 (fs.copy) and the repository saved: features v3.
          promote: [{ at: "2025-03-05T00:00:00", experiment: "tuned-model", artifact: "features", repository: py.repository }],
        },
      ],
    });
    expect(answer.lazyscribe).toBe("2.2.1");
    answer.results.forEach((r, i) => written(r, i));

    // The objects Python put in the bucket: s3fs's layout, the promoted copy included.
    expect(await keysUnder("python")).toEqual([
      "project/baseline-model-20250302100000/clientele-agee/rows/sample.json",
      "project/baseline-model-20250302100000/features-20250302100000.json",
      "project/baseline-model-20250302100000/plots/roc.json",
      "project/baseline-model-20250302100000/young-customers/confusion-20250302100000.json",
      "project/feature-build-20250301093000/columns-20250301093000.json",
      "project/project.json",
      "project/tuned-model-20250303111500/features-20250303111500.json",
      "project/upstream.json",
      "repository/Model Card/model-card-20250105083000.json",
      "repository/config/config-20250101120000.json",
      "repository/config/config-20250203070000.json",
      "repository/features/features-20250101120000.json",
      "repository/features/features-20250105083000.json",
      "repository/features/features-20250201000000.json",
      "repository/features/features-20250303111500.json",
      "repository/layout/dir/sub/x.json",
      "repository/layout/dir/x.json",
      "repository/plain/plain-20250101120000.json",
      "repository/repository.json",
    ]);
    // Python writes a dependency as the bucket and key of the upstream project (no scheme).
    expect((parseLoose(await s3Text("python/project/project.json")) as Array<{ dependencies?: string[] }>)[0]!.dependencies).toEqual([
      `${TEST_BUCKET}/${prefix}/python/project/upstream.json|feature-build-20250301093000`,
    ]);

    // Our library, from s3://: every version has the value Python logged and the entry Python wrote.
    const repo = await Repository.open(py.repository, { mode: "r", onWarning: quiet });
    const manifest = parseLoose(await s3Text("python/repository/repository.json")) as Array<Record<string, unknown>>;
    expect(manifest).toHaveLength(10);
    expect(repo.artifacts).toHaveLength(10);
    for (const entry of manifest) {
      const name = entry.name as string;
      const version = entry.version as number;
      const m = repo.getArtifactMetadata(name, { version });
      expect({ name: m.name, version: m.version, fname: m.fname, handler: m.handler, created_at: m.createdAt.toISOString().slice(0, 19), expiry: m.expiry ? m.expiry.toISOString().slice(0, 19) : null }).toEqual(
        { name, version, fname: entry.fname, handler: "json", created_at: entry.created_at, expiry: entry.expiry },
      );
      const loggedValue = name === "features" && version === 3 ? [0, 1, 2, 3, 4] : decoded(PY_LOGGED[name]![version]);
      expect(await repo.loadArtifact(name, { version }), `${name} v${version}`).toEqual(loggedValue);
    }
    expect(repo.getArtifactMetadata("features", { version: 3 }).createdAt).toEqual(new Date("2025-03-03T11:15:00Z"));
    expect(repo.getArtifactMetadata("features").version).toBe(3); // promoted
    expect(repo.getArtifactMetadata("config").version).toBe(0); // v1 expired
    expect(repo.getArtifactMetadata("config", { version: 1 }).expiry).toEqual(new Date("2025-02-15T00:00:00Z"));
    expect(repo.getArtifactMetadata("Model Card", { version: 0 }).expiry).toEqual(new Date("2099-01-01T00:00:00Z"));

    // And every query of the interop scenario (latest, asof, filters, diffs) answers as Python does on the same s3:// files.
    const queries = repositoryQueries(repo);
    expect(new Set(repo.artifacts.map((a) => a.name))).toEqual(new Set(NAMES));
    const pyAnswers = pythonRepositoryAnswers(py.repository, queries);
    expect(pyAnswers.open).toEqual({ ok: 10 });
    await expectSameAnswers(repo, queries, pyAnswers.answers);

    // The project: experiments, metrics (NaN), parameters, tags, tests and their folders, artifacts, the dependency.
    const ourProject = await ourProjectView(py.project);
    const [pyProject] = runPython({ tasks: [{ kind: "project", path: py.project }] }).results;
    expect(pyProject!.open).toEqual({ ok: 2 });
    expect(ourProject.experiments).toEqual(pyProject!.experiments);
    expect(Object.fromEntries(Object.entries(pyProject!.lookups as Record<string, Answer>).map(([k, v]) => [k, outcome(v)]))).toEqual(
      Object.fromEntries(Object.entries(ourProject.lookups).map(([k, v]) => [k, outcome(v)])),
    );
    const p = await Project.open(py.project, { mode: "r", registry: new ProjectRegistry() });
    const baseline = p.get("baseline-model");
    expect(baseline.metrics).toEqual({ accuracy: 0.81, loss: NaN, curve: [0.1, 0.5, 0.9] });
    expect([...baseline.tags]).toEqual(["baseline", "v1"]);
    expect(baseline.tests.map((t) => [t.name, t.description])).toEqual([["Young customers", "age < 30"], ["Clientèle âgée", null]]);
    expect(await baseline.tests[1]!.loadArtifact("sample")).toEqual({ ids: [1, 2] });
    expect(await baseline.loadArtifact("roc")).toEqual({ fpr: [0, 0.5, 1], tpr: [0, 0.8, 1] });
    const dep = baseline.dependencies["feature-build"]!;
    expect([dep.slug, dep.metrics]).toEqual(["feature-build-20250301093000", { rows: 1000 }]);
    expect(await dep.loadArtifact("columns")).toEqual(["a", "b"]);
    expect(await p.get("tuned-model").loadArtifact("features")).toEqual([0, 1, 2, 3, 4]);
  }, 120_000);

  it("c. we append versions to the Python-written s3:// repository; Python reads them all, appends again, and we read that", async () => {
    const before = pythonRepositoryAnswers(py.repository, [{ op: "list" }]).answers[0]!;
    const pyEntries = written(before) as Array<Record<string, unknown>>;
    expect(pyEntries).toHaveLength(10); // what test b left

    const w = await Repository.open(py.repository, { mode: "a", now: () => new Date("2025-04-01T00:00:00Z") });
    const ours = { config: w.logArtifact("config", { lr: 0.01, note: "from TypeScript", nan: NaN }, { handler: "json", indent: 4 }), plain: w.logArtifact("plain", "third", { handler: "json" }) };
    await w.save();
    expect([ours.config.version, ours.plain.version]).toEqual([2, 1]);

    // Python, from s3://: our entries follow its own, which are unchanged; every version loads.
    const repo = await Repository.open(py.repository, { mode: "r", onWarning: quiet });
    const queries = everyVersion(repo);
    const { open, answers } = pythonRepositoryAnswers(py.repository, queries);
    expect(open).toEqual({ ok: 12 });
    const listed = written(answers[0]) as Array<Record<string, unknown>>;
    expect(listed.slice(0, 10)).toEqual(pyEntries);
    expect(listed.slice(10)).toEqual([
      expect.objectContaining({ name: "config", version: 2, created_at: "2025-04-01T00:00:00", handler: "json", fname: "config-20250401000000.json" }),
      expect.objectContaining({ name: "plain", version: 1, created_at: "2025-04-01T00:00:00", handler: "json", fname: "plain-20250401000000.json" }),
    ]);
    const load = (name: string, version: number) => answers[queries.findIndex((q) => q.op === "load" && q.name === name && q.version === version)];
    expect(load("config", 2)).toEqual({ ok: { lr: 0.01, note: "from TypeScript", nan: NAN } });
    expect(load("plain", 1)).toEqual({ ok: "third" });
    expect(load("features", 3)).toEqual({ ok: [0, 1, 2, 3, 4] });
    expect(queries.length).toBeGreaterThan(20);
    await expectSameAnswers(repo, queries, answers);
    const [latestConfig, latestPlain] = pythonRepositoryAnswers(py.repository, [{ op: "load", name: "config" }, { op: "load", name: "plain" }]).answers;
    expect([latestConfig, latestPlain]).toEqual([{ ok: { lr: 0.01, note: "from TypeScript", nan: NAN } }, { ok: "third" }]);

    // Python appends after us (it rewrites the manifest with our entries in it); we read everything.
    const [again] = runPythonWriter({ tasks: [{ kind: "repository", path: py.repository, mode: "w+", steps: [{ op: "log", at: "2025-05-01T00:00:00", name: "plain", value: "fourth", handler: "json" }] }] }).results;
    expect((written(again) as unknown[]).length).toBe(13);
    const after = await Repository.open(py.repository, { mode: "r", onWarning: quiet });
    expect(await Promise.all([0, 1, 2].map((v) => after.loadArtifact("plain", { version: v })))).toEqual(["first", "third", "fourth"]);
    expect(await after.loadArtifact("config", { version: 2 })).toEqual({ lr: 0.01, note: "from TypeScript", nan: NaN });
    expect(await after.loadArtifact("features", { version: 0 })).toEqual([0, 1, 2]);
  }, 120_000);

  describe("d. the Python-written fixtures, uploaded verbatim", () => {
    const at = `${base}/fixtures`;
    beforeAll(async () => {
      if (!s3Available) return;
      const root = FIXTURES;
      const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
      for (const file of walk(root)) {
        const rel = relative(root, file).split("\\").join("/");
        await testClient().send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}/fixtures/${rel}`, Body: readFileSync(file) }));
      }
    });

    interface Expected {
      query: { kind: "metadata" | "load" | "filter"; name?: string; version?: unknown; match?: "exact" | "asof" };
      ok?: unknown;
      error?: string;
    }
    const expected = JSON.parse(readFileSync(join(FIXTURES, "repository/expected.json"), "utf8")) as Expected[];
    const asDriverQuery = (q: Expected["query"]): RepoQuery =>
      q.kind === "filter" ? { op: "filter", version: q.version as string } : { op: q.kind, name: q.name!, version: (q.version ?? null) as never, match: q.match };
    /** expected.json keeps three keys of a metadata answer. */
    const shaped = (q: Expected, a: Answer): unknown => {
      if (a.error !== undefined) return { error: a.error };
      if (q.query.kind !== "metadata") return { ok: a.ok };
      const m = a.ok as Record<string, unknown>;
      return { ok: { version: m.version, fname: m.fname, created_at: m.created_at } };
    };

    it("the repository answers expected.json from s3:// (expiries parsed; as read, only Python's expiry TypeError differs)", () => {
      const queries = expected.map((e) => asDriverQuery(e.query));
      const parsed = pythonRepositoryAnswers(`${at}/repository/repository.json`, [...queries, { op: "load", name: "estimator" }]);
      expect(parsed.open).toEqual({ ok: 6 });
      expect(expected.map((e, i) => shaped(e, parsed.answers[i]!))).toEqual(expected.map((e) => (e.error ? { error: e.error } : { ok: e.ok })));
      expect(parsed.answers.at(-1)).toEqual({ ok: { coef: [0.5, -1.25] } }); // the pickle, read from S3
      const verbatim = pythonRepositoryAnswers(`${at}/repository/repository.json`, queries, false).answers;
      const differs = expected.flatMap((e, i) => (JSON.stringify(shaped(e, verbatim[i]!)) === JSON.stringify(e.error ? { error: e.error } : { ok: e.ok }) ? [] : [[e.query, verbatim[i]]]));
      expect(differs.length).toBeGreaterThan(0);
      for (const [q, a] of differs) {
        expect((q as Expected["query"]).name, JSON.stringify(q)).toBe("features");
        expect(a).toMatchObject({ error: "TypeError" });
      }
    });

    it("the releases file and the repository filtered by each release answer from s3:// as our library does", async () => {
      const [releases] = runPython({ tasks: [{ kind: "releases", path: `${at}/repository/releases.json`, repository: `${at}/repository/repository.json`, queries: RELEASE_QUERIES }] }).results;
      const ours = await ourReleasesView(`${at}/repository/releases.json`, `${at}/repository/repository.json`);
      expect(releases!.open).toEqual({ ok: 3 });
      expect(releases!.releases).toEqual(ours.releases);
      expect((releases!.answers as Answer[]).map(outcome)).toEqual(ours.answers.map(outcome));
      const filtered = releases!.filtered as Record<string, Answer>;
      expect(filtered["v0.1.0"]).toEqual(ours.filtered["v0.1.0"]);
      expect(filtered["v0.1.0"]).toEqual({ ok: { config: [0, { lr: 0.1, layers: [8, 4] }], features: [1, [0, 1, 2, 3]] } });
      // v0.2.0 and v0.3.0 pin the pickle estimator: Python loads it, our library has no pickle reader.
      for (const tag of ["v0.2.0", "v0.3.0"]) {
        expect(filtered[tag]!.ok, tag).toMatchObject({ estimator: [0, { coef: [0.5, -1.25] }] });
        expect(ours.filtered[tag]!.error, tag).toBeDefined();
      }
    });

    it("the project: Python takes the relative `upstream.json|slug` dependency for the bucket `upstream.json`; with a registry it answers as our library does", async () => {
      const [plain, registered] = runPython({
        tasks: [
          { kind: "project", path: `${at}/project/project.json` },
          { kind: "project", path: `${at}/project/project.json`, registry: { "upstream.json": `${at}/project/upstream.json` } },
        ],
      }).results;
      // lazyscribe opens `s3://upstream.json`: a bucket, no key, which s3fs refuses to open (so does the shim, with
      // s3fs's message). Our library resolves the relative path against the project's folder (s3Projects.test.ts).
      expect(plain!.open).toEqual({ error: "ValueError", message: "Attempt to open non key-like path: upstream.json" });
      const ours = await ourProjectView(`${at}/project/project.json`);
      expect(registered!.open).toEqual({ ok: 2 });
      expect(registered!.experiments).toEqual(ours.experiments);
      const [baseline] = registered!.experiments as Array<Record<string, unknown>>;
      expect(baseline!.dependencies).toEqual({ "feature-build": { name: "Feature build", slug: "feature-build-20250301093000", metrics: expect.any(Object) } });
      expect((baseline!.tests as Array<{ artifacts: Array<{ value: Answer }> }>)[0]!.artifacts[0]!.value.ok).toBeDefined();
    });
  });
});
