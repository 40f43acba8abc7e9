#!/usr/bin/env bash
# The shims as packages, used the way a host project would: the library
# installed by `cmake --install` into a scratch prefix, the shim installed
# by its own package tool, and the library found once through pkg-config
# (PKG_CONFIG_PATH) and once through ORDERCARE_LIB.
#   package_test.sh python BUILD_DIR SOURCE_DIR PYTHON   pip install host_shims/python into a venv
#   package_test.sh php BUILD_DIR SOURCE_DIR PHP         composer: host_shims/php as a path repository
#   package_test.sh node BUILD_DIR SOURCE_DIR NODE       host_shims/node linked into node_modules, as
#                                                        `npm install host_shims/node` does
# Exit 77 (skipped) when the interpreter, or composer, is missing.
set -euo pipefail
kind=$1 build=$2 src=$3 tool=$4
fail() { echo "package_test $kind: $*" >&2; exit 1; }
skip() { echo "package_test $kind: skipped: $*"; exit 77; }
[ -n "$tool" ] && command -v "$tool" >/dev/null || skip "no ${tool:-interpreter} found"
[ "$kind" != php ] || command -v composer >/dev/null || skip "no composer found"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cmake --install "$build" --prefix "$work/prefix" >install.log || { cat install.log >&2; fail "cmake --install failed"; }
pc=$(find "$work/prefix" -name ordercare.pc -path '*/pkgconfig/*' | head -1)
[ -n "$pc" ] || fail "no ordercare.pc installed"
libdir=$(dirname "$(dirname "$pc")")
soname=$(readelf -d "$libdir/libordercare.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
# Neither the build tree's library nor a variable set outside may help.
unset ORDERCARE_LIB ORDERCARE_FFI_HEADER LD_LIBRARY_PATH PYTHONPATH
export PKG_CONFIG_PATH=$work/empty

case "$kind" in
  python)
    "$tool" -m venv venv || fail "python3 -m venv failed (Debian: python3-venv)"
    # No package index: the shim has no dependencies and builds with the
    # backend it carries. A copy, so that the build writes nothing into the tree.
    cp -r "$src/host_shims/python" shim
    PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 venv/bin/pip install --quiet ./shim >pip.log 2>&1 \
      || { cat pip.log >&2; fail "pip install host_shims/python failed"; }
    rm -rf shim
    host() {  # the library's path as the shim found it, then a call through it
      venv/bin/python - "$work/$1.db" <<'PY'
import os, sys
import ordercare
assert "site-packages" in ordercare.__file__, ordercare.__file__
assert os.path.isfile(os.path.join(os.path.dirname(ordercare.__file__), "py.typed"))
print(ordercare.find_library())
with ordercare.Plugin({"store": {"path": sys.argv[1]}}) as oc:
    print("cases", len(oc.call("cases.list")["cases"]))
PY
    }
    requires=$(venv/bin/pip show ordercare | sed -n 's/^Requires: *//p')
    [ -z "$requires" ] || fail "the shim requires $requires"
    ;;
  php)
    cd "$src/host_shims/php"
    COMPOSER_HOME=$work/.composer COMPOSER_ALLOW_SUPERUSER=1 composer validate --strict --no-check-publish --quiet \
      || fail "host_shims/php/composer.json is not valid: $(composer validate --no-check-publish 2>&1)"
    cd "$work"
    cat >composer.json <<JSON
{"repositories": [{"type": "path", "url": "$src/host_shims/php", "options": {"symlink": false}},
                  {"packagist.org": false}],
 "require": {"ordercare/ordercare": "*@dev"}}
JSON
    COMPOSER_HOME=$work/.composer COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_DISABLE_NETWORK=1 \
      composer install --no-interaction --quiet || fail "composer install of host_shims/php failed"
    cat >host.php <<'PHP'
<?php
require 'vendor/autoload.php';
$oc = new Ordercare\Plugin(['store' => ['path' => $argv[1]]]);
echo Ordercare\Plugin::findLibrary(), "\n";
echo 'cases ', count($oc->call('cases.list')['cases']), "\n";
$oc->close();
PHP
    host() { "$tool" -d ffi.enable=true host.php "$work/$1.db"; }
    # What is missing is named, not "undefined C function 'oc_abi_version'".
    load_error() {  # header argument, expected message
      "$tool" -d ffi.enable=true -r 'require "vendor/autoload.php";
        try { new Ordercare\Plugin([], [], $argv[1], $argv[2] === "" ? null : $argv[2]); echo "opened\n"; }
        catch (Ordercare\LoadException $e) { echo $e->getMessage(), "\n"; }' "$libdir/$soname" "$1" 2>&1
    }
    out=$(load_error "") ; grep -q "ordercare_ffi.h not found" <<<"$out" || fail "no header: $out"
    out=$(load_error "$work/prefix/include/ordercare.h"); grep -q "not ordercare.h" <<<"$out" || fail "ordercare.h: $out"
    : >empty.h
    out=$(load_error "$work/empty.h"); grep -q "declares no oc_abi_version" <<<"$out" || fail "empty header: $out"
    out=$(load_error "$work/prefix/include/ordercare_ffi.h"); [ "$out" = opened ] || fail "the installed header: $out"
    ;;
  node)
    [ -d "$src/host_shims/node/node_modules/koffi" ] \
      || fail "koffi is not installed in host_shims/node/node_modules: run ./scripts/setup"
    mkdir node_modules && ln -s "$src/host_shims/node" node_modules/ordercare
    cat >host.js <<'JS'
const { Plugin, findLibrary } = require('ordercare');
console.log(findLibrary());
const oc = new Plugin({ store: { path: process.argv[2] } });
console.log('cases', oc.call('cases.list').cases.length);
oc.close();
JS
    host() { "$tool" host.js "$work/$1.db"; }
    ;;
  *) fail "unknown kind" ;;
esac

out=$(PKG_CONFIG_PATH=$libdir/pkgconfig host pkgconfig 2>&1) || fail "through pkg-config: $out"
[ "$(realpath -ms "$(head -1 <<<"$out")")" = "$(realpath -ms "$libdir/$soname")" ] \
  || fail "through pkg-config, found $(head -1 <<<"$out")"
grep -qx "cases 0" <<<"$out" || fail "through pkg-config: $out"
export ORDERCARE_LIB=$libdir/$soname
[ "$kind" = php ] && export ORDERCARE_FFI_HEADER=$work/prefix/include/ordercare_ffi.h
out=$(host env 2>&1) || fail "through ORDERCARE_LIB: $out"
[ "$(head -1 <<<"$out")" = "$ORDERCARE_LIB" ] || fail "through ORDERCARE_LIB, found $(head -1 <<<"$out")"
grep -qx "cases 0" <<<"$out" || fail "through ORDERCARE_LIB: $out"
echo "package_test: the $kind shim, installed as a package, found $soname through pkg-config and ORDERCARE_LIB"
