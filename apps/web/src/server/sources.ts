/**
 * What the server shows: a repository, its releases and a project, each
 * opened read-only through the library and reopened when its file changes
 * on disk (detected by the storage etag), so a reload shows the new state.
 */
import { load as loadReleases, Project, Repository, resolveLocation, type Release } from "lazyscribe";

/** Where the data lives; any location the library can open (local paths, file:// or other backends). */
export interface SourceLocations {
  /** Repository manifest (`repository.json`). */
  repository?: string | undefined;
  /** Releases file; default: `releases.json` beside the repository. */
  releases?: string | undefined;
  /** Project file (`project.json`). */
  project?: string | undefined;
  /** Clock used by the library (tests inject one); default: real time. */
  now?: (() => Date) | undefined;
}

/** One opened file, or why it could not be opened. */
export type Loaded<T> =
  | { state: "ok"; value: T; etag: string }
  | { state: "missing"; etag: string }
  | { state: "error"; error: unknown; etag: string }
  | { state: "none"; etag: string };

/** A file the server reads, reopened when its etag changes. */
class Watched<T> {
  private current: Loaded<T> | undefined;
  private pending: Promise<Loaded<T>> | undefined;

  constructor(
    readonly location: string | undefined,
    private readonly open: (location: string) => Promise<T>,
  ) {}

  /** The file as it is now on disk (cheap when unchanged: one stat). */
  get(): Promise<Loaded<T>> {
    return (this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    }));
  }

  private async refresh(): Promise<Loaded<T>> {
    const location = this.location;
    if (location === undefined) return { state: "none", etag: "" };
    let etag: string;
    try {
      const { storage, key } = resolveLocation(location);
      const st = await storage.stat(key);
      if (st === null) return (this.current = { state: "missing", etag: "missing" });
      etag = `${st.etag}:${st.size}`;
    } catch (error) {
      return (this.current = { state: "error", error, etag: "error" });
    }
    if (this.current && this.current.etag === etag) return this.current;
    try {
      this.current = { state: "ok", value: await this.open(location), etag };
    } catch (error) {
      this.current = { state: "error", error, etag };
    }
    return this.current;
  }
}

/** The releases file beside a repository manifest (`a/b/repository.json` → `a/b/releases.json`). */
export function releasesBeside(repository: string): string {
  const cut = Math.max(repository.lastIndexOf("/"), repository.lastIndexOf("\\"));
  return `${repository.slice(0, cut + 1)}releases.json`;
}

/** The repository, releases and project the server shows. */
export class Sources {
  readonly repository: Watched<Repository>;
  readonly releases: Watched<Release[]>;
  readonly project: Watched<Project>;

  constructor(readonly locations: SourceLocations) {
    const now = locations.now;
    const clock = now ? { now } : {};
    this.repository = new Watched(locations.repository, (l) => Repository.open(l, { mode: "r", ...clock }));
    const releases = locations.releases ?? (locations.repository === undefined ? undefined : releasesBeside(locations.repository));
    this.releases = new Watched(releases, (l) => loadReleases(l));
    this.project = new Watched(locations.project, (l) => Project.open(l, { mode: "r", ...clock }));
  }

  /** The library's clock (`now` option or real time). */
  now(): Date {
    return this.locations.now ? this.locations.now() : new Date();
  }

  /** One etag for everything shown: changes when any file changes. */
  async etag(): Promise<string> {
    const all = await Promise.all([this.repository.get(), this.releases.get(), this.project.get()]);
    return all.map((l) => l.etag).join("|");
  }
}
