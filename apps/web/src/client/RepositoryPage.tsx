/**
 * The repository page: one lane per artifact name on a shared time axis,
 * the as-of cursor (its time lives in the URL), the version each name
 * resolves to at that time (asked from the server, which asks the library),
 * release markers, and a version's metadata, preview and diff.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { allPages, api, ApiError, fetchAsOf, take, type Info, type LaneVersion, type Metadata, type NameRow, type ReleaseInfo } from "./api.js";
import { humanSize, isoSeconds, shortTime, tickLabel, ticks } from "./format.js";
import { getParam, setParams } from "./url.js";
import { useVirtualRows } from "./useVirtualRows.js";
import { VersionDetail } from "./VersionDetail.js";

const ROW_H = 28;
const LABEL_W = 300;
const AXIS_H = 56;

interface AsOf {
  t: number;
  rows: Map<string, number | null>;
}

export function RepositoryPage({ info, reloadKey }: { info: Info; reloadKey: string }) {
  const now = Date.parse(info.now) / 1000;
  const [names, setNames] = useState<NameRow[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [releases, setReleases] = useState<ReleaseInfo[]>([]);
  const [releaseError, setReleaseError] = useState<ApiError | null>(null);
  const [asofText, setAsofText] = useState<string>(getParam("asof") ?? isoSeconds(now));
  // What is typed in the time box; follows the cursor, but a re-render never overwrites typing.
  const [draft, setDraft] = useState(asofText);
  useEffect(() => setDraft(asofText), [asofText]);
  const [asof, setAsof] = useState<AsOf | null>(null);
  const [asofError, setAsofError] = useState<ApiError | null>(null);
  const [release, setRelease] = useState<string | null>(getParam("release"));
  const [selected, setSelected] = useState<{ name: string; version: number } | null>(() => {
    const n = getParam("name");
    const v = getParam("version");
    return n !== null && v !== null && /^\d+$/.test(v) ? { name: n, version: Number(v) } : null;
  });
  const [filter, setFilter] = useState("");
  const [width, setWidth] = useState(900);
  const lanes = useRef(new Map<string, LaneVersion[]>());
  const [, setLanesVersion] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ x: number; y: number; meta: Metadata | null; key: string } | null>(null);
  const metaCache = useRef(new Map<string, Promise<Metadata>>());

  // Names and releases (again after a change on disk).
  useEffect(() => {
    lanes.current.clear();
    metaCache.current.clear();
    setLanesVersion((n) => n + 1);
    take("names", () => allPages<NameRow>("names", "names")).then(setNames, (e: ApiError) => setError(e));
    take("releases", () => api<{ releases: ReleaseInfo[] }>("releases")).then(
      (r) => {
        setReleases(r.releases);
        setReleaseError(null);
      },
      (e: ApiError) => setReleaseError(e),
    );
  }, [reloadKey]);

  // The library's answer at the cursor time (debounced while dragging).
  const firstAsOf = useRef(true);
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(
      () => {
        take(`asof:${asofText}`, () => fetchAsOf(asofText)).then(
          ({ t, rows }) => {
            if (stale) return; // a newer cursor time was asked for meanwhile
            setAsof({ t: Date.parse(t) / 1000, rows: new Map(rows.map((r) => [r.name, r.version])) });
            setAsofError(null);
          },
          (e: ApiError) => !stale && setAsofError(e),
        );
      },
      firstAsOf.current ? 0 : 60,
    );
    firstAsOf.current = false;
    setParams({ asof: asofText });
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [asofText, reloadKey]);

  useEffect(() => setParams({ release }), [release]);
  useEffect(() => setParams({ name: selected?.name ?? null, version: selected ? String(selected.version) : null }), [selected]);

  useEffect(() => {
    const el = hostRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(300, el.clientWidth - LABEL_W - 16)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const shown = useMemo(() => (names ?? []).filter((n) => n.name.toLowerCase().includes(filter.toLowerCase())), [names, filter]);
  const { items, total, scrollToIndex } = useVirtualRows(() => scrollRef.current, shown.length, ROW_H);

  // Fetch the versions of the lanes in view that are not loaded yet.
  useEffect(() => {
    const missing = items.map((i) => shown[i.index]?.name).filter((n): n is string => n !== undefined && !lanes.current.has(n));
    if (missing.length === 0) return;
    for (const n of missing) lanes.current.set(n, []);
    api<{ lanes: Array<{ name: string; versions: LaneVersion[] }> }>("lanes", { name: missing }).then((r) => {
      for (const l of r.lanes) lanes.current.set(l.name, l.versions);
      setLanesVersion((n) => n + 1);
    }, () => undefined);
  }, [items.map((i) => i.index).join(","), shown]);

  // Scroll to the selected name once the names are known.
  const scrolled = useRef(false);
  useEffect(() => {
    if (scrolled.current || !selected || !names) return;
    const i = shown.findIndex((n) => n.name === selected.name);
    if (i >= 0) scrollToIndex(i);
    scrolled.current = true;
  }, [names]);

  const domain = useMemo(() => {
    const s = info.repository.summary;
    let t0 = s?.first ?? now - 86400;
    let t1 = s?.last ?? now;
    for (const r of releases) {
      const t = Date.parse(r.createdAt) / 1000;
      t0 = Math.min(t0, t);
      t1 = Math.max(t1, t);
    }
    // Now is on the axis unless it is far past the data (which would squeeze every lane to one side).
    if (now > t1 && now - t1 < (t1 - t0) * 0.5) t1 = now;
    const pad = Math.max(3600, (t1 - t0) * 0.03);
    return { t0: t0 - pad, t1: t1 + 2 * pad };
  }, [info, releases]);
  const x = useCallback((t: number) => ((t - domain.t0) / (domain.t1 - domain.t0)) * width, [domain, width]);
  // Release labels sit right of their line, or left of it near the right edge.
  const labelLeft = (rx: number, tag: string) => (rx + tag.length * 7 + 10 > width ? -(tag.length * 7 + 5) : 3);
  const tOf = (px: number) => Math.round(domain.t0 + (Math.min(Math.max(px, 0), width) / width) * (domain.t1 - domain.t0));

  const pinned = useMemo(() => {
    const r = releases.find((x) => x.tag === release);
    return r ? new Map(r.artifacts.map((a) => [a.name, a.version])) : null;
  }, [releases, release]);

  // Drag the cursor on the axis.
  const dragging = useRef(false);
  const onAxisPointer = (e: PointerEvent, start = false) => {
    if (start) {
      dragging.current = true;
      (e.currentTarget as Element).setPointerCapture(e.pointerId);
    }
    if (!dragging.current) return;
    const rect = (e.currentTarget as Element).getBoundingClientRect();
    setAsofText(isoSeconds(tOf(e.clientX - rect.left)));
  };

  const showHover = (e: MouseEvent, name: string, version: number) => {
    const key = `${name}@${version}`;
    const pos = { x: e.clientX, y: e.clientY };
    setHover((h) => {
      if (h && h.key === key) return { ...h, ...pos };
      return { ...pos, meta: null, key };
    });
    let p = metaCache.current.get(key);
    if (!p) {
      p = api<Metadata>("version", { name, version });
      metaCache.current.set(key, p);
    }
    p.then((meta) => setHover((h) => (h && h.key === key && h.meta !== meta ? { ...h, meta } : h)), () => undefined);
  };

  if (info.repository.state === "error") return <ErrorBox title="The repository could not be read" error={info.repository.error!} />;
  if (info.repository.state !== "ok") {
    return <p class="empty">{info.repository.state === "none" ? "No repository given. Start with: lazyscribe ui path/to/repository.json" : `No repository at ${info.repository.location}.`}</p>;
  }
  if (error) return <ErrorBox title="The repository could not be read" error={error} />;

  // A cursor off the axis (e.g. at now, long after the last version) sits at the edge, marked.
  const rawCursorX = asof ? x(asof.t) : null;
  const cursorX = rawCursorX === null ? null : Math.min(Math.max(rawCursorX, 0), width);
  const offAxis = rawCursorX !== null && rawCursorX !== cursorX;
  const tickList = ticks(domain.t0, domain.t1, Math.max(2, Math.floor(width / 110)));
  const noneCount = asof ? [...asof.rows.values()].filter((v) => v === null).length : 0;

  return (
    <div class="repo" ref={hostRef}>
      <section class="toolbar">
        <label>
          As of (UTC){" "}
          <input
            id="asof-input"
            class={asofError ? "bad" : ""}
            value={draft}
            size={22}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") setAsofText((e.target as HTMLInputElement).value.trim());
            }}
            onBlur={(e) => setAsofText((e.target as HTMLInputElement).value.trim())}
          />
        </label>
        <button type="button" onClick={() => setAsofText(isoSeconds(now))}>
          Now
        </button>
        <span class="hint">Drag the orange cursor on the time axis, or type a time. The URL keeps it, so the view can be shared.</span>
        <input class="filter" placeholder="Filter names" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      </section>
      {asofError && <p class="error-line" id="asof-error">{asofError.code}: {asofError.message}</p>}
      <p class="status" id="asof-status">
        {asof
          ? `At ${isoSeconds(asof.t)}: ${asof.rows.size - noneCount} of ${asof.rows.size} names resolve to a version${noneCount ? `, ${noneCount} to none` : ""}.`
          : "Resolving…"}
        {pinned && ` Highlighted: the ${pinned.size} versions pinned by release ${release}.`}
      </p>
      <Legend />
      <div class="timeline">
        <div class="axis-row">
          <div class="axis-label" style={{ width: `${LABEL_W}px` }}>
            <span class="col-name">Artifact ({shown.length})</span>
            <span class="col-asof">at cursor</span>
          </div>
          <svg
            class="axis"
            width={width}
            height={AXIS_H}
            onPointerDown={(e) => onAxisPointer(e, true)}
            onPointerMove={(e) => onAxisPointer(e)}
            onPointerUp={() => (dragging.current = false)}
          >
            <rect width={width} height={AXIS_H} class="axis-bg" />
            {tickList.map((t) => (
              <g key={t} transform={`translate(${x(t)},0)`}>
                <line y1={AXIS_H - 14} y2={AXIS_H} class="tick" />
                <text y={AXIS_H - 18} class="tick-label">{tickLabel(t, domain.t1 - domain.t0)}</text>
              </g>
            ))}
            {releases.map((r, i) => {
              const rx = x(Date.parse(r.createdAt) / 1000);
              return (
                <g
                  key={r.tag}
                  class={`release-marker${r.tag === release ? " active" : ""}`}
                  data-release={r.tag}
                  transform={`translate(${rx},0)`}
                  onPointerDown={(e) => {
                    e.stopPropagation();
                    setRelease(r.tag === release ? null : r.tag);
                  }}
                >
                  <line y1={0} y2={AXIS_H} />
                  <rect x={labelLeft(rx, r.tag) - 5} y={2 + (i % 2) * 16} width={r.tag.length * 7 + 10} height={15} rx={3} />
                  <text x={labelLeft(rx, r.tag)} y={13 + (i % 2) * 16}>{r.tag}</text>
                </g>
              );
            })}
            {cursorX !== null && (
              <g class={`cursor${offAxis ? " off-axis" : ""}`} transform={`translate(${cursorX},0)`}>
                <line y1={0} y2={AXIS_H} />
                <path d="M-6,0 L6,0 L0,9 Z" />
                {offAxis && (
                  <text x={rawCursorX! < 0 ? 8 : -8} y={AXIS_H / 2} text-anchor={rawCursorX! < 0 ? "start" : "end"}>
                    {rawCursorX! < 0 ? "← cursor" : "cursor →"}
                  </text>
                )}
              </g>
            )}
          </svg>
        </div>
        <div class="lanes" ref={scrollRef} style={{ height: `${Math.max(total, ROW_H) + 2}px` }}>
          <div style={{ height: `${total}px`, position: "relative" }}>
            {items.map((it) => {
              const row = shown[it.index];
              if (!row) return null;
              const versions = lanes.current.get(row.name);
              const at = asof?.rows.get(row.name);
              const pin = pinned?.get(row.name);
              return (
                <div class={`lane${at === null ? " none" : ""}`} data-name={row.name} key={row.name} style={{ transform: `translateY(${it.start}px)`, height: `${ROW_H}px` }}>
                  <div class="lane-label" style={{ width: `${LABEL_W}px` }}>
                    <span class="col-name" title={`${row.name}: ${row.count} versions`}>
                      {row.name} <small>({row.count})</small>
                    </span>
                    <span class="col-asof" data-asof-version={at === undefined ? "" : at === null ? "none" : String(at)}>
                      {at === undefined ? "…" : at === null ? "none" : `v${at}`}
                    </span>
                  </div>
                  <Lane
                    versions={versions}
                    width={width}
                    x={x}
                    now={now}
                    highlight={{ asof: at ?? null, pinned: pin ?? null, selected: selected?.name === row.name ? selected.version : null }}
                    onHover={(ev, v) => (v === null ? setHover(null) : showHover(ev, row.name, v))}
                    onSelect={(v) => setSelected({ name: row.name, version: v })}
                  />
                </div>
              );
            })}
            {cursorX !== null && <div class="cursor-line" style={{ left: `${LABEL_W + cursorX}px`, height: `${total}px` }} />}
            {releases.map((r) => (
              <div key={r.tag} class={`release-line${r.tag === release ? " active" : ""}`} style={{ left: `${LABEL_W + x(Date.parse(r.createdAt) / 1000)}px`, height: `${total}px` }} />
            ))}
          </div>
        </div>
      </div>
      {hover && <Tooltip hover={hover} />}
      <div class="below">
        <ReleaseList releases={releases} error={releaseError} active={release} onSelect={setRelease} onCursor={(t) => setAsofText(isoSeconds(Date.parse(t) / 1000))} />
        {selected && (
          <VersionDetail
            key={`${selected.name}@${selected.version}`}
            name={selected.name}
            version={selected.version}
            versions={(lanes.current.get(selected.name) ?? []).map(([v]) => v)}
            onClose={() => setSelected(null)}
          />
        )}
        {!selected && <p class="empty detail-hint">Click a version mark to see its metadata, a preview and a diff.</p>}
      </div>
    </div>
  );
}

function Legend() {
  return (
    <p class="legend">
      <span class="key dot-key" /> version (at its creation time) <span class="key bar-key" /> valid until its expiry <span class="key expired-key" /> expired{" "}
      <span class="key asof-key" /> resolved at the cursor <span class="key pinned-key" /> pinned by the selected release
    </p>
  );
}

function Tooltip({ hover }: { hover: { x: number; y: number; meta: Metadata | null; key: string } }) {
  const m = hover.meta;
  return (
    <div class="tooltip" style={{ left: `${hover.x + 14}px`, top: `${hover.y + 14}px` }}>
      {!m ? (
        hover.key
      ) : (
        <table>
          <tbody>
            <tr><th>version</th><td>{m.name} v{m.version}{m.expired ? " (expired)" : ""}</td></tr>
            <tr><th>fname</th><td>{m.fname}</td></tr>
            <tr><th>handler</th><td>{m.handler}</td></tr>
            <tr><th>size</th><td>{humanSize(m.size)}</td></tr>
            <tr><th>sha256</th><td class="mono">{m.sha256 ? `${m.sha256.slice(0, 16)}…` : "-"}</td></tr>
            <tr><th>created</th><td>{isoSeconds(m.createdAt)}</td></tr>
            <tr><th>expiry</th><td>{m.expiry ? isoSeconds(m.expiry) : "none"}</td></tr>
          </tbody>
        </table>
      )}
    </div>
  );
}

function ReleaseList({ releases, error, active, onSelect, onCursor }: { releases: ReleaseInfo[]; error: ApiError | null; active: string | null; onSelect: (t: string | null) => void; onCursor: (t: string) => void }) {
  return (
    <section class="releases">
      <h2>Releases</h2>
      {error && <p class="error-line">{error.code}: {error.message}</p>}
      {releases.length === 0 && !error && <p class="empty">No releases (releases.json) beside this repository.</p>}
      {releases.length > 0 && (
        <table class="release-table">
          <thead>
            <tr><th>Tag</th><th>Created (UTC)</th><th>Artifacts</th><th /></tr>
          </thead>
          <tbody>
            {releases.map((r) => (
              <tr key={r.tag} class={r.tag === active ? "active" : ""} data-release-row={r.tag}>
                <td><button type="button" class="link" onClick={() => onSelect(r.tag === active ? null : r.tag)}>{r.tag}</button></td>
                <td>{shortTime(r.createdAt)}</td>
                <td title={r.artifacts.map((a) => `${a.name}@${a.version}`).join(", ")}>{r.artifacts.length}</td>
                <td><button type="button" class="small" onClick={() => onCursor(r.createdAt)}>cursor here</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ErrorBox({ title, error }: { title: string; error: { code: string; message: string } }) {
  return (
    <div class="error-box" role="alert">
      <strong>{title}</strong>
      <p>
        <code>{error.code}</code> {error.message}
      </p>
    </div>
  );
}

/** Above this many versions a lane is drawn as a few paths (plus its highlighted marks), not one element per version. */
const DENSE = 120;
const MID = ROW_H / 2;

function diamond(cx: number): string {
  return `M${cx.toFixed(1)},${MID - 6}l6,6l-6,6l-6,-6z`;
}

/**
 * One artifact's versions on the time axis: a diamond at each creation time,
 * a bar to its expiry; expired ones grey; the as-of, pinned and selected
 * versions highlighted.
 */
function Lane({
  versions,
  width,
  x,
  now,
  highlight,
  onHover,
  onSelect,
}: {
  versions: LaneVersion[] | undefined;
  width: number;
  x: (t: number) => number;
  now: number;
  highlight: { asof: number | null; pinned: number | null; selected: number | null };
  onHover: (ev: MouseEvent, version: number | null) => void;
  onSelect: (version: number) => void;
}) {
  const list = versions ?? [];
  const dense = list.length > DENSE;
  const special = new Set([highlight.asof, highlight.pinned, highlight.selected].filter((v): v is number => v !== null));
  const mark = ([v, c, e]: LaneVersion) => {
    const cx = x(c);
    const expired = e !== null && e <= now;
    const cls = ["mark", expired ? "expired" : "", highlight.asof === v ? "asof" : "", highlight.pinned === v ? "pinned" : "", highlight.selected === v ? "selected" : ""].join(" ");
    return (
      <g key={v} class={cls} data-version={v} onMouseEnter={(ev) => onHover(ev, v)} onMouseLeave={(ev) => onHover(ev, null)} onClick={() => onSelect(v)}>
        {e !== null && <rect x={cx} y={MID - 3} width={Math.max(1, x(e) - cx)} height={6} class="bar" />}
        <path d={diamond(cx)} class="dot" />
      </g>
    );
  };
  // Dense lanes: four paths, and the nearest version under the pointer for hover and click.
  let paths: { dots: string; expiredDots: string; bars: string; expiredBars: string } | null = null;
  if (dense) {
    paths = { dots: "", expiredDots: "", bars: "", expiredBars: "" };
    for (const [, c, e] of list) {
      const cx = x(c);
      const expired = e !== null && e <= now;
      if (e !== null) {
        const bar = `M${cx.toFixed(1)},${MID - 3}h${Math.max(1, x(e) - cx).toFixed(1)}v6h${-Math.max(1, x(e) - cx).toFixed(1)}z`;
        if (expired) paths.expiredBars += bar;
        else paths.bars += bar;
      }
      if (expired) paths.expiredDots += diamond(cx);
      else paths.dots += diamond(cx);
    }
  }
  const nearest = (ev: MouseEvent): number | null => {
    const left = (ev.currentTarget as SVGElement).getBoundingClientRect().left;
    const px = ev.clientX - left;
    let best: number | null = null;
    let dist = 8;
    for (const [v, c] of list) {
      const d = Math.abs(x(c) - px);
      if (d < dist) {
        dist = d;
        best = v;
      }
    }
    return best;
  };
  return (
    <svg
      width={width}
      height={ROW_H}
      class={`lane-svg${dense ? " dense" : ""}`}
      data-versions={list.length}
      onMouseMove={dense ? (ev) => onHover(ev, nearest(ev)) : undefined}
      onMouseLeave={dense ? (ev) => onHover(ev, null) : undefined}
      onClick={
        dense
          ? (ev) => {
              const v = nearest(ev);
              if (v !== null) onSelect(v);
            }
          : undefined
      }
    >
      <line x1={0} x2={width} y1={MID} y2={MID} class="lane-line" />
      {paths && (
        <g class="mark-paths">
          <path d={paths.expiredBars} class="bar expired" />
          <path d={paths.bars} class="bar" />
          <path d={paths.expiredDots} class="dot expired" />
          <path d={paths.dots} class="dot" />
        </g>
      )}
      {dense ? list.filter(([v]) => special.has(v)).map(mark) : list.map(mark)}
    </svg>
  );
}
