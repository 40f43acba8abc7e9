// An exclusive advisory lock on "<store path>.lock" held for as long as a
// plugin has the store open: two plugins writing one file would each trust
// their own timers and outbox claims. The kernel drops the lock when the
// process dies, so a kill -9 never leaves it stale.
#pragma once

#include <string>

namespace ordercare::store::sqlite {

class FileLock {
 public:
  // Empty path: no lock (in-memory stores). Throws Failure(OC_ERR_BUSY) if
  // another process holds it, OC_ERR_STORE if the lock file cannot be made.
  explicit FileLock(const std::string &path);
  ~FileLock();
  FileLock(const FileLock &) = delete;
  FileLock &operator=(const FileLock &) = delete;

 private:
  int fd_ = -1;
};

}  // namespace ordercare::store::sqlite
