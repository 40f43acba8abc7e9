#include "store/postgres/pg_listener.h"

#include <algorithm>

namespace ordercare::store::postgres {

namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};

void ignore_notice(void *, const char *) {}

}  // namespace

PgListener::PgListener(std::string url, std::string channel, std::string self)
    : url_(std::move(url)), channel_(std::move(channel)), self_(std::move(self)) {
  connect();
}

PgListener::~PgListener() {
  if (conn_) PQfinish(conn_);
}

bool PgListener::connect() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  const char *keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char *values[] = {"5", "ordercare-listen", url_.c_str(), nullptr};
  PGconn *conn = PQconnectdbParams(keywords, values, 1);
  bool ok = conn && PQstatus(conn) == CONNECTION_OK;
  if (ok) {
    PQsetNoticeProcessor(conn, ignore_notice, nullptr);
    PGresult *result = PQexec(conn, ("LISTEN \"" + channel_ + "\"").c_str());
    ok = PQresultStatus(result) == PGRES_COMMAND_OK && PQsetnonblocking(conn, 1) == 0;
    PQclear(result);
  }
  if (!ok) {
    if (conn) PQfinish(conn);
    backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
    next_attempt_ = std::chrono::steady_clock::now() + backoff_;
    return false;
  }
  conn_ = conn;
  backoff_ = std::chrono::milliseconds(0);
  return true;
}

bool PgListener::drain() {
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    if (std::chrono::steady_clock::now() < next_attempt_) return false;
    return connect();
  }
  if (PQconsumeInput(conn_) == 0) {
    // The server went away: try again after the backoff.
    PQfinish(conn_);
    conn_ = nullptr;
    backoff_ = std::clamp(backoff_ * 2, kFirstBackoff, kMaxBackoff);
    next_attempt_ = std::chrono::steady_clock::now() + backoff_;
    return false;
  }
  bool notified = false;
  while (PGnotify *notify = PQnotifies(conn_)) {
    if (!notify->extra || self_ != notify->extra) notified = true;
    PQfreemem(notify);
  }
  return notified;
}

}  // namespace ordercare::store::postgres
