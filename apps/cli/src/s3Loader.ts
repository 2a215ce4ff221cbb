/**
 * What the bundled library's `import("@lazyscribe/storage-s3")` becomes in
 * the CLI (see `s3InOwnFile` in tsup.config.ts): the S3 file that ships
 * beside the bundle, `lazyscribe-s3.mjs`, imported here (so still only on the
 * first `s3://` location). When that file is missing the CLI's own install
 * is incomplete: say to install the CLI again, not to add a package the
 * bundle never looks for.
 */
import { fileURLToPath } from "node:url";
import { MissingPackageError } from "lazyscribe";

type S3Module = typeof import("@lazyscribe/storage-s3");

let mod: S3Module;
try {
  mod = await import("@lazyscribe/storage-s3");
} catch (err) {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "ERR_MODULE_NOT_FOUND" && String((err as Error).message).includes("lazyscribe-s3.mjs")) {
    const file = fileURLToPath(new URL("./lazyscribe-s3.mjs", import.meta.url));
    throw new MissingPackageError(
      "@lazyscribe/cli",
      `s3:// locations need ${file}, which is missing from this copy of the lazyscribe command: install the CLI again (npm install @lazyscribe/cli)`,
      { cause: err },
    );
  }
  throw err;
}

// The library (deferredS3.ts) uses resolveS3Location; the rest keeps the module's shape.
export const { resolveS3Location, S3Storage, S3StorageError } = mod;
