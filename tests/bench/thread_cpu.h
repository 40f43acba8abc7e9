// CPU time of this process's threads by name (the library names its
// writer "oc-writer"): where a row's time went, read from /proc, so the
// library needs no hook. The writer's CPU per event is the figure that
// bounds every durable row, and unlike events/s it does not move when
// another program shares the machine.
#pragma once

#include <string>

namespace ordercare::bench {

// Seconds of CPU the threads named `name` have run so far (0 if none).
double thread_cpu_seconds(const std::string &name);

// Seconds of CPU the calling thread has run so far.
double this_thread_cpu_seconds();

}  // namespace ordercare::bench
