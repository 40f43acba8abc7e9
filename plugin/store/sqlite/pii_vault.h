// The one place customer PII passes through on its way to and from disk.
// Each subject ("customer:<id>", or "order:<id>" until an order's customer
// is known) has its own random AES-256 data key, stored wrapped
// (AES-256-GCM) by the master key. Erasing a customer destroys their keys:
// every sealed value of theirs, in cases, logs, events and the outbox,
// becomes unreadable while the rows stay for metrics.
//
// A sealed value is {"$key": "<key id>", "$sealed": "<base64 nonce|ct|tag>"},
// the key id bound in as associated data.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "store/sqlite/database.h"

namespace ordercare::store::sqlite {

class PiiVault {
 public:
  PiiVault(Database &db, std::string master_key);

  // Seals an object of PII fields; an empty object stays {} (nothing to hide).
  Json seal(const std::string &key_id, const Json &pii);
  // Opens a sealed value (a plain object is returned as it is). nullopt if
  // the key was erased.
  std::optional<Json> open(const Json &sealed);

  // Destroys the key; true if it existed and was live.
  bool erase(const std::string &key_id, TimeMs at);

  // Transaction hooks, so a key created by a job that is rolled back is
  // never used again from the cache.
  void on_job_begin();
  void on_job_rollback();
  void on_batch_commit();
  void on_batch_rollback();

 private:
  // The data key, creating it when `create` and it does not exist. nullopt
  // if erased (or absent and not created).
  std::optional<std::string> data_key(const std::string &key_id, bool create);

  Database &db_;
  std::string master_key_;
  std::map<std::string, std::string> committed_;                // key id -> data key
  std::vector<std::pair<std::string, std::string>> uncommitted_;  // created in this batch
  std::size_t job_mark_ = 0;
};

// The master key for a store: the configured one, or the one in
// "<path>.key" (created with mode 0600 on first open). Checks it against
// the check value the store recorded when it was created, so a wrong key
// fails at open instead of producing unreadable data.
std::string load_master_key(Database &db, const std::string &store_path,
                            const std::string &configured);

}  // namespace ordercare::store::sqlite
