// A folder swapped for a symbolic link to outside the root while a write is
// under way must not let any file land outside the root. The swap is made at
// the worst moments, deterministically, through a hook on node:fs/promises.
import { mkdir, readdir, rename, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FsStorage } from "./index.js";
import { codeOfRejection, tempDir } from "./testHelpers.js";

const hooks: { beforeOpen?: (file: string, flags: unknown) => Promise<void>; beforeUnlink?: (file: string) => Promise<void>;
  beforeMkdir?: (dir: string) => Promise<void>;
} = {};
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const open = async (...args: Parameters<typeof real.open>): ReturnType<typeof real.open> => {
    const hook = hooks.beforeOpen;
    if (hook) await hook(String(args[0]), args[1]);
    return real.open(...args);
  };
  const unlink = async (file: Parameters<typeof real.unlink>[0]): Promise<void> => {
    const hook = hooks.beforeUnlink;
    if (hook) await hook(String(file));
    return real.unlink(file);
  };
  const mkdir = async (...args: Parameters<typeof real.mkdir>): Promise<string | undefined> => {
    const hook = hooks.beforeMkdir;
    if (hook) await hook(String(args[0]));
    return real.mkdir(...args);
  };
  return { ...real, open, unlink, mkdir, default: { ...real, open, unlink, mkdir } };
});

let root: string;
let outside: string;
const cleanups: Array<() => Promise<void>> = [];
beforeEach(async () => {
  let cleanup: () => Promise<void>;
  ({ dir: root, cleanup } = await tempDir());
  cleanups.push(cleanup);
  ({ dir: outside, cleanup } = await tempDir());
  cleanups.push(cleanup);
  await mkdir(path.join(root, "features"));
  await writeFile(path.join(root, "features", "old.json"), "[]");
});
afterEach(async () => {
  delete hooks.beforeOpen;
  delete hooks.beforeUnlink;
  delete hooks.beforeMkdir;
  for (const c of cleanups.splice(0)) await c();
});

/** Replace `<root>/features` by a symbolic link to the outside folder, keeping the real folder as features.real. */
async function swap(): Promise<void> {
  await rename(path.join(root, "features"), path.join(root, "features.real"));
  await symlink(outside, path.join(root, "features"), "dir");
}

/** Swap once, just before the first open() that `when` selects. */
function swapAtFirstOpen(when: (file: string, flags: unknown) => boolean): void {
  hooks.beforeOpen = async (file, flags) => {
    if (!when(file, flags)) return;
    delete hooks.beforeOpen;
    await swap();
  };
}

const isTempCreate = (file: string, flags: unknown): boolean => flags === "wx" && path.basename(file).startsWith(".x.json.");

describe("a folder swapped for a symbolic link during a write", () => {
  for (const [how, options] of [["new file (link)", { ifNoneMatch: "*" as const }], ["replacing write (rename under the lock)", {}]] as const) {
    it(`after the key was checked, before the temp file is created: ${how}`, async () => {
      const storage = new FsStorage(root);
      swapAtFirstOpen(isTempCreate);
      const result = await codeOfRejection(storage.write("features/x.json", "payload", options));
      expect(hooks.beforeOpen, "the swap happened").toBeUndefined();
      expect(await readdir(outside)).toEqual([]);
      // Either refused, or written into the real folder (which the write had opened), never outside.
      if (result === "<no error>") expect((await readdir(path.join(root, "features.real"))).sort()).toEqual(["old.json", "x.json"]);
      else expect(result).toBe("INVALID_NAME");
    });
  }

  it("before the folder is opened: refused with INVALID_NAME", async () => {
    const storage = new FsStorage(root);
    swapAtFirstOpen((file) => file === path.join(root, "features"));
    expect(await codeOfRejection(storage.write("features/x.json", "payload", { ifNoneMatch: "*" }))).toBe("INVALID_NAME");
    expect(hooks.beforeOpen, "the swap happened").toBeUndefined();
    expect(await readdir(outside)).toEqual([]);
  });

  it("copy into a swapped folder", async () => {
    const storage = new FsStorage(root);
    await storage.write("src.json", "payload");
    swapAtFirstOpen((file, flags) => flags === "r+" && path.basename(file).startsWith(".x.json."));
    const result = await codeOfRejection(storage.copy("src.json", "features/x.json", { ifNoneMatch: "*" }));
    expect(await readdir(outside)).toEqual([]);
    if (result !== "<no error>") expect(result).toBe("INVALID_NAME");
  });

  it("delete, swapped right before the unlink: removes nothing outside the root", async () => {
    const storage = new FsStorage(root);
    await writeFile(path.join(outside, "old.json"), "outside, keep me");
    hooks.beforeUnlink = async (file) => {
      if (path.basename(file) !== "old.json") return;
      delete hooks.beforeUnlink;
      await swap();
    };
    await storage.delete("features/old.json");
    expect(hooks.beforeUnlink, "the swap happened").toBeUndefined();
    expect(await readdir(outside)).toEqual(["old.json"]);
    expect(await readdir(path.join(root, "features.real"))).toEqual([]);
  });

  it("new nested folders, one replaced by a link while they are created: no folder is made outside", async () => {
    const storage = new FsStorage(root);
    hooks.beforeMkdir = async (dir) => {
      if (!dir.endsWith(`${path.sep}new`) && !dir.endsWith(`${path.sep}sub`)) return;
      delete hooks.beforeMkdir;
      await symlink(outside, path.join(root, "new"), "dir");
    };
    expect(await codeOfRejection(storage.write("new/sub/x.json", "payload", { ifNoneMatch: "*" }))).toBe("INVALID_NAME");
    expect(hooks.beforeMkdir, "the swap happened").toBeUndefined();
    expect(await readdir(outside)).toEqual([]);
  });
});
