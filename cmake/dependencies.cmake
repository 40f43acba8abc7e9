# Every dependency is a Debian 12 package installed by scripts/setup.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv)
# libpq, the PostgreSQL client, shared: Debian's libpq5 (the store's engine
# beyond one machine; loaded with the library, used only when configured).
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(Threads REQUIRED)
find_package(date REQUIRED CONFIG)

# SQLite and libcrypto are linked from their static (PIC) archives and kept
# private with --exclude-libs,ALL: PHP, Python and Node load their own copies,
# and ours must never bind to theirs. libuv has no PIC archive in Debian; its
# 1.x ABI is stable, so the shared one is safe even beside Node's.
find_library(OC_SQLITE_STATIC NAMES libsqlite3.a REQUIRED)
find_library(OC_CRYPTO_STATIC NAMES libcrypto.a REQUIRED)
find_path(OC_SQLITE_INCLUDE sqlite3.h REQUIRED)
find_path(OC_OPENSSL_INCLUDE openssl/evp.h REQUIRED)

# llhttp ships as C sources in Debian's node-llhttp package.
set(OC_LLHTTP_DIR /usr/share/llhttp CACHE PATH "llhttp C sources")
set(OC_LLHTTP_INCLUDE /usr/share/include/llhttp CACHE PATH "llhttp header")
if(NOT EXISTS ${OC_LLHTTP_DIR}/llhttp.c)
  message(FATAL_ERROR "llhttp sources not found in ${OC_LLHTTP_DIR}: install node-llhttp")
endif()
add_library(oc_llhttp STATIC ${OC_LLHTTP_DIR}/llhttp.c ${OC_LLHTTP_DIR}/api.c ${OC_LLHTTP_DIR}/http.c)
target_include_directories(oc_llhttp SYSTEM PUBLIC ${OC_LLHTTP_INCLUDE})
set_target_properties(oc_llhttp PROPERTIES C_STANDARD 99)
