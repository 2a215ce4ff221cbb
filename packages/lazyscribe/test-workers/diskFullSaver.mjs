// save() on a full disk: <repoFolder> <phase>, phase "prepare" (one saved
// version) or "fill-and-save" (fill the filesystem with a ballast file beside
// the folder, then log and save). Prints one JSON line.
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { Repository } from "../dist/index.js";

const [folder, phase] = process.argv.slice(2);
const location = path.join(folder, "repository.json");
const listAll = (dir, base = "") =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [`${base}${e.name}/`, ...listAll(path.join(dir, e.name), `${base}${e.name}/`)] : [`${base}${e.name}`],
  ).sort();

if (phase === "prepare") {
  const repo = await Repository.open(location, { mode: "w" });
  repo.logArtifact("features", [1, 2, 3], { handler: "json" });
  await repo.save();
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
} else {
  const before = { manifest: readFileSync(location, "utf8"), files: listAll(folder) };
  const fd = openSync(path.join(folder, "..", "ballast"), "w");
  try {
    for (;;) writeSync(fd, new Uint8Array(64 << 10));
  } catch (err) {
    if (err.code !== "ENOSPC") throw err;
  }
  closeSync(fd);
  const repo = await Repository.open(location, { mode: "a" });
  repo.logArtifact("features", Array.from({ length: 100_000 }, (_, i) => i), { handler: "json" });
  repo.logArtifact("labels", "x".repeat(10), { handler: "text" });
  let error = null;
  try {
    await repo.save();
  } catch (err) {
    error = { code: err?.code, osCode: err?.osCode, path: err?.path, hint: err?.hint, message: err?.message };
  }
  const after = { manifest: readFileSync(location, "utf8"), files: listAll(folder) };
  process.stdout.write(`${JSON.stringify({ error, before, after })}\n`);
}
