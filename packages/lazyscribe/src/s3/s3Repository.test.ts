import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { S3Storage } from "@lazyscribe/storage-s3";
import { afterAll, describe, expect, it } from "vitest";
import { createRelease, dump, findRelease, load, minimalRepositoryFromRelease, Project, ProjectRegistry, Repository } from "../index.js";
import { deletePrefix, s3Available, TEST_BUCKET, testClient, uniquePrefix } from "../../../storage-s3/src/testing/s3TestEnv.js";

const WORKER = join(__dirname, "../../test-workers/repoWriter.mjs");
const FIXTURES = join(__dirname, "../../../../fixtures/lazyscribe-2.2.1");

const prefixes: string[] = [];
function freshLocation(file = "repository.json"): { prefix: string; location: string } {
  const prefix = uniquePrefix("lz");
  prefixes.push(prefix);
  return { prefix, location: `s3://${TEST_BUCKET}/${prefix}/${file}` };
}
afterAll(async () => {
  if (s3Available) for (const p of prefixes) await deletePrefix(TEST_BUCKET, `${p}/`);
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKER, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Upload a local folder verbatim under `prefix/`. */
async function upload(dir: string, prefix: string): Promise<void> {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  for (const file of walk(dir)) {
    const key = `${prefix}/${relative(dir, file).split("\\").join("/")}`;
    await testClient().send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: readFileSync(file) }));
  }
}

describe.skipIf(!s3Available)("lazyscribe on s3:// (real S3 server)", () => {
  it("8 processes × 25 saves into one s3:// repository keep all 200 versions, each loading its own payload", async () => {
    const { location } = freshLocation();
    const results = await Promise.all(Array.from({ length: 8 }, (_, w) => run([location, String(w), "25"])));
    for (const r of results) expect(r.stderr).toBe("");
    for (const r of results) expect(r.code).toBe(0);
    const repo = await Repository.open(location, { mode: "r" });
    const versions = repo.versions("shared");
    expect(versions.map((r) => r.version)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(new Set(versions.map((r) => r.fname)).size).toBe(200);
    const told = results.flatMap((r) => r.stdout.trim().split("\n")).map((l) => l.split(":").map(Number));
    const seen = new Set<string>();
    for (const [writer, round, version] of told) {
      expect(await repo.loadArtifact("shared", { version })).toMatchObject({ writer, round });
      seen.add(`${writer}:${round}`);
    }
    expect(seen.size).toBe(200);
    expect(await repo.verify()).toEqual([]);
  }, 300_000);

  it("writers with separate S3Clients (one per machine) lose nothing", async () => {
    const { prefix } = freshLocation();
    const writers = Array.from({ length: 4 }, () => {
      const client = new S3Client({
        endpoint: process.env.AWS_ENDPOINT_URL_S3,
        region: process.env.AWS_REGION,
        forcePathStyle: true,
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
      return new S3Storage({ bucket: TEST_BUCKET, prefix, client });
    });
    await Promise.all(
      writers.map(async (storage, w) => {
        for (let i = 0; i < 6; i++) {
          const repo = await Repository.open("repository.json", { storage, mode: "a" });
          repo.logArtifact("model", { w, i }, { handler: "json" });
          await repo.save();
        }
      }),
    );
    const repo = await Repository.open("repository.json", { storage: writers[0]!, mode: "r" });
    expect(repo.versions("model").map((r) => r.version)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const payloads = await Promise.all(repo.versions("model").map((r) => repo.loadArtifact("model", { version: r.version })));
    expect(new Set(payloads.map((p) => JSON.stringify(p))).size).toBe(24);
  }, 120_000);

  it("uses the same keys as Python lazyscribe on s3fs, and nothing else", async () => {
    const { prefix, location } = freshLocation();
    const repo = await Repository.open(location, { mode: "w", now: () => new Date("2025-01-05T08:30:00Z") });
    repo.logArtifact("features", [1, 2], { handler: "json" });
    await repo.save();
    const storage = new S3Storage({ bucket: TEST_BUCKET, prefix, client: testClient() });
    expect((await storage.list("")).sort()).toEqual(["features/features-20250105083000.json", "repository.json"]);
  });

  it("projects on s3:// promote into disk and S3 repositories, and releases files live on s3://", async () => {
    const { location: projectLoc } = freshLocation("project.json");
    const project = await Project.open(projectLoc, { mode: "w", author: "alice", registry: new ProjectRegistry() });
    await project.log("exp", async (exp) => {
      exp.logMetric("accuracy", 0.9);
      exp.logArtifact("features", [1, 2, 3], { handler: "json" });
    });
    await project.save();
    const reopened = await Project.open(projectLoc, { mode: "r", registry: new ProjectRegistry() });
    expect(await reopened.get("exp").loadArtifact("features")).toEqual([1, 2, 3]);

    const dir = mkdtempSync(join(tmpdir(), "lz-s3-promote-"));
    try {
      const local = await Repository.open(join(dir, "repository.json"), { mode: "w+" });
      await reopened.get("exp").promoteArtifact(local, "features");
      expect(await (await Repository.open(join(dir, "repository.json"), { mode: "r" })).loadArtifact("features")).toEqual([1, 2, 3]);
      const { location: repoLoc } = freshLocation();
      const remote = await Repository.open(repoLoc, { mode: "w+" });
      await reopened.get("exp").promoteArtifact(remote, "features");
      const r = await Repository.open(repoLoc, { mode: "r" });
      expect(await r.loadArtifact("features")).toEqual([1, 2, 3]);

      const releasesLoc = repoLoc.replace(/repository\.json$/, "releases.json");
      await dump([createRelease(r, "v1")], releasesLoc);
      expect(findRelease(await load(releasesLoc), "v1").artifacts).toEqual([["features", 0]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("Python lazyscribe 2.2.1 fixtures uploaded verbatim", () => {
    interface Query {
      query: { kind: "metadata" | "load" | "filter"; name?: string; version?: unknown; match?: "exact" | "asof" };
      now: string;
      ok?: unknown;
      error?: string;
    }
    const expected = JSON.parse(readFileSync(join(FIXTURES, "repository/expected.json"), "utf8")) as Query[];
    const mapError = (q: Query): string =>
      q.error === "ValueError"
        ? typeof q.query.version === "number" && q.query.match === "asof"
          ? "INVALID_VERSION"
          : "ARTIFACT_NOT_FOUND"
        : { VersionNotFoundError: "VERSION_NOT_FOUND", InvalidVersionError: "INVALID_VERSION" }[q.error!]!;
    let location: string | undefined;
    const fixtureLocation = async (): Promise<string> => {
      if (location) return location;
      const fresh = freshLocation();
      await upload(join(FIXTURES, "repository"), fresh.prefix);
      return (location = fresh.location);
    };

    it("answer every expected.json query like the reference", async () => {
      const loc = await fixtureLocation();
      for (const q of expected) {
        const repo = await Repository.open(loc, { mode: "r", now: () => new Date(q.now + "Z") });
        const { kind, name, version, match } = q.query;
        const answer = async (): Promise<unknown> => {
          if (kind === "metadata") {
            const m = repo.getArtifactMetadata(name!, { version: version as never, match });
            return { version: m.version, fname: m.fname, created_at: m.createdAt.toISOString().slice(0, 19) };
          }
          if (kind === "load") return repo.loadArtifact(name!, { version: version as never, match });
          return repo.filter(version as never).artifacts.map((a) => [a.name, a.version]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        };
        if (q.error) await expect(answer(), JSON.stringify(q.query)).rejects.toMatchObject({ code: mapError(q) });
        else expect(await answer(), JSON.stringify(q.query)).toEqual(q.ok);
      }
      expect(expected.length).toBeGreaterThan(10);
    }, 120_000);

    it("copy a release S3 → disk → S3 with verified files", async () => {
      const loc = await fixtureLocation();
      const repo = await Repository.open(loc, { mode: "r", now: () => new Date("2025-03-01T00:00:00Z") });
      const release = createRelease(repo, "v1");
      const dir = mkdtempSync(join(tmpdir(), "lz-s3-release-"));
      try {
        await minimalRepositoryFromRelease(dir, repo, release);
        const onDisk = await Repository.open(join(dir, "repository.json"), { mode: "r" });
        expect(onDisk.artifacts.map((a) => [a.name, a.version]).sort()).toEqual(release.artifacts.map((a) => [...a]).sort());
        const back = freshLocation();
        await minimalRepositoryFromRelease(`s3://${TEST_BUCKET}/${back.prefix}`, onDisk, release);
        const onS3 = await Repository.open(back.location, { mode: "r" });
        expect(onS3.artifacts.map((a) => [a.name, a.version]).sort()).toEqual(release.artifacts.map((a) => [...a]).sort());
        expect(await onS3.verify()).toEqual([]);
        const s3ToS3 = freshLocation();
        await minimalRepositoryFromRelease(`s3://${TEST_BUCKET}/${s3ToS3.prefix}`, onS3, release);
        expect(await (await Repository.open(s3ToS3.location, { mode: "r" })).verify()).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});
