import { describe, it } from "vitest";
import { storageConformanceSuite } from "@lazyscribe/core/testing";
import { freshStorage, s3Available } from "./testing/s3TestEnv.js";

if (s3Available) {
  // A 5 MiB threshold so the suite's 5 MiB stream goes up in parts; 2,500 keys cross ListObjectsV2's 1,000-key pages.
  storageConformanceSuite("S3Storage (Ceph RGW)", () => freshStorage({ multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 }), {
    etagsAreContentHashes: true,
    manyKeys: 2500,
  });
} else {
  describe.skip("S3Storage (Ceph RGW): no S3 test server", () => it("skipped", () => undefined));
}
