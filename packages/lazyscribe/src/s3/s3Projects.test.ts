/**
 * Projects across backends on a real S3 server: dependencies from S3 onto
 * disk and back (as written by this package and by Python lazyscribe on
 * s3fs), and promotion from a disk project into an S3 repository (S3 → disk
 * and S3 → S3 are in s3Repository.test.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DependencyError, Project, ProjectRegistry, Repository, type ProjectOptions } from "../index.js";
import { deletePrefix, s3Available, TEST_BUCKET, testClient, uniquePrefix } from "../../../storage-s3/src/testing/s3TestEnv.js";

const FIXTURES = join(__dirname, "../../../../fixtures/lazyscribe-2.2.1");

const prefixes: string[] = [];
function s3Folder(): { prefix: string; folder: string } {
  const prefix = uniquePrefix("proj");
  prefixes.push(prefix);
  return { prefix, folder: `s3://${TEST_BUCKET}/${prefix}` };
}

let dir: string;
beforeAll(() => {
  // realpath: macOS-style /tmp symlinks would make the written absolute path differ from the one compared.
  dir = realpathSync(mkdtempSync(join(tmpdir(), "lz-s3-projects-")));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (s3Available) for (const p of prefixes) await deletePrefix(TEST_BUCKET, `${p}/`);
});

/** Options for one load: a registry of its own, so only locations resolve dependencies. */
const opts = (mode: ProjectOptions["mode"], time = "2025-03-01T09:30:00Z"): ProjectOptions => ({
  mode,
  author: "alice",
  registry: new ProjectRegistry(),
  now: () => new Date(time),
});

async function s3Text(key: string): Promise<string> {
  const res = await testClient().send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
  return res.Body!.transformToString();
}

async function putText(key: string, text: string): Promise<void> {
  await testClient().send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: text }));
}

describe.skipIf(!s3Available)("projects across disk and S3 (real S3 server)", () => {
  it("an S3 project depends on a disk project and a disk project on the S3 one: each loads the other's experiment and artifacts", async () => {
    // The disk project is opened by a RELATIVE path: the S3 project must still store where it really is.
    const diskFile = join(dir, "upstream", "project.json");
    const diskRelative = relative(process.cwd(), diskFile);
    const up = await Project.open(diskRelative, opts("w"));
    await up.log("Feature build", (e) => {
      e.logMetric("rows", 1000);
      e.logArtifact("features", [1, 2, 3], { handler: "json" });
    });
    await up.save();

    const { prefix, folder } = s3Folder();
    const upstream = await Project.open(diskRelative, opts("r"));
    const model = await Project.open(`${folder}/project.json`, opts("w", "2025-03-02T10:00:00Z"));
    let ref = "";
    await model.log("Model", (e) => {
      ref = e.addDependency(upstream.get("feature-build"));
      e.logArtifact("weights", { w: [0.5, 0.25] }, { handler: "json" });
    });
    expect(ref).toBe(`${diskFile}|feature-build-20250301093000`);
    await model.save();
    expect(JSON.parse(await s3Text(`${prefix}/project.json`))[0].dependencies).toEqual([ref]);

    const onS3 = await Project.open(`${folder}/project.json`, opts("r"));
    const build = onS3.get("model").dependencies["feature-build"]!;
    expect(build.metrics.rows).toBe(1000);
    expect(await build.loadArtifact("features")).toEqual([1, 2, 3]);

    // The reverse: a disk project depending on the S3 one stores its s3:// location.
    const reportFile = join(dir, "report", "project.json");
    const report = await Project.open(reportFile, opts("w", "2025-03-03T11:00:00Z"));
    await report.log("Report", (e) => {
      expect(e.addDependency(onS3.get("model"))).toBe(`${folder}/project.json|model-20250302100000`);
    });
    await report.save();
    expect(JSON.parse(readFileSync(reportFile, "utf8"))[0].dependencies).toEqual([`${folder}/project.json|model-20250302100000`]);
    const again = await Project.open(reportFile, opts("r"));
    const m = again.get("report").dependencies.model!;
    expect(await m.loadArtifact("weights")).toEqual({ w: [0.5, 0.25] });
    expect(await m.dependencies["feature-build"]!.loadArtifact("features")).toEqual([1, 2, 3]);
  });

  it("a cycle across backends (S3 → disk → S3) resolves to the projects already opened", async () => {
    const { folder } = s3Folder();
    const diskFile = join(dir, "cycle", "project.json");
    const s3Project = await Project.open(`${folder}/project.json`, opts("w"));
    await s3Project.log("A", () => undefined);
    await s3Project.save();
    const disk = await Project.open(diskFile, opts("w", "2025-03-02T00:00:00Z"));
    await disk.log("B", (e) => void e.addDependency(s3Project.get("a")));
    await disk.save();
    const s3w = await Project.open(`${folder}/project.json`, opts("w+"));
    s3w.get("a").addDependency((await Project.open(diskFile, opts("r"))).get("b"));
    await s3w.save();

    const loaded = await Project.open(`${folder}/project.json`, opts("r"));
    const a = loaded.get("a");
    expect(a.dependencies.b!.dependencies.a).toBe(a);

    // Also when this load is the process's first use of s3:// (the S3 package
    // is loaded in the middle of it): a fresh Node on the built package.
    const script = `import { Project } from ${JSON.stringify(pathToFileURL(join(__dirname, "../../dist/index.js")).href)};
      const p = await Project.open(${JSON.stringify(`${folder}/project.json`)}, { mode: "r" });
      const a = p.get("a");
      console.log(JSON.stringify({ same: a.dependencies.b.dependencies.a === a }));`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      timeout: 30_000,
    });
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual({ same: true });
  });

  it("within one bucket a dependency is written as Python on s3fs writes it (bucket/folder/project.json), and resolves", async () => {
    const { prefix, folder } = s3Folder();
    const up = await Project.open(`${folder}/features/project.json`, opts("w"));
    await up.log("Feature build", (e) => {
      e.logArtifact("features", [1, 2, 3], { handler: "json" });
    });
    await up.save();
    const model = await Project.open(`${folder}/models/project.json`, opts("w", "2025-03-02T10:00:00Z"));
    let ref = "";
    await model.log("Model", (e) => {
      ref = e.addDependency(up.get("feature-build"));
    });
    await model.save();
    // Python reads it as s3://<this>; a relative `../features/project.json` would send it to a bucket named "..".
    expect(ref).toBe(`${TEST_BUCKET}/${prefix}/features/project.json|feature-build-20250301093000`);
    expect(JSON.parse(await s3Text(`${prefix}/models/project.json`))[0].dependencies).toEqual([ref]);
    const again = await Project.open(`${folder}/models/project.json`, opts("r"));
    expect(await again.get("model").dependencies["feature-build"]!.loadArtifact("features")).toEqual([1, 2, 3]);
  });

  describe("dependencies written by Python lazyscribe on s3fs", () => {
    it("`bucket/folder/upstream.json|slug` (no scheme) and the fixture's relative `upstream.json|slug` both resolve on S3", async () => {
      const { prefix, folder } = s3Folder();
      // Python's text as is (it has NaN metrics, which JSON.parse refuses): only the reference is rewritten.
      const projectText = readFileSync(join(FIXTURES, "project/project.json"), "utf8");
      const relativeRef = /"(upstream\.json\|[^"]+)"/.exec(projectText)![1]!;
      const upstreamText = readFileSync(join(FIXTURES, "project/upstream.json"), "utf8");
      await putText(`${prefix}/upstream.json`, upstreamText);
      await putText(`${prefix}/relative/upstream.json`, upstreamText);
      // What Python writes for a project it opened as s3://<bucket>/<prefix>/upstream.json.
      const pythonRef = relativeRef.replace(/^upstream\.json/, `${TEST_BUCKET}/${prefix}/upstream.json`);
      await putText(`${prefix}/project.json`, projectText.split(`"${relativeRef}"`).join(`"${pythonRef}"`));
      await putText(`${prefix}/relative/project.json`, projectText);

      for (const location of [`${folder}/project.json`, `${folder}/relative/project.json`]) {
        const p = await Project.open(location, opts("r"));
        const withDeps = p.experiments.filter((e) => e.dependencyRefs.length > 0);
        expect(withDeps.length, location).toBeGreaterThan(0);
        for (const e of withDeps) {
          const deps = Object.values(e.dependencies);
          expect(deps.map((d) => d.slug)).toEqual([relativeRef.split("|")[1]]);
          expect(deps[0]!.storage.description).toBe(location.replace(/\/project\.json$/, ""));
        }
      }
    });

    it("a reference that climbs out of the bucket is a DependencyError naming it, not a crash", async () => {
      const { prefix, folder } = s3Folder();
      const entry = JSON.parse(readFileSync(join(FIXTURES, "project/upstream.json"), "utf8")) as Array<Record<string, unknown>>;
      await putText(`${prefix}/project.json`, JSON.stringify([{ ...entry[0], dependencies: ["../../other-bucket/project.json|x-20250101000000"] }]));
      const err = await Project.open(`${folder}/project.json`, opts("r")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DependencyError);
      expect((err as Error).message).toContain("climbs out of s3://lazyscribe-test");
    });
  });

  describe("promotion across backends", () => {
    it("a saved artifact of a disk project is streamed into an S3 repository; an unsaved one is logged there", async () => {
      const diskFile = join(dir, "promote", "project.json");
      const p = await Project.open(diskFile, opts("w"));
      await p.log("Tuned", (e) => {
        e.logArtifact("features", [4, 5, 6], { handler: "json" });
        e.logArtifact("notes", "tuned on 2025-03-01", { handler: "text" });
      });
      await p.save();
      const { folder } = s3Folder();
      const saved = await Project.open(diskFile, opts("r"));
      const remote = await Repository.open(`${folder}/repository.json`, { mode: "w+" });
      const record = await saved.get("tuned").promoteArtifact(remote, "features");
      expect(record.version).toBe(0);
      const r = await Repository.open(`${folder}/repository.json`, { mode: "r" });
      expect(await r.loadArtifact("features")).toEqual([4, 5, 6]);
      expect(await r.verify()).toEqual([]);

      // Not saved yet: logged into the repository like logArtifact, the caller saves.
      const fresh = await Project.open(join(dir, "promote-unsaved", "project.json"), opts("w", "2025-03-05T00:00:00Z"));
      const exp = await fresh.log("Draft", (e) => void e.logArtifact("features", [7], { handler: "json" }));
      const target = await Repository.open(`${folder}/repository.json`, { mode: "w+" });
      await exp.promoteArtifact(target, "features");
      await target.save();
      const after = await Repository.open(`${folder}/repository.json`, { mode: "r" });
      expect(after.versions("features").map((v) => v.version)).toEqual([0, 1]);
      expect(await after.loadArtifact("features")).toEqual([7]);
    });
  });
});
