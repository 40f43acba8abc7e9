// The one place customer PII passes through on its way to and from disk.
// Each subject ("customer:<id>", or "order:<id>" until an order's customer
// is known) has its own random AES-256 data key, stored wrapped
// (AES-256-GCM) by the master key. Erasing a customer destroys their keys:
// every sealed value of theirs, in cases, logs, events and the outbox,
// becomes unreadable while the rows stay for metrics.
//
// A sealed value is {"$key": "<key id>", "$sealed": "<base64 nonce|ct|tag>"},
// the key id bound in as associated data.
//
// Unwrapped keys are cached (the kCachedKeys most recently used; an erased
// key leaves at once), and only while nothing says another
// process or node may have erased one: the store calls forget_keys() when
// it sees someone else's commit, so an erasure elsewhere is never undone
// by a key remembered here.
//
// A vault belongs to its store's connection and is used by the one thread
// that drives it (the writer), never by two at once: its keys' cipher
// contexts change with every seal.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/crypto.h"
#include "common/json.h"
#include "common/time_format.h"
#include "store/sql/connection.h"
#include "store/sql/key_cache.h"

namespace ordercare::store::sql {

class PiiVault {
 public:
  PiiVault(Connection &db, std::string master_key);

  // Seals an object of PII fields; an empty object stays {} (nothing to hide).
  Json seal(const std::string &key_id, const Json &pii);
  // The same as the text dump_json(seal(...)) is, written without the
  // object: "{}" when nothing is kept.
  std::string seal_text(const std::string &key_id, const Json &pii);
  // seal_text(key_id, pii) given dump_json(pii) of a non-empty object, as
  // a writer that never built the object has it (domain/json_text.h).
  std::string seal_dumped(const std::string &key_id, std::string_view plaintext);
  // Opens a sealed value (a plain object is returned as it is). nullopt if
  // the key was erased.
  std::optional<Json> open(const Json &sealed);

  // Destroys the key; true if it existed and was live.
  bool erase(const std::string &key_id, TimeMs at);

  // Transaction hooks (jobs nest), so a key created by a job that is
  // rolled back is never used again from the cache.
  void on_job_begin();
  void on_job_release();
  void on_job_rollback();
  void on_batch_commit();
  void on_batch_rollback();
  // Another process or node committed: any cached key may be erased now.
  void forget_keys();

  // How many unwrapped keys the cache holds at most, and holds now.
  static constexpr std::size_t kCachedKeys = 4096;
  std::size_t cached_keys() const { return committed_.size(); }
  // How many keys, cached or created in this batch, hold a cipher context.
  std::size_t keys_ready_to_seal() const;

 private:
  std::optional<std::string> sealed_bytes(const std::string &key_id, const Json &pii);
  std::optional<std::string> sealed_bytes(const std::string &key_id, std::string_view plaintext);
  std::string sealed_text(const std::string &key_id, const std::optional<std::string> &sealed);
  // The data key, creating it when `create` and it does not exist. null if
  // erased (or absent and not created). Valid until the vault next changes.
  DataKey *data_key(const std::string &key_id, bool create);
  // The key as stored (cached when live); `exists` says whether a row was found.
  DataKey *stored_key(const std::string &key_id, bool &exists);
  // A new data key, wrapped by the master key for its row in pii_keys.
  std::string wrap(const std::string &key_id, const std::string &key);

  Connection &db_;
  std::string master_key_;
  std::optional<crypto::GcmSealer> master_sealer_;           // made on the first key created
  KeyCache committed_{kCachedKeys};                          // key id -> data key
  std::vector<std::pair<std::string, DataKey>> uncommitted_;  // created in this batch, in order
  // Where each of them is in uncommitted_: a batch of new customers creates
  // hundreds of keys, and every seal looks one up.
  std::unordered_map<std::string, std::size_t> uncommitted_index_;
  std::vector<std::size_t> job_marks_;  // uncommitted_.size() at each open job's start
};

// The master key for a store: the configured one, or the one in `key_file`
// (created with mode 0600 on first open, once even when several processes
// open a new store together; `*created_key_file` says whether this call
// made it); a store with neither (PostgreSQL: every node must hold the same
// key) fails with OC_ERR_CONFIG. Checks it against the check value the
// store recorded when it was created, so a wrong key fails at open instead
// of producing unreadable data. A store that has recorded one but whose key
// file is missing fails with OC_ERR_CONFIG and no key file is made.
std::string load_master_key(Connection &db, const std::string &key_file, const std::string &configured,
                            bool *created_key_file = nullptr);

// Whether `key_file` holds the master key this store recorded at creation.
bool holds_store_key(Connection &db, const std::string &key_file);

}  // namespace ordercare::store::sql
