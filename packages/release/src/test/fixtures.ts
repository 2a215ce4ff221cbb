// Test helpers: temp folders and the Python fixtures (copied, never modified).
import { chmod, cp, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

/** The Python lazyscribe 2.2.1 fixture repository (read-only); `LAZYSCRIBE_FIXTURES` overrides the fixtures folder. */
export const FIXTURE_REPOSITORY = path.join(
  process.env.LAZYSCRIBE_FIXTURES ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../fixtures"),
  "lazyscribe-2.2.1/repository",
);

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lazyscribe-release-"));
  made.push(dir);
  return dir;
}

/** Copy the fixture repository into `<tmp>/repository` (writable) and return that folder. */
export async function copyFixtureRepository(dir?: string): Promise<string> {
  const target = path.join(dir ?? (await tempDir()), "repository");
  await cp(FIXTURE_REPOSITORY, target, { recursive: true });
  await makeWritable(target);
  return target;
}

async function makeWritable(p: string): Promise<void> {
  const s = await stat(p);
  await chmod(p, s.isDirectory() ? 0o755 : 0o644);
  if (s.isDirectory()) for (const e of await readdir(p)) await makeWritable(path.join(p, e));
}

/** Every file under `dir` (relative paths, sorted) — to prove nothing was written. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else out.push(r);
    }
  };
  await walk("");
  return out.sort();
}

/** A settable UTC clock (`YYYY-MM-DDTHH:MM:SS`). */
export function clockAt(time: string): () => Date {
  const d = new Date(`${time}Z`);
  return () => new Date(d.getTime());
}
