#include "store/sqlite/store_file.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "common/crypto.h"
#include "common/failure.h"

namespace ordercare::store::sqlite {

namespace {

std::string real_path(const std::string &path) {
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) return {};
  return resolved;
}

std::string host_name() {
  char name[256] = {0};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// The text of a file under /proc, or "" when it cannot be read. The
// process it describes may end between open() and read(), which then fails
// with ESRCH: an ifstream throws from inside its buffer on that, and a
// process opening the store while a neighbour was killed failed its oc_open.
std::string read_proc_file(const std::string &path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string text;
  char chunk[512];
  for (;;) {
    const ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got > 0) {
      text.append(chunk, static_cast<std::size_t>(got));
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      if (got < 0) text.clear();
      break;
    }
  }
  ::close(fd);
  return text;
}

}  // namespace

// Field 22 of /proc/<pid>/stat: when the process started, in clock ticks
// since boot; with the pid it names one process, even once the pid is reused.
std::string process_start_time(const std::string &pid) {
  const std::string stat = read_proc_file("/proc/" + pid + "/stat");
  const auto close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return {};
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i)
    if (i == 22) return field;
  return {};
}

std::string canonical_store_path(const std::string &path) {
  if (path == ":memory:") return path;
  std::string canonical = real_path(path);
  if (canonical.empty()) {
    // Not there yet: the directory must be, and names the file.
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::string real_dir = real_path(dir);
    if (real_dir.empty())
      fail(OC_ERR_STORE, "store: cannot open '" + path + "': directory '" + dir + "': " + std::strerror(errno));
    canonical = (real_dir == "/" ? "" : real_dir) + "/" + base;
  }
  struct stat st;
  if (::stat(canonical.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink > 1)
    fail(OC_ERR_STORE, "store: '" + path + "' has " + std::to_string(st.st_nlink) +
                           " hard links; open a store by one name only (SQLite keeps its write-ahead log by "
                           "name, and two names would make two logs of one database)");
  return canonical;
}

std::string local_claimant() {
  const std::string pid = std::to_string(::getpid());
  return host_name() + ":" + pid + ":" + process_start_time(pid) + ":" + crypto::hex_encode(crypto::random_bytes(4));
}

std::optional<FileId> file_id(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

StoreFiles inspect_store_files(const std::string &path) {
  StoreFiles out;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    out.database = st.st_size > 0;
    out.empty_database = st.st_size == 0;
  }
  out.wal = ::stat((path + "-wal").c_str(), &st) == 0;
  out.shm = ::stat((path + "-shm").c_str(), &st) == 0;
  // Looked at after the database: a new store's key file is made once its
  // database has content, and removed before it, so a key file seen here
  // without a database is not one of a store being made or unmade.
  if (!out.database && ::stat((path + ".key").c_str(), &st) == 0)
    fail(OC_ERR_STORE, "store: '" + path + "' is " + (out.empty_database ? "empty (zero bytes)" : "missing") +
                           " but its key file '" + path +
                           ".key' exists: the store's data is gone, or store.path names the wrong file. Restore "
                           "the database from a backup or correct store.path; to start a new, empty store there "
                           "instead, delete the key file");
  return out;
}

void remove_new_store_files(const std::string &path, const StoreFiles &before, bool remove_key) {
  if (remove_key) ::unlink((path + ".key").c_str());
  if (before.empty_database) {
    if (::truncate(path.c_str(), 0) != 0) {
      // Nothing more to do: the failed open reports its own reason.
    }
  } else if (!before.database) {
    ::unlink(path.c_str());
  }
  if (!before.wal) ::unlink((path + "-wal").c_str());
  if (!before.shm) ::unlink((path + "-shm").c_str());
}

bool local_claimant_alive(const std::string &claimant) {
  // host:pid:start:random, the host possibly holding ':' itself: read from the right.
  const auto last = claimant.rfind(':');
  const auto start_at = last == std::string::npos || last == 0 ? std::string::npos : claimant.rfind(':', last - 1);
  const auto pid_at =
      start_at == std::string::npos || start_at == 0 ? std::string::npos : claimant.rfind(':', start_at - 1);
  if (pid_at == std::string::npos) return true;
  const std::string host = claimant.substr(0, pid_at);
  const std::string pid = claimant.substr(pid_at + 1, start_at - pid_at - 1);
  const std::string start = claimant.substr(start_at + 1, last - start_at - 1);
  if (host != host_name() || pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) return true;
  const std::string now_start = process_start_time(pid);
  return !now_start.empty() && now_start == start;
}

}  // namespace ordercare::store::sqlite
