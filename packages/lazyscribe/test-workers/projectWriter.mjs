// A separate project writer: <location> <writerId> <experiments>
// Each round opens the project, logs one experiment with an artifact and a test, and saves.
import { Project, ProjectRegistry } from "../dist/index.js";

const [location, writer, count] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  const project = await Project.open(location, { mode: "a", author: `writer-${writer}`, registry: new ProjectRegistry() });
  await project.log(`w${writer} e${i}`, async (exp) => {
    exp.logMetric("i", i);
    exp.logArtifact("payload", { writer: Number(writer), i }, { handler: "json" });
    await exp.logTest("slice", async (t) => {
      t.logArtifact("detail", `writer ${writer} experiment ${i}`, { handler: "text" });
    });
  });
  await project.save();
}
