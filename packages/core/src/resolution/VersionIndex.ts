import type { ArtifactRecord } from "../repository/ArtifactRecord.js";

/**
 * All versions of one name, ordered by (creation time, version) so that
 * time queries are binary searches, plus a map by version number.
 */
export class VersionIndex {
  /** Sorted by (createdSeconds, version). */
  readonly byTime: ArtifactRecord[] = [];
  readonly byVersion = new Map<number, ArtifactRecord>();
  private sorted = true;

  constructor(readonly name: string) {}

  add(record: ArtifactRecord): void {
    const last = this.byTime[this.byTime.length - 1];
    if (last && compare(last, record) > 0) this.sorted = false;
    this.byTime.push(record);
    this.byVersion.set(record.version, record);
  }

  /** Re-establish order after bulk adds (near-linear: manifests are almost always in order). */
  finish(): this {
    if (!this.sorted) {
      this.byTime.sort(compare);
      this.sorted = true;
    }
    return this;
  }

  get maxVersion(): number {
    let max = -1;
    for (const v of this.byVersion.keys()) if (v > max) max = v;
    return max;
  }

  /** Versions oldest first (by version number). */
  versions(): ArtifactRecord[] {
    return [...this.byVersion.values()].sort((a, b) => a.version - b.version);
  }

  /** Index of the first record created at or after `t`. */
  lowerBound(t: number): number {
    let lo = 0, hi = this.byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.byTime[mid]!.createdSeconds < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first record created strictly after `t`. */
  upperBound(t: number): number {
    let lo = 0, hi = this.byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.byTime[mid]!.createdSeconds <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function compare(a: ArtifactRecord, b: ArtifactRecord): number {
  return a.createdSeconds - b.createdSeconds || a.version - b.version;
}

/** Group records by name into indexes. */
export function buildIndexes(records: Iterable<ArtifactRecord>): Map<string, VersionIndex> {
  const map = new Map<string, VersionIndex>();
  for (const r of records) {
    let idx = map.get(r.name);
    if (!idx) {
      idx = new VersionIndex(r.name);
      map.set(r.name, idx);
    }
    idx.add(r);
  }
  for (const idx of map.values()) idx.finish();
  return map;
}
