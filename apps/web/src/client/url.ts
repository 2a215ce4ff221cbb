/** The view's state in the URL (so a view can be shared): `?asof=…&name=…&version=…&release=…`. */

export function getParam(key: string): string | null {
  return new URLSearchParams(location.search).get(key);
}

/** Set (or remove with null) URL parameters without adding history entries. */
export function setParams(values: Record<string, string | null>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v === null) q.delete(k);
    else q.set(k, v);
  }
  const qs = q.toString();
  history.replaceState(null, "", `${location.pathname}${qs ? `?${qs}` : ""}`);
}
