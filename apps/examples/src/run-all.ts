import { cliSession } from "./cliSession.js";
import { configRelease } from "./configRelease.js";
import { expiry } from "./expiry.js";
import { modelsAndTables } from "./modelsAndTables.js";
import { promotion } from "./promotion.js";
import { releases } from "./releases.js";
import { standaloneRepository } from "./standaloneRepository.js";
import { runExamples } from "./story.js";

await runExamples([standaloneRepository, promotion, releases, configRelease, expiry, cliSession, modelsAndTables]);
