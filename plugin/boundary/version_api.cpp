#include "ordercare.h"

#include <cstring>

extern "C" {

OC_API uint32_t oc_abi_version(void) {
  return (static_cast<uint32_t>(OC_ABI_MAJOR) << 16) | static_cast<uint32_t>(OC_ABI_MINOR);
}

OC_API const char *oc_version_string(void) { return OC_VERSION_STRING; }

OC_API const char *oc_status_name(oc_status status) {
  // A C host may pass any int; in C++ reading an enum outside its
  // enumerators' range is undefined, so the bits are read as an int.
  int code;
  static_assert(sizeof code == sizeof status);
  std::memcpy(&code, &status, sizeof code);
  switch (code) {
    case OC_OK: return "OC_OK";
    case OC_ERR_ARGUMENT: return "OC_ERR_ARGUMENT";
    case OC_ERR_STRUCT_SIZE: return "OC_ERR_STRUCT_SIZE";
    case OC_ERR_CONFIG: return "OC_ERR_CONFIG";
    case OC_ERR_JSON: return "OC_ERR_JSON";
    case OC_ERR_UTF8: return "OC_ERR_UTF8";
    case OC_ERR_TOO_LARGE: return "OC_ERR_TOO_LARGE";
    case OC_ERR_UNKNOWN_TYPE: return "OC_ERR_UNKNOWN_TYPE";
    case OC_ERR_SCHEMA: return "OC_ERR_SCHEMA";
    case OC_ERR_UNKNOWN_METHOD: return "OC_ERR_UNKNOWN_METHOD";
    case OC_ERR_NOT_FOUND: return "OC_ERR_NOT_FOUND";
    case OC_ERR_TRANSITION: return "OC_ERR_TRANSITION";
    case OC_ERR_REFUSED: return "OC_ERR_REFUSED";
    case OC_ERR_STORE: return "OC_ERR_STORE";
    case OC_ERR_BUSY: return "OC_ERR_BUSY";
    case OC_ERR_CLOSED: return "OC_ERR_CLOSED";
    case OC_ERR_NOMEM: return "OC_ERR_NOMEM";
    case OC_ERR_VERSION: return "OC_ERR_VERSION";
    case OC_ERR_INTERNAL: return "OC_ERR_INTERNAL";
    case OC_ERR_THREAD: return "OC_ERR_THREAD";
  }
  return "OC_ERR_UNKNOWN";
}

}  // extern "C"
