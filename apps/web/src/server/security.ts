/**
 * The rules of a local tool that reads private data: read-only (GET/HEAD
 * only), no DNS rebinding (the Host header must name this server), and
 * headers that keep the page from loading or leaking anything else.
 */
import type { MiddlewareHandler } from "hono";

/** Content-Security-Policy of every response: only this server's own scripts, styles and data. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);
const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);

/** `[::1]:8080` → `[::1]`, `localhost:8080` → `localhost`; null when the port is not ours. */
function hostName(header: string, port: number): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d+))?$/i.exec(header.trim());
  if (!m) return null;
  const p = m[2] === undefined ? 80 : Number(m[2]);
  return p === port ? m[1]!.toLowerCase() : null;
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/**
 * True when a `Host` header names this server: the bound address or a
 * loopback name, on the bound port. A server bound to a wildcard address
 * (`--host 0.0.0.0`) also accepts any IP literal (DNS rebinding needs a name).
 */
export function isAllowedHost(header: string | undefined, boundHost: string, port: number): boolean {
  if (!header) return false;
  const name = hostName(header, port);
  if (name === null) return false;
  const bound = boundHost.includes(":") && !boundHost.startsWith("[") ? `[${boundHost}]` : boundHost.toLowerCase();
  if (name === bound || LOOPBACK_NAMES.has(name)) return true;
  return WILDCARD.has(boundHost) && IP_LITERAL.test(name);
}

/** Where the server listens, known once it is bound (the port may be picked by the OS). */
export interface Binding {
  host: string;
  port: number;
}

/** Security headers, the read-only rule and the Host check, for every route. */
export function guard(binding: () => Binding | undefined): MiddlewareHandler {
  return async (c, next) => {
    const b = binding();
    const secure = (res: Response) => {
      res.headers.set("Content-Security-Policy", CSP);
      res.headers.set("X-Content-Type-Options", "nosniff");
      res.headers.set("Referrer-Policy", "no-referrer");
      res.headers.set("X-Frame-Options", "DENY");
      res.headers.set("Cross-Origin-Resource-Policy", "same-origin");
      for (const h of [...res.headers.keys()]) if (h.toLowerCase().startsWith("access-control-")) res.headers.delete(h);
      return res;
    };
    if (b && !isAllowedHost(c.req.header("host"), b.host, b.port)) {
      return secure(c.json({ error: { code: "FORBIDDEN_HOST", message: "this server only answers requests addressed to its own address (Host header check)" } }, 403));
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const res = c.json({ error: { code: "METHOD_NOT_ALLOWED", message: `${c.req.method} is not allowed: lazyscribe ui is read-only (GET and HEAD only)` } }, 405);
      res.headers.set("Allow", "GET, HEAD");
      return secure(res);
    }
    await next();
    c.res = secure(new Response(c.res.body, c.res));
  };
}
