import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A real S3 server (single-node Ceph) for the s3:// tests; see scripts/s3-server.sh.
    globalSetup: ["../../packages/storage-s3/src/testing/s3ServerSetup.ts"],
  },
});
