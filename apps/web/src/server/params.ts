/**
 * URL parameters, checked before they reach the library: artifact names go
 * through the library's own name rules, versions are integers or times the
 * library parses.
 */
import { assertValidName } from "lazyscribe";
import { BadRequestError } from "./httpError.js";

/** A required query parameter. */
export function required(value: string | undefined, what: string): string {
  if (value === undefined || value === "") throw new BadRequestError(`missing query parameter "${what}"`);
  return value;
}

/** An artifact name from the URL, validated by the library (`INVALID_NAME` on `..`, `/`, ...). */
export function artifactName(value: string | undefined): string {
  const name = required(value, "name");
  assertValidName(name);
  return name;
}

/** `3` → the integer version 3; anything else is passed on as a time for the library to parse. */
export function versionSpec(value: string | undefined, what = "version"): number | string {
  const v = required(value, what);
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** A non-negative integer parameter with a default and an upper bound. */
export function count(value: string | undefined, what: string, fallback: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value)) throw new BadRequestError(`query parameter "${what}" must be a non-negative integer, not ${JSON.stringify(value)}`);
  return Math.min(Number(value), max);
}
