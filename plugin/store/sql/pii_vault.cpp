#include "store/sql/pii_vault.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/crypto.h"
#include "common/failure.h"
#include "store/unreadable_row.h"

namespace ordercare::store::sql {

namespace {

constexpr const char *kCheckLabel = "ordercare pii master key check";

std::string read_key_file(const std::string &path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  auto key = crypto::base64_decode(text);
  if (!key || key->size() != 32)
    fail(OC_ERR_CONFIG, "crypto: '" + path + "' does not hold a base64 32-byte master key");
  return *key;
}

std::string create_key_file(const std::string &path, bool &created) {
  const std::string key = crypto::random_bytes(32);
  // Written under a name of its own, then linked into place: link() fails
  // if the file exists, so when several processes (or plugins of one
  // process) open a new store at once exactly one key wins and the others
  // read it.
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + crypto::hex_encode(crypto::random_bytes(6));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail(OC_ERR_STORE, "crypto: cannot create '" + tmp + "': " + std::strerror(errno));
  const std::string line = crypto::base64_encode(key) + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    const int error = errno;
    ::unlink(tmp.c_str());
    fail(OC_ERR_STORE, "crypto: cannot write '" + tmp + "': " + std::strerror(error));
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int error = errno;
  ::unlink(tmp.c_str());
  created = linked == 0;
  if (linked == 0) return key;
  if (error == EEXIST) return read_key_file(path);
  fail(OC_ERR_STORE, "crypto: cannot write '" + path + "': " + std::strerror(error));
}

std::optional<std::string> recorded_check(Connection &db) {
  auto select = db.prepare("SELECT value FROM meta WHERE key = 'pii.key_check'");
  if (!select->step()) return std::nullopt;
  return select->column_text(0);
}

bool file_exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string load_master_key(Connection &db, const std::string &key_file, const std::string &configured,
                            bool *created_key_file) {
  if (created_key_file) *created_key_file = false;
  std::string key = configured;
  if (key.empty()) {
    if (key_file.empty())
      fail(OC_ERR_CONFIG,
           "crypto: this store needs a master key shared by every process that opens it: set crypto.master_key "
           "or the environment variable crypto.master_key_env names (ORDERCARE_MASTER_KEY)");
    bool created = false;
    if (file_exists(key_file)) {
      key = read_key_file(key_file);
    } else if (!recorded_check(db)) {
      key = create_key_file(key_file, created);
    } else if (file_exists(key_file)) {
      key = read_key_file(key_file);  // made meanwhile by a process creating the store with this one
    } else {
      // A new random key would not open a single sealed value of the store,
      // and would stay behind for the next open to trip on.
      fail(OC_ERR_CONFIG, "crypto: the key file '" + key_file +
                              "' is missing, and the store beside it was created with a master key: restore the "
                              "key file from a backup, or give the store's key in crypto.master_key or "
                              "crypto.master_key_env (no new key file is made: it could not read the store)");
    }
    if (created_key_file) *created_key_file = created;
  }
  const std::string check = crypto::hex_encode(crypto::hmac_sha256(key, kCheckLabel));
  // The first opener records its key's check value; every later one (or a
  // concurrent one that lost the race) compares against it.
  db.prepare("INSERT INTO meta (key, value) VALUES ('pii.key_check', ?) ON CONFLICT (key) DO NOTHING")
      ->bind(1, check)
      .run();
  auto select = db.prepare("SELECT value FROM meta WHERE key = 'pii.key_check'");
  if (!select->step() || !crypto::constant_time_equal(select->column_text(0), check))
    fail(OC_ERR_CONFIG, "crypto: the master key does not match the one this store was created with");
  return key;
}

bool holds_store_key(Connection &db, const std::string &key_file) {
  try {
    const auto check = recorded_check(db);
    return check && crypto::constant_time_equal(
                        *check, crypto::hex_encode(crypto::hmac_sha256(read_key_file(key_file), kCheckLabel)));
  } catch (const Failure &) {
    return false;  // unreadable or missing: not this store's key
  }
}

PiiVault::PiiVault(Connection &db, std::string master_key) : db_(db), master_key_(std::move(master_key)) {}

DataKey *PiiVault::stored_key(const std::string &key_id, bool &exists) {
  auto select = db_.cached("SELECT wrapped_key FROM pii_keys WHERE key_id = ?");
  select->bind(1, key_id);
  exists = select->step();
  if (!exists || select->column_is_null(0)) return nullptr;  // absent, or erased
  auto key = crypto::aes256gcm_open(master_key_, select->column_blob(0), key_id);
  if (!key) throw UnreadableRow(OC_ERR_STORE, "crypto: the data key of a subject cannot be unwrapped");
  return &committed_.put(key_id, DataKey(std::move(*key)));
}

std::string PiiVault::wrap(const std::string &key_id, const std::string &key) {
  if (!master_sealer_) master_sealer_.emplace(master_key_);
  return master_sealer_->seal(key, key_id);
}

DataKey *PiiVault::data_key(const std::string &key_id, bool create) {
  if (DataKey *key = committed_.find(key_id)) return key;
  if (auto it = uncommitted_index_.find(key_id); it != uncommitted_index_.end()) return &uncommitted_[it->second].second;
  bool exists = false;
  if (DataKey *key = stored_key(key_id, exists); key || exists || !create) return key;
  DataKey key(crypto::random_bytes(32));
  auto insert = db_.cached(
      "INSERT INTO pii_keys (key_id, wrapped_key, created_at) VALUES (?, ?, 0) ON CONFLICT (key_id) DO NOTHING");
  insert->bind(1, key_id).bind_blob(2, wrap(key_id, key.bytes()));
  insert->run();
  // Another node created it first (PostgreSQL waits for its commit): use
  // theirs, so both seal under one key.
  if (db_.changes() == 0) return stored_key(key_id, exists);
  uncommitted_index_.emplace(key_id, uncommitted_.size());
  uncommitted_.emplace_back(key_id, std::move(key));
  return &uncommitted_.back().second;
}

// The fields sealed under the subject's key (nonce || ciphertext || tag);
// nullopt when there is nothing to hide or the subject was erased (its new
// PII is not kept).
std::optional<std::string> PiiVault::sealed_bytes(const std::string &key_id, const Json &pii) {
  if (!pii.is_object() || pii.empty()) return std::nullopt;
  DataKey *key = data_key(key_id, true);
  if (!key) return std::nullopt;
  return key->seal(dump_json(pii), key_id);
}

// The same, given the fields' text.
std::optional<std::string> PiiVault::sealed_bytes(const std::string &key_id, std::string_view plaintext) {
  DataKey *key = data_key(key_id, true);
  if (!key) return std::nullopt;
  return key->seal(plaintext, key_id);
}

Json PiiVault::seal(const std::string &key_id, const Json &pii) {
  auto sealed = sealed_bytes(key_id, pii);
  if (!sealed) return Json::object();
  return {{"$key", key_id}, {"$sealed", crypto::base64_encode(*sealed)}};
}

std::string PiiVault::seal_text(const std::string &key_id, const Json &pii) {
  return sealed_text(key_id, sealed_bytes(key_id, pii));
}

std::string PiiVault::seal_dumped(const std::string &key_id, std::string_view plaintext) {
  return sealed_text(key_id, sealed_bytes(key_id, plaintext));
}

std::string PiiVault::sealed_text(const std::string &key_id, const std::optional<std::string> &sealed) {
  if (!sealed) return "{}";
  // Keys in the order an object's map gives them: "$key" < "$sealed"; the
  // base64 written straight into the text (it has nothing to escape).
  std::string out;
  out.reserve(key_id.size() + (sealed->size() + 2) / 3 * 4 + 24);
  out += "{\"$key\":";
  if (!append_json_string(out, key_id))
    return dump_json(Json{{"$key", key_id}, {"$sealed", crypto::base64_encode(*sealed)}});
  out += ",\"$sealed\":\"";
  crypto::base64_append(out, *sealed);
  out += "\"}";
  return out;
}

std::optional<Json> PiiVault::open(const Json &sealed) {
  if (!sealed.is_object() || !sealed.contains("$sealed")) return sealed.is_object() ? sealed : Json::object();
  const std::string key_id = sealed.value("$key", "");
  const DataKey *key = data_key(key_id, false);
  if (!key) return std::nullopt;
  auto bytes = crypto::base64_decode(sealed.value("$sealed", ""));
  auto plain = bytes ? crypto::aes256gcm_open(key->bytes(), *bytes, key_id) : std::nullopt;
  if (!plain) throw UnreadableRow(OC_ERR_STORE, "crypto: a sealed value failed authentication (corrupt store?)");
  return parse_json(*plain, "sealed PII");
}

bool PiiVault::erase(const std::string &key_id, TimeMs at) {
  committed_.erase(key_id);
  if (auto it = uncommitted_index_.find(key_id); it != uncommitted_index_.end()) {
    // Rare: keep the order of the others and index them anew.
    uncommitted_.erase(uncommitted_.begin() + static_cast<std::ptrdiff_t>(it->second));
    uncommitted_index_.clear();
    for (std::size_t i = 0; i < uncommitted_.size(); ++i) uncommitted_index_.emplace(uncommitted_[i].first, i);
  }
  for (auto &mark : job_marks_) mark = std::min(mark, uncommitted_.size());
  // Counted, so every other process or node forgets the keys it cached
  // before it next opens anything (the stores read the count).
  db_.cached(
         "INSERT INTO meta (key, value) VALUES ('pii.erasures', '1') ON CONFLICT (key) DO UPDATE SET value = "
         "CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)")
      ->run();
  auto update = db_.cached(
      "UPDATE pii_keys SET wrapped_key = NULL, erased_at = ? WHERE key_id = ? AND wrapped_key IS NOT NULL");
  update->bind(1, at).bind(2, key_id);
  update->run();
  if (db_.changes() > 0) return true;
  // Never seen: record the erasure so later PII for it is not kept either.
  auto insert = db_.cached(
      "INSERT INTO pii_keys (key_id, wrapped_key, created_at, erased_at) VALUES (?, NULL, ?, ?) "
      "ON CONFLICT (key_id) DO NOTHING");
  insert->bind(1, key_id).bind(2, at).bind(3, at);
  insert->run();
  return false;
}

std::size_t PiiVault::keys_ready_to_seal() const {
  std::size_t n = committed_.ready_to_seal();
  for (const auto &entry : uncommitted_) n += entry.second.ready_to_seal() ? 1 : 0;
  return n;
}

void PiiVault::on_job_begin() { job_marks_.push_back(uncommitted_.size()); }

void PiiVault::on_job_release() {
  if (!job_marks_.empty()) job_marks_.pop_back();
}

void PiiVault::on_job_rollback() {
  if (job_marks_.empty()) return;
  while (uncommitted_.size() > job_marks_.back()) {
    uncommitted_index_.erase(uncommitted_.back().first);
    uncommitted_.pop_back();
  }
  job_marks_.pop_back();
}

void PiiVault::on_batch_commit() {
  for (auto &[id, key] : uncommitted_) committed_.put(id, std::move(key));
  uncommitted_.clear();
  uncommitted_index_.clear();
  job_marks_.clear();
}

void PiiVault::forget_keys() { committed_.clear(); }

void PiiVault::on_batch_rollback() {
  uncommitted_.clear();
  uncommitted_index_.clear();
  job_marks_.clear();
  // Keys created in the batch are gone with it, and so may be keys the cache
  // read back from rows of the batch (a key whose erasure a job rolled back
  // is read from the table, not from uncommitted_): forget them all; the
  // committed ones reload.
  committed_.clear();
}

}  // namespace ordercare::store::sql
