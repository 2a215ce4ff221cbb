// A project writer that saves in a tight loop until it is killed: <location> <payloadBytes>
import { Project, ProjectRegistry } from "../dist/index.js";

const [location, payloadBytes = "4096"] = process.argv.slice(2);
process.stdout.write("ready\n");
for (let round = 0; ; round++) {
  const project = await Project.open(location, { mode: "a", author: "crashy", registry: new ProjectRegistry() });
  await project.log(`crash ${round}`, async (exp) => {
    exp.logArtifact("payload", { round, pad: "z".repeat(Number(payloadBytes)) }, { handler: "json" });
  });
  await project.save();
}
