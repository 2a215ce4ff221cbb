import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { storageConformanceSuite } from "@lazyscribe/core/testing";
import { FsStorage } from "./index.js";

storageConformanceSuite("FsStorage", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "lazyscribe-fs-conformance-"));
  return {
    storage: new FsStorage(dir, { lockTimeoutMs: 5_000 }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

storageConformanceSuite("FsStorage (root created on first write)", async () => {
  const parent = await mkdtemp(path.join(tmpdir(), "lazyscribe-fs-conformance-"));
  return {
    storage: new FsStorage(path.join(parent, "not", "yet", "there")),
    cleanup: () => rm(parent, { recursive: true, force: true }),
  };
});

storageConformanceSuite("FsStorage (durability: fsync)", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "lazyscribe-fs-conformance-"));
  return {
    storage: new FsStorage(dir, { durability: "fsync" }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
