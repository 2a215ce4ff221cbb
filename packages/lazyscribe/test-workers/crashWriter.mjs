// A writer that saves in a tight loop until it is killed: <location> <writerId> <payloadBytes>
import { Repository } from "../dist/index.js";

const [location, writer, payloadBytes = "4096"] = process.argv.slice(2);
process.stdout.write("ready\n");
for (let round = 0; ; round++) {
  const repo = await Repository.open(location, { mode: "a" });
  repo.logArtifact("crashy", { writer: Number(writer), round, pad: "y".repeat(Number(payloadBytes)) }, { handler: "json" });
  if (round % 3 === 0) repo.logArtifact(`other-${round % 5}`, "text payload ".repeat(64), { handler: "text" });
  await repo.save();
}
