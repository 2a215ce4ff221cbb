// Preload (node --import) for tests: the first rename() onto a file named
// $LZ_PAUSE_BEFORE_RENAME_ONTO prints "paused" and stops this process with
// SIGSTOP, as a laptop lid, a debugger or a long GC pause would, right before
// the commit. The test resumes it with SIGCONT.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";

const name = process.env.LZ_PAUSE_BEFORE_RENAME_ONTO;
const original = fs.promises.rename;
let paused = false;
fs.promises.rename = async function rename(from, to) {
  if (!paused && name && path.basename(String(to)) === name) {
    paused = true;
    fs.writeSync(1, "paused\n");
    process.kill(process.pid, "SIGSTOP");
  }
  return original.call(this, from, to);
};
syncBuiltinESMExports();
