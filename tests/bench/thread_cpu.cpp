#include "bench/thread_cpu.h"

#include <time.h>

#include <filesystem>
#include <fstream>

namespace ordercare::bench {

double thread_cpu_seconds(const std::string &name) {
  double seconds = 0;
  std::error_code error;
  for (const auto &task : std::filesystem::directory_iterator("/proc/self/task", error)) {
    std::ifstream comm(task.path() / "comm");
    std::string thread_name;
    if (!std::getline(comm, thread_name) || thread_name != name) continue;
    // schedstat: nanoseconds on a CPU, nanoseconds waiting, time slices.
    std::ifstream schedstat(task.path() / "schedstat");
    unsigned long long on_cpu_ns = 0;
    if (schedstat >> on_cpu_ns) seconds += static_cast<double>(on_cpu_ns) / 1e9;
  }
  return seconds;
}

double this_thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace ordercare::bench
