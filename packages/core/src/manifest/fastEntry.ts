import { ArtifactRecord } from "../repository/ArtifactRecord.js";
import { fnameProblem, nameProblem } from "../names.js";
import { parseEpochSeconds } from "../time.js";
import { setOwn } from "../json/ownProperty.js";
import { KNOWN_ENTRY_KEYS } from "./ManifestEntry.js";

const SHA256 = /^[0-9a-f]{64}$/;
// Most entries have no extra keys: share one frozen empty object instead of 100,000.
const NO_EXTRA: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * Opening a 100,000-entry manifest must cost about one `JSON.parse`, so
 * entries are first checked by this hand-written path. It accepts only what
 * `ManifestEntrySchema` accepts (a property test holds them together) and
 * returns `null` for anything else, which then goes through zod for the
 * precise error message.
 */
export class FastEntryReader {
  // Names repeat across versions: check each distinct name once.
  private readonly goodNames = new Set<string>();

  read(raw: unknown): ArtifactRecord | null {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
    const e = raw as Record<string, unknown>;
    const { name, version, handler, fname, created_at, expiry, sha256, size } = e;
    if (typeof name !== "string") return null;
    if (!this.goodNames.has(name)) {
      if (nameProblem(name) !== null) return null;
      this.goodNames.add(name);
    }
    if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) return null;
    if (typeof handler !== "string" || handler.length === 0) return null;
    if (typeof fname !== "string" || fnameProblem(fname) !== null) return null;
    if (typeof created_at !== "string") return null;
    const created = parseEpochSeconds(created_at);
    if (created === null) return null;
    let expires: number | null = null;
    if (expiry !== null && expiry !== undefined) {
      if (typeof expiry !== "string") return null;
      expires = parseEpochSeconds(expiry);
      if (expires === null) return null;
    }
    if (sha256 !== undefined && (typeof sha256 !== "string" || !SHA256.test(sha256))) return null;
    if (size !== undefined && (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)) return null;
    let extra: Record<string, unknown> | undefined;
    for (const k in e) {
      if (!KNOWN_ENTRY_KEYS.has(k)) setOwn((extra ??= {}), k, e[k]);
    }
    const rec = new ArtifactRecord(name, version, handler, fname, created, expires, extra ?? NO_EXTRA, sha256 as string | undefined, size as number | undefined);
    // Keep the stored text when it is already canonical, so rewriting costs no formatting.
    if (created_at.length === 19) rec.createdText = created_at;
    if (typeof expiry === "string" && expiry.length === 19) rec.expiryText = expiry;
    if (expiry === undefined) rec.expiryMissing = true;
    return rec;
  }
}
