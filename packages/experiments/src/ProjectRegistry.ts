import { LazyscribeError, type StorageBackend } from "@lazyscribe/core/internal";
import type { Project } from "./Project.js";

/**
 * Named, open projects. A dependency stored as `"<name>|<slug>"` resolves
 * through the registry before being tried as a location — useful when the
 * upstream project lives on another backend (object storage, memory) or
 * somewhere the referencing file cannot name by path.
 *
 * @example
 * const upstream = await Project.open("s3-features.json", { storage: s3, mode: "r" });
 * registry.addProject("features", upstream);
 * exp.addDependency(upstream.get("feature-build"));   // stored as "features|feature-build-20250301093000"
 */
export class ProjectRegistry {
  private readonly projects = new Map<string, Project>();

  /**
   * Register `project` under `name` (replacing an earlier one of that name).
   *
   * @example
   * registry.addProject("upstream", await Project.open("upstream.json", { mode: "r" }));
   */
  addProject(name: string, project: Project): void {
    if (typeof name !== "string" || name.length === 0 || name.includes("|")) {
      throw new LazyscribeError(`registry names must be non-empty strings without "|", not ${JSON.stringify(name)}`);
    }
    if (typeof project !== "object" || project === null || typeof (project as { get?: unknown }).get !== "function") {
      throw new LazyscribeError(`registry.addProject("${name}", ...) needs an open Project`);
    }
    this.projects.set(name, project);
  }

  /**
   * The project registered as `name`, or `undefined`.
   *
   * @example
   * const upstream = registry.getProject("upstream");
   */
  getProject(name: string): Project | undefined {
    return this.projects.get(name);
  }

  /**
   * True when a project is registered as `name`.
   *
   * @example
   * if (!registry.hasProject("upstream")) registry.addProject("upstream", upstream);
   */
  hasProject(name: string): boolean {
    return this.projects.has(name);
  }

  /**
   * Unregister `name`; returns whether it was registered.
   *
   * @example
   * registry.removeProject("upstream");
   */
  removeProject(name: string): boolean {
    return this.projects.delete(name);
  }

  /**
   * Unregister every project.
   *
   * @example
   * afterEach(() => registry.clear());
   */
  clear(): void {
    this.projects.clear();
  }

  /**
   * Registered names, in registration order.
   *
   * @example
   * registry.names(); // ["upstream"]
   */
  names(): string[] {
    return [...this.projects.keys()];
  }

  /**
   * The name under which a project file is registered: the same Project, or
   * one with the same storage backend and key (Python's `registry.search`).
   *
   * @example
   * registry.nameOf(upstream); // "upstream"
   */
  nameOf(project: { readonly storage: StorageBackend; readonly key: string }): string | undefined {
    for (const [name, p] of this.projects) {
      if (p === project || (p.storage === project.storage && p.key === project.key)) return name;
    }
    return undefined;
  }
}

/**
 * The process-wide registry `Project.open` uses unless given `{ registry }`.
 *
 * @example
 * import { registry } from "@lazyscribe/experiments";
 * registry.addProject("upstream", upstream);
 */
export const registry = new ProjectRegistry();
