#include "boundary/last_error.h"

#include <cstring>

namespace ordercare::boundary {

namespace {

constexpr std::size_t kMessageCapacity = 1024;
thread_local char t_message[kMessageCapacity] = "";
thread_local oc_status t_status = OC_OK;

}  // namespace

oc_status record_error(oc_status status, std::string_view message) noexcept {
  std::size_t n = message.size() < kMessageCapacity - 1 ? message.size() : kMessageCapacity - 1;
  // Cut a long message at a character boundary: hosts decode it as UTF-8.
  while (n > 0 && n < message.size() && (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80)
    --n;
  std::memcpy(t_message, message.data(), n);
  t_message[n] = '\0';
  t_status = status;
  return status;
}

void record_success() noexcept {
  t_message[0] = '\0';
  t_status = OC_OK;
}

const char *last_error_message() noexcept { return t_message; }

oc_status last_error_status() noexcept { return t_status; }

}  // namespace ordercare::boundary
