#!/usr/bin/env node
// The `lazyscribe` command. It lives in @lazyscribe/cli (one bundled file, a
// peer dependency npm installs with this package); this package exposes it
// too, so `npx lazyscribe ...` works with the library alone.
try {
  await import("@lazyscribe/cli/bin");
} catch (err) {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("@lazyscribe/cli")) {
    process.stderr.write("lazyscribe: the command is in the package @lazyscribe/cli; install it with: npm install @lazyscribe/cli\n");
    process.exitCode = 1;
  } else {
    throw err;
  }
}
