#!/usr/bin/env bash
# Install the packed tarballs the way a package user would: `pnpm pack` every
# publishable package, then plain `npm install ./*.tgz` into empty folders
# (no workspace, no pnpm; third-party dependencies come from the npm
# registry) and use them: the `lazyscribe` command through npx, ESM import,
# CommonJS require, a pick-and-choose install of @lazyscribe/core +
# @lazyscribe/storage-fs, and `lazyscribe` without its optional S3 backend.
# Needs `pnpm build` first. Prints "N passed, M failed".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/lazyscribe-pack-XXXXXX")"
trap 'rm -rf "$work"' EXIT
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_loglevel=error
passed=0
failed=0
check() { # check <description> <command...>
  local what="$1"; shift
  if out="$("$@" 2>&1)"; then
    passed=$((passed + 1)); echo "ok   $what"
  else
    failed=$((failed + 1)); echo "FAIL $what"; echo "$out" | sed 's/^/     /' | tail -20
  fi
}

# Every workspace package that is not private is meant for npm.
mkdir -p "$work/tgz"
for dir in "$root"/packages/* "$root"/apps/*; do
  [ -f "$dir/package.json" ] || continue
  if node -e 'process.exit(require(process.argv[1]).private ? 0 : 1)' "$dir/package.json"; then continue; fi
  (cd "$dir" && pnpm pack --pack-destination "$work/tgz" >/dev/null)
done
ls "$work/tgz"

# 1. Everything: `npm install ./*.tgz` in an empty folder.
mkdir -p "$work/all" && cd "$work/all"
echo '{ "name": "all", "version": "1.0.0", "private": true }' > package.json
cp "$work"/tgz/*.tgz .
npm install ./*.tgz >/dev/null
check "npx lazyscribe --help" sh -c 'npx --no-install lazyscribe --help | grep -q "Usage: lazyscribe"'
check "npx lazyscribe --version" sh -c "test \"\$(npx --no-install lazyscribe --version)\" = \"\$(node -p 'require(\"@lazyscribe/cli/package.json\").version')\""
check "the lazyscribe package's own bin" sh -c 'node node_modules/lazyscribe/bin/lazyscribe.mjs --help | grep -q "Usage: lazyscribe"'
check "lazyscribe log + ls + cat on disk" sh -c '
  printf "[1, 2, 3]" > f.json &&
  npx --no-install lazyscribe log features f.json --repo data/repository.json >/dev/null &&
  npx --no-install lazyscribe ls --repo data/repository.json | grep -q "^features  *0 .* json" &&
  test "$(npx --no-install lazyscribe cat features --repo data/repository.json)" = "[1, 2, 3]"'
cat > esm.mjs <<'JS'
import { Repository, createRelease, Project } from "lazyscribe";
const repo = await Repository.open("esm/repository.json", { mode: "w" });
repo.logArtifact("features", [0, 1, 2], { handler: "json", indent: 4 });
await repo.save();
const r = await Repository.open("esm/repository.json", { mode: "r" });
const value = await r.loadArtifact("features");
if (JSON.stringify(value) !== "[0,1,2]") throw new Error(`loaded ${JSON.stringify(value)}`);
if (createRelease(r, "v1").artifacts.length !== 1 || typeof Project.open !== "function") throw new Error("release/project");
JS
check "ESM: import { Repository } from \"lazyscribe\"" node esm.mjs
cat > cjs.cjs <<'JS'
const { Repository } = require("lazyscribe");
(async () => {
  const repo = await Repository.open("cjs/repository.json", { mode: "w" });
  repo.logArtifact("notes", "hello", { handler: "text" });
  await repo.save();
  const r = await Repository.open("cjs/repository.json", { mode: "r" });
  if ((await r.loadArtifact("notes")) !== "hello") throw new Error("round trip");
})().catch((e) => { console.error(e); process.exit(1); });
JS
check "CJS: require(\"lazyscribe\")" node cjs.cjs

# 2. Pick and choose: only @lazyscribe/core + @lazyscribe/storage-fs.
mkdir -p "$work/pick" && cd "$work/pick"
echo '{ "name": "pick", "version": "1.0.0", "private": true, "type": "module" }' > package.json
cp "$work"/tgz/lazyscribe-core-*.tgz "$work"/tgz/lazyscribe-storage-fs-*.tgz .
npm install ./*.tgz >/dev/null
cat > pick.mjs <<'JS'
import { HandlerRegistry, Repository } from "@lazyscribe/core";
import { FsStorage } from "@lazyscribe/storage-fs";
import { mkdirSync } from "node:fs";
mkdirSync("data", { recursive: true });
// Core ships no handlers: bring a tiny one of your own.
const upper = {
  alias: "upper", suffix: "txt", binary: false,
  write: (value) => new TextEncoder().encode(String(value).toUpperCase()),
  read: async (source) => source.text(),
};
const storage = new FsStorage("data");
const handlers = new HandlerRegistry([upper]);
const repo = await Repository.open("repository.json", { mode: "w", storage, handlers });
repo.logArtifact("greeting", "hello", { handler: "upper" });
await repo.save();
const r = await Repository.open("repository.json", { mode: "r", storage, handlers });
if ((await r.loadArtifact("greeting")) !== "HELLO") throw new Error("round trip");
JS
check "pick and choose: @lazyscribe/core + @lazyscribe/storage-fs" node pick.mjs
check "pick and choose installed nothing else of lazyscribe" sh -c 'test "$(ls node_modules/@lazyscribe)" = "$(printf "core\nstorage-fs")" && test ! -e node_modules/lazyscribe'

# 3. The library without its optional S3 backend: `lazyscribe` (and the packages
# npm needs for it), no @lazyscribe/storage-s3. s3:// must say what to install.
mkdir -p "$work/no-s3" && cd "$work/no-s3"
echo '{ "name": "no-s3", "version": "1.0.0", "private": true, "type": "module" }' > package.json
for name in lazyscribe lazyscribe-core lazyscribe-experiments lazyscribe-handlers lazyscribe-release lazyscribe-storage-fs lazyscribe-cli lazyscribe-web; do
  cp "$work"/tgz/"$name"-[0-9]*.tgz .
done
npm install ./*.tgz >/dev/null
cat > no-s3.mjs <<'JS'
import { createRequire } from "node:module";
import { Repository } from "lazyscribe";
const { Repository: CjsRepository } = createRequire(import.meta.url)("lazyscribe");
for (const [how, Repo] of [["import", Repository], ["require", CjsRepository]]) {
  const err = await Repo.open("s3://some-bucket/models/repository.json", { mode: "r" }).then(() => null, (e) => e);
  const want = "npm install @lazyscribe/storage-s3";
  if (err?.code !== "MISSING_PACKAGE" || err.packageName !== "@lazyscribe/storage-s3" || !err.message.includes(want)) {
    throw new Error(`${how}: expected MISSING_PACKAGE naming "${want}", got ${err ? `${err.code}: ${err.message}` : "no error"}`);
  }
}
JS
check "lazyscribe without @lazyscribe/storage-s3 installed" sh -c 'test ! -e node_modules/@lazyscribe/storage-s3'
check "lazyscribe without storage-s3: s3:// gives MISSING_PACKAGE naming npm install @lazyscribe/storage-s3 (ESM and CJS)" node no-s3.mjs
check "lazyscribe without storage-s3: local paths still work" sh -c '
  printf "[1]" > f.json && npx --no-install lazyscribe log f f.json --repo data/repository.json >/dev/null &&
  test "$(npx --no-install lazyscribe cat f --repo data/repository.json)" = "[1]"'

echo "pack-install: $passed passed, $failed failed"
test "$failed" -eq 0
