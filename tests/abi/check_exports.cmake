# Run as: cmake -DNM=<nm> -DLIBRARY=<libordercare.so> -DHEADER=<ordercare.h>
#               [-DOBJDUMP=<objdump> [-DABI_MD=<ABI.md>]] -P check_exports.cmake
# Fails unless the library exports exactly the oc_ functions the header
# declares, and no
# SQLite, OpenSSL or libuv symbol is visible in its dynamic symbol table at
# all: hosts (PHP, Python, Node) load their own copies, which ours must never
# bind to or replace.
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY}
                OUTPUT_VARIABLE defined RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D failed on ${LIBRARY}")
endif()
execute_process(COMMAND ${NM} -D ${LIBRARY} OUTPUT_VARIABLE all RESULT_VARIABLE rc)

file(READ ${HEADER} header)
string(REGEX MATCHALL "OC_API[^;(]*[ *](oc_[a-z0-9_]+)\\(" declarations "${header}")
set(declared "")
foreach(declaration IN LISTS declarations)
  string(REGEX MATCH "oc_[a-z0-9_]+\\($" name "${declaration}")
  string(REPLACE "(" "" name "${name}")
  list(APPEND declared ${name})
endforeach()
list(LENGTH declared declared_count)
if(declared_count LESS 16)
  message(FATAL_ERROR "found only ${declared_count} OC_API functions in ${HEADER}")
endif()

string(REPLACE "\n" ";" lines "${defined}")
set(exported 0)
set(bad "")
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  # "<address> <type> <name>[@@VERSION]"
  string(REGEX MATCH "[^ ]+$" name "${line}")
  string(REGEX REPLACE "@.*$" "" name "${name}")
  if(name MATCHES "^oc_[a-z0-9_]+$")
    math(EXPR exported "${exported} + 1")
    list(REMOVE_ITEM declared ${name})
  elseif(name MATCHES "^(_init|_fini|_edata|_end|__bss_start)$")
    # The linker's own markers.
  else()
    list(APPEND bad "${name}")
  endif()
endforeach()
if(bad)
  list(JOIN bad "\n  " text)
  message(FATAL_ERROR "libordercare.so exports symbols other than oc_*:\n  ${text}")
endif()
if(declared)
  message(FATAL_ERROR "ordercare.h declares functions libordercare.so does not export: ${declared}")
endif()
if(exported LESS 16)
  message(FATAL_ERROR "libordercare.so exports only ${exported} oc_ functions")
endif()

# Private copies stay private: no sqlite3_, EVP_, SSL_, OPENSSL_ or uv_
# symbol may even be imported (that would mean binding to the host's copy),
# except libuv, which is linked shared on purpose (cmake/dependencies.cmake).
string(REPLACE "\n" ";" lines "${all}")
set(leaked "")
foreach(line IN LISTS lines)
  string(REGEX MATCH "[^ ]+$" name "${line}")
  if(name MATCHES "^(sqlite3|EVP_|SSL_|OPENSSL_|CRYPTO_|HMAC|RAND_|ERR_)")
    list(APPEND leaked "${name}")
  endif()
endforeach()
if(leaked)
  list(JOIN leaked "\n  " text)
  message(FATAL_ERROR "libordercare.so has SQLite/OpenSSL symbols in its dynamic table:\n  ${text}")
endif()
message(STATUS "libordercare.so exports ${exported} oc_ functions and nothing else")

# Nor may it load the system's shared SQLite or OpenSSL; and every shared
# library it does load is one ABI.md lists for integrators, by soname.
if(OBJDUMP)
  execute_process(COMMAND ${OBJDUMP} -p ${LIBRARY} OUTPUT_VARIABLE headers)
  string(REGEX MATCHALL "NEEDED +[^\n]+" needed "${headers}")
  if(ABI_MD)
    file(READ ${ABI_MD} abi_md)
  endif()
  foreach(entry IN LISTS needed)
    if(entry MATCHES "sqlite|libcrypto|libssl")
      message(FATAL_ERROR "libordercare.so depends on a shared copy: ${entry}")
    endif()
    string(REGEX REPLACE "^NEEDED +" "" soname "${entry}")
    string(FIND "${abi_md}" "`${soname}`" at)
    if(ABI_MD AND at EQUAL -1)
      message(FATAL_ERROR "libordercare.so needs ${soname}, which ABI.md's run-time dependencies do not list")
    endif()
  endforeach()
endif()
