// Child process of save.test.ts: log experiments into one project.json and
// save after each, concurrently with other processes doing the same.
import { configureDefaults, defaultHandlers } from "@lazyscribe/core/internal";
import { Project, ProjectRegistry } from "@lazyscribe/experiments";
import { builtinHandlers } from "@lazyscribe/handlers";
import { resolveLocalLocation } from "@lazyscribe/storage-fs";

configureDefaults({ local: resolveLocalLocation });
for (const h of builtinHandlers) if (!defaultHandlers().has(h.alias)) defaultHandlers().register(h);

const [location, worker, count] = process.argv.slice(2);
const w = Number(worker);
const now = () => new Date(Date.UTC(2025, 0, 1, 0, 0, 0));
for (let i = 0; i < Number(count); i++) {
  const p = await Project.open(location, { mode: "a", author: `w${w}`, now, registry: new ProjectRegistry(), retry: { attempts: 400, baseDelayMs: 2, maxDelayMs: 50 } });
  await p.log(`w${w}-e${i}`, (exp) => {
    exp.logMetric("i", i);
    exp.logArtifact("data", { w, i }, { handler: "json" });
  });
  if (i === 0) await p.log("shared", (exp) => void exp.logArtifact("data", { w }, { handler: "json" }));
  await p.save();
}
