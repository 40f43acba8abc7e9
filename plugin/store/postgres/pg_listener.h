// A second connection that only LISTENs, so an idle node hears at once
// that another committed work. Notifications carry nothing: they only say
// "look again"; the listener never takes part in a transaction, so it can
// hold up no commit. If it loses the server it reconnects (with the same
// backoff rule as the store's connection) and reports a change, since
// notifications sent meanwhile were lost.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <string>

namespace ordercare::store::postgres {

class PgListener {
 public:
  // `self` is what this node's own notifications carry, so it does not
  // wake itself.
  PgListener(std::string url, std::string channel, std::string self);
  ~PgListener();
  PgListener(const PgListener &) = delete;
  PgListener &operator=(const PgListener &) = delete;

  // Reads what arrived (never blocks); true if another node's notification
  // came, or the connection was just made again.
  bool drain();

 private:
  bool connect();

  std::string url_;
  std::string channel_;
  std::string self_;
  PGconn *conn_ = nullptr;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
};

}  // namespace ordercare::store::postgres
