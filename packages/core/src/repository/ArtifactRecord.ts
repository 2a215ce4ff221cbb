import { formatEpochSeconds } from "../time.js";

/** What lazyscribe knows about one artifact version. */
export interface ArtifactMetadata {
  readonly name: string;
  /** 0-based, per name. Provisional until `save()`; final after. */
  readonly version: number;
  readonly handler: string;
  readonly fname: string;
  readonly createdAt: Date;
  readonly expiry: Date | null;
  /** Hex SHA-256 of the file (absent on entries written by Python). */
  readonly sha256?: string;
  /** File size in bytes (absent on entries written by Python). */
  readonly size?: number;
  /** Other stored fields, such as `python_version` or `node_version`. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/**
 * One artifact version in a repository or experiment. Times are kept as whole
 * epoch seconds so resolution compares numbers, not Dates.
 */
export class ArtifactRecord implements ArtifactMetadata {
  constructor(
    public name: string,
    public version: number,
    public handler: string,
    public fname: string,
    /** Creation time, epoch seconds (UTC). */
    public createdSeconds: number,
    expirySeconds: number | null,
    public extra: Record<string, unknown> = {},
    public sha256?: string,
    public size?: number,
  ) {
    this._expiry = expirySeconds;
  }

  private _expiry: number | null;

  /** Expiry, epoch seconds (UTC), or null. */
  get expirySeconds(): number | null {
    return this._expiry;
  }
  set expirySeconds(value: number | null) {
    this._expiry = value;
    this.expiryText = undefined;
  }

  /**
   * The stored entry had no `expiry` key (written before lazyscribe had
   * expiry). It reads as null; a rewrite writes `"expiry": null`, as Python does.
   */
  expiryMissing?: boolean;

  /** Cached on-disk text of the times (set by the manifest reader when canonical). */
  createdText?: string;
  expiryText?: string;

  /** Creation time in the on-disk format. */
  createdString(): string {
    return (this.createdText ??= formatEpochSeconds(this.createdSeconds));
  }

  /** Expiry in the on-disk format, or null. */
  expiryString(): string | null {
    if (this._expiry === null) return null;
    return (this.expiryText ??= formatEpochSeconds(this._expiry));
  }

  get createdAt(): Date {
    return new Date(this.createdSeconds * 1000);
  }

  get expiry(): Date | null {
    return this.expirySeconds === null ? null : new Date(this.expirySeconds * 1000);
  }

  /** Valid (not expired) at `t` seconds: no expiry, or `t` before it. */
  isValidAt(t: number): boolean {
    return this.expirySeconds === null || t < this.expirySeconds;
  }

  /** A detached copy (used by `filter` so views never share mutable state). */
  clone(): ArtifactRecord {
    return new ArtifactRecord(
      this.name, this.version, this.handler, this.fname, this.createdSeconds, this.expirySeconds,
      { ...this.extra }, this.sha256, this.size,
    );
  }

  /** Plain metadata object (camelCase, Dates). */
  toMetadata(): ArtifactMetadata {
    const m: ArtifactMetadata = {
      name: this.name, version: this.version, handler: this.handler, fname: this.fname,
      createdAt: this.createdAt, expiry: this.expiry, extra: { ...this.extra },
      ...(this.sha256 !== undefined ? { sha256: this.sha256 } : {}),
      ...(this.size !== undefined ? { size: this.size } : {}),
    };
    return m;
  }

  /** The on-disk entry, keys sorted (Python `sort_keys=True`). */
  toJSON(): Record<string, unknown> {
    const o: Record<string, unknown> = {
      ...this.extra,
      created_at: this.createdString(),
      expiry: this.expiryString(),
      fname: this.fname,
      handler: this.handler,
      name: this.name,
      version: this.version,
    };
    if (this.sha256 !== undefined) o.sha256 = this.sha256;
    if (this.size !== undefined) o.size = this.size;
    // fromEntries defines own properties: an extra key `__proto__` stays a key.
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  }
}
