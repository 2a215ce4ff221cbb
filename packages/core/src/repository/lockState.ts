import { ReadOnlyError } from "../errors.js";

/**
 * Make properties that decide what may be written (mode, storage, manifest
 * key...) unchangeable from outside, also from plain JavaScript where
 * `readonly` means nothing: assigning one throws {@link ReadOnlyError}, in
 * strict and sloppy code alike. Reopen the file to get other settings.
 */
export function lockState<T extends object>(target: T, keys: ReadonlyArray<keyof T & string>, what: string): void {
  for (const key of keys) {
    const value = target[key];
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: false,
      get: () => value,
      set: () => {
        throw new ReadOnlyError(`${what}.${key} cannot be changed after open(); open the file again with the ${key} you need`);
      },
    });
  }
}
