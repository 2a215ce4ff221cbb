/** Calls to the server's read-only API. Errors carry the library's code. */

export interface ApiErrorBody {
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** GET a JSON API route; a JSON error answer becomes an {@link ApiError}. */
export async function api<T>(path: string, params: Record<string, string | number | string[] | undefined> = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, x);
    else q.set(k, String(v));
  }
  const qs = q.toString();
  const res = await fetch(`/api/${path}${qs ? `?${qs}` : ""}`, { headers: { Accept: "application/json" } });
  const body = (await res.json()) as T & { error?: ApiErrorBody };
  if (!res.ok) throw new ApiError(body.error?.code ?? "HTTP_ERROR", body.error?.message ?? `HTTP ${res.status}`, res.status);
  return body;
}

export interface SourceState {
  state: "ok" | "missing" | "error" | "none";
  error?: ApiErrorBody;
}

export interface Info {
  now: string;
  etag: string;
  repository: SourceState & { location: string | null; summary: { names: number; versions: number; first: number | null; last: number | null } | null };
  releases: SourceState & { count: number };
  project: SourceState & { location: string | null; experiments: number };
}

export interface NameRow {
  name: string;
  count: number;
}

/** [version, created, expiry|null], epoch seconds. */
export type LaneVersion = [number, number, number | null];

export interface Metadata {
  name: string;
  version: number;
  handler: string;
  fname: string;
  createdAt: string;
  expiry: string | null;
  expired: boolean;
  sha256: string | null;
  size: number | null;
  extra: Record<string, unknown>;
}

export interface ReleaseInfo {
  tag: string;
  createdAt: string;
  artifacts: Array<{ name: string; version: number }>;
}

export interface ExperimentInfo {
  slug: string;
  shortSlug: string;
  name: string;
  author: string;
  lastUpdatedBy: string;
  createdAt: string;
  lastUpdated: string;
  tags: string[];
  metrics: Record<string, unknown>;
  parameters: Record<string, unknown>;
  tests: Array<{ name: string; description: string | null; metrics: Record<string, unknown>; parameters: Record<string, unknown> }>;
  artifacts: Array<Metadata & { promoted: { name: string; version: number } | null }>;
  dependencies: Array<{ key: string; slug: string; name: string }>;
}

/** Every page of a paged list route. */
export async function allPages<R>(path: string, field: string, params: Record<string, string> = {}): Promise<R[]> {
  const out: R[] = [];
  for (let offset = 0; ; ) {
    const page = await api<{ total: number } & Record<string, unknown>>(path, { ...params, offset, limit: 5000 });
    const rows = page[field] as R[];
    out.push(...rows);
    offset += rows.length;
    if (rows.length === 0 || offset >= page.total) return out;
  }
}

/** What the library resolves for every name at time `t` (the server parses `t` with the library). */
export async function fetchAsOf(t: string): Promise<{ t: string; rows: Array<{ name: string; version: number | null }> }> {
  const rows: Array<{ name: string; version: number | null }> = [];
  let at = "";
  for (let offset = 0; ; ) {
    const page = await api<{ t: string; total: number; rows: Array<{ name: string; version: number | null }> }>("asof", { t, offset, limit: 5000 });
    at = page.t;
    rows.push(...page.rows);
    offset += page.rows.length;
    if (page.rows.length === 0 || offset >= page.total) return { t: at, rows };
  }
}

const early = new Map<string, Promise<unknown>>();

/** Start a request before the page needs it (at start-up, in parallel with /api/info). */
export function prefetch<T>(key: string, fn: () => Promise<T>): void {
  const p = fn();
  p.catch(() => undefined);
  early.set(key, p);
}

/** The prefetched answer for `key` (once), else a new request. */
export function take<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const p = early.get(key) as Promise<T> | undefined;
  early.delete(key);
  return p ?? fn();
}
