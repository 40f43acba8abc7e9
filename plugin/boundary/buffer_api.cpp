// Result buffers and the per-thread last error.
#include "boundary/handles.h"
#include "boundary/last_error.h"

extern "C" {

OC_API const char *oc_buffer_data(const oc_buffer *buffer) {
  return buffer ? buffer->bytes.c_str() : "";
}

OC_API std::size_t oc_buffer_size(const oc_buffer *buffer) { return buffer ? buffer->bytes.size() : 0; }

OC_API void oc_buffer_free(oc_buffer *buffer) { delete buffer; }

OC_API const char *oc_last_error(void) { return ordercare::boundary::last_error_message(); }

OC_API oc_status oc_last_status(void) { return ordercare::boundary::last_error_status(); }

}  // extern "C"
