/**
 * What `show` says about an artifact's content, from its handler's optional
 * `describe()` (tables: rows, columns, schema; models: opset, inputs, outputs).
 */
import type { ArtifactMetadata, ArtifactSource, Repository } from "lazyscribe";
import { ensureHandler } from "./handlerPackages.js";
import { cell } from "./output.js";

/** The handler's description of one version, `{ error }` when the file cannot be read, or null when the handler has none. */
export async function describeArtifact(repo: Repository, meta: ArtifactMetadata): Promise<Record<string, unknown> | null> {
  if (!(await ensureHandler(repo.handlers, meta.handler))) return null;
  const handler = repo.handlers.find(meta.handler);
  if (!handler?.describe) return null;
  try {
    const { stream } = await repo.openArtifactStream(meta.name, { version: meta.version, match: "exact" });
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    const source: ArtifactSource = {
      fname: meta.fname,
      bytes: async () => bytes,
      text: async () => new TextDecoder().decode(bytes),
      stream: async () => new Response(bytes).body!,
    };
    return await handler.describe(source);
  } catch (err) {
    return { error: (err as Error)?.message ?? String(err) };
  }
}

/** Lines for `show`'s key/value list. */
export function descriptionPairs(description: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(description).map(([key, value]) => [key, describeValue(value)]);
}

function describeValue(value: unknown): string {
  if (!Array.isArray(value)) return cell(value);
  return value
    .map((item) => {
      if (typeof item !== "object" || item === null) return cell(item);
      const o = item as Record<string, unknown>;
      if ("domain" in o && "version" in o) return `${o.domain === "" ? "ai.onnx" : String(o.domain)} ${String(o.version)}`;
      if ("name" in o && "type" in o) {
        const shape = Array.isArray(o.shape) ? `[${o.shape.map((d) => (d === null ? "?" : String(d))).join(", ")}]` : "";
        return `${String(o.name)}: ${String(o.type)}${shape}${o.nullable === false ? " not null" : ""}`;
      }
      return cell(o);
    })
    .join(", ");
}
