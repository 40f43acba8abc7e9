#include "bench/write_replay.h"

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "bench/sqlite_cell.h"
#include "store/store.h"

namespace ordercare::bench {

WriteReplay::WriteReplay(const Recording &recording, const std::string &path, bool checkpoints)
    : recording_(recording), path_(path) {
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  std::filesystem::copy_file(recording.template_path, path);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db_));
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode = WAL");
  exec("PRAGMA synchronous = FULL");
  exec("PRAGMA foreign_keys = ON");
  exec("PRAGMA secure_delete = ON");
  // The page cache ordercare's own connection has (store.page_cache_kib's
  // default), so both sides spill the same way.
  exec(("PRAGMA cache_size = -" + std::to_string(store::StoreConfig{}.page_cache_kib)).c_str());
  if (!checkpoints) exec("PRAGMA wal_autocheckpoint = 0");
  sqlite3_stmt *size = nullptr;
  sqlite3_prepare_v2(db_, "PRAGMA page_size", -1, &size, nullptr);
  if (sqlite3_step(size) == SQLITE_ROW) page_size_ = sqlite3_column_int(size, 0);
  sqlite3_finalize(size);
  for (const auto &sql : recording.statements) {
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK)
      throw std::runtime_error("prepare " + sql.substr(0, 60) + ": " + sqlite3_errmsg(db_));
    statements_.push_back(stmt);
  }
}

WriteReplay::~WriteReplay() {
  for (auto *stmt : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

void WriteReplay::exec(const char *sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string(sql) + ": " + sqlite3_errmsg(db_));
}

std::int64_t WriteReplay::wal_bytes() const {
  std::error_code error;
  const auto size = std::filesystem::file_size(path_ + "-wal", error);
  return error ? 0 : static_cast<std::int64_t>(size);
}

ReplayResult WriteReplay::run(std::size_t per_transaction, double budget_seconds,
                              const std::function<void(std::size_t, std::size_t)> &after_commit) {
  using Clock = std::chrono::steady_clock;
  ReplayResult result;
  const auto &events = recording_.events;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(budget_seconds);
  Clock::duration outside{};
  for (std::size_t first = 0; first < events.size() && Clock::now() - outside < deadline;) {
    const std::size_t end = std::min(events.size(), first + per_transaction);
    exec("BEGIN IMMEDIATE");
    for (std::size_t e = first; e < end; ++e)
      for (const auto &write : events[e].kept) {
        sqlite3_stmt *stmt = statements_[write.statement];
        for (std::size_t v = 0; v < write.values.size(); ++v) bind_cell(stmt, static_cast<int>(v + 1), write.values[v]);
        const int rc = sqlite3_step(stmt);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
          if (result.failed_writes++ == 0)
            result.first_failure = recording_.statements[write.statement].substr(0, 80) + ": " + sqlite3_errmsg(db_);
        }
        sqlite3_reset(stmt);
        ++result.writes;
      }
    exec("COMMIT");
    ++result.commits;
    result.events += end - first;
    if (after_commit) {
      const auto pause = Clock::now();
      after_commit(first, end);
      outside += Clock::now() - pause;
    }
    first = end;
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start - outside).count();
  return result;
}

}  // namespace ordercare::bench
