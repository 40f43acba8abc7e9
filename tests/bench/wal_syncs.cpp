#include "bench/wal_syncs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>

#include "store/sqlite/wal_checkpointer.h"

namespace {

std::atomic<std::uint64_t> g_wal{0};
std::atomic<std::uint64_t> g_database{0};
std::atomic<std::uint64_t> g_wal_ns{0};

// Whether this thread is the store's checkpoint thread: its syncs are no
// commit's.
bool on_checkpoint_thread() {
  char name[16] = {};
  if (pthread_getname_np(pthread_self(), name, sizeof name) != 0) return false;
  return std::strcmp(name, ordercare::store::sqlite::WalCheckpointer::kThreadName) == 0;
}

// Whether fd is a WAL (counted as such); other regular files are counted
// as databases, directories not at all, nor the checkpoint thread's.
bool count(int fd) {
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;  // a directory's sync is no commit
  if (on_checkpoint_thread()) return false;
  char link[64], path[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return false;
  const std::string name(path, static_cast<std::size_t>(n));
  if (name.size() > 4 && name.compare(name.size() - 4, 4, "-wal") == 0) {
    ++g_wal;
    return true;
  }
  if (name.size() <= 8 || name.compare(name.size() - 8, 8, "-journal") != 0) ++g_database;
  return false;
}

// Runs the real sync, timing it when it is a WAL's.
int timed(int fd, int (*sync)(int)) {
  if (!count(fd)) return sync(fd);
  const auto start = std::chrono::steady_clock::now();
  const int rc = sync(fd);
  g_wal_ns += static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  return rc;
}

template <class F>
F real(const char *name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int fsync(int fd) {
  static const auto next = real<int (*)(int)>("fsync");
  return timed(fd, next);
}

extern "C" __attribute__((visibility("default"))) int fdatasync(int fd) {
  static const auto next = real<int (*)(int)>("fdatasync");
  return timed(fd, next);
}

namespace ordercare::bench {

SyncCounts sync_counts() { return {g_wal.load(), g_database.load(), static_cast<double>(g_wal_ns.load()) / 1e9}; }

}  // namespace ordercare::bench
