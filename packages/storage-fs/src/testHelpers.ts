// Test-only helpers (not exported from the package index).
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";

/** A fresh temp folder and its removal. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "lazyscribe-fs-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A pid that no process on this host has (999999 unless the host has that many). */
export function deadPid(): number {
  for (let pid = 999_999; ; pid++) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as { code?: string }).code === "ESRCH") return pid;
    }
  }
}

/**
 * Write a lock file as another writer would: `ageMs` back-dates the time
 * written inside (negative: a clock running ahead), `mtimeAgeMs` the file's
 * mtime on this host.
 */
export async function plantLock(
  lockPath: string,
  holder: { pid: number; host?: string; ageMs?: number; mtimeAgeMs?: number; token?: string; startTicks?: string },
): Promise<void> {
  const createdAt = new Date(Date.now() - (holder.ageMs ?? 0)).toISOString();
  const info: Record<string, unknown> = { pid: holder.pid, hostname: holder.host ?? hostname(), createdAt, token: holder.token ?? "planted" };
  if (holder.startTicks !== undefined) info.startTicks = holder.startTicks;
  await writeFile(lockPath, JSON.stringify(info), { flag: "wx" });
  if (holder.mtimeAgeMs !== undefined) {
    const t = new Date(Date.now() - holder.mtimeAgeMs);
    await utimes(lockPath, t, t);
  }
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export function codeOfRejection(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "<no error>",
    (err: unknown) => String((err as { code?: unknown }).code),
  );
}
