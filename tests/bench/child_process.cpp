#include "bench/child_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace ordercare::bench {

namespace {

// Closes what the child inherited but its own pipe ends and stdio: the
// pipes of its siblings above all, so that each of them sees its parent
// go away (end of file) when the parent closes its end.
void close_inherited(int keep_in, int keep_out) {
  std::vector<int> fds;
  if (DIR *dir = opendir("/proc/self/fd")) {
    while (const dirent *entry = readdir(dir))
      if (entry->d_name[0] != '.') fds.push_back(std::atoi(entry->d_name));
    closedir(dir);
  }
  for (int fd : fds)
    if (fd > 2 && fd != keep_in && fd != keep_out) close(fd);
}

}  // namespace

std::string ParentLink::read_line() {
  for (;;) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    char chunk[4096];
    const ssize_t n = read(in_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "";
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

void ParentLink::write_line(const std::string &line) {
  std::string text = line;
  for (char &c : text)
    if (c == '\n' || c == '\r') c = ' ';
  text += '\n';
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(out_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

ChildProcess::ChildProcess(const std::function<int(ParentLink &)> &body) {
  int down[2], up[2];
  if (pipe2(down, O_CLOEXEC) != 0 || pipe2(up, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  std::fflush(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    close_inherited(down[0], up[1]);
    ParentLink link(down[0], up[1]);
    int status = 1;
    try {
      status = body(link);
    } catch (const std::exception &e) {
      link.write_line(std::string("error ") + e.what());
    }
    std::fflush(nullptr);
    _exit(status);
  }
  close(down[0]);
  close(up[1]);
  to_child_ = down[1];
  from_child_fd_ = up[0];
  from_child_ = ParentLink(up[0], -1);
}

ChildProcess::~ChildProcess() {
  if (to_child_ >= 0) close(to_child_);
  if (from_child_fd_ >= 0) close(from_child_fd_);
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
}

void ChildProcess::send(const std::string &line) {
  ParentLink(-1, to_child_).write_line(line);
}

std::string ChildProcess::receive() {
  std::string line = from_child_.read_line();
  if (line.empty()) throw std::runtime_error("a worker process exited early (status " + std::to_string(wait()) + ")");
  if (line.rfind("error ", 0) == 0) throw std::runtime_error("a worker process failed: " + line.substr(6));
  return line;
}

int ChildProcess::wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace ordercare::bench
