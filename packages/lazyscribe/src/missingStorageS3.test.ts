/**
 * `s3://` without `@lazyscribe/storage-s3` (or without the AWS SDK under it):
 * the BUILT package, installed into a temp node_modules the way npm lays it
 * out but with the S3 package (or its SDK) left out, run by plain Node in
 * ESM and CommonJS. The error must be typed and name what to install.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLazyscribeError, MissingPackageError } from "./index.js";
import { DeferredStorage, loadStorageS3, missingModule, missingPackageError } from "./deferredS3.js";

const PACKAGES = resolve(__dirname, "../..");
// pnpm puts its whole store on NODE_PATH for scripts: children resolve as a user's install would.
const { NODE_PATH: _storePath, ...ENV } = process.env;

interface Outcome {
  code?: string;
  name?: string;
  packageName?: string;
  message?: string;
  local?: unknown;
}

/** Node's own "not found" error for `specifier`, as ESM import or CommonJS require reports it. */
function nodeError(specifier: string, kind: "import" | "require"): Error {
  const script =
    kind === "import"
      ? `import(${JSON.stringify(specifier)}).catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`
      : `try { require(${JSON.stringify(specifier)}) } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }`;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: tmpdir(), env: ENV, encoding: "utf8" });
  if (!r.stdout) throw new Error(`node -e printed nothing: ${r.stderr}`);
  const { code, message } = JSON.parse(r.stdout) as { code: string; message: string };
  return Object.assign(new Error(message), { code });
}

describe("which package a module-not-found error asks for", () => {
  it("reads Node's own messages, ESM and CommonJS, scoped and not", () => {
    expect(missingModule(nodeError("@lazyscribe/storage-s3", "import"))).toEqual({ packageName: "@lazyscribe/storage-s3", incomplete: false });
    expect(missingModule(nodeError("@lazyscribe/storage-s3", "require"))).toEqual({ packageName: "@lazyscribe/storage-s3", incomplete: false });
    expect(missingModule(nodeError("@aws-sdk/client-s3/dist-cjs/index.js", "import"))).toEqual({ packageName: "@aws-sdk/client-s3", incomplete: false });
    expect(missingModule(nodeError("left-pad-lz-missing", "require"))).toEqual({ packageName: "left-pad-lz-missing", incomplete: false });
  });

  it("a missing file inside an installed package names that package (npm and pnpm layouts)", () => {
    const missingFile = (file: string) => Object.assign(new Error(`Cannot find module '${file}' imported from /app/x.js`), { code: "ERR_MODULE_NOT_FOUND" });
    expect(missingModule(missingFile("/app/node_modules/@lazyscribe/storage-s3/dist/index.js"))).toEqual({ packageName: "@lazyscribe/storage-s3", incomplete: true });
    expect(
      missingModule(missingFile("/w/node_modules/.pnpm/@aws-sdk+client-s3@3.1/node_modules/@aws-sdk/client-s3/dist-es/index.js")),
    ).toEqual({ packageName: "@aws-sdk/client-s3", incomplete: true });
    expect(missingModule(missingFile("C:\\app\\node_modules\\undici\\index.js"))).toEqual({ packageName: "undici", incomplete: true });
  });

  it("anything else is not a missing package", () => {
    expect(missingModule(new Error("boom"))).toBeNull();
    expect(missingModule(Object.assign(new Error("x"), { code: "ENOENT" }))).toBeNull();
    expect(missingPackageError(null)).toBeNull();
  });

  it("the stand-in for an s3:// backend is remote before the package loads (hashing stays on the calling thread)", () => {
    expect(new DeferredStorage("s3://b/k", () => Promise.reject(new Error("not loaded"))).remote).toBe(true);
  });

  it("loadStorageS3 turns the importer's failure into MissingPackageError and retries on the next call", async () => {
    const err = await loadStorageS3(() => Promise.reject(nodeError("@lazyscribe/storage-s3", "import"))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingPackageError);
    expect(err).toMatchObject({ code: "MISSING_PACKAGE", packageName: "@lazyscribe/storage-s3" });
    expect((err as Error).message).toContain("npm install @lazyscribe/storage-s3");
    const other = new Error("network down");
    await expect(loadStorageS3(() => Promise.reject(other))).rejects.toBe(other);
    const loaded = await loadStorageS3(() => import("@lazyscribe/storage-s3"));
    expect(typeof loaded.resolveS3Location).toBe("function");
  });
});

describe("the built lazyscribe package installed without the S3 backend", () => {
  let root: string;
  const node = (file: string): Outcome => {
    const r = spawnSync(process.execPath, [file], { cwd: root, env: ENV, encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as Outcome;
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "lz-no-s3-"));
    const modules = join(root, "node_modules");
    mkdirSync(join(modules, "@lazyscribe"), { recursive: true });
    // The package itself, copied (not linked), so Node resolves its imports from here.
    mkdirSync(join(modules, "lazyscribe"));
    cpSync(join(PACKAGES, "lazyscribe/package.json"), join(modules, "lazyscribe/package.json"));
    cpSync(join(PACKAGES, "lazyscribe/dist"), join(modules, "lazyscribe/dist"), { recursive: true });
    // Its dependencies, as links to the workspace builds (their own dependencies resolve there).
    for (const dep of ["core", "experiments", "handlers", "release", "storage-fs"]) {
      symlinkSync(join(PACKAGES, dep), join(modules, "@lazyscribe", dep), "dir");
    }
    writeFileSync(join(root, "package.json"), '{ "name": "app", "private": true }');
    const probe = `const location = "s3://lazyscribe-test/missing/repository.json";
      const folder = process.argv[2] ?? "local";
      const report = async (Repository) => {
        const local = await Repository.open(folder + "/repository.json", { mode: "w" });
        local.logArtifact("x", [1], { handler: "json" });
        await local.save();
        try {
          await Repository.open(location, { mode: "r" });
          console.log(JSON.stringify({ local: "opened" }));
        } catch (e) {
          console.log(JSON.stringify({ code: e.code, name: e.name, packageName: e.packageName, message: e.message, local: await (await Repository.open(folder + "/repository.json", { mode: "r" })).loadArtifact("x") }));
        }
      };`;
    writeFileSync(join(root, "esm.mjs"), `import { Repository } from "lazyscribe";\n${probe}\nawait report(Repository);\n`);
    writeFileSync(join(root, "cjs.cjs"), `const { Repository } = require("lazyscribe");\n${probe}\nreport(Repository);\n`);
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it.each(["esm.mjs", "cjs.cjs"])("%s: s3:// → MISSING_PACKAGE naming @lazyscribe/storage-s3; local paths still work", (file) => {
    const out = node(join(root, file));
    expect(out).toMatchObject({ code: "MISSING_PACKAGE", name: "MissingPackageError", packageName: "@lazyscribe/storage-s3", local: [1] });
    expect(out.message).toBe(
      "s3:// locations need the package @lazyscribe/storage-s3, which is not installed: install it (npm install @lazyscribe/storage-s3)",
    );
  });

  it.each(["esm.mjs", "cjs.cjs"])("%s: @lazyscribe/storage-s3 without @aws-sdk/client-s3 → names the SDK", (file) => {
    const s3 = join(root, "node_modules/@lazyscribe/storage-s3");
    mkdirSync(s3, { recursive: true });
    cpSync(join(PACKAGES, "storage-s3/package.json"), join(s3, "package.json"));
    cpSync(join(PACKAGES, "storage-s3/dist"), join(s3, "dist"), { recursive: true });
    try {
      const out = node(join(root, file));
      expect(out).toMatchObject({ code: "MISSING_PACKAGE", packageName: "@aws-sdk/client-s3", local: [1] });
      expect(out.message).toMatch(/^s3:\/\/ locations need @lazyscribe\/storage-s3, whose dependency @aws-sdk\/client-s3 is not installed: install it \(npm install @aws-sdk\/client-s3\)$/);
    } finally {
      rmSync(s3, { recursive: true, force: true });
    }
  });

  it("the error is a LazyscribeError with a stable code (usable across two copies of the package)", () => {
    const e = new MissingPackageError("@lazyscribe/storage-s3", "m");
    expect(isLazyscribeError(e, "MISSING_PACKAGE")).toBe(true);
  });
});
