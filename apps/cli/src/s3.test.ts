import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deletePrefix, freshStorage, s3Available, TEST_BUCKET, uniquePrefix } from "../../../packages/storage-s3/src/testing/s3TestEnv.js";
import { startS3rver, type S3rver } from "../../../packages/storage-s3/src/testing/s3rver.js";
import { cleanup, FIXTURES, run, tempDir } from "./testing/cli.js";

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

/** Exit 1 and exactly one line on stderr, matching `pattern`. */
function oneLineError(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

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

  it("a missing repository, a wrong bucket, wrong credentials and an unreachable endpoint each give one line and exit 1", () => {
    oneLineError(run(["ls", "--repo", `s3://${TEST_BUCKET}/${prefix}/nothing/repository.json`], { cwd: dir }), /^lazyscribe: no repository at s3:\/\//);
    oneLineError(run(["ls", "--repo", "s3://no-such-bucket-lz/repository.json"], { cwd: dir }), /bucket "no-such-bucket-lz" does not exist/);
    oneLineError(run(["ls", "--repo", repo], { cwd: dir, env: { AWS_SECRET_ACCESS_KEY: "wrong" } }), /credentials/);
    oneLineError(
      run(["log", "features", "features.json", "--repo", repo], { cwd: dir, env: { AWS_SECRET_ACCESS_KEY: "wrong" } }),
      /credentials/,
    );
    oneLineError(run(["ls", "--repo", repo], { cwd: dir, env: { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:1" } }), /cannot reach http:\/\/127\.0\.0\.1:1.*ECONNREFUSED/);
  });
});

describe.skipIf(!s3Available)("the CLI checks the kind of an s3:// file from the bytes its open reads", () => {
  const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
  let folder: string;
  let dropFolder: () => Promise<void>;
  beforeAll(async () => {
    const { storage, prefix, cleanup: drop } = freshStorage();
    dropFolder = drop;
    folder = `s3://${TEST_BUCKET}/${prefix}`;
    await storage.write("repository.json", fixture("repository/repository.json"));
    await storage.write("releases.json", fixture("repository/releases.json"));
    await storage.write("project.json", fixture("project/project.json"));
    await storage.write("upstream.json", fixture("project/upstream.json"));
    // A repository manifest where the releases file belongs.
    await storage.write("misplaced/repository.json", fixture("repository/repository.json"));
    await storage.write("misplaced/releases.json", fixture("repository/repository.json"));
  });
  afterAll(async () => dropFolder?.());

  const refused = (args: string[], pattern: RegExp): void => {
    const r = run(args, { cwd: dir, input: "x" });
    expect(r.stdout).toBe("");
    oneLineError(r, pattern);
  };

  it("ls, log, project ls, release ls and ui refuse another kind of lazyscribe file in one line, exit 1", () => {
    refused(["ls", "--repo", `${folder}/project.json`], /^lazyscribe: s3:\/\/\S+\/project\.json is a project file \(project\.json\), not a repository manifest \(repository\.json\); use --repo <path>/);
    refused(["ls", "--repo", `${folder}/releases.json`], /is a releases file \(releases\.json\), not a repository manifest/);
    refused(["log", "x", "-", "--repo", `${folder}/project.json`], /project\.json is a project file/);
    refused(["project", "ls", "--project", `${folder}/repository.json`], /repository\.json is a repository manifest \(repository\.json\), not a project file \(project\.json\); use --project <path>/);
    refused(["project", "show", "x", "--project", `${folder}/releases.json`], /releases\.json is a releases file \(releases\.json\), not a project file/);
    refused(["release", "ls", "--repo", `${folder}/misplaced/repository.json`], /misplaced\/releases\.json is a repository manifest \(repository\.json\), not a releases file/);
    refused(["ui", `${folder}/project.json`], /project\.json is a project file \(project\.json\), not a repository manifest/);
    refused(["project", "ls", "--project", `${folder}/nothing/project.json`], /^lazyscribe: no project at s3:\/\/\S+\/nothing\/project\.json/);
    // The right kinds still open.
    expect(run(["ls", "--repo", `${folder}/repository.json`], { cwd: dir }).code).toBe(0);
    expect(run(["project", "ls", "--project", `${folder}/project.json`], { cwd: dir }).code).toBe(0);
    expect(run(["release", "ls", "--repo", `${folder}/repository.json`], { cwd: dir }).code).toBe(0);
  });

  it("opening an s3:// repository or project costs one GET of its manifest and nothing else on it", () => {
    // Every HTTP request of the CLI process, seen through Node's diagnostics channel.
    const preload = path.join(dir, "count-requests.mjs");
    const log = path.join(dir, "requests.txt");
    writeFileSync(
      preload,
      `import dc from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";
const seen = [];
dc.subscribe("http.client.request.start", ({ request }) => seen.push(request.method + " " + request.path));
process.on("exit", () => writeFileSync(${JSON.stringify(log)}, seen.join("\\n")));
`,
    );
    const requestsFor = (args: string[], key: string): string[] => {
      const r = run(args, { cwd: dir, env: { NODE_OPTIONS: `--import ${preload}` } });
      expect(r.code, r.stderr).toBe(0);
      const manifest = `/${TEST_BUCKET}/${folder.slice(`s3://${TEST_BUCKET}/`.length)}/${key}`;
      return readFileSync(log, "utf8").split("\n").filter((l) => l.split("?")[0]!.endsWith(manifest));
    };
    expect(requestsFor(["ls", "--repo", `${folder}/repository.json`, "--json"], "repository.json")).toEqual([
      expect.stringMatching(/^GET \/\S+\/repository\.json\?x-id=GetObject$/),
    ]);
    expect(requestsFor(["project", "ls", "--project", `${folder}/project.json`], "project.json")).toEqual([
      expect.stringMatching(/^GET \/\S+\/project\.json\?x-id=GetObject$/),
    ]);
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
