// Compile-only: abi/ordercare.h must build as C++ (C++11 and the project's
// C++20) with every warning an error, with C linkage for every function.
#include "ordercare.h"

#include <type_traits>

static_assert(std::is_same<decltype(&oc_open),
                           oc_status (*)(const oc_options *, const oc_host *, oc_plugin **)>::value,
              "oc_open keeps its signature");
static_assert(std::is_same<decltype(&oc_submit),
                           oc_status (*)(oc_plugin *, const char *, size_t, oc_buffer **)>::value,
              "oc_submit keeps its signature");
static_assert(std::is_same<decltype(&oc_submit_batch),
                           oc_status (*)(oc_plugin *, const char *const *, const size_t *, size_t,
                                         oc_buffer **)>::value,
              "oc_submit_batch keeps its signature");
static_assert(std::is_standard_layout<oc_options>::value, "oc_options is a C struct");
static_assert(std::is_standard_layout<oc_host>::value, "oc_host is a C struct");
static_assert(std::is_standard_layout<oc_request>::value, "oc_request is a C struct");
static_assert(offsetof(oc_options, struct_size) == 0, "struct_size comes first");
static_assert(offsetof(oc_host, struct_size) == 0, "struct_size comes first");
static_assert(offsetof(oc_request, struct_size) == 0, "struct_size comes first");

extern "C" int oc_header_cxx_compiles();

extern "C" int oc_header_cxx_compiles() {
  oc_options options = {sizeof(oc_options), 0, nullptr, 0};
  return static_cast<int>(options.struct_size) + static_cast<int>(OC_ERR_THREAD);
}
