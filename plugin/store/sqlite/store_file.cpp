#include "store/sqlite/store_file.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
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

// Field 22 of /proc/<pid>/stat: when the process started, in clock ticks
// since boot; with the pid it names one process, even once the pid is reused.
std::string start_time_of(const std::string &pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return {};
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i)
    if (i == 22) return field;
  return {};
}

}  // namespace

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
  return host_name() + ":" + pid + ":" + start_time_of(pid) + ":" + crypto::hex_encode(crypto::random_bytes(4));
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
  const std::string now_start = start_time_of(pid);
  return !now_start.empty() && now_start == start;
}

}  // namespace ordercare::store::sqlite
