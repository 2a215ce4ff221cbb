// Write <mib> MiB of pseudo-random bytes in 1 MiB chunks (constant memory).
import { openSync, writeSync, closeSync } from "node:fs";
import { randomFillSync } from "node:crypto";
const [file, mib] = process.argv.slice(2);
const chunk = Buffer.alloc(1024 * 1024);
const fd = openSync(file, "w");
for (let i = 0; i < Number(mib); i++) {
  randomFillSync(chunk, 0, 4096); // cheap: vary the head of each chunk
  writeSync(fd, chunk);
}
closeSync(fd);
