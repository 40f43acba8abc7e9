#!/usr/bin/env bash
# Copies one snippet out of README.md and runs it against the built library,
# so the README cannot drift from the library and its shims. A snippet is
# the fenced block right after a `<!-- snippet: NAME -->` line.
#   readme_snippet_test.sh NAME SOURCE_DIR LIB TOOL
# NAME: c-declarations and c (TOOL: the C compiler), python (python3), php
# (php; composer must be on PATH too), node (node); `marked` (no TOOL)
# checks that every C, Python, PHP and JS block of the README is marked.
# Exit 77 (skipped) when TOOL or, for php, composer is missing.
set -euo pipefail
name=$1 src=$(cd "$2" && pwd) lib=${3:-} tool=${4:-}
readme=$src/README.md
fail() { echo "readme_snippet_test $name: $*" >&2; exit 1; }
skip() { echo "readme_snippet_test $name: skipped: $*"; exit 77; }

if [ "$name" = marked ]; then
  unmarked=$(awk '/^<!-- snippet: [a-z-]+ -->$/ { marked = NR + 1 }
                  /^```(c|python|php|js)$/ && NR != marked { print NR ": " $0 }' "$readme")
  [ -z "$unmarked" ] || fail "README.md has blocks without a '<!-- snippet: NAME -->' line before them: $unmarked"
  echo "readme_snippet_test: every C, Python, PHP and JS block of README.md is marked"
  exit 0
fi

[ -n "$tool" ] && command -v "$tool" >/dev/null || skip "no ${tool:-interpreter} found to run the $name snippet"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# The block after the marker, without its fences. Exit 2: the marker is
# not followed by a fence; 3: no such marker, more than one, or no closing fence.
awk -v marker="<!-- snippet: $name -->" '
  $0 == marker { found++; want = 1; next }
  want && /^```/ { want = 0; inside = 1; next }
  want { exit 2 }
  inside && /^```$/ { inside = 0; next }
  inside { print }
  END { if (found != 1 || inside || want) exit 3 }' "$readme" >snippet \
  || fail "no single fenced block after '<!-- snippet: $name -->' in README.md"
[ -s snippet ] || fail "the $name snippet is empty"

libdir=$(dirname "$lib")
case "$name" in
  c-declarations)
    # The declarations at a glance, compiled after the header: a line that
    # disagrees with ordercare.h is a conflicting declaration.
    { echo '#include <ordercare.h>'; cat snippet; } >glance.c
    "$tool" -std=c99 -Wall -Werror -fsyntax-only -I"$src/abi" glance.c || fail "does not match abi/ordercare.h"
    echo "readme_snippet_test: c-declarations agree with ordercare.h"
    exit 0 ;;
  c)
    mv snippet host.c
    "$tool" -std=c99 -Wall -Wextra -Werror -I"$src/abi" host.c -L"$libdir" -lordercare -Wl,-rpath,"$libdir" -o host \
      || fail "does not compile against abi/ordercare.h"
    run=(./host) ;;
  python)
    mv snippet host.py
    export PYTHONPATH=$src/host_shims/python
    run=("$tool" host.py) ;;
  php)
    command -v composer >/dev/null || skip "no composer found to install the PHP shim for the php snippet"
    mv snippet host.php
    # What a host project does: require the shim from its folder (a path
    # repository), with no package registry.
    cat >composer.json <<JSON
{"repositories": [{"type": "path", "url": "$src/host_shims/php", "options": {"symlink": false}},
                  {"packagist.org": false}],
 "require": {"ordercare/ordercare": "*@dev"}}
JSON
    COMPOSER_HOME=$work/.composer COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_DISABLE_NETWORK=1 \
      composer install --no-interaction --quiet || fail "composer install of host_shims/php failed"
    run=("$tool" -d ffi.enable=true host.php) ;;
  node)
    mv snippet host.js
    # What `npm install host_shims/node` makes: a link in node_modules.
    mkdir node_modules && ln -s "$src/host_shims/node" node_modules/ordercare
    [ -d "$src/host_shims/node/node_modules/koffi" ] \
      || fail "koffi is not installed in host_shims/node/node_modules: run ./scripts/setup"
    run=("$tool" host.js) ;;
  *) fail "unknown snippet" ;;
esac

# The shims find the library through ORDERCARE_LIB (README).
out=$(ORDERCARE_LIB=$lib "${run[@]}" 2>&1) || fail "failed: $out"
printf '%s\n' "$out"
for want in 'accepted' 'duplicate' 'notify ' 'damaged_item' 'P2'; do
  grep -q -- "$want" <<<"$out" || fail "printed no '$want'"
done
echo "readme_snippet_test: the $name snippet ran"
