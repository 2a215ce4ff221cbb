#!/usr/bin/env node
// The `lazyscribe` command: runs the bundled CLI (dist/lazyscribe.mjs). A
// checked-in launcher, so package managers can link the bin even before the
// bundle is built (in a fresh clone, `pnpm build` makes it).
try {
  await import("../dist/lazyscribe.mjs");
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("lazyscribe.mjs")) {
    process.stderr.write("lazyscribe: the CLI is not built yet; run `pnpm build` in the lazyscribe clone first\n");
    process.exitCode = 1;
  } else {
    throw err;
  }
}
