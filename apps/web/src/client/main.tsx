/** The page of `lazyscribe ui`: the repository timeline at `/`, the project at `/project`. */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { allPages, api, fetchAsOf, prefetch, type Info } from "./api.js";
import { ProjectPage } from "./ProjectPage.js";
import { ErrorBox, RepositoryPage } from "./RepositoryPage.js";

const POLL_MS = 2000;

// The repository page's first data, asked for in parallel with /api/info.
if (location.pathname === "/") {
  prefetch("names", () => allPages("names", "names"));
  prefetch("releases", () => api("releases"));
  const asof = new URLSearchParams(location.search).get("asof");
  if (asof) prefetch(`asof:${asof}`, () => fetchAsOf(asof));
}

function App() {
  const [info, setInfo] = useState<Info | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const page = location.pathname === "/project" ? "project" : "repository";

  // Reload when anything changes on disk (the server's etag of the files shown).
  useEffect(() => {
    let etag = "";
    let stop = false;
    const load = () => api<Info>("info").then((i) => {
      etag = i.etag;
      setInfo(i);
      setFailure(null);
    }, (e: Error) => setFailure(e.message));
    void load();
    const timer = setInterval(() => {
      if (stop || document.hidden) return;
      api<{ etag: string }>("etag").then((r) => {
        if (r.etag !== etag) void load();
      }, () => setFailure("the lazyscribe ui server stopped; start it again and reload"));
    }, POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <>
      <header class="top">
        <strong class="brand">lazyscribe</strong>
        <nav>
          <a href="/" class={page === "repository" ? "current" : ""}>Repository timeline</a>
          <a href="/project" class={page === "project" ? "current" : ""}>Project experiments</a>
        </nav>
        {info && (
          <span class="where mono">
            {page === "repository" ? info.repository.location ?? "" : info.project.location ?? ""}
            {page === "repository" && info.repository.summary ? ` · ${info.repository.summary.names} names, ${info.repository.summary.versions} versions, ${info.releases.count} releases` : ""}
            {page === "project" && info.project.state === "ok" ? ` · ${info.project.experiments} experiments` : ""}
          </span>
        )}
        <span class="readonly">read-only</span>
      </header>
      <main>
        {failure && <ErrorBox title="No answer from the server" error={{ code: "OFFLINE", message: failure }} />}
        {info && (page === "project" ? <ProjectPage info={info} reloadKey={info.etag} /> : <RepositoryPage info={info} reloadKey={info.etag} />)}
      </main>
    </>
  );
}

const root = document.getElementById("root")!;
root.textContent = "";
render(<App />, root);
