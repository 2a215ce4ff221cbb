import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // README blocks that use s3:// run against a real S3 server (single-node Ceph); see scripts/s3-server.sh.
    globalSetup: ["../../packages/storage-s3/src/testing/s3ServerSetup.ts"],
  },
});
