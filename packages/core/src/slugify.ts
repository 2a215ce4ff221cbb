// Interim ASCII slugify; replaced by the python-slugify port.
export function slugify(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
export function slugifyOrFallback(text: string, fallback = "artifact"): string {
  return slugify(text) || fallback;
}
