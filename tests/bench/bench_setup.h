// What the benchmarks that run on both engines set up alike: where their
// SQLite files go, which engines the environment asks for, and a
// throwaway durable PostgreSQL server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/pg_server.h"

namespace ordercare::bench {

// A fresh directory "<OC_BENCH_DIR or TMPDIR or /tmp>/ordercare-<name>-XXXXXX",
// or "" (and the reason on stderr) if it cannot be made.
std::string make_bench_dir(const std::string &name);

// The engines `variable` names ("sqlite postgres"), each once, in order;
// `defaults` when it is unset or empty. An unknown engine throws, naming
// the variable.
std::vector<std::string> engines_from_env(const char *variable, std::vector<std::string> defaults);

// Starts a durable server (fsync and synchronous_commit on) for `engine`
// "postgres" and says where; null for SQLite. A server that does not start
// leaves null and the reason in `failure`, so the caller reports the
// engine's rows as not measured and goes on with the others.
std::unique_ptr<testing::PgServer> start_server_for(const std::string &engine, std::string &failure);

}  // namespace ordercare::bench
