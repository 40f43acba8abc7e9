// A forked worker process of a benchmark and the pipe pair the parent
// drives it with: one line each way per step, so the parent can start the
// timed part in every worker at once and collect what each measured.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

namespace ordercare::bench {

// The worker's side: the lines it reads from and writes to its parent.
class ParentLink {
 public:
  ParentLink(int in, int out) : in_(in), out_(out) {}
  // The next line without its newline; "" if the parent went away.
  std::string read_line();
  // Newlines inside `line` become spaces.
  void write_line(const std::string &line);

 private:
  int in_, out_;
  std::string buffer_;
};

class ChildProcess {
 public:
  // Forks; the child runs `body` and exits with what it returns (never
  // returning here). The caller must have no threads of its own.
  explicit ChildProcess(const std::function<int(ParentLink &)> &body);
  ~ChildProcess();
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;

  void send(const std::string &line);
  // The child's next line; throws if it exited instead.
  std::string receive();
  // Waits for the child; its exit status (-1 if it died of a signal).
  int wait();

 private:
  pid_t pid_ = -1;
  int to_child_ = -1;
  ParentLink from_child_{-1, -1};
  int from_child_fd_ = -1;
};

}  // namespace ordercare::bench
