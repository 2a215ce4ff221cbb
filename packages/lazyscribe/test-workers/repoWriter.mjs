// A separate writer process: <location> <writerId> <rounds> [payloadBytes]
// Each round logs a distinct payload and saves. Prints one line per commit.
import { Repository } from "../dist/index.js";

const [location, writer, rounds, payloadBytes = "64"] = process.argv.slice(2);
for (let round = 0; round < Number(rounds); round++) {
  const repo = await Repository.open(location, { mode: "a" });
  const payload = { writer: Number(writer), round, pad: "x".repeat(Number(payloadBytes)) };
  const rec = repo.logArtifact("shared", payload, { handler: "json" });
  await repo.save();
  process.stdout.write(`${writer}:${round}:${rec.version}\n`);
}
