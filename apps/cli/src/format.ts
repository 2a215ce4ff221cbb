/** How artifact versions are shown: JSON rows and table cells. */
import type { ArtifactMetadata } from "lazyscribe";
import { humanSize, humanTime, isoTime, type Palette } from "./output.js";

/** Stable JSON shape of one artifact version. */
export interface ArtifactJson {
  name: string;
  version: number;
  createdAt: string | null;
  expiry: string | null;
  handler: string;
  size: number | null;
  fname: string;
  sha256: string | null;
  /** Expired at the time the command looked (now, or `--at`). */
  expired: boolean;
}

/** True when `meta` is expired at `at` (expiry set and not after `at`). */
export function isExpired(meta: Pick<ArtifactMetadata, "expiry">, at: Date): boolean {
  return meta.expiry !== null && at.getTime() >= meta.expiry.getTime();
}

export function artifactJson(meta: ArtifactMetadata, at: Date, size?: number | null): ArtifactJson {
  return {
    name: meta.name,
    version: meta.version,
    createdAt: isoTime(meta.createdAt),
    expiry: isoTime(meta.expiry),
    handler: meta.handler,
    size: size !== undefined ? size : (meta.size ?? null),
    fname: meta.fname,
    sha256: meta.sha256 ?? null,
    expired: isExpired(meta, at),
  };
}

/** The expiry cell: `-`, the time, or the time marked expired. */
export function expiryCell(meta: Pick<ArtifactMetadata, "expiry">, at: Date, c: Palette): string {
  if (meta.expiry === null) return "-";
  return isExpired(meta, at) ? c.red(`${humanTime(meta.expiry)} (expired)`) : humanTime(meta.expiry);
}

export function sizeCell(size: number | null | undefined): string {
  return humanSize(size);
}
