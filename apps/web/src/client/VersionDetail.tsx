/** One version: metadata, a preview of text/json/yaml files, and a diff with another version (the library's getVersionDiff). */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Metadata } from "./api.js";
import { cell, humanSize, isoSeconds } from "./format.js";

export function VersionDetail({ name, version, versions, onClose }: { name: string; version: number; versions: number[]; onClose: () => void }) {
  const [meta, setMeta] = useState<Metadata | null>(null);
  const [metaError, setMetaError] = useState<ApiError | null>(null);
  const [preview, setPreview] = useState<{ text: string; truncated: boolean } | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const others = versions.filter((v) => v !== version);
  const defaultOther = others.includes(version - 1) ? version - 1 : (others[others.length - 1] ?? null);
  const [other, setOther] = useState<number | null>(defaultOther);
  // The lane's versions may arrive after the detail opened (a shared URL).
  useEffect(() => {
    if (other === null && defaultOther !== null) setOther(defaultOther);
  }, [others.join()]);
  const [diff, setDiff] = useState<string | null>(null);
  const [diffError, setDiffError] = useState<ApiError | null>(null);

  useEffect(() => {
    api<Metadata>("version", { name, version }).then(setMeta, setMetaError);
    api<{ text: string; truncated: boolean }>("preview", { name, version }).then(setPreview, setPreviewError);
  }, [name, version]);

  useEffect(() => {
    setDiff(null);
    setDiffError(null);
    if (other === null) return;
    const [a, b] = other < version ? [other, version] : [version, other];
    api<{ diff: string }>("diff", { name, a, b }).then((d) => setDiff(d.diff), setDiffError);
  }, [name, version, other]);

  return (
    <section class="detail" id="version-detail" data-detail={`${name}@${version}`}>
      <header>
        <h2>
          {name} <span class="badge">v{version}</span> {meta?.expired && <span class="badge expired">expired</span>}
        </h2>
        <button type="button" class="small" onClick={onClose}>close</button>
      </header>
      {metaError && <p class="error-line">{metaError.code}: {metaError.message}</p>}
      {meta && (
        <table class="kv">
          <tbody>
            <tr><th>file</th><td class="mono">{meta.fname}</td></tr>
            <tr><th>handler</th><td>{meta.handler}</td></tr>
            <tr><th>created</th><td>{isoSeconds(meta.createdAt)}</td></tr>
            <tr><th>expiry</th><td>{meta.expiry ? `${isoSeconds(meta.expiry)}${meta.expired ? " (expired)" : ""}` : "none"}</td></tr>
            <tr><th>size</th><td>{humanSize(meta.size)}</td></tr>
            <tr><th>sha256</th><td class="mono">{meta.sha256 ?? "-"}</td></tr>
            {Object.entries(meta.extra).map(([k, v]) => (
              <tr key={k}><th>{k}</th><td>{cell(v)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Preview</h3>
      {previewError && <p class="empty">{previewError.message}</p>}
      {preview && (
        <pre class="preview" id="preview">
          {preview.text}
          {preview.truncated && "\n… (first 64 KiB shown)"}
        </pre>
      )}
      <h3>
        Diff with{" "}
        <select id="diff-with" value={other === null ? "" : String(other)} onChange={(e) => setOther(Number((e.target as HTMLSelectElement).value))}>
          {others.map((v) => (
            <option key={v} value={String(v)}>v{v}</option>
          ))}
        </select>
      </h3>
      {other === null && <p class="empty">This is the only version.</p>}
      {diffError && <p class="empty">{diffError.message}</p>}
      {diff !== null && (
        <pre class="diff" id="diff">
          {diff.split("\n").map((line, i) => (
            <div key={i} class={line.startsWith("+") && !line.startsWith("+++") ? "add" : line.startsWith("-") && !line.startsWith("---") ? "del" : line.startsWith("@@") ? "hunk" : ""}>
              {line || " "}
            </div>
          ))}
        </pre>
      )}
    </section>
  );
}
