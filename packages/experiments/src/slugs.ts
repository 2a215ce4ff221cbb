import { compactStamp, parseEpochSeconds, slugify, slugifyOrFallback } from "@lazyscribe/core/internal";

/**
 * Python's experiment slugs: `slugify(name)` and
 * `slugify("<name>-<YYYYMMDDHHMMSS>")`, with fallbacks so a name like "🚀"
 * never yields an empty folder name.
 *
 * @example
 * experimentSlugs("Baseline model", Date.UTC(2025, 2, 2, 10) / 1000);
 * // { shortSlug: "baseline-model", slug: "baseline-model-20250302100000" }
 */
export function experimentSlugs(name: string, createdSeconds: number): { shortSlug: string; slug: string } {
  const stamp = compactStamp(createdSeconds);
  const shortSlug = slugifyOrFallback(name, "experiment");
  // Like Python, "🚀" gets the slug "20250302100000" (the stamp alone); never an empty one.
  return { shortSlug, slug: slugify(`${name}-${stamp}`) || `${shortSlug}-${stamp}` };
}

/**
 * The slug of a raw project.json entry: its `slug`, or for files of older
 * Python versions without one, the slug derived from `name` and `created_at`.
 *
 * @example
 * entrySlug({ name: "Old run", created_at: "2022-01-01T09:30:00" }); // "old-run-20220101093000"
 */
export function entrySlug(entry: unknown): string | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  if (typeof e.slug === "string" && e.slug !== "") return e.slug;
  if (typeof e.name !== "string" || typeof e.created_at !== "string") return undefined;
  const seconds = parseEpochSeconds(e.created_at);
  return seconds === null ? undefined : experimentSlugs(e.name, seconds).slug;
}
