// A throwaway PostgreSQL 15 server that a test or benchmark starts for
// itself: its own cluster in a temporary directory, on a free loopback port,
// with trust authentication, removed when the object goes.
//
//   auto pg = PgServer::start({});
//   pg->psql("create schema s1");
//   Store store(pg->url());
//   pg->stop_now();          // the server goes away mid-stream...
//   pg->start_again();       // ...and comes back on the same port and data
//
// initdb and postgres refuse to run as root, so as root the cluster belongs
// to nobody:nogroup and every server binary runs through setpriv; as anyone
// else it belongs to the caller. Everything goes through the command-line
// tools, so oc_test_support does not link libpq.
//
// Failures throw std::runtime_error carrying the tool's output and the tail
// of the server log. One thread at a time may use a PgServer.
#pragma once

#include <memory>
#include <string>

namespace ordercare::testing {

struct PgServerOptions {
  // false for tests: fsync=off and full_page_writes=off, as a test's data
  // dies with the test. true for benchmarks: PostgreSQL's own defaults, so
  // commits cost what they cost in production.
  bool durable = false;
  int max_connections = 100;
  // Where initdb, pg_ctl, createdb and psql live; $OC_PG_BINDIR overrides.
  std::string bin_dir = "/usr/lib/postgresql/15/bin";
};

class PgServer {
 public:
  // Creates the cluster, starts the server and creates database `ordercare`
  // owned by role `ordercare`. Takes about half a second.
  static std::unique_ptr<PgServer> start(const PgServerOptions &options);

  // Stops the server without a checkpoint and removes the cluster.
  ~PgServer();
  PgServer(const PgServer &) = delete;
  PgServer &operator=(const PgServer &) = delete;

  // "postgresql://ordercare@127.0.0.1:<port>/ordercare"; the same for the
  // server's whole life, across stop and start_again.
  std::string url() const;
  int port() const { return port_; }
  const std::string &data_dir() const { return data_dir_; }
  bool running() const { return running_; }

  // A clean shutdown (pg_ctl -m fast). Does nothing if already stopped.
  void stop();
  // A crash as clients see it (pg_ctl -m immediate): connections drop, and
  // the next start replays the WAL. Does nothing if already stopped.
  void stop_now();
  // Starts the stopped server again on the same port and data.
  void start_again();
  // stop_now() then start_again().
  void restart();

  // Runs `sql` through psql (-X -q -At, ON_ERROR_STOP) on database
  // `ordercare` and returns its output without the final newline: one line
  // per row, columns joined by '|'. Throws with psql's errors on failure.
  std::string psql(const std::string &sql) const;

 private:
  explicit PgServer(const PgServerOptions &options);
  void init_cluster();
  void configure();
  void launch();
  void create_database();
  void pg_ctl_stop(const char *mode);

  PgServerOptions options_;
  std::string dir_;       // the temporary directory: cluster, socket, log
  std::string data_dir_;  // dir_ + "/data"
  std::string log_file_;  // dir_ + "/server.log"
  int port_ = 0;
  bool running_ = false;
};

// The shared server of a ctest run (tests/support/pg_fixture.sh, wired as
// the "postgres" fixture): the URL in the file named by $OC_TEST_PG_URL_FILE,
// else $OC_TEST_PG_URL itself, else "" (no shared server: skip or start one).
std::string test_pg_url();

// A schema name no other test, thread or process sharing that server will
// pick: the hint (lowercased, other characters as '_'), then the pid, a
// counter and random letters; at most 48 characters of [a-z0-9_], starting
// with a letter, so it needs no quoting.
std::string unique_pg_schema(const std::string &hint);

}  // namespace ordercare::testing
