/**
 * npm `s3rver` in a child process: an S3 server that ignores If-Match /
 * If-None-Match on PUT, i.e. exactly a server without conditional writes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

export interface S3rver {
  endpoint: string;
  /** Environment for a process that talks to it (keys s3rver accepts). */
  env: Record<string, string>;
  bucket: string;
  stop(): Promise<void>;
}

/** Start s3rver on a free port with one bucket. */
export async function startS3rver(bucket = "plain"): Promise<S3rver> {
  const dir = mkdtempSync(path.join(tmpdir(), "lz-s3rver-"));
  const main = createRequire(import.meta.url).resolve("s3rver");
  const code = `const S3rver = require(${JSON.stringify(main)});
new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: ${JSON.stringify(dir)}, configureBuckets: [{ name: ${JSON.stringify(bucket)} }] })
  .run().then(({ port }) => console.log("PORT " + port), (e) => { console.error(e); process.exit(1); });`;
  const child: ChildProcess = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (c) => reject(new Error(`s3rver exited with ${c}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" },
    stop: async () => {
      child.kill();
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
