import { InvalidOptionError } from "../errors.js";

/**
 * Throw {@link InvalidOptionError} for the first key of `options` that is not
 * in `valid`, naming the closest valid key (a typo like `indnt` → `indent`).
 * Keys whose value is `undefined` count too: a misspelt option is an error
 * whatever its value.
 *
 * @example
 * assertKnownOptions({ mtch: "asof" }, ["version", "match"], "loadArtifact() options"); // throws
 */
export function assertKnownOptions(options: object, valid: Iterable<string>, where: string): void {
  const known = [...valid];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new InvalidOptionError(key, closestName(key, known), where);
  }
}

/** The name in `candidates` nearest to `word` (edit distance at most a third of its length, at least 2), or null. */
export function closestName(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}
