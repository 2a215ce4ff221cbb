import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Repository } from "lazyscribe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyPythonRepository, DEMO_NOW, tempFolder, writeDemo } from "../testing/data.js";
import { createApp } from "./app.js";
import { CSP, isAllowedHost } from "./security.js";

const tmp = tempFolder();
let demo: Awaited<ReturnType<typeof writeDemo>>;
let app: ReturnType<typeof createApp>;
const assets = join(tmp.dir, "public");
const now = () => new Date(DEMO_NOW);

beforeAll(async () => {
  demo = await writeDemo(join(tmp.dir, "demo"));
  mkdirSync(assets);
  writeFileSync(join(assets, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(join(assets, "app.js"), "console.log(1)");
  writeFileSync(join(tmp.dir, "secret.js"), "TOPSECRET");
  symlinkSync(join(tmp.dir, "secret.js"), join(assets, "linked.js"));
  app = createApp({ repository: demo.repository, project: demo.project, assetFolder: assets, now });
});
afterAll(() => tmp.cleanup());

const get = async (path: string) => {
  const res = await app.request(path);
  return { res, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
};

describe("API answers from the library", () => {
  it("info summarises the repository, releases and project", async () => {
    const { res, body } = await get("/api/info");
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      now: "2025-06-01T00:00:00.000Z",
      repository: { state: "ok", summary: { names: 5, versions: 8 } },
      releases: { state: "ok", count: 2 },
      project: { state: "ok", experiments: 3 },
    });
  });

  it("names are paged with their version counts", async () => {
    const { body } = await get("/api/names?offset=1&limit=2");
    expect(body).toEqual({ total: 5, offset: 1, names: [{ name: "config", count: 2 }, { name: "notes", count: 1 }] });
  });

  it("lanes hold compact versions of the names asked for only", async () => {
    const { body } = await get("/api/lanes?name=features");
    const lanes = body.lanes as Array<{ name: string; versions: number[][] }>;
    expect(lanes.map((l) => l.name)).toEqual(["features"]);
    expect(lanes[0]!.versions[1]).toEqual([1, Date.UTC(2025, 1, 1) / 1000, Date.UTC(2025, 2, 1) / 1000]);
  });

  it.each(["2024-12-01T00:00:00Z", "2025-01-20T00:00:00Z", "2025-02-15T00:00:00Z", "2025-03-05T00:00:00Z", "2025-04-20T00:00:00Z", DEMO_NOW])(
    "asof at %s is exactly what getArtifactMetadata answers",
    async (t) => {
      const { body } = await get(`/api/asof?t=${encodeURIComponent(t)}`);
      const repo = await Repository.open(demo.repository, { mode: "r", now });
      const expected = repo.names().map((name) => {
        try {
          return { name, version: repo.getArtifactMetadata(name, { version: t, match: "asof" }).version };
        } catch {
          return { name, version: null };
        }
      });
      expect(body.rows).toEqual(expected);
    },
  );

  it("asof before the first version answers none for every name; an expired version is skipped", async () => {
    const before = await get("/api/asof?t=2024-01-01T00:00:00Z");
    expect((before.body.rows as Array<{ version: number | null }>).every((r) => r.version === null)).toBe(true);
    // features v1 expired on 2025-03-01: at 2025-03-05 features resolves to v0.
    const after = await get("/api/asof?t=2025-03-05T00:00:00Z");
    expect(after.body.rows).toContainEqual({ name: "features", version: 0 });
  });

  it("version metadata, preview and diff", async () => {
    const meta = await get("/api/version?name=features&version=1");
    expect(meta.body).toMatchObject({ name: "features", version: 1, handler: "json", expired: true, expiry: "2025-03-01T00:00:00.000Z" });
    expect(meta.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const preview = await get("/api/preview?name=config&version=1");
    expect(preview.body).toMatchObject({ handler: "yaml", truncated: false });
    expect(preview.body.text).toContain("learning_rate: 0.05");
    const diff = await get("/api/diff?name=features&a=0&b=2");
    const repo = await Repository.open(demo.repository, { mode: "r", now });
    expect(diff.body.diff).toBe(await repo.getVersionDiff("features", [0, 2], { style: "patch" }));
    expect(diff.body.diff).toContain('+    "tenure"');
    expect(diff.body.diff).toContain('-  "rows": 1200');
  });

  it("preview is cut at 64 KiB", async () => {
    const { dir, cleanup } = tempFolder();
    try {
      const location = join(dir, "repository.json");
      const repo = await Repository.open(location, { mode: "w" });
      repo.logArtifact("big", "x".repeat(200_000), { handler: "text" });
      await repo.save();
      const res = await createApp({ repository: location, assetFolder: assets }).request("/api/preview?name=big&version=0");
      const body = (await res.json()) as { text: string; truncated: boolean };
      expect(body.truncated).toBe(true);
      expect(body.text.length).toBe(64 * 1024);
    } finally {
      cleanup();
    }
  });

  it("releases list tag, time and pins", async () => {
    const { body } = await get("/api/releases");
    expect(body.releases).toEqual(
      demo.release.map((r) => ({ tag: r.tag, createdAt: r.createdAt.toISOString(), artifacts: r.artifacts.map(([name, version]) => ({ name, version })) })),
    );
  });

  it("project: experiments with metrics, tests, artifacts linked to the repository where promoted", async () => {
    const { body } = await get("/api/project");
    const exps = body.experiments as Array<Record<string, unknown> & { artifacts: Array<{ promoted: unknown }> }>;
    expect(exps.map((e) => e.name)).toEqual(["Baseline model", "Deeper trees", "Wide features"]);
    expect(exps[1]).toMatchObject({ metrics: { accuracy: 0.86 }, parameters: { depth: 6 }, tags: ["tuned"], tests: [{ name: "age < 30", metrics: { accuracy: 0.76 } }, { name: "age >= 30" }] });
    expect(exps[1]!.artifacts[0]!.promoted).toEqual({ name: "predictions", version: 0 });
    expect(exps[0]!.artifacts[0]!.promoted).toBeNull();
  });

  it("reads a repository written by Python lazyscribe", async () => {
    const { dir, cleanup } = tempFolder();
    try {
      const location = copyPythonRepository(dir);
      const py = createApp({ repository: location, assetFolder: assets, now });
      const names = (await (await py.request("/api/names")).json()) as { names: Array<{ name: string }> };
      expect(names.names.map((n) => n.name).sort()).toEqual(["config", "estimator", "features"]);
      const rel = (await (await py.request("/api/releases")).json()) as { releases: Array<{ tag: string }> };
      expect(rel.releases.map((r) => r.tag)).toContain("v0.1.0");
    } finally {
      cleanup();
    }
  });

  it("reflects changes on disk: a new version changes the etag and the answers", async () => {
    const { dir, cleanup } = tempFolder();
    try {
      const location = join(dir, "repository.json");
      const repo = await Repository.open(location, { mode: "w" });
      repo.logArtifact("a", 1, { handler: "json" });
      await repo.save();
      const live = createApp({ repository: location, assetFolder: assets });
      const etag1 = ((await (await live.request("/api/etag")).json()) as { etag: string }).etag;
      const more = await Repository.open(location, { mode: "a" });
      more.logArtifact("b", 2, { handler: "json" });
      await more.save();
      const etag2 = ((await (await live.request("/api/etag")).json()) as { etag: string }).etag;
      expect(etag2).not.toBe(etag1);
      const names = (await (await live.request("/api/names")).json()) as { total: number };
      expect(names.total).toBe(2);
    } finally {
      cleanup();
    }
  });
});

describe("errors: JSON with the library's code, 400/404, no stack", () => {
  it.each([
    ["/api/version?name=nope&version=0", 404, "ARTIFACT_NOT_FOUND"],
    ["/api/version?name=features&version=9", 404, "VERSION_NOT_FOUND"],
    ["/api/version?name=features&version=yesterday", 400, "INVALID_VERSION"],
    ["/api/version?name=features", 400, "BAD_REQUEST"],
    ["/api/asof?t=not-a-time", 400, "INVALID_VERSION"],
    ["/api/names?limit=-1", 400, "BAD_REQUEST"],
    ["/api/preview?name=model&version=0", 400, "NO_PREVIEW"],
    ["/api/diff?name=model&a=0&b=0", 400, "ARTIFACT_LOAD"],
    ["/api/nothing", 404, "NOT_FOUND"],
  ])("%s → %i %s", async (path, status, code) => {
    const { res, body } = await get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(body.error!.code).toBe(code);
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
  });

  it("a broken manifest is reported as an error, and the server keeps answering", async () => {
    const { dir, cleanup } = tempFolder();
    try {
      const location = join(dir, "repository.json");
      writeFileSync(location, '[{"name": 3}]');
      const broken = createApp({ repository: location, assetFolder: assets });
      const info = (await (await broken.request("/api/info")).json()) as { repository: { state: string; error: { code: string } } };
      expect(info.repository).toMatchObject({ state: "error", error: { code: "MANIFEST_INVALID" } });
      const names = await broken.request("/api/names");
      expect(names.status).toBe(500);
      expect(((await names.json()) as { error: { code: string } }).error.code).toBe("MANIFEST_INVALID");
      expect((await broken.request("/api/info")).status).toBe(200);
    } finally {
      cleanup();
    }
  });
});

describe("safety", () => {
  it("every route answers 405 to anything but GET and HEAD, and nothing on disk changes", async () => {
    const before = readFileSync(demo.repository, "utf8");
    const files = readdirSync(join(tmp.dir, "demo"), { recursive: true }).length;
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      for (const path of ["/", "/api/info", "/api/version?name=features&version=0", "/api/nothing"]) {
        const res = await app.request(path, { method, headers: { Origin: "http://evil.example" } });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("allow")).toBe("GET, HEAD");
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
      }
    }
    expect((await app.request("/api/info", { method: "HEAD" })).status).toBe(200);
    expect(readFileSync(demo.repository, "utf8")).toBe(before);
    expect(readdirSync(join(tmp.dir, "demo"), { recursive: true }).length).toBe(files);
  });

  it("sends CSP and nosniff, and no CORS headers even when asked", async () => {
    for (const path of ["/", "/app.js", "/api/info", "/api/nothing", "/api/version?name=x&version=0"]) {
      const res = await app.request(path, { headers: { Origin: "http://evil.example" } });
      expect(res.headers.get("content-security-policy")).toBe(CSP);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect([...res.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
    }
  });

  it("the Host header must name this server (DNS rebinding)", async () => {
    const bound = createApp({ repository: demo.repository, assetFolder: assets, binding: () => ({ host: "127.0.0.1", port: 8123 }) });
    const status = async (host: string) => (await bound.request("http://x/api/info", { headers: { Host: host } })).status;
    expect(await status("127.0.0.1:8123")).toBe(200);
    expect(await status("localhost:8123")).toBe(200);
    expect(await status("evil.example:8123")).toBe(403);
    expect(await status("127.0.0.1:9999")).toBe(403);
    expect(await status("127.0.0.1.evil.example:8123")).toBe(403);
    expect(((await (await bound.request("http://x/", { headers: { Host: "attacker.test" } })).json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN_HOST");
  });

  it("a wildcard binding (--host 0.0.0.0) accepts IP addresses but still no other names", () => {
    expect(isAllowedHost("192.168.1.20:8123", "0.0.0.0", 8123)).toBe(true);
    expect(isAllowedHost("[fe80::1]:8123", "::", 8123)).toBe(true);
    expect(isAllowedHost("rebind.evil.example:8123", "0.0.0.0", 8123)).toBe(false);
    expect(isAllowedHost("192.168.1.20:8123", "127.0.0.1", 8123)).toBe(false);
    expect(isAllowedHost("[::1]:8123", "::1", 8123)).toBe(true);
    expect(isAllowedHost(undefined, "127.0.0.1", 8123)).toBe(false);
  });

  it("names with .., encoded %2e%2e, slashes or absolute paths are rejected by the library's name rules", async () => {
    for (const name of ["..", "../../etc/passwd", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc", "/etc/passwd", "features/../../x", "..%5c..%5cwin"]) {
      const { res, body } = await get(`/api/preview?name=${name}&version=0`);
      expect([400, 404], name).toContain(res.status);
      expect(body.error!.code, name).toMatch(/INVALID_NAME|ARTIFACT_NOT_FOUND/);
    }
    const { res, body } = await get("/api/version?name=..&version=0");
    expect(res.status).toBe(400);
    expect(body.error!.code).toBe("INVALID_NAME");
  });

  it("static paths never leave the page's folder (.., %2e%2e, absolute, symlinks)", async () => {
    for (const path of ["/../secret.js", "/%2e%2e/secret.js", "/%2e%2e%2fsecret.js", "/..%2fsecret.js", "//etc/passwd", "/linked.js", "/public/../secret.js", "/%2fetc%2fpasswd"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain("TOPSECRET");
    }
    expect((await app.request("/app.js")).status).toBe(200);
    expect(await (await app.request("/project")).text()).toContain("<!doctype html>");
  });

  it("an artifact file that is a symlink out of the repository is never read (even when its content matches)", async () => {
    const { dir, cleanup } = tempFolder();
    try {
      const location = join(dir, "repo", "repository.json");
      const repo = await Repository.open(location, { mode: "w" });
      const rec = repo.logArtifact("leak", "TOP SECRET\n", { handler: "text" });
      await repo.save();
      const file = join(dir, "repo", "leak", rec.fname);
      // Same bytes outside the folder, so size and sha256 checks alone would pass.
      writeFileSync(join(dir, "outside.txt"), "TOP SECRET\n");
      rmSync(file);
      symlinkSync(join(dir, "outside.txt"), file);
      const symlinked = createApp({ repository: location, assetFolder: assets });
      for (const path of ["/api/preview?name=leak&version=0", "/api/diff?name=leak&a=0&b=0"]) {
        const res = await symlinked.request(path);
        const text = await res.text();
        expect(res.status, path).toBe(400);
        expect(text).not.toContain("TOP SECRET");
        expect(JSON.parse(text).error.code).toBe("OUTSIDE_REPOSITORY");
      }
    } finally {
      cleanup();
    }
  });
});
