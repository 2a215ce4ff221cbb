/**
 * The project page: every experiment with its metrics and parameters as
 * sortable columns, filters by tag and text, a metric chart across
 * experiments, and one experiment's tests, artifacts and dependencies.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import uPlot from "uplot";
import { api, ApiError, type ExperimentInfo, type Info } from "./api.js";
import { Chart } from "./Chart.js";
import { cell, shortTime } from "./format.js";
import { ErrorBox } from "./RepositoryPage.js";
import { getParam, setParams } from "./url.js";

type SortKey = string; // "slug" | "author" | "createdAt" | "lastUpdated" | "metric:<m>" | "param:<p>"

function value(e: ExperimentInfo, key: SortKey): unknown {
  if (key.startsWith("metric:")) return e.metrics[key.slice(7)];
  if (key.startsWith("param:")) return e.parameters[key.slice(6)];
  return (e as unknown as Record<string, unknown>)[key];
}

function compare(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return cell(a).localeCompare(cell(b));
}

export function ProjectPage({ info, reloadKey }: { info: Info; reloadKey: string }) {
  const [experiments, setExperiments] = useState<ExperimentInfo[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: getParam("sort") ?? "createdAt", desc: getParam("desc") === "1" });
  const [tag, setTag] = useState(getParam("tag") ?? "");
  const [text, setText] = useState(getParam("q") ?? "");
  const [metric, setMetric] = useState<string | null>(getParam("metric"));
  const [by, setBy] = useState<"time" | "slug">(getParam("by") === "slug" ? "slug" : "time");
  const [open, setOpen] = useState<string | null>(getParam("experiment"));

  useEffect(() => {
    api<{ experiments: ExperimentInfo[] }>("project").then((p) => setExperiments(p.experiments), setError);
  }, [reloadKey]);
  useEffect(() => setParams({ sort: sort.key, desc: sort.desc ? "1" : null, tag: tag || null, q: text || null, metric, by, experiment: open }), [sort, tag, text, metric, by, open]);

  const all = experiments ?? [];
  const metrics = useMemo(() => [...new Set(all.flatMap((e) => Object.keys(e.metrics)))].sort(), [all]);
  const params = useMemo(() => [...new Set(all.flatMap((e) => Object.keys(e.parameters)))].sort(), [all]);
  const tags = useMemo(() => [...new Set(all.flatMap((e) => e.tags))].sort(), [all]);
  const rows = useMemo(() => {
    const q = text.toLowerCase();
    const out = all.filter((e) => (!tag || e.tags.includes(tag)) && (!q || [e.slug, e.name, e.author, ...e.tags].some((s) => s.toLowerCase().includes(q))));
    out.sort((a, b) => compare(value(a, sort.key), value(b, sort.key)) * (sort.desc ? -1 : 1));
    return out;
  }, [all, tag, text, sort]);
  const chosenMetric = metric ?? metrics[0] ?? null;

  if (info.project.state === "error") return <ErrorBox title="The project could not be read" error={info.project.error!} />;
  if (info.project.state !== "ok") {
    return <p class="empty">{info.project.state === "none" ? "No project given. Start with: lazyscribe ui --project path/to/project.json" : `No project at ${info.project.location}.`}</p>;
  }
  if (error) return <ErrorBox title="The project could not be read" error={error} />;
  if (!experiments) return <p class="loading">Loading…</p>;

  const header = (key: SortKey, label: string) => (
    <th
      data-sort={key}
      class={`sortable${sort.key === key ? (sort.desc ? " desc" : " asc") : ""}`}
      onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key.startsWith("metric:") }))}
      title="Sort by this column"
    >
      {label}
    </th>
  );
  const current = all.find((e) => e.slug === open) ?? null;

  return (
    <div class="project">
      <section class="toolbar">
        <label>
          Tag{" "}
          <select id="tag-filter" value={tag} onChange={(e) => setTag((e.target as HTMLSelectElement).value)}>
            <option value="">all</option>
            {tags.map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
        </label>
        <input id="text-filter" class="filter" placeholder="Filter by slug, name, author or tag" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        <span class="hint">{rows.length} of {all.length} experiments. Click a column to sort, a row to see its tests and artifacts.</span>
      </section>
      <div class="table-wrap">
        <table class="experiments" id="experiments">
          <thead>
            <tr>
              {header("slug", "Slug")}
              {header("author", "Author")}
              {header("createdAt", "Created")}
              {header("lastUpdated", "Updated")}
              <th>Tags</th>
              {metrics.map((m) => header(`metric:${m}`, m))}
              {params.map((p) => header(`param:${p}`, `${p} (param)`))}
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.slug} data-slug={e.slug} class={e.slug === open ? "active" : ""} onClick={() => setOpen(e.slug === open ? null : e.slug)}>
                <td class="mono">{e.slug}</td>
                <td>{e.author}</td>
                <td>{shortTime(e.createdAt)}</td>
                <td>{shortTime(e.lastUpdated)}</td>
                <td>{e.tags.map((t) => <span key={t} class="tag">{t}</span>)}</td>
                {metrics.map((m) => <td key={m} class="num" data-metric={m}>{cell(e.metrics[m])}</td>)}
                {params.map((p) => <td key={p} class="num">{cell(e.parameters[p])}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {chosenMetric && (
        <section class="metric-chart">
          <h2>
            Metric{" "}
            <select id="metric-select" value={chosenMetric} onChange={(e) => setMetric((e.target as HTMLSelectElement).value)}>
              {metrics.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>{" "}
            across experiments, by{" "}
            <select id="metric-by" value={by} onChange={(e) => setBy((e.target as HTMLSelectElement).value as "time" | "slug")}>
              <option value="time">creation time</option>
              <option value="slug">slug</option>
            </select>
          </h2>
          <MetricChart experiments={rows} metric={chosenMetric} by={by} />
        </section>
      )}
      {current && <ExperimentDetail e={current} hasRepository={info.repository.state === "ok"} />}
    </div>
  );
}

function numeric(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function MetricChart({ experiments, metric, by }: { experiments: ExperimentInfo[]; metric: string; by: "time" | "slug" }) {
  const points = experiments.filter((e) => numeric(e.metrics[metric]) !== null);
  const ordered = by === "time" ? [...points].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)) : [...points].sort((a, b) => a.slug.localeCompare(b.slug));
  const xs = ordered.map((e, i) => (by === "time" ? Date.parse(e.createdAt) / 1000 : i));
  const ys = ordered.map((e) => numeric(e.metrics[metric]));
  const options = useMemo<Omit<uPlot.Options, "width">>(
    () => ({
      height: 240,
      scales: { x: by === "time" ? { time: true } : { time: false, range: [-0.5, ordered.length - 0.5] } },
      axes: [by === "time" ? {} : { splits: () => ordered.map((_, i) => i), values: (_u: uPlot, splits: number[]) => splits.map((s) => ordered[s]?.shortSlug ?? "") }, {}],
      series: [{ label: by === "time" ? "created" : "experiment" }, { label: metric, stroke: "#2563eb", width: 2, points: { size: 8, fill: "#2563eb" } }],
    }),
    [by, metric, ordered.map((e) => e.slug).join()],
  );
  if (ordered.length === 0) return <p class="empty">No experiment has a numeric {metric}.</p>;
  return <Chart id="metric-chart" options={options} data={[xs, ys]} />;
}

function ExperimentDetail({ e, hasRepository }: { e: ExperimentInfo; hasRepository: boolean }) {
  const testMetrics = [...new Set(e.tests.flatMap((t) => Object.keys(t.metrics)))].sort();
  const numericTests = testMetrics.filter((m) => e.tests.some((t) => numeric(t.metrics[m]) !== null));
  const options = useMemo<Omit<uPlot.Options, "width">>(
    () => ({
      height: 200,
      scales: { x: { time: false, range: [-0.5, e.tests.length - 0.5] } },
      axes: [{ splits: () => e.tests.map((_, i) => i), values: (_u: uPlot, splits: number[]) => splits.map((s) => e.tests[s]?.name ?? "") }, {}],
      series: [
        { label: "test" },
        ...numericTests.map((m, i) => {
          const color = ["#16a34a", "#9333ea", "#ea580c", "#0891b2"][i % 4]!;
          return { label: m, stroke: color, fill: `${color}99`, width: 1, paths: uPlot.paths.bars!({ size: [0.6 / numericTests.length, 80], align: 0 }), points: { show: false } };
        }),
      ],
    }),
    [e.slug, numericTests.join()],
  );
  return (
    <section class="detail" id="experiment-detail" data-slug={e.slug}>
      <h2>{e.name} <span class="mono small">{e.slug}</span></h2>
      <p>by {e.author}, created {shortTime(e.createdAt)}, last updated {shortTime(e.lastUpdated)} by {e.lastUpdatedBy}</p>
      <h3>Tests</h3>
      {e.tests.length === 0 ? (
        <p class="empty">No tests.</p>
      ) : (
        <>
          <table class="tests">
            <thead>
              <tr><th>Test</th><th>Description</th>{testMetrics.map((m) => <th key={m}>{m}</th>)}</tr>
            </thead>
            <tbody>
              {e.tests.map((t) => (
                <tr key={t.name}><td>{t.name}</td><td>{t.description ?? ""}</td>{testMetrics.map((m) => <td key={m} class="num">{cell(t.metrics[m])}</td>)}</tr>
              ))}
            </tbody>
          </table>
          {numericTests.length > 0 && <Chart id="test-chart" options={options} data={[e.tests.map((_, i) => i), ...numericTests.map((m) => e.tests.map((t) => numeric(t.metrics[m])))]} />}
        </>
      )}
      <h3>Artifacts</h3>
      {e.artifacts.length === 0 ? (
        <p class="empty">No artifacts.</p>
      ) : (
        <table class="artifacts">
          <thead><tr><th>Name</th><th>Version</th><th>Handler</th><th>File</th><th>In the repository</th></tr></thead>
          <tbody>
            {e.artifacts.map((a) => (
              <tr key={`${a.name}@${a.version}`}>
                <td>{a.name}</td><td>v{a.version}</td><td>{a.handler}</td><td class="mono">{a.fname}</td>
                <td>
                  {a.promoted && hasRepository ? (
                    <a class="promoted" href={`/?name=${encodeURIComponent(a.promoted.name)}&version=${a.promoted.version}&asof=${encodeURIComponent(a.createdAt.slice(0, 19) + "Z")}`}>
                      promoted as {a.promoted.name} v{a.promoted.version}
                    </a>
                  ) : (
                    "not promoted"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Dependencies</h3>
      {e.dependencies.length === 0 ? <p class="empty">None.</p> : (
        <ul>{e.dependencies.map((d) => <li key={d.key}><span class="mono">{d.key}</span>: {d.name} ({d.slug})</li>)}</ul>
      )}
    </section>
  );
}
