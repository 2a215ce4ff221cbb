/**
 * Start the server of `lazyscribe ui` on a host and port (`0`: a free port).
 */
import { serve } from "@hono/node-server";
import { createApp, type AppOptions } from "./app.js";
import type { Binding } from "./security.js";

/** Options of {@link startServer}. */
export interface ServeOptions extends Omit<AppOptions, "binding"> {
  /** Address to bind (default `127.0.0.1`). */
  host?: string | undefined;
  /** Port (default 0: any free port). */
  port?: number | undefined;
}

/** A running server. */
export interface RunningServer {
  /** `http://HOST:PORT/` of the page. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/**
 * Serve the page and its API until `close()`.
 *
 * @example
 * const server = await startServer({ repository: "repository.json", port: 0 });
 * console.log(server.url); // http://127.0.0.1:54321/
 * await server.close();
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  let binding: Binding | undefined;
  const app = createApp({ ...options, binding: () => binding });
  return await new Promise<RunningServer>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 }, (info) => {
      binding = { host, port: info.port };
      const shown = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${info.port}/`,
        host,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            const s = server as unknown as { close(cb: () => void): void; closeAllConnections?: () => void };
            s.close(() => done());
            s.closeAllConnections?.();
          }),
      });
    });
    server.once("error", reject);
  });
}
