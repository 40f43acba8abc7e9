#!/usr/bin/env bash
# The Vendure plugin end to end (host_shims/node/vendure/test/e2e.js): a
# real Vendure server on 127.0.0.1 with an in-memory sql.js database.
#   vendure_e2e_test.sh LIBORDERCARE WORKDIR
# Installs the plugin's npm packages from its package-lock.json only when
# node_modules is missing or was installed from another lockfile (a stamp
# holds the lock's hash), compiles the plugin if its sources changed,
# then runs the scenario.
set -euo pipefail
lib=$1
work=$2
pkg="$(cd "$(dirname "$0")/../../host_shims/node/vendure" && pwd)"
export VENDURE_DISABLE_TELEMETRY=true
started=$(date +%s)

# One install at a time: the release and another build may run this together.
exec 9>"$pkg/.npm-install.lock"
flock -w 300 9
lock_hash=$(sha256sum "$pkg/package-lock.json" | cut -d' ' -f1)
stamp="$pkg/node_modules/.ordercare-lock-sha256"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$lock_hash" ]; then
  echo "vendure_e2e: npm ci (lockfile changed or no node_modules)"
  (cd "$pkg" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$stamp"
else
  echo "vendure_e2e: node_modules cached for this lockfile"
fi
# Compiles the plugin when its sources, tsconfig or lockfile changed.
src_hash=$(cd "$pkg" && cat src/*.ts tsconfig.json package-lock.json | sha256sum | cut -d' ' -f1)
if [ "$(cat "$pkg/dist/.sources-sha256" 2>/dev/null || true)" != "$src_hash" ]; then
  (cd "$pkg" && ./node_modules/.bin/tsc -p tsconfig.json)
  echo "$src_hash" >"$pkg/dist/.sources-sha256"
fi
flock -u 9
echo "vendure_e2e: ready after $(( $(date +%s) - started ))s"

cd "$pkg"
node test/e2e.js "$lib" "$work"
echo "vendure_e2e: wall $(( $(date +%s) - started ))s"
