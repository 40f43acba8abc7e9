#include "driver_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "replay_steps.h"

namespace ordercare::testing {

DriverProcess::DriverProcess(const DriverArgs &args) : args_(args) {
  std::vector<std::string> argv_text = {OC_REFUND_CRASH_DRIVER,    "--ledger", args.ledger, "--sample",
                                        sample_day_path(),         "--steps",  args.steps,  "--from",
                                        std::to_string(args.from), "--outbox", args.outbox};
  if (args.config.empty())
    argv_text.insert(argv_text.end(), {"--store", args.store});
  else
    argv_text.insert(argv_text.end(), {"--config", args.config});
  if (!args.share.empty()) argv_text.insert(argv_text.end(), {"--share", args.share});
  if (args.end_exit) argv_text.insert(argv_text.end(), {"--end", "exit"});
  if (!args.kill_in_callback.empty()) argv_text.insert(argv_text.end(), {"--kill-in-callback", args.kill_in_callback});
  if (!args.faults.empty()) argv_text.insert(argv_text.end(), {"--faults", args.faults});
  if (!args.dump.empty()) argv_text.insert(argv_text.end(), {"--dump", args.dump});
  // Built before the fork: the child only execs.
  std::vector<char *> argv;
  for (auto &s : argv_text) argv.push_back(s.data());
  argv.push_back(nullptr);

  // Close-on-exec, so a driver started later does not hold this one's
  // pipes open after it exits.
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    throw std::runtime_error("pipe failed");
  }
  started_ = SteadyClock::now();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  out_ = out[0];
  err_ = err[0];
}

DriverProcess::~DriverProcess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) close(out_);
  if (err_ >= 0) close(err_);
}

void DriverProcess::kill_now() {
  if (sent_kill_ || reaped_) return;
  kill(pid_, SIGKILL);
  sent_kill_ = true;
}

int DriverProcess::wait_ms() const {
  if (args_.kill_after.count() <= 0 || sent_kill_ || reaped_) return -1;
  if (args_.after_ready && !run_.ready) return -1;
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(started_ + args_.kill_after - SteadyClock::now());
  return static_cast<int>(std::max<long>(left.count(), 0));
}

void DriverProcess::kill_if_due() {
  if (wait_ms() == 0) kill_now();
}

void DriverProcess::line(const std::string &text) {
  const auto now = SteadyClock::now();
  if (text == "ready") {
    run_.ready = true;
    // kill_after counts from here when after_ready.
    if (args_.after_ready) started_ = now;
  }
  if (text == "quiet") run_.quiet = true;
  if (text == "done") run_.done = true;
  if (text.rfind("dying ", 0) == 0) run_.died = text.substr(6);
  long step = 0, retries = 0;
  char word[64] = {0}, calls[128] = {0};
  int used = 0;
  if (std::sscanf(text.c_str(), "ack %ld %63s", &step, word) == 2) run_.acked.push_back({step, word, now});
  if (std::sscanf(text.c_str(), "busy %63s %ld %127s %n", word, &retries, calls, &used) == 3) {
    run_.busy.push_back({word, retries, calls, text.substr(static_cast<std::size_t>(used)), now});
    run_.busy_retries += retries;
  }
}

void DriverProcess::take(const char *bytes, std::size_t n, bool from_stdout) {
  if (!from_stdout) {
    errors_.append(bytes, n);
    if (errors_.size() > 8000) errors_.erase(0, errors_.size() - 4000);
    partial_err_.append(bytes, n);
    for (std::size_t end; (end = partial_err_.find('\n')) != std::string::npos;) {
      const std::string line = partial_err_.substr(0, end);
      if (line.rfind("[plugin]", 0) == 0 && line.find("answered after its lease ran out") != std::string::npos)
        ++run_.leases_lost;
      partial_err_.erase(0, end + 1);
    }
    return;
  }
  partial_.append(bytes, n);
  for (std::size_t end; (end = partial_.find('\n')) != std::string::npos;) {
    line(partial_.substr(0, end));
    partial_.erase(0, end + 1);
  }
}

void DriverProcess::pump(const std::vector<DriverProcess *> &drivers, int max_wait_ms) {
  std::vector<pollfd> fds;
  std::vector<std::pair<DriverProcess *, bool>> owners;  // the driver, and whether it is its stdout
  int timeout = max_wait_ms;
  for (DriverProcess *d : drivers) {
    d->kill_if_due();
    const int left = d->wait_ms();
    if (left >= 0) timeout = timeout < 0 ? left : std::min(timeout, left);
    if (d->out_ >= 0) {
      fds.push_back({d->out_, POLLIN, 0});
      owners.emplace_back(d, true);
    }
    if (d->err_ >= 0) {
      fds.push_back({d->err_, POLLIN, 0});
      owners.emplace_back(d, false);
    }
  }
  if (fds.empty()) return;
  if (::poll(fds.data(), fds.size(), timeout) > 0) {
    char buffer[65536];
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      auto [d, from_stdout] = owners[i];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        d->take(buffer, static_cast<std::size_t>(n), from_stdout);
        continue;
      }
      close(fds[i].fd);
      (from_stdout ? d->out_ : d->err_) = -1;
    }
  }
  for (DriverProcess *d : drivers) d->kill_if_due();
}

bool DriverProcess::finished() {
  if (reaped_) return true;
  if (out_ >= 0 || err_ >= 0) return false;
  int status = 0;
  waitpid(pid_, &status, 0);
  reaped_ = true;
  run_.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  run_.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run_.stderr_tail = errors_.size() > 2000 ? errors_.substr(errors_.size() - 2000) : errors_;
  return true;
}

DriverRun run_driver(const DriverArgs &args) {
  DriverProcess driver(args);
  while (!driver.finished()) DriverProcess::pump({&driver}, -1);
  return driver.run();
}

}  // namespace ordercare::testing
