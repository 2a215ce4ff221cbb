import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deletePrefix, s3Available, TEST_BUCKET, uniquePrefix } from "../../../packages/storage-s3/src/testing/s3TestEnv.js";
import { startS3rver, type S3rver } from "../../../packages/storage-s3/src/testing/s3rver.js";
import { cleanup, run, tempDir } from "./testing/cli.js";

let dir: string;
const prefix = uniquePrefix("cli");
const repo = `s3://${TEST_BUCKET}/${prefix}/repository.json`;

beforeAll(() => {
  dir = tempDir();
  writeFileSync(path.join(dir, "features.json"), '{"a": 1}\n');
});
afterAll(async () => {
  cleanup(dir);
  if (s3Available) await deletePrefix(TEST_BUCKET, `${prefix}/`);
});

describe.skipIf(!s3Available)("the CLI on s3:// locations", () => {
  it("log, ls, versions, cat and verify work on s3:// with nothing on stderr", () => {
    for (let i = 0; i < 2; i++) {
      const logged = run(["log", "features", "features.json", "--handler", "json", "--repo", repo], { cwd: dir });
      expect(logged.stderr).toBe("");
      expect(logged.code).toBe(0);
    }
    const ls = run(["ls", "--repo", repo, "--json"], { cwd: dir });
    expect(ls.stderr).toBe("");
    expect(ls.stdout).toContain('"features"');
    const versions = run(["versions", "features", "--repo", repo], { cwd: dir });
    expect(versions.code).toBe(0);
    expect(versions.stdout).toMatch(/\b1\b/);
    const cat = run(["cat", "features", "--repo", repo], { cwd: dir });
    expect(cat.code).toBe(0);
    expect(JSON.parse(cat.stdout)).toEqual({ a: 1 });
    const verify = run(["verify", "--repo", repo], { cwd: dir });
    expect(verify.stderr).toBe("");
    expect(verify.code).toBe(0);
  });

  const oneLine = (r: { code: number | null; stderr: string }, pattern: RegExp): void => {
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  };

  it("a missing repository, a wrong bucket, wrong credentials and an unreachable endpoint each give one line and exit 1", () => {
    oneLine(run(["ls", "--repo", `s3://${TEST_BUCKET}/${prefix}/nothing/repository.json`], { cwd: dir }), /^lazyscribe: no repository at s3:\/\//);
    oneLine(run(["ls", "--repo", "s3://no-such-bucket-lz/repository.json"], { cwd: dir }), /bucket "no-such-bucket-lz" does not exist/);
    oneLine(run(["ls", "--repo", repo], { cwd: dir, env: { AWS_SECRET_ACCESS_KEY: "wrong" } }), /credentials/);
    oneLine(
      run(["log", "features", "features.json", "--repo", repo], { cwd: dir, env: { AWS_SECRET_ACCESS_KEY: "wrong" } }),
      /credentials/,
    );
    oneLine(run(["ls", "--repo", repo], { cwd: dir, env: { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:1" } }), /cannot reach http:\/\/127\.0\.0\.1:1.*ECONNREFUSED/);
  });
});

describe("the CLI against a server without conditional writes (s3rver)", () => {
  let server: S3rver;
  beforeAll(async () => {
    server = await startS3rver();
  });
  afterAll(async () => server?.stop());

  it("refuses to write, in one line, exit 1", () => {
    const r = run(["log", "features", "features.json", "--repo", `s3://${server.bucket}/x/repository.json`], { cwd: dir, env: server.env });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/does not support conditional writes.*unsafeUnconditionalWrites/);
  });
});
