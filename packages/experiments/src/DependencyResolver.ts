import { dirnameKey, isAbsoluteLocation, isLazyscribeError, joinLocation, resolveLocation, type StorageBackend } from "@lazyscribe/core/internal";
import { DependencyError } from "./errors.js";
import type { Experiment } from "./Experiment.js";
import { dirnameOf, joinKeyRelative, normalizeSegments, objectStoreScheme } from "./locationPath.js";
import type { ProjectRegistry } from "./ProjectRegistry.js";

/** A project as the resolver sees it. */
export interface ResolvableProject {
  readonly location: string;
  readonly storage: StorageBackend;
  readonly key: string;
  /** Opened with an explicit `storage` (its location is then a key in it). */
  readonly explicitStorage: boolean;
  /** The newest experiment with this slug or short slug. */
  find(slugOrShortSlug: string): Experiment | undefined;
}

/** Where an upstream project file may be. */
export interface UpstreamTarget {
  readonly location: string;
  readonly storage: StorageBackend;
  readonly key: string;
  /** `location` is a key inside `storage`, not a location string. */
  readonly explicitStorage: boolean;
}

/** Opens an upstream project read-only, registering it with the resolver before resolving its own dependencies. */
export type OpenUpstream = (target: UpstreamTarget, resolver: DependencyResolver) => Promise<ResolvableProject>;

const storageIds = new WeakMap<StorageBackend, number>();
let nextStorageId = 0;
function storageId(s: StorageBackend): number {
  let id = storageIds.get(s);
  if (id === undefined) {
    id = ++nextStorageId;
    storageIds.set(s, id);
  }
  return id;
}

/**
 * Resolves dependency references (`"<project location or registry name>|<slug>"`)
 * while a project loads. Order: the registry; then the location relative to
 * the referencing project's folder (same backend, then the same location
 * scheme); then the location as given (relative to the working directory).
 * Each upstream project file is opened once per load (read-only), and a
 * project is registered before its own dependencies resolve, so circular and
 * self references work.
 */
export class DependencyResolver {
  private readonly projects = new Map<string, ResolvableProject>();

  constructor(
    private readonly registry: ProjectRegistry,
    private readonly openUpstream: OpenUpstream,
  ) {}

  /** Remember a project opened during this load. */
  register(project: ResolvableProject): void {
    for (const id of identities(project.storage, project.key)) this.projects.set(id, project);
  }

  /**
   * The upstream experiment of `ref`, as seen from project `from`.
   * Unresolvable → {@link DependencyError} naming the reference.
   */
  async resolve(ref: string, from: ResolvableProject, owner: string): Promise<Experiment> {
    const bar = ref.lastIndexOf("|");
    const projectRef = bar > 0 ? ref.slice(0, bar) : "";
    const slug = bar > 0 ? ref.slice(bar + 1) : "";
    const context = `dependency "${ref}" of ${owner}`;
    if (!projectRef || !slug) throw new DependencyError(ref, `cannot resolve ${context}: expected "<project location or registry name>|<slug>"`);
    const project = await this.projectFor(projectRef, from, context, ref);
    const exp = project.find(slug);
    if (!exp) {
      throw new DependencyError(ref, `cannot resolve ${context}: project ${project.location} has no experiment with slug "${slug}"`);
    }
    return exp;
  }

  private async projectFor(projectRef: string, from: ResolvableProject, context: string, ref: string): Promise<ResolvableProject> {
    const registered = this.registry.getProject(projectRef);
    if (registered) return registered;
    const tried: string[] = [];
    for (const candidate of this.candidates(projectRef, from, tried)) {
      const known = this.known(candidate);
      if (known) return known;
      let exists: boolean;
      try {
        exists = (await candidate.storage.stat(candidate.key)) !== null;
      } catch (err) {
        tried.push(`${describe(candidate)} (${(err as Error)?.message ?? String(err)})`);
        continue;
      }
      if (!exists) {
        tried.push(describe(candidate));
        continue;
      }
      try {
        return await this.openUpstream(candidate, this);
      } catch (err) {
        if (err instanceof DependencyError || isLazyscribeError(err, "DEPENDENCY_UNRESOLVED")) throw err;
        throw new DependencyError(ref, `cannot resolve ${context}: opening ${describe(candidate)} failed: ${(err as Error)?.message ?? String(err)}`, {
          cause: err,
        });
      }
    }
    throw new DependencyError(
      ref,
      `cannot resolve ${context}: no project is registered as "${projectRef}"` +
        (tried.length ? `, and there is no project file at ${tried.join(" or ")}` : ""),
    );
  }

  private *candidates(projectRef: string, from: ResolvableProject, problems: string[]): Generator<UpstreamTarget> {
    const relative = !isAbsoluteLocation(projectRef);
    if (relative) {
      const joined = from.explicitStorage ? null : tryJoin(dirnameOf(from.location), projectRef, problems);
      const key = joinKeyRelative(dirnameKey(from.key), projectRef);
      if (key !== null && (from.explicitStorage || joined !== null)) {
        yield { storage: from.storage, key, location: joined ?? key, explicitStorage: from.explicitStorage };
      }
      if (joined !== null) {
        const target = tryResolve(joined, problems);
        if (target) yield target;
      }
      // Python lazyscribe writes a dependency on a project in object storage
      // without the scheme (`bucket/folder/project.json`) and reads it back
      // with the referencing project's scheme.
      const scheme = from.explicitStorage ? undefined : objectStoreScheme(from.location);
      const bucketFirst = projectRef.includes("/") && !/^\.\.?\//.test(projectRef);
      if (scheme !== undefined && bucketFirst) {
        const target = tryResolve(`${scheme}://${projectRef}`, problems);
        if (target) yield target;
      }
    }
    const target = tryResolve(projectRef, problems);
    if (target) yield target;
  }

  private known(target: UpstreamTarget): ResolvableProject | undefined {
    for (const id of identities(target.storage, target.key)) {
      const p = this.projects.get(id);
      if (p) return p;
    }
    return undefined;
  }
}

/** `projectRef` joined to a folder location, or null (noted in `problems`) when it may not be (it climbs out of its bucket). */
function tryJoin(folder: string, projectRef: string, problems: string[]): string | null {
  try {
    return joinLocation(folder, projectRef);
  } catch (err) {
    problems.push(`${projectRef} next to ${folder} (${(err as Error)?.message ?? String(err)})`);
    return null;
  }
}

function tryResolve(location: string, problems: string[]): UpstreamTarget | undefined {
  try {
    const { storage, key } = resolveLocation(location);
    return { storage, key, location, explicitStorage: false };
  } catch (err) {
    problems.push(`${location} (${(err as Error)?.message ?? String(err)})`);
    return undefined;
  }
}

/** Ways to recognise one file: the backend object, and for local files its root. */
function identities(storage: StorageBackend, key: string): string[] {
  const ids = [`#${storageId(storage)}\u0000${key}`];
  // Two local backends with different roots can name the same file.
  if (storage.description.startsWith("file://")) ids.push(normalizeSegments(`${storage.description.replace(/\/?$/, "/")}${key}`) ?? key);
  return ids;
}

function describe(t: UpstreamTarget): string {
  const root = t.storage.description.replace(/\/$/, "");
  return t.location === t.key ? `${t.key} (in ${root})` : `${t.location}`;
}
