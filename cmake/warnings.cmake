# Warnings for our own targets only; third-party sources (llhttp) opt out.
set(OC_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(OC_WERROR)
  list(APPEND OC_WARNINGS -Werror)
endif()
# GCC 12's optimiser reports bounds and overlap "errors" inside
# std::string's own memcpy (GCC bugs 105329, 105651); ASan checks the real
# thing at run time.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND OC_WARNINGS -Wno-array-bounds -Wno-restrict -Wno-stringop-overflow)
endif()

if(OC_SANITIZE)
  add_compile_options(-fsanitize=${OC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${OC_SANITIZE})
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # A C host (the ABI tests, the crash driver, ordercare-host) loads a C++
    # library, and clang puts the sanitizer's runtime in the executable: its
    # C++ half (UBSan's vptr checks) too, so C executables link as C++.
    set(CMAKE_C_LINK_EXECUTABLE
        "<CMAKE_CXX_COMPILER> <FLAGS> <CMAKE_C_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
  endif()
endif()

function(oc_target_warnings target)
  target_compile_options(${target} PRIVATE ${OC_WARNINGS})
endfunction()

# nlohmann/json is most of what each source file makes the compiler parse;
# precompiling it once per target cuts the build by about a fifth.
set(OC_PRECOMPILED <nlohmann/json.hpp> <cstdint> <functional> <map> <memory> <optional> <string>
  <string_view> <vector>)

# Precompiles OC_PRECOMPILED for `target`, or reuses the headers of `from`
# (same compile flags) when given. Libraries only: an executable is built
# as PIE and cannot take a library's headers, and with one source file it
# would not gain from its own.
function(oc_target_pch target)
  if(NOT OC_PCH)
    return()
  endif()
  if(ARGC GREATER 1)
    target_precompile_headers(${target} REUSE_FROM ${ARGV1})
  else()
    target_precompile_headers(${target} PRIVATE ${OC_PRECOMPILED})
  endif()
endfunction()
