// The fd a host's event loop watches: readable when oc_poll has work.
#pragma once

namespace ordercare::runtime {

class WakeupFd {
 public:
  WakeupFd();  // throws Failure(OC_ERR_INTERNAL) if the kernel refuses
  ~WakeupFd();
  WakeupFd(const WakeupFd &) = delete;
  WakeupFd &operator=(const WakeupFd &) = delete;

  int fd() const { return fd_; }
  void signal();  // any thread
  void clear();   // the polling thread

 private:
  int fd_;
};

}  // namespace ordercare::runtime
