#!/usr/bin/env bash
# cmake --install into a fresh prefix, then use what landed there the way an
# integrator would: the library by its soname, the header and pkg-config to
# build a C host, ordercare-host finding the library installed beside it.
#   install_test.sh BUILD_DIR C_COMPILER ABI_MAJOR ABI_MINOR
set -euo pipefail
build=$1 cc=$2 major=$3 minor=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log" >&2; fail "cmake --install failed"; }

pc=$(find "$prefix" -name ordercare.pc -path '*/pkgconfig/*' | head -1)
[ -n "$pc" ] || fail "no ordercare.pc installed"
libdir=$(dirname "$(dirname "$pc")")
for f in "$libdir/libordercare.so.$major" "$libdir/libordercare.so" "$prefix/include/ordercare.h" \
         "$prefix/include/ordercare_ffi.h" "$prefix/bin/ordercare-host" "$prefix/share/doc/ordercare/ABI.md"; do
  [ -e "$f" ] || fail "not installed: ${f#$prefix/}"
done
soname=$(readelf -d "$libdir/libordercare.so.$major" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libordercare.so.$major" ] || fail "SONAME is '$soname', expected libordercare.so.$major"
grep -q "$prefix\|$build" "$pc" && fail "ordercare.pc holds an absolute path: $(cat "$pc")"

# A host built from pkg-config's flags alone, moved prefix and all: the .pc
# finds its prefix from its own place.
mv "$prefix" "$work/moved"
prefix=$work/moved
libdir=$prefix/${libdir#$work/prefix/}
cat >"$work/host.c" <<'C'
#include <stdio.h>
#include <ordercare.h>
int main(void) {
  unsigned v = oc_abi_version();
  printf("%u.%u\n", v >> 16, v & 0xffffu);
  return (v >> 16) == OC_ABI_MAJOR && (v & 0xffffu) == OC_ABI_MINOR ? 0 : 1;
}
C
export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046
"$cc" -std=c99 -Wall -Werror "$work/host.c" -o "$work/host" $(pkg-config --cflags --libs ordercare) \
  || fail "a C host does not build with pkg-config --cflags --libs ordercare"
needed=$(readelf -d "$work/host" | sed -n 's/.*(NEEDED).*\[\(libordercare[^]]*\)\]/\1/p')
[ "$needed" = "libordercare.so.$major" ] || fail "the host needs '$needed', expected libordercare.so.$major"
got=$(LD_LIBRARY_PATH=$libdir "$work/host") || fail "the host built against the installed header and library failed"
[ "$got" = "$major.$minor" ] || fail "oc_abi_version() is $got, expected $major.$minor"
[ "$(pkg-config --modversion ordercare)" != "" ] || fail "no version in ordercare.pc"

# ordercare-host without --lib loads the library installed with it, even
# with the build tree's library out of reach.
cfg=$work/config.json
printf '{"store": {"path": "%s/shop.db"}}' "$work" >"$cfg"
out=$(env -u LD_LIBRARY_PATH "$prefix/bin/ordercare-host" --config "$cfg" --quiet query cases.list '{}' 2>&1) \
  || fail "installed ordercare-host failed: $out"
echo "install_test: installed, SONAME $soname, a pkg-config host saw ABI $got, ordercare-host ran"
