/**
 * The HTTP API and the page. Every answer comes from the library: the server
 * opens the files read-only, resolves versions with `getArtifactMetadata`,
 * diffs with `getVersionDiff`, and sends only what the view needs (names
 * paged, versions per name), never the whole manifest.
 */
import { Hono, type Context } from "hono";
import { isLazyscribeError, parseTime, type ArtifactMetadata, type Project, type Repository } from "lazyscribe";
import { readAssets, defaultAssetFolder, type Asset } from "./assets.js";
import { errorResponse, NotFoundError } from "./httpError.js";
import { assertInsideFolder } from "./insideFolder.js";
import { artifactName, count, required, versionSpec } from "./params.js";
import { guard, type Binding } from "./security.js";
import { Sources, type Loaded, type SourceLocations } from "./sources.js";

/** Options of {@link createApp}. */
export interface AppOptions extends SourceLocations {
  /** Folder of the built page (default: `dist/public` of this package). */
  assetFolder?: string | undefined;
  /** Where the server listens; until known, the Host check is off (unit tests call `app.request`). */
  binding?: (() => Binding | undefined) | undefined;
}

/** Bytes of an artifact shown as a preview. */
export const PREVIEW_BYTES = 64 * 1024;
const TEXT_HANDLERS = new Set(["text", "json", "yaml"]);
const PAGES = new Set(["/", "/project"]);

/** Seconds since the epoch, or null. */
const secs = (d: Date | null | undefined): number | null => (d ? Math.floor(d.getTime() / 1000) : null);

/** Metadata as JSON (times in ISO 8601 UTC). */
export function metadataJson(m: ArtifactMetadata, now: Date) {
  return {
    name: m.name,
    version: m.version,
    handler: m.handler,
    fname: m.fname,
    createdAt: m.createdAt.toISOString(),
    expiry: m.expiry ? m.expiry.toISOString() : null,
    expired: m.expiry !== null && m.expiry.getTime() <= now.getTime(),
    sha256: m.sha256 ?? null,
    size: m.size ?? null,
    extra: m.extra,
  };
}

function loadedState<T>(l: Loaded<T>) {
  if (l.state === "error") return { state: "error" as const, error: errorResponse(l.error).body.error };
  return { state: l.state };
}

/**
 * The Hono app of `lazyscribe ui`.
 *
 * @example
 * const app = createApp({ repository: "repository.json" });
 * const res = await app.request("/api/names");
 */
export function createApp(options: AppOptions): Hono {
  const sources = new Sources(options);
  const assets: Map<string, Asset> = readAssets(options.assetFolder ?? defaultAssetFolder());
  const app = new Hono();
  app.use("*", guard(options.binding ?? (() => undefined)));
  app.onError((err, c) => {
    const { status, body } = errorResponse(err);
    return c.json(body, status);
  });
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `no such page or API route: ${c.req.path}` } }, 404));

  const repository = async (): Promise<Repository> => {
    const l = await sources.repository.get();
    if (l.state === "ok") return l.value;
    if (l.state === "error") throw l.error;
    throw new NotFoundError("REPOSITORY_NOT_FOUND", l.state === "none" ? "no repository was given (lazyscribe ui <repository.json>)" : `no repository at ${options.repository}`);
  };
  const project = async (): Promise<Project> => {
    const l = await sources.project.get();
    if (l.state === "ok") return l.value;
    if (l.state === "error") throw l.error;
    throw new NotFoundError("PROJECT_NOT_FOUND", l.state === "none" ? "no project was given (lazyscribe ui --project <project.json>)" : `no project at ${options.project}`);
  };
  const noStore = (c: Context) => c.header("Cache-Control", "no-store");

  app.get("/api/info", async (c) => {
    noStore(c);
    const [r, rel, p] = await Promise.all([sources.repository.get(), sources.releases.get(), sources.project.get()]);
    const summary = r.state === "ok" ? summarise(r.value) : null;
    return c.json({
      now: sources.now().toISOString(),
      etag: await sources.etag(),
      repository: { location: options.repository ?? null, ...loadedState(r), summary },
      releases: { ...loadedState(rel), count: rel.state === "ok" ? rel.value.length : 0 },
      project: { location: options.project ?? null, ...loadedState(p), experiments: p.state === "ok" ? p.value.experiments.length : 0 },
    });
  });

  app.get("/api/etag", async (c) => {
    noStore(c);
    return c.json({ etag: await sources.etag() });
  });

  // Names, paged, with their version counts.
  app.get("/api/names", async (c) => {
    const repo = await repository();
    const names = repo.names();
    const offset = count(c.req.query("offset"), "offset", 0, Number.MAX_SAFE_INTEGER);
    const limit = count(c.req.query("limit"), "limit", 1000, 5000);
    return c.json({ total: names.length, offset, names: names.slice(offset, offset + limit).map((name) => ({ name, count: repo.versions(name).length })) });
  });

  // Compact versions of a few names: [version, created, expiry|null] in epoch seconds.
  app.get("/api/lanes", async (c) => {
    const repo = await repository();
    const names = (c.req.queries("name") ?? []).slice(0, 200).map((n) => artifactName(n));
    return c.json({
      lanes: names.map((name) => ({ name, versions: repo.versions(name).map((v) => [v.version, secs(v.createdAt), secs(v.expiry)]) })),
    });
  });

  // What getArtifactMetadata(name, { version: T, match: "asof" }) answers for each name.
  app.get("/api/asof", async (c) => {
    const repo = await repository();
    const t = required(c.req.query("t"), "t");
    const at = parseTime(t);
    const names = repo.names();
    const offset = count(c.req.query("offset"), "offset", 0, Number.MAX_SAFE_INTEGER);
    const limit = count(c.req.query("limit"), "limit", 1000, 5000);
    const rows = names.slice(offset, offset + limit).map((name) => {
      try {
        return { name, version: repo.getArtifactMetadata(name, { version: at, match: "asof" }).version };
      } catch (err) {
        if (isLazyscribeError(err, "VERSION_NOT_FOUND")) return { name, version: null };
        throw err;
      }
    });
    return c.json({ t: at.toISOString(), total: names.length, offset, rows });
  });

  app.get("/api/version", async (c) => {
    const repo = await repository();
    const meta = repo.getArtifactMetadata(artifactName(c.req.query("name")), { version: versionSpec(c.req.query("version")) });
    return c.json(metadataJson(meta, sources.now()));
  });

  // The first 64 KiB of a text, json or yaml artifact.
  app.get("/api/preview", async (c) => {
    const repo = await repository();
    const name = artifactName(c.req.query("name"));
    const meta = repo.getArtifactMetadata(name, { version: versionSpec(c.req.query("version")) });
    if (!TEXT_HANDLERS.has(meta.handler)) {
      return c.json({ error: { code: "NO_PREVIEW", message: `no preview for handler "${meta.handler}" (only text, json and yaml)` } }, 400);
    }
    await assertInsideFolder(repo.location, name, meta.fname);
    // Partial read: the sha256 check needs the whole file, so it is skipped for previews.
    const { stream } = await repo.openArtifactStream(name, { version: meta.version, verify: false });
    const reader = stream.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    let truncated = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > PREVIEW_BYTES) {
        truncated = true;
        break;
      }
    }
    await reader.cancel().catch(() => undefined);
    const bytes = Buffer.concat(chunks).subarray(0, PREVIEW_BYTES);
    return c.json({ name, version: meta.version, handler: meta.handler, truncated, text: new TextDecoder().decode(bytes) });
  });

  app.get("/api/diff", async (c) => {
    const repo = await repository();
    const name = artifactName(c.req.query("name"));
    const a = versionSpec(c.req.query("a"), "a");
    const b = versionSpec(c.req.query("b"), "b");
    for (const v of [a, b]) await assertInsideFolder(repo.location, name, repo.getArtifactMetadata(name, { version: v }).fname);
    return c.json({ name, a, b, diff: await repo.getVersionDiff(name, [a, b], { style: "patch" }) });
  });

  app.get("/api/releases", async (c) => {
    const l = await sources.releases.get();
    if (l.state === "error") throw l.error;
    const list = l.state === "ok" ? l.value : [];
    return c.json({
      releases: list.map((r) => ({ tag: r.tag, createdAt: r.createdAt.toISOString(), artifacts: r.artifacts.map(([name, version]) => ({ name, version })) })),
    });
  });

  app.get("/api/project", async (c) => {
    const p = await project();
    const r = await sources.repository.get();
    const repo = r.state === "ok" ? r.value : null;
    const now = sources.now();
    return c.json({
      experiments: p.experiments.map((e) => ({
        slug: e.slug,
        shortSlug: e.shortSlug,
        name: e.name,
        author: e.author,
        lastUpdatedBy: e.lastUpdatedBy,
        createdAt: e.createdAt.toISOString(),
        lastUpdated: e.lastUpdated.toISOString(),
        tags: [...e.tags],
        metrics: e.metrics,
        parameters: e.parameters,
        tests: e.tests.map((t) => ({ name: t.name, description: t.description, metrics: t.metrics, parameters: t.parameters })),
        artifacts: e.artifacts.map((a) => ({ ...metadataJson(a, now), promoted: repo ? promotedVersion(repo, a) : null })),
        dependencies: Object.entries(e.dependencies).map(([key, d]) => ({ key, slug: d.slug, name: d.name })),
      })),
    });
  });

  app.get("*", (c) => {
    const path = c.req.path;
    const asset = PAGES.has(path) ? assets.get("/index.html") : path === "/index.html" ? undefined : assets.get(path);
    if (!asset) return c.json({ error: { code: "NOT_FOUND", message: `no such page or API route: ${path}` } }, 404);
    c.header("Content-Type", asset.type);
    c.header("Cache-Control", "no-cache");
    return c.body(asset.body as Uint8Array<ArrayBuffer>);
  });
  return app;
}

const summaries = new WeakMap<Repository, { names: number; versions: number; first: number | null; last: number | null }>();

/** Counts and the time span (first creation, last creation or expiry) of a repository; once per opened manifest. */
function summarise(repo: Repository) {
  let s = summaries.get(repo);
  if (!s) {
    let min = Infinity;
    let max = -Infinity;
    for (const a of repo.artifacts) {
      const cs = secs(a.createdAt)!;
      if (cs < min) min = cs;
      max = Math.max(max, cs, secs(a.expiry) ?? cs);
    }
    s = { names: repo.names().length, versions: repo.artifacts.length, first: Number.isFinite(min) ? min : null, last: Number.isFinite(max) ? max : null };
    summaries.set(repo, s);
  }
  return s;
}

/** The repository version an experiment artifact was promoted to (same content and time), if any. */
function promotedVersion(repo: Repository, a: ArtifactMetadata): { name: string; version: number } | null {
  if (!repo.has(a.name)) return null;
  for (const v of repo.versions(a.name)) {
    const sameContent = a.sha256 !== undefined && v.sha256 === a.sha256;
    if (sameContent || (v.createdAt.getTime() === a.createdAt.getTime() && v.fname === a.fname)) return { name: v.name, version: v.version };
  }
  return null;
}
