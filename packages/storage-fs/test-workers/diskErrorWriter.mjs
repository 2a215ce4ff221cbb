// Writes that hit a full disk, a read-only filesystem or a denied folder:
// <scenario> <root>, scenario "prepare" | "attempt" | "fill-and-attempt"
// (fills the filesystem with a ballast file beside <root> first). Prints one JSON line.
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { FsStorage } from "../dist/index.js";

const [scenario, root] = process.argv.slice(2);
const storage = new FsStorage(root, { lockTimeoutMs: 2_000 });

const listAll = (dir, base = "") =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [`${base}${e.name}/`, ...listAll(path.join(dir, e.name), `${base}${e.name}/`)] : [`${base}${e.name}`],
  ).sort();

async function attempt(fn) {
  try {
    await fn();
    return { ok: true };
  } catch (err) {
    return { code: err?.code, osCode: err?.osCode, path: err?.path, hint: err?.hint, message: err?.message };
  }
}

if (scenario === "prepare") {
  await storage.write("m.json", "[1]");
  await storage.write("a/x.bin", "small", { ifNoneMatch: "*" });
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
} else {
  if (scenario === "fill-and-attempt") {
    const fd = openSync(path.join(root, "..", "ballast"), "w");
    const block = new Uint8Array(64 << 10);
    try {
      for (;;) writeSync(fd, block);
    } catch (err) {
      if (err.code !== "ENOSPC") throw err;
    }
    closeSync(fd);
  }
  const big = new Uint8Array(4 << 20).fill(1); // larger than the 1 MiB test filesystem
  const chunks = async function* () {
    for (let i = 0; i < 16; i++) yield new Uint8Array(256 << 10).fill(2);
  };
  const etag = (await storage.stat("m.json")).etag;
  const results = {
    smallArtifact: await attempt(() => storage.write("a/small.bin", "tiny", { ifNoneMatch: "*" })),
    smallManifest: await attempt(() => storage.write("m.json", "[1,2]", { ifMatch: etag })),
    newArtifact: await attempt(() => storage.write("a/big.bin", big, { ifNoneMatch: "*" })),
    streamedArtifact: await attempt(() => storage.write("a/streamed.bin", chunks(), { ifNoneMatch: "*" })),
    newFolder: await attempt(() => storage.write("b/y.bin", big, { ifNoneMatch: "*" })),
    manifest: await attempt(() => storage.write("m.json", big, { ifMatch: etag })),
    copy: await attempt(() => storage.copy("a/x.bin", "a/copy.bin", { ifNoneMatch: "*" })),
  };
  const after = { manifest: readFileSync(path.join(root, "m.json"), "utf8"), files: listAll(root) };
  process.stdout.write(`${JSON.stringify({ results, after })}\n`);
}
