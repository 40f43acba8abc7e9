#include "support/pg_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

extern char **environ;

namespace ordercare::testing {
namespace {

namespace fs = std::filesystem;

struct Output {
  int status = -1;  // the exit code, or -1 if the process did not exit
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH) with stdin from /dev/null and returns what
// it wrote. posix_spawn rather than fork, as the test may have threads. The
// server that pg_ctl leaves behind writes to its log file, not to our pipes,
// so reading to the end does not wait for it.
Output run(const std::vector<std::string> &args, const std::string &cwd) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw std::runtime_error("pipe2 failed");
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<char *> argv;
  for (const auto &arg : args) argv.push_back(const_cast<char *>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawned != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw std::runtime_error("cannot run " + args[0] + ": " + std::strerror(spawned));
  }

  // Both pipes at once, so a child filling one while we block on the other
  // cannot deadlock.
  Output result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string *sinks[2] = {&result.out, &result.err};
  int open_pipes = 2;
  while (open_pipes > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (auto &fd : fds)
    if (fd.fd >= 0) close(fd.fd);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool is_root() { return geteuid() == 0; }

struct Account {
  uid_t uid;
  gid_t gid;
};

// The account that owns the cluster when we are root.
Account unprivileged_user() {
  passwd entry{};
  passwd *user = nullptr;
  std::vector<char> buffer(4096);
  if (getpwnam_r("nobody", &entry, buffer.data(), buffer.size(), &user) != 0 || !user)
    throw std::runtime_error("PgServer: running as root, and there is no user 'nobody'");
  return {user->pw_uid, user->pw_gid};
}

// The server binaries as the cluster's owner: as root, nobody:nogroup
// through setpriv (util-linux, essential in Debian; unlike runuser it
// needs no PAM session); otherwise ourselves.
std::vector<std::string> as_owner(std::vector<std::string> args) {
  if (!is_root()) return args;
  const Account user = unprivileged_user();
  std::vector<std::string> command = {"setpriv", "--reuid=" + std::to_string(user.uid),
                                      "--regid=" + std::to_string(user.gid), "--clear-groups"};
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

// Whether nobody can reach `dir`: every directory on the way must let
// others through.
bool others_can_enter(const fs::path &dir) {
  for (fs::path p = fs::absolute(dir); ; p = p.parent_path()) {
    struct stat st {};
    if (stat(p.c_str(), &st) != 0 || !(st.st_mode & S_IXOTH)) return false;
    if (p == p.root_path()) return true;
  }
}

// Where the temporary directory goes: $TMPDIR, unless nobody could not reach
// it (when we are root) or it is so long that the server's socket path,
// <dir>/.s.PGSQL.<port>, would pass the 107 bytes a Unix socket allows.
std::string cluster_base() {
  const char *tmpdir = std::getenv("TMPDIR");
  std::string base = tmpdir && *tmpdir ? tmpdir : "/tmp";
  if (base.size() > 64 || (is_root() && !others_can_enter(base))) base = "/tmp";
  return base;
}

// A loopback port nothing listens on now. Someone may take it before the
// server binds it; launch() retries with another port if so.
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("PgServer: socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  const bool ok = bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
  close(fd);
  if (!ok) throw std::runtime_error("PgServer: cannot bind a port on 127.0.0.1");
  return ntohs(address.sin_port);
}

std::string read_file(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tail(const std::string &text, std::size_t max_chars) {
  return text.size() <= max_chars ? text : "..." + text.substr(text.size() - max_chars);
}

// A string literal for postgresql.conf.
std::string conf_quote(const std::string &value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

std::string trim(std::string text) {
  const auto end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  const auto begin = text.find_first_not_of(" \t\r\n");
  return begin == std::string::npos ? std::string() : text.substr(begin);
}

}  // namespace

std::unique_ptr<PgServer> PgServer::start(const PgServerOptions &options) {
  // Built in steps on an object that already owns the directory, so a step
  // that throws still leaves nothing behind.
  std::unique_ptr<PgServer> server(new PgServer(options));
  server->init_cluster();
  server->configure();
  server->launch();
  server->create_database();
  return server;
}

PgServer::PgServer(const PgServerOptions &options) : options_(options) {
  if (const char *bin_dir = std::getenv("OC_PG_BINDIR"); bin_dir && *bin_dir) options_.bin_dir = bin_dir;
  std::string pattern = cluster_base() + "/ordercare-pg-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("PgServer: mkdtemp failed in " + cluster_base());
  dir_ = pattern;
  data_dir_ = dir_ + "/data";
  log_file_ = dir_ + "/server.log";
  if (is_root()) {
    const Account user = unprivileged_user();
    if (chown(dir_.c_str(), user.uid, user.gid) != 0)
      throw std::runtime_error("PgServer: cannot give " + dir_ + " to nobody");
  }
}

PgServer::~PgServer() {
  if (running_) {
    try {
      pg_ctl_stop("immediate");
    } catch (...) {
      // The directory goes anyway; a server we could not stop shuts itself
      // down within a minute of finding its lock file gone.
    }
  }
  // Root may remove nobody's files; the caller may remove its own.
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void PgServer::init_cluster() {
  const std::string initdb = options_.bin_dir + "/initdb";
  if (access(initdb.c_str(), X_OK) != 0)
    throw std::runtime_error("PgServer: no " + initdb + " (apt-get install postgresql, or scripts/setup)");
  // --no-sync: the cluster is thrown away; a durable benchmark still gets
  // fsync from the server for everything it writes.
  const Output out = run(as_owner({initdb, "-D", data_dir_, "--auth=trust", "--encoding=UTF8", "--locale=C",
                                   "-U", "ordercare", "--no-sync", "--no-instructions"}),
                         dir_);
  if (out.status != 0) throw std::runtime_error("PgServer: initdb failed:\n" + out.out + out.err);
}

// The settings go into postgresql.conf rather than onto pg_ctl's command
// line, so that start_again(), or someone debugging with pg_ctl by hand,
// gets the same server. A later line wins, which launch() uses to move to
// another port.
void PgServer::configure() {
  std::ofstream conf(data_dir_ + "/postgresql.conf", std::ios::app);
  conf << "\n# A throwaway server for ordercare's tests (tests/support/pg_server.cpp).\n"
       << "listen_addresses = '127.0.0.1'\n"
       << "unix_socket_directories = " << conf_quote(dir_) << "\n"
       << "max_connections = " << options_.max_connections << "\n";
  if (!options_.durable)
    conf << "fsync = off\n"
         << "synchronous_commit = on\n"
         << "full_page_writes = off\n";
  if (!conf) throw std::runtime_error("PgServer: cannot write " + data_dir_ + "/postgresql.conf");
}

void PgServer::launch() {
  for (int attempt = 1;; ++attempt) {
    port_ = free_port();
    {
      std::ofstream conf(data_dir_ + "/postgresql.conf", std::ios::app);
      conf << "port = " << port_ << "\n";
    }
    try {
      start_again();
      return;
    } catch (const std::runtime_error &) {
      // Another process took the port between free_port() and the bind.
      if (attempt == 3 || read_file(log_file_).find("Address already in use") == std::string::npos) throw;
    }
  }
}

void PgServer::start_again() {
  if (running_) throw std::runtime_error("PgServer: start_again() while the server runs");
  const Output out = run(as_owner({options_.bin_dir + "/pg_ctl", "-w", "-t", "30", "-D", data_dir_, "-l",
                                   log_file_, "start"}),
                         dir_);
  if (out.status != 0)
    throw std::runtime_error("PgServer: pg_ctl start failed:\n" + out.out + out.err + "server log:\n" +
                             tail(read_file(log_file_), 4000));
  running_ = true;
}

void PgServer::create_database() {
  const Output out = run({options_.bin_dir + "/createdb", "-h", "127.0.0.1", "-p", std::to_string(port_), "-U",
                          "ordercare", "ordercare"},
                         dir_);
  if (out.status != 0) throw std::runtime_error("PgServer: createdb failed:\n" + out.out + out.err);
}

void PgServer::pg_ctl_stop(const char *mode) {
  const Output out = run(as_owner({options_.bin_dir + "/pg_ctl", "-w", "-t", "30", "-D", data_dir_, "-m", mode,
                                   "stop"}),
                         dir_);
  if (out.status != 0) {
    // Unknown state: leave running_ set so the destructor tries again.
    throw std::runtime_error("PgServer: pg_ctl stop -m " + std::string(mode) + " failed:\n" + out.out +
                             out.err);
  }
  running_ = false;
}

void PgServer::stop() {
  if (running_) pg_ctl_stop("fast");
}

void PgServer::stop_now() {
  if (running_) pg_ctl_stop("immediate");
}

void PgServer::restart() {
  stop_now();
  start_again();
}

std::string PgServer::url() const {
  return "postgresql://ordercare@127.0.0.1:" + std::to_string(port_) + "/ordercare";
}

std::string PgServer::psql(const std::string &sql) const {
  // /usr/bin/psql is Debian's wrapper, which picks a version by itself; the
  // one beside the server is the one we mean.
  std::string binary = options_.bin_dir + "/psql";
  if (access(binary.c_str(), X_OK) != 0) binary = "/usr/bin/psql";
  Output out = run({binary, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url(), "-c", sql}, dir_);
  if (out.status != 0) throw std::runtime_error("PgServer: psql failed on \"" + sql + "\":\n" + out.err);
  while (!out.out.empty() && out.out.back() == '\n') out.out.pop_back();
  return out.out;
}

std::string test_pg_url() {
  if (const char *file = std::getenv("OC_TEST_PG_URL_FILE"); file && *file) {
    std::ifstream in(file);
    if (in) return trim(read_file(file));
  }
  const char *url = std::getenv("OC_TEST_PG_URL");
  return url ? trim(url) : std::string();
}

std::string unique_pg_schema(const std::string &hint) {
  static std::atomic<unsigned> counter{0};
  static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof letters - 2);

  std::string suffix = "_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_";
  for (int i = 0; i < 4; ++i) suffix += letters[pick(random)];

  std::string name;
  for (char c : hint) {
    const auto u = static_cast<unsigned char>(c);
    name += std::isalnum(u) && u < 0x80 ? static_cast<char>(std::tolower(u)) : '_';
  }
  // A letter first, so the name is an identifier without quotes; and not
  // "pg_", which PostgreSQL keeps for its own schemas.
  if (name.empty() || !std::islower(static_cast<unsigned char>(name[0])) || (name + "_").rfind("pg_", 0) == 0)
    name = "s" + name;
  name.resize(std::min(name.size(), 48 - suffix.size()));
  return name + suffix;
}

}  // namespace ordercare::testing
