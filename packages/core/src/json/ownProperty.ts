/**
 * Set an own, enumerable property — also for the key `__proto__`, which a
 * plain assignment (`o[k] = v`) would turn into a prototype change and lose.
 * JSON read from files may hold any key, and unknown keys are written back.
 *
 * @example
 * const o: Record<string, unknown> = {};
 * setOwn(o, "__proto__", 1);
 * Object.keys(o); // ["__proto__"]
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * A shallow copy of the own enumerable string keys of `source`, except `skip`
 * (keeps `__proto__` as a key, see {@link setOwn}).
 *
 * @example
 * copyOwn(JSON.parse('{"__proto__": 1, "a": 2}'), new Set(["a"])); // { ["__proto__"]: 1 }
 */
export function copyOwn(source: object, skip?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(source)) if (!skip?.has(k)) setOwn(out, k, (source as Record<string, unknown>)[k]);
  return out;
}
