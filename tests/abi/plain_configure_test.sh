#!/usr/bin/env bash
# An integrator's plain `cmake -DCMAKE_BUILD_TYPE=Release` (no project
# option) must not turn warnings into errors: a diagnostic new in their
# compiler would stop their build. The project's own builds do
# (scripts/build sets -DOC_WERROR=ON); scripts/build-matrix builds all six
# compiler and build-type combinations this way.
#   plain_configure_test.sh SOURCE_DIR C_COMPILER CXX_COMPILER
set -euo pipefail
src=$1 cc=$2 cxx=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "plain_configure_test: $*" >&2; exit 1; }
cmake -G "Unix Makefiles" -S "$src" -B "$work" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log" >&2; fail "plain configure failed"; }
checked=0
for target in ordercare_common ordercare_domain ordercare_ingest ordercare_reports ordercare_store ordercare_runtime \
              ordercare ordercare-host; do
  flags=$(find "$work" -path "*/CMakeFiles/$target.dir/flags.make" -exec cat {} +)
  [ -n "$flags" ] || fail "no flags.make for $target"
  # The warnings are there (so this reads the right line), as warnings.
  grep -q -- '-Wall' <<<"$flags" || fail "$target is compiled without -Wall: the check reads the wrong file"
  ! grep -q -- '-Werror' <<<"$flags" || fail "$target: a plain configure makes warnings errors: $(grep -- -Werror <<<"$flags")"
  checked=$((checked + 1))
done
echo "plain_configure_test: ok: $checked targets warn without -Werror in a plain Release configure"
