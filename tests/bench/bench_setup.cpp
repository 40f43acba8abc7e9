#include "bench/bench_setup.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace ordercare::bench {

std::string make_bench_dir(const std::string &name) {
  const char *base = std::getenv("OC_BENCH_DIR");
  if (!base || !*base) base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/ordercare-" + name + "-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::perror("mkdtemp");
    return "";
  }
  return pattern;
}

std::vector<std::string> engines_from_env(const char *variable, std::vector<std::string> defaults) {
  const char *text = std::getenv(variable);
  if (!text || !*text) return defaults;
  std::istringstream in(text);
  std::vector<std::string> engines;
  for (std::string e; in >> e;) {
    if (e != "sqlite" && e != "postgres")
      throw std::runtime_error(std::string(variable) + ": unknown engine '" + e + "'");
    if (std::find(engines.begin(), engines.end(), e) == engines.end()) engines.push_back(e);
  }
  return engines;
}

std::unique_ptr<testing::PgServer> start_server_for(const std::string &engine, std::string &failure) {
  if (engine != "postgres") return nullptr;
  try {
    testing::PgServerOptions options;
    options.durable = true;
    auto pg = testing::PgServer::start(options);
    std::printf("\nPostgreSQL: a throwaway durable server (fsync on, synchronous_commit on) at %s, data in %s\n",
                pg->url().c_str(), pg->data_dir().c_str());
    return pg;
  } catch (const std::exception &e) {
    failure = std::string("the server did not start: ") + e.what();
    return nullptr;
  }
}

}  // namespace ordercare::bench
