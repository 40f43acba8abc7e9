#include "runtime/wakeup_fd.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/failure.h"

namespace ordercare::runtime {

WakeupFd::WakeupFd() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0) fail(OC_ERR_INTERNAL, std::string("eventfd: ") + std::strerror(errno));
}

WakeupFd::~WakeupFd() { ::close(fd_); }

void WakeupFd::signal() {
  const std::uint64_t one = 1;
  // EAGAIN means the counter is saturated: it is readable already.
  [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
}

void WakeupFd::clear() {
  std::uint64_t value;
  [[maybe_unused]] ssize_t n = ::read(fd_, &value, sizeof value);
}

}  // namespace ordercare::runtime
