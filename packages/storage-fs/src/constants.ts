/** Suffix of temp files (and of locks set aside while being broken); `gc` recognises leftovers by it. */
export const TEMP_SUFFIX = ".lztmp";
/** Suffix of lock files: the lock of `<file>` is `<file>.lock`. */
export const LOCK_SUFFIX = ".lock";
