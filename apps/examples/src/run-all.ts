import { expiry } from "./expiry.js";
import { standaloneRepository } from "./standaloneRepository.js";
import { runExamples } from "./story.js";

await runExamples([standaloneRepository, expiry]);
