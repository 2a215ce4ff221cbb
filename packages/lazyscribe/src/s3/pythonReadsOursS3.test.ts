// A repository, project and releases written to S3 by this product, downloaded
// verbatim (ListObjectsV2 + GetObject), open in real Python lazyscribe 2.2.1
// (vendored in tools/python, run with Debian's /usr/bin/python3) and answer
// like our library reading them from S3. Missing Python packages fail this
// test (scripts/ensure-python-test-deps.sh installs them).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectPythonAgrees } from "../python/expectPythonAgrees.js";
import { writeScenario } from "../python/interopScenario.js";
import { requirePython } from "../python/pythonOracle.js";
import { deletePrefix, s3Available, TEST_BUCKET, testClient, uniquePrefix } from "../../../storage-s3/src/testing/s3TestEnv.js";

const FIXTURE = join(__dirname, "../../../../fixtures/lazyscribe-2.2.1/repository");
const prefix = uniquePrefix("py");
let dir: string;

beforeAll(() => {
  requirePython();
  dir = mkdtempSync(join(tmpdir(), "lz-python-reads-s3-"));
});
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (s3Available) await deletePrefix(TEST_BUCKET, `${prefix}/`);
});

/** Every object under `prefix/`, written byte for byte to `<into>/<key without prefix/>`; returns the relative keys. */
async function download(bucket: string, from: string, into: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await testClient().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${from}/`, ContinuationToken: token }));
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const relative: string[] = [];
  for (const key of keys) {
    const rel = key.slice(from.length + 1);
    const body = await (await testClient().send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
    const file = join(into, ...rel.split("/"));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    relative.push(rel);
  }
  return relative.sort();
}

describe.skipIf(!s3Available)("Python lazyscribe 2.2.1 reads what we write to S3 (downloaded verbatim)", () => {
  it("opens the repository, project and releases, and answers every query like our library on s3://", async () => {
    cpSync(FIXTURE, join(dir, "fixture"), { recursive: true });
    const base = `s3://${TEST_BUCKET}/${prefix}`;
    await writeScenario(base, join(dir, "fixture"));
    // The bucket's keys as paths under a root folder, as s3fs names them: Python reads a
    // dependency written as `bucket/prefix/project/upstream.json` from that root.
    const bucketRoot = join(dir, "download");
    const local = join(bucketRoot, TEST_BUCKET, ...prefix.split("/"));
    const keys = await download(TEST_BUCKET, prefix, local);
    // The layout Python lazyscribe uses on s3fs: manifests beside <name>/<fname> and <slug>/... folders.
    expect(keys).toEqual(
      expect.arrayContaining([
        "repository/repository.json",
        "repository/releases.json",
        "repository/features/features-20250101120000.json",
        "repository/layout/dir/sub/x.json",
        "repository/Model Card/model-card-20250105083000.json",
        "project/project.json",
        "project/upstream.json",
        "project/baseline-model-20250302100000/plots/roc.json",
        "project/baseline-model-20250302100000/clientele-agee/rows/sample.json",
        "minimal/repository.json",
        "minimal/estimator/estimator-20250204000000.pkl",
      ]),
    );
    expect(readFileSync(join(local, "minimal/estimator/estimator-20250204000000.pkl"))).toEqual(
      readFileSync(join(FIXTURE, "estimator/estimator-20250204000000.pkl")),
    );
    // Within one bucket, dependencies are written as Python on s3fs writes them (bucket first, no scheme).
    expect(JSON.parse(readFileSync(join(local, "project/project.json"), "utf8").replace(/\bNaN\b|-?Infinity/g, "0")).flatMap((e: { dependencies?: string[] }) => e.dependencies ?? [])).toEqual([
      expect.stringMatching(new RegExp(`^${TEST_BUCKET}/${prefix}/project/upstream\\.json\\|`)),
    ]);
    await expectPythonAgrees(local, base, bucketRoot);
  }, 120_000);
});
