/**
 * A port of Python's `difflib.SequenceMatcher` (isjunk=None, autojunk=True)
 * and `difflib.unified_diff`, so diffs are the same text Python lazyscribe
 * returns, hunk for hunk.
 */

type Opcode = [tag: "replace" | "delete" | "insert" | "equal", i1: number, i2: number, j1: number, j2: number];

class SequenceMatcher {
  private readonly b2j = new Map<string, number[]>();

  constructor(
    private readonly a: readonly string[],
    private readonly b: readonly string[],
  ) {
    b.forEach((elt, i) => {
      const list = this.b2j.get(elt);
      if (list) list.push(i);
      else this.b2j.set(elt, [i]);
    });
    // autojunk: in sequences of 200+ items, items making up more than 1% are "popular" and not matched on.
    const n = b.length;
    if (n >= 200) {
      const ntest = Math.floor(n / 100) + 1;
      for (const [elt, idxs] of [...this.b2j]) if (idxs.length > ntest) this.b2j.delete(elt);
    }
  }

  private findLongestMatch(alo: number, ahi: number, blo: number, bhi: number): [number, number, number] {
    const { a, b } = this;
    let [besti, bestj, bestsize] = [alo, blo, 0];
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of this.b2j.get(a[i]!) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
      }
      j2len = next;
    }
    // No junk (isjunk=None), but popular items may extend a match at both ends.
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) [besti, bestj, bestsize] = [besti - 1, bestj - 1, bestsize + 1];
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
    return [besti, bestj, bestsize];
  }

  private matchingBlocks(): Array<[number, number, number]> {
    const la = this.a.length, lb = this.b.length;
    const queue: Array<[number, number, number, number]> = [[0, la, 0, lb]];
    const blocks: Array<[number, number, number]> = [];
    while (queue.length > 0) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const x = this.findLongestMatch(alo, ahi, blo, bhi);
      const [i, j, k] = x;
      if (k) {
        blocks.push(x);
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    blocks.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    let [i1, j1, k1] = [0, 0, 0];
    const out: Array<[number, number, number]> = [];
    for (const [i2, j2, k2] of blocks) {
      if (i1 + k1 === i2 && j1 + k1 === j2) k1 += k2;
      else {
        if (k1) out.push([i1, j1, k1]);
        [i1, j1, k1] = [i2, j2, k2];
      }
    }
    if (k1) out.push([i1, j1, k1]);
    out.push([la, lb, 0]);
    return out;
  }

  opcodes(): Opcode[] {
    let i = 0, j = 0;
    const answer: Opcode[] = [];
    for (const [ai, bj, size] of this.matchingBlocks()) {
      const tag = i < ai && j < bj ? "replace" : i < ai ? "delete" : j < bj ? "insert" : "";
      if (tag) answer.push([tag, i, ai, j, bj]);
      [i, j] = [ai + size, bj + size];
      if (size) answer.push(["equal", ai, i, bj, j]);
    }
    return answer;
  }

  *groupedOpcodes(n = 3): Generator<Opcode[]> {
    let codes = this.opcodes();
    if (codes.length === 0) codes = [["equal", 0, 1, 0, 1]];
    if (codes[0]![0] === "equal") {
      const [tag, i1, i2, j1, j2] = codes[0]!;
      codes[0] = [tag, Math.max(i1, i2 - n), i2, Math.max(j1, j2 - n), j2];
    }
    if (codes[codes.length - 1]![0] === "equal") {
      const [tag, i1, i2, j1, j2] = codes[codes.length - 1]!;
      codes[codes.length - 1] = [tag, i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)];
    }
    const nn = n + n;
    let group: Opcode[] = [];
    for (const code of codes) {
      const [tag, , i2, , j2] = code;
      let [, i1, , j1] = code;
      if (tag === "equal" && i2 - i1 > nn) {
        group.push([tag, i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)]);
        yield group;
        group = [];
        [i1, j1] = [Math.max(i1, i2 - n), Math.max(j1, j2 - n)];
      }
      group.push([tag, i1, i2, j1, j2]);
    }
    if (group.length > 0 && !(group.length === 1 && group[0]![0] === "equal")) yield group;
  }
}

function formatRange(start: number, stop: number): string {
  let beginning = start + 1;
  const length = stop - start;
  if (length === 1) return `${beginning}`;
  if (!length) beginning -= 1;
  return `${beginning},${length}`;
}

/** Options of {@link unifiedDiff}, as Python's `difflib.unified_diff` keywords. */
export interface UnifiedDiffOptions {
  fromfile?: string;
  tofile?: string;
  fromfiledate?: string;
  tofiledate?: string;
  /** Lines of context (default 3). */
  n?: number;
  /** Added to the `---`, `+++` and `@@` lines (default "\n"). */
  lineterm?: string;
}

/**
 * The lines `difflib.unified_diff(a, b, ...)` yields, for the same inputs.
 *
 * @example
 * [...unifiedDiff(["a"], ["b"])]; // ["--- \n", "+++ \n", "@@ -1 +1 @@\n", "-a", "+b"]
 */
export function* unifiedDiff(a: readonly string[], b: readonly string[], options: UnifiedDiffOptions = {}): Generator<string> {
  const { fromfile = "", tofile = "", fromfiledate = "", tofiledate = "", n = 3, lineterm = "\n" } = options;
  let started = false;
  for (const group of new SequenceMatcher(a, b).groupedOpcodes(n)) {
    if (!started) {
      started = true;
      yield `--- ${fromfile}${fromfiledate ? `\t${fromfiledate}` : ""}${lineterm}`;
      yield `+++ ${tofile}${tofiledate ? `\t${tofiledate}` : ""}${lineterm}`;
    }
    const first = group[0]!, last = group[group.length - 1]!;
    yield `@@ -${formatRange(first[1], last[2])} +${formatRange(first[3], last[4])} @@${lineterm}`;
    for (const [tag, i1, i2, j1, j2] of group) {
      if (tag === "equal") {
        for (const line of a.slice(i1, i2)) yield " " + line;
        continue;
      }
      if (tag === "replace" || tag === "delete") for (const line of a.slice(i1, i2)) yield "-" + line;
      if (tag === "replace" || tag === "insert") for (const line of b.slice(j1, j2)) yield "+" + line;
    }
  }
}

// Python's str.splitlines() boundaries (after universal-newline reading turned \r and \r\n into \n).
// eslint-disable-next-line no-control-regex
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/**
 * `open(path, "r").read().splitlines()` of a file's text: universal newlines,
 * then every boundary `str.splitlines` knows; no trailing empty line.
 *
 * @example
 * pythonSplitLines("a\r\nb\n"); // ["a", "b"]
 */
export function pythonSplitLines(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * What Python lazyscribe's `get_version_diff` returns for two files' texts:
 * `"\n".join(difflib.unified_diff(a.splitlines(), b.splitlines()))`.
 *
 * @example
 * pythonVersionDiff("a\n", "b\n"); // "--- \n\n+++ \n\n@@ -1 +1 @@\n\n-a\n+b"
 */
export function pythonVersionDiff(before: string, after: string): string {
  return [...unifiedDiff(pythonSplitLines(before), pythonSplitLines(after))].join("\n");
}
