// The guide's layout: src/model-1/repository.json, src/model-2/repository.json under a temp project folder.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Repository } from "@lazyscribe/core/internal";
import { tempDir } from "./fixtures.js";

export const GUIDE_PYPROJECT = `[project]
name = "my-models"
version = "1.0.0"

[tool.lazyscribe]
repositories = [
    "src/model-1/repository.json",
    "src/model-2/repository.json"
]
`;

/** A temp project with two saved repositories (features v0, v1 in model-1; config v0 in model-2). */
export async function guideProject(): Promise<string> {
  const root = await tempDir();
  let now = new Date("2025-01-01T00:00:00Z");
  for (const [folder, items] of [
    ["src/model-1", [["features", [0, 1, 2]], ["features", [0, 1, 2, 3]]]],
    ["src/model-2", [["config", { lr: 0.1 }]]],
  ] as const) {
    await mkdir(path.join(root, folder), { recursive: true });
    const repo = await Repository.open(path.join(root, folder, "repository.json"), { mode: "w", now: () => now });
    for (const [name, value] of items) {
      repo.logArtifact(name, value, { handler: "json", indent: 4 });
      await repo.save();
      now = new Date(now.getTime() + 86_400_000);
    }
  }
  return root;
}
