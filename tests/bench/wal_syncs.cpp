#include "bench/wal_syncs.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>

namespace {

std::atomic<std::uint64_t> g_wal{0};
std::atomic<std::uint64_t> g_database{0};

void count(int fd) {
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;  // a directory's sync is no commit
  char link[64], path[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return;
  const std::string name(path, static_cast<std::size_t>(n));
  if (name.size() > 4 && name.compare(name.size() - 4, 4, "-wal") == 0)
    ++g_wal;
  else if (name.size() <= 8 || name.compare(name.size() - 8, 8, "-journal") != 0)
    ++g_database;
}

template <class F>
F real(const char *name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int fsync(int fd) {
  static const auto next = real<int (*)(int)>("fsync");
  count(fd);
  return next(fd);
}

extern "C" __attribute__((visibility("default"))) int fdatasync(int fd) {
  static const auto next = real<int (*)(int)>("fdatasync");
  count(fd);
  return next(fd);
}

namespace ordercare::bench {

SyncCounts sync_counts() { return {g_wal.load(), g_database.load()}; }

}  // namespace ordercare::bench
