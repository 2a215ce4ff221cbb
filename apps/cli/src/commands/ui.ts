import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import { parseNonEmpty, zodParser } from "../args.js";
import { allOptions, DEFAULT_PROJECT, globals, localPath, releasesLocation, requireFile, withGlobals } from "../context.js";
import { CliError } from "../errors.js";
import { examples, print, warn } from "../output.js";

type Web = typeof import("@lazyscribe/web");

interface UiOptions {
  project?: string;
  releases?: string;
  port: number;
  host?: string;
  open?: boolean;
}

const parsePort = zodParser(
  z.string().trim().regex(/^\d+$/, "expected a port number 0-65535 (0: any free port)").transform(Number).refine((n) => n <= 65535, "expected a port number 0-65535 (0: any free port)"),
);

/**
 * The web view lives in its own package, loaded only by this command (a
 * computed specifier keeps the bundler from inlining it), so the other
 * commands start as fast as before and the page's files are found beside
 * the package's server at run time.
 */
async function loadWeb(): Promise<Web> {
  const specifier = "@lazyscribe/web";
  try {
    return (await import(specifier)) as Web;
  } catch (err) {
    throw new CliError(`the ui command needs the @lazyscribe/web package next to the CLI (build it with pnpm build): ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Open a URL in the desktop's browser; failures only print a hint. */
function openBrowser(url: string): void {
  const [cmd, args] = process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  const child = spawn(cmd, args as string[], { stdio: "ignore", detached: true });
  child.on("error", () => process.stderr.write(`lazyscribe: could not open a browser; open ${url} yourself\n`));
  child.unref();
}

/** `lazyscribe ui [LOCATION]`: a local, read-only web view of a repository, its releases and a project. */
export function register(program: Command): void {
  withGlobals(program.command("ui"))
    .summary("open a read-only web view: timeline, as-of cursor, releases, experiments")
    .description(
      "serve a local, read-only web page showing every version, expiry and release of a repository on one time axis, and a project's experiments; the first line printed is the URL; Ctrl-C stops it",
    )
    .argument("[location]", "repository manifest (default: --repo, ./repository.json)", parseNonEmpty)
    .option("--project <path>", `project file (default: ${DEFAULT_PROJECT} when it exists)`)
    .option("--releases <path>", "releases file (default: releases.json beside the repository)")
    .option("--port <n>", "port (0: any free port)", parsePort, 0)
    .option("--host <address>", "address to listen on (default 127.0.0.1; anything else is reachable from other machines)")
    .option("--open", "open the page in the default browser")
    .addHelpText("after", examples("lazyscribe ui", "lazyscribe ui models/repository.json --project runs/project.json --port 8080 --open"))
    .action(async (location: string | undefined, opts: UiOptions, cmd: Command) => {
      const g = globals(cmd);
      const explicitRepo = location !== undefined || typeof allOptions(cmd).repo === "string";
      const repo = location ?? g.repo;
      const project = opts.project ?? (existsSync(DEFAULT_PROJECT) ? DEFAULT_PROJECT : undefined);
      if (opts.project !== undefined) await requireFile(opts.project, "project", " (use --project <path> to point at a project.json)");
      const repoPath = localPath(repo);
      const hasRepo = repoPath === null || existsSync(repoPath);
      if (explicitRepo || (!hasRepo && project === undefined)) await requireFile(repo, "repository", " (give a repository.json, or --project <path> for a project)");
      const host = opts.host ?? "127.0.0.1";
      const web = await loadWeb();
      const server = await web.startServer({
        repository: hasRepo ? repo : undefined,
        releases: opts.releases ?? (hasRepo ? releasesLocation(repo) : undefined),
        project,
        host,
        port: opts.port,
      });
      print(server.url);
      if (!web.isLoopback(host)) {
        warn(`listening on ${host}: other machines can read this repository and project (read-only); use the default 127.0.0.1 to keep it local`);
      }
      process.stderr.write(`serving ${hasRepo ? repo : "(no repository)"}${project ? ` and ${project}` : ""} read-only; Ctrl-C to stop\n`);
      if (opts.open) openBrowser(server.url);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void server.close().then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
