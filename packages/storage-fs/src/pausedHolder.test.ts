// A lock holder stopped with SIGSTOP right before its commit (as a sleeping
// laptop or a long GC pause would stop it) must not overwrite a commit made
// while it was stopped. The holder is a real process running the built package.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FsStorage } from "./index.js";
import { codeOfRejection, tempDir } from "./testHelpers.js";

const WORKERS = path.join(__dirname, "../test-workers");
const KEY = "list.json";

let dir: string;
let cleanup: () => Promise<void>;
const children: ChildProcess[] = [];
beforeAll(() => {
  if (!existsSync(path.join(__dirname, "../dist/index.js"))) throw new Error("build @lazyscribe/storage-fs first (pnpm build)");
});
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeFile(path.join(dir, KEY), "[]");
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await cleanup();
});

interface Outcome { id: string; attempts: string[] }

/** Start a writer that appends `id` and stops itself right before renaming onto the key; resolves once it is stopped. */
function startPausedWriter(id: string, command: string[] = []): Promise<{ child: ChildProcess; done: Promise<Outcome> }> {
  const node = [process.execPath, "--import", pathToFileURL(path.join(WORKERS, "pauseBeforeCommit.mjs")).href, path.join(WORKERS, "appendWriter.mjs"), dir, KEY, id];
  const [cmd, ...args] = [...command, ...node];
  const child = spawn(cmd!, args, { env: { ...process.env, LZ_PAUSE_BEFORE_RENAME_ONTO: KEY }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const done = new Promise<Outcome>((resolve, reject) => {
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code === 0 && line) resolve(JSON.parse(line) as Outcome);
      else reject(new Error(`writer ${id} failed (exit ${code}): ${err}`));
    });
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("paused\n")) resolve({ child, done });
    });
    done.catch(reject);
  });
}

const list = async (): Promise<string[]> => JSON.parse(await readFile(path.join(dir, KEY), "utf8")) as string[];

/** Append `id` with compare-and-swap from this process. */
async function append(storage: FsStorage, id: string): Promise<void> {
  const st = (await storage.stat(KEY))!;
  await storage.write(KEY, JSON.stringify([...(await list()), id]), { ifMatch: st.etag });
}

describe("a lock holder paused right before its commit", () => {
  it("does not overwrite a commit made after its lock file was deleted by hand", async () => {
    const a = await startPausedWriter("A");
    await unlink(path.join(dir, `${KEY}.lock`));
    await append(new FsStorage(dir, { lockTimeoutMs: 5_000 }), "B");
    expect(await list()).toEqual(["B"]);
    a.child.kill("SIGCONT");
    const outcome = await a.done;
    // A lost its lock, so its commit was refused and it retried on top of B's.
    expect(outcome.attempts).toEqual(["PRECONDITION_FAILED", "committed"]);
    expect(await list()).toEqual(["B", "A"]);
  });

  it("keeps its lock while it is a live process on this host, however long it is stopped", async () => {
    const a = await startPausedWriter("A");
    const b = new FsStorage(dir, { lockTimeoutMs: 400, lockStaleMs: 50 });
    // B does not break the lock of a stopped local process: it reports a conflict instead of a success that would be lost.
    expect(await codeOfRejection(append(b, "B"))).toBe("CONFLICT");
    a.child.kill("SIGCONT");
    expect((await a.done).attempts).toEqual(["committed"]);
    expect(await list()).toEqual(["A"]);
    await append(b, "B");
    expect(await list()).toEqual(["A", "B"]);
  });

  const canFakeHost = spawnSync("unshare", ["-u", "true"]).status === 0;
  if (!canFakeHost) console.warn("SKIPPED: a paused holder on another host needs `unshare -u` (root); not available here");
  it.skipIf(!canFakeHost)("on another host does not overwrite a commit made after its lease expired and its lock was broken", async () => {
    const other = `lz-other-${process.pid}`;
    expect(other).not.toBe(hostname());
    const a = await startPausedWriter("A", ["unshare", "-u", "sh", "-c", `hostname ${other} && exec "$0" "$@"`]);
    expect(JSON.parse(await readFile(path.join(dir, `${KEY}.lock`), "utf8")).hostname).toBe(other);
    // A stopped refreshing its lease: B breaks the lock once its file is 200 ms old, and commits.
    await append(new FsStorage(dir, { lockTimeoutMs: 5_000, lockStaleMs: 200 }), "B");
    expect(await list()).toEqual(["B"]);
    a.child.kill("SIGCONT");
    expect((await a.done).attempts).toEqual(["PRECONDITION_FAILED", "committed"]);
    expect(await list()).toEqual(["B", "A"]);
  });
});
