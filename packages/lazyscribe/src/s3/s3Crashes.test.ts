import { spawn } from "node:child_process";
import { join } from "node:path";
import { ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { S3Storage } from "@lazyscribe/storage-s3";
import { afterAll, describe, expect, it } from "vitest";
import { Repository } from "../index.js";
import { deletePrefix, s3Available, TEST_BUCKET, testClient, uniquePrefix } from "../../../storage-s3/src/testing/s3TestEnv.js";

const WORKER = join(__dirname, "../../test-workers/s3CrashWriter.mjs");
const TRIALS = 20;
const prefix = uniquePrefix("crash");
afterAll(async () => {
  if (s3Available) await deletePrefix(TEST_BUCKET, `${prefix}/`);
});

// Deterministic kill delays (ms after the writer is ready), spread over open, upload and commit.
function delays(n: number, seed = 4242): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out.push(100 + (s % 1400));
  }
  return out;
}

function killAfter(ms: number, blobBytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, TEST_BUCKET, prefix, String(blobBytes)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", () => setTimeout(() => child.kill("SIGKILL"), ms));
    child.on("close", (_code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`writer exited by itself: ${stderr}`))));
  });
}

describe.skipIf(!s3Available)("S3 writers killed with SIGKILL mid-save", () => {
  it(`leave a manifest whose every entry loads with the right content, over ${TRIALS} kills (half mid-multipart)`, { timeout: 600_000 }, async () => {
    const storage = new S3Storage({ bucket: TEST_BUCKET, prefix, client: testClient() });
    let before = 0;
    for (const [i, ms] of delays(TRIALS).entries()) {
      // Odd trials upload a 6 MiB blob in two parts, so some kills land mid-multipart.
      await killAfter(ms, i % 2 === 1 ? 6 << 20 : 0);
      const repo = await Repository.open("repository.json", { storage, mode: "a" });
      expect(await repo.verify(), `trial ${i}`).toEqual([]);
      expect(repo.artifacts.length).toBeGreaterThanOrEqual(before);
      for (const r of repo.versions("crashy")) expect(await repo.loadArtifact("crashy", { version: r.version })).toMatchObject({ pad: "y".repeat(1024) });
      repo.logArtifact("after-crash", i, { handler: "json" });
      await repo.save();
      before = (await Repository.open("repository.json", { storage, mode: "r" })).artifacts.length;
    }
    const repo = await Repository.open("repository.json", { storage, mode: "w+" });
    const gc = await repo.gc({ graceSeconds: 0 });
    expect(await repo.verify()).toEqual([]);
    for (const key of gc.orphans) expect(await storage.stat(key)).toBeNull();
    const uploads = await testClient().send(new ListMultipartUploadsCommand({ Bucket: TEST_BUCKET, Prefix: `${prefix}/` }));
    expect(uploads.Uploads ?? []).toEqual([]);
    // Nothing but the manifest and artifact folders (no lock objects, no probe keys).
    for (const key of await storage.list("")) expect(key === "repository.json" || /^[a-z-]+\/[^/]+$/.test(key), key).toBe(true);
    console.log(`s3 crashes: ${TRIALS} kills, ${repo.artifacts.length} entries kept, gc removed ${gc.orphans.length} orphans and ${gc.incompleteUploads?.length ?? 0} incomplete uploads`);
  });
});
