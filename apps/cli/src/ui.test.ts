import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, cleanup, copyFixture, run, tempDir } from "./testing/cli.js";
import path from "node:path";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) cleanup(d);
});

/** Start `lazyscribe ui ...`; resolves with the first stdout line, stderr so far, and a stop function. */
function startUi(args: string[], cwd: string): Promise<{ firstLine: string; stderr: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, "ui", ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve({ firstLine: out.slice(0, nl), stderr: () => err, stop: () => (child.kill("SIGINT"), exited) });
    });
    void exited.then((code) => reject(new Error(`ui exited (${code}) before printing its URL: ${err}`)));
  });
}

describe("lazyscribe ui", () => {
  it("prints the URL first, serves the repository read-only, and stops cleanly on Ctrl-C", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const repo = copyFixture("repository", dir);
    const ui = await startUi(["--port", "0"], repo);
    expect(ui.firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const info = (await (await fetch(`${ui.firstLine}api/info`)).json()) as { repository: { state: string; summary: { names: number } }; releases: { count: number } };
    expect(info.repository).toMatchObject({ state: "ok", summary: { names: 3 } });
    expect(info.releases.count).toBeGreaterThan(0);
    expect((await fetch(`${ui.firstLine}api/info`, { method: "POST" })).status).toBe(405);
    const page = await fetch(ui.firstLine);
    expect(await page.text()).toContain('<script defer src="/app.js">');
    expect((await fetch(`${ui.firstLine}app.js`)).status).toBe(200);
    expect(await ui.stop()).toBe(0);
  });

  it("takes a location and --project, and warns when bound beyond this machine", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const repo = copyFixture("repository", dir);
    const project = copyFixture("project", dir);
    const ui = await startUi([path.join(repo, "repository.json"), "--project", path.join(project, "project.json"), "--host", "0.0.0.0", "--port", "0"], dir);
    expect(ui.firstLine).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    const port = new URL(ui.firstLine).port;
    const p = (await (await fetch(`http://127.0.0.1:${port}/api/project`)).json()) as { experiments: unknown[] };
    expect(p.experiments.length).toBeGreaterThan(0);
    expect(ui.stderr()).toMatch(/warning: listening on 0\.0\.0\.0/);
    expect(await ui.stop()).toBe(0);
  });

  it("a bad port is a usage error; a missing repository a clear failure", () => {
    const dir = tempDir();
    dirs.push(dir);
    const bad = run(["ui", "--port", "http"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("port");
    const missing = run(["ui", "nope/repository.json"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no repository at nope/repository.json");
  });
});
