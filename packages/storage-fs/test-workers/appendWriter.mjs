// Read-modify-write of a JSON array with compare-and-swap, as save() does:
// <root> <key> <id>. Retries when the precondition fails; prints one JSON line.
import { FsStorage } from "../dist/index.js";

const [root, key, id] = process.argv.slice(2);
const storage = new FsStorage(root);
const attempts = [];
for (let attempt = 0; attempt < 10; attempt++) {
  const st = await storage.stat(key);
  const list = JSON.parse(new TextDecoder().decode(await storage.read(key)));
  try {
    await storage.write(key, JSON.stringify([...list, id]), { ifMatch: st.etag });
    attempts.push("committed");
    break;
  } catch (err) {
    if (err?.code !== "PRECONDITION_FAILED") throw err;
    attempts.push(err.code);
  }
}
process.stdout.write(`${JSON.stringify({ id, attempts })}\n`);
