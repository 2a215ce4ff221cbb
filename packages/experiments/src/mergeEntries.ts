import { canonicalJson } from "./projectFile.js";
import { entrySlug } from "./slugs.js";

/** One experiment this project instance commits. */
export interface OwnEntry {
  readonly slug: string;
  /** The entry to write. */
  readonly json: unknown;
  /**
   * `replace`: an experiment this instance loaded or committed before — it
   * replaces the on-disk entry with its slug. `append`: a new experiment — it
   * is added even if another writer committed one with the same slug in the
   * same second (both are kept; nothing is lost).
   */
  readonly intent: "append" | "replace";
  /** Canonical JSON of the entry as last seen on disk (picks the right one among same-slug entries). */
  readonly baseline?: string;
}


/**
 * Merge this instance's experiments into what is on disk now: entries other
 * writers committed are kept as they are (same order, untouched bytes), this
 * instance's edited experiments replace theirs by slug, and its new ones are
 * appended.
 *
 * @example
 * const merged = mergeEntries(onDisk, [{ slug: "a-20250101000000", json, intent: "append" }]);
 */
export function mergeEntries(onDisk: readonly unknown[], own: readonly OwnEntry[]): unknown[] {
  const out = [...onDisk];
  const claimed = new Set<number>();
  for (const o of own) {
    if (o.intent === "replace") {
      const candidates: number[] = [];
      out.forEach((e, i) => {
        if (!claimed.has(i) && entrySlug(e) === o.slug) candidates.push(i);
      });
      const exact = o.baseline === undefined || candidates.length < 2 ? undefined : candidates.find((i) => canonicalJson(out[i]) === o.baseline);
      const index = exact ?? candidates[0];
      if (index !== undefined) {
        out[index] = o.json;
        claimed.add(index);
        continue;
      }
    }
    out.push(o.json);
    claimed.add(out.length - 1);
  }
  return out;
}
