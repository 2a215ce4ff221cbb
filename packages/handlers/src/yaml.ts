import { parse, stringify, type CreateNodeOptions, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions, type ToStringOptions } from "yaml";
import { ArtifactLoadError, ArtifactLogError, type ArtifactHandler, type ArtifactSource, type HandlerReadOptions } from "@lazyscribe/core/internal";
import { assertWellFormed } from "./text.js";

/**
 * Writer options of the `yaml` handler: those of `YAML.stringify`.
 *
 * @example
 * repo.logArtifact("config", { lr: 0.1 }, { handler: "yaml", indent: 4, sortMapEntries: true });
 */
export type YamlWriteOptions = DocumentOptions & SchemaOptions & ParseOptions & CreateNodeOptions & ToStringOptions;

/**
 * Reader options of the `yaml` handler: those of `YAML.parse`, except
 * `version`, which `loadArtifact` reads as the artifact version.
 *
 * @example
 * await repo.loadArtifact("config", { intAsBigInt: true });
 */
export type YamlReadOptions = Omit<ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions, "version">;

/**
 * YAML via the `yaml` package (file suffix `yaml`). Writer options are passed
 * to `YAML.stringify` (for example `indent`, `lineWidth`, `sortMapEntries`),
 * reader options to `YAML.parse` (for example `intAsBigInt`). `NaN` and
 * `±Infinity` round-trip as `.nan` / `.inf`.
 *
 * @example
 * await repo.logArtifact("config", { lr: 0.1, layers: [8, 4] }, { handler: "yaml", indent: 4 });
 * const config = await repo.loadArtifact("config"); // { lr: 0.1, layers: [8, 4] }
 */
export const yamlHandler: ArtifactHandler<unknown> = Object.freeze({
  alias: "yaml",
  suffix: "yaml",
  binary: false,
  accepts(value: unknown): boolean {
    return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
  },
  write(value: unknown, options: Record<string, unknown>): string {
    if (value === undefined || typeof value === "function" || typeof value === "symbol") {
      throw new ArtifactLogError(`the yaml handler cannot write ${typeof value === "undefined" ? "undefined (use null)" : `a ${typeof value}`}`);
    }
    let text: string | undefined;
    try {
      text = stringify(value, { ...options }) as string | undefined;
    } catch (err) {
      throw new ArtifactLogError(`the yaml handler cannot write this value: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
    if (typeof text !== "string") throw new ArtifactLogError("the yaml handler produced no document for this value");
    assertWellFormed(text, "yaml");
    return text;
  },
  async read(source: ArtifactSource, options: HandlerReadOptions): Promise<unknown> {
    const { environment: _environment, validate: _validate, ...parseOptions } = options ?? {};
    const text = await source.text();
    try {
      return parse(text, parseOptions) as unknown;
    } catch (err) {
      throw new ArtifactLoadError(`${source.fname} is not valid YAML: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  },
});
