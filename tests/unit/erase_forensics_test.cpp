// customer.erase, examined the way someone holding a copy of the store's
// files would: with the master key file that sits beside a SQLite store,
// the raw bytes of the database, its WAL and its shared-memory index are
// searched for the customer's plaintext, for the wrapped data keys the
// vault held before the erasure, and for anything at any offset that the
// master key unwraps as one of those keys. Erasure must leave none of it
// once the call returns, while the plugin and other readers are still
// open. On PostgreSQL: the key row keeps no key and the key table was
// vacuumed after the erasure committed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "ingest/shopify_mapper.h"
#include "store/store.h"
#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kCustomer("c-forensic", "Ottilie Wrenfeather", {}, "ottilie.wrenfeather@example.net",
                             "+33 1 70 36 99 42");
const std::string kMessage = "The teapot shattered, please call me on my mobile at 0612-884-301";
const std::string kReplyNote = "Spoke with Ottilie about the Wrenfeather family teapot";

const std::vector<std::string> kPlaintext = {
    "Ottilie Wrenfeather", "ottilie.wrenfeather@example.net", "+33 1 70 36 99 42", "0612-884-301",
    "Wrenfeather family teapot",
};

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Writes PII about the customer through the plugin: two orders, a message
// that opens a case, and an agent's note about them.
void write_customer(Scenario &s) {
  s.submit(s.order_created("F1", kCustomer));
  s.submit(s.order_created("F2", kCustomer));
  const std::string case_id = s.submit(s.message(kCustomer, "F1", "email", kMessage))["cases"][0];
  s.call("case.note", {{"id", case_id}, {"agent", "kim"}, {"text", kReplyNote}});
}

// A connection of the test's own to the store file: another reader, as
// another process would hold one.
class RawDb {
 public:
  explicit RawDb(const std::string &path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      ADD_FAILURE() << "cannot open " << path;
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb &) = delete;
  RawDb &operator=(const RawDb &) = delete;

  void exec(const char *sql) { EXPECT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql; }

  // key id -> wrapped key, of every live key whose id names the customer or
  // one of their orders.
  std::map<std::string, std::string> wrapped_keys() {
    std::map<std::string, std::string> out;
    sqlite3_stmt *stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_,
                                 "SELECT key_id, wrapped_key FROM pii_keys WHERE wrapped_key IS NOT NULL AND "
                                 "key_id IN ('customer:c-forensic', 'order:F1', 'order:F2')",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto *blob = static_cast<const char *>(sqlite3_column_blob(stmt, 1));
      out[reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0))] =
          std::string(blob, static_cast<std::size_t>(sqlite3_column_bytes(stmt, 1)));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3 *db_ = nullptr;
};

struct StoreFiles {
  std::map<std::string, std::string> bytes;  // file name -> contents ("" if absent)
};

StoreFiles read_store_files(const std::string &db_path) {
  StoreFiles files;
  for (const char *suffix : {"", "-wal", "-shm", "-journal"}) files.bytes[db_path + suffix] = read_file(db_path + suffix);
  return files;
}

std::string master_key_beside(const std::string &db_path) {
  std::string line;
  std::ifstream in(db_path + ".key");
  std::getline(in, line);
  auto key = crypto::base64_decode(line);
  EXPECT_TRUE(key && key->size() == 32) << "no master key file beside the store";
  return key ? *key : std::string(32, '\0');
}

// What an attacker with the files and the key file gets: every place, in
// any of the files, where a window the size of a wrapped key unwraps under
// the master key as one of the customer's data keys.
std::vector<std::string> recoverable(const StoreFiles &files, const std::string &master_key,
                                     const std::map<std::string, std::string> &wrapped) {
  std::vector<std::string> found;
  for (const auto &[name, bytes] : files.bytes) {
    for (const auto &[key_id, wrapped_key] : wrapped) {
      if (bytes.find(wrapped_key) != std::string::npos)
        found.push_back(key_id + "'s wrapped key, byte for byte, in " + name);
      const std::size_t size = wrapped_key.size();
      for (std::size_t at = 0; at + size <= bytes.size(); ++at) {
        if (crypto::aes256gcm_open(master_key, std::string_view(bytes).substr(at, size), key_id)) {
          found.push_back(key_id + "'s data key, unwrapped from " + name + " at offset " + std::to_string(at));
          break;
        }
      }
    }
    for (const auto &text : kPlaintext)
      if (bytes.find(text) != std::string::npos) found.push_back("'" + text + "' in plaintext in " + name);
  }
  return found;
}

std::string join(const std::vector<std::string> &lines) {
  std::string out;
  for (const auto &line : lines) out += "  " + line + "\n";
  return out;
}

TEST(EraseForensics, NothingOfAnErasedCustomerCanBeRecoveredFromTheStoreFiles) {
  OC_SQLITE_ONLY("the store's own files, read raw");
  Scenario s;
  write_customer(s);
  // Another process's connection, open (idle) through the erasure.
  RawDb other(s.db_path());
  const auto wrapped = other.wrapped_keys();
  ASSERT_EQ(wrapped.count("customer:c-forensic"), 1u) << "the customer's data key";
  const std::string master_key = master_key_beside(s.db_path());
  // The attack works on what is there before the erasure: the test would
  // see a key if one were left.
  ASSERT_FALSE(recoverable(read_store_files(s.db_path()), master_key, wrapped).empty());

  const Json erased = s.call("customer.erase", {{"customer_id", kCustomer.id}});
  EXPECT_EQ(erased["erased"], true);
  EXPECT_EQ(erased.value("scrubbed", false), true) << erased.dump();

  // The plugin is still open, and so is the other reader.
  const StoreFiles after = read_store_files(s.db_path());
  EXPECT_EQ(after.bytes.at(s.db_path() + "-wal").size(), 0u) << "the WAL is checkpointed and truncated";
  const auto found = recoverable(after, master_key, wrapped);
  EXPECT_TRUE(found.empty()) << "recoverable after customer.erase returned:\n" << join(found);
  EXPECT_TRUE(other.wrapped_keys().empty());

  // The store goes on working, and the customer's data reads as erased.
  s.submit(s.order_created("F3", CustomerSpec("c-other", "Someone Else")));
  const Json c = s.get_case(s.only_case("F1")["id"]);
  EXPECT_FALSE(c.value("pii", Json::object()).contains("description")) << c.dump();
}

// Shopify's customers/redact, as the webhook server maps it: the same
// erasure as customer.erase, the store's files scrubbed before the answer.
TEST(EraseForensics, AShopifyCustomersRedactWebhookLeavesNothingRecoverable) {
  OC_SQLITE_ONLY("the store's own files, read raw");
  Scenario s;
  write_customer(s);
  RawDb other(s.db_path());
  const auto wrapped = other.wrapped_keys();
  const std::string master_key = master_key_beside(s.db_path());
  ASSERT_FALSE(recoverable(read_store_files(s.db_path()), master_key, wrapped).empty());

  const Json payload = {{"shop_id", 954889},
                        {"shop_domain", "keramik-o.myshopify.com"},
                        {"customer", {{"id", kCustomer.id}, {"email", kCustomer.email}}},
                        {"orders_to_redact", Json::array({"F1", "F2"})}};
  const ingest::Headers headers{{"X-Shopify-Triggered-At", format_rfc3339(s.now())}};
  const ingest::MappedEvents mapped = ingest::map_shopify("customers/redact", headers, payload);
  ASSERT_EQ(mapped.events.size(), 1u) << mapped.reason;
  s.submit(mapped.events[0]);

  const auto found = recoverable(read_store_files(s.db_path()), master_key, wrapped);
  EXPECT_TRUE(found.empty()) << "recoverable after customers/redact:\n" << join(found);
  EXPECT_TRUE(other.wrapped_keys().empty());
  // Delivered again (Shopify retries): a duplicate, and still erased.
  EXPECT_EQ(s.submit(mapped.events[0])["status"], "duplicate");
  const Json c = s.get_case(s.only_case("F1")["id"]);
  EXPECT_FALSE(c.value("pii", Json::object()).contains("description")) << c.dump();
}

TEST(EraseForensics, AReaderOfAnOlderSnapshotDelaysTheScrubAndTheAnswerSaysSo) {
  OC_SQLITE_ONLY("SQLite's checkpoint waits for readers");
  Scenario s(Json{{"store", {{"busy_timeout", "200ms"}, {"wake_interval", "20ms"}}}});
  write_customer(s);
  const std::string master_key = master_key_beside(s.db_path());
  RawDb reader(s.db_path());
  const auto wrapped = reader.wrapped_keys();
  ASSERT_EQ(wrapped.count("customer:c-forensic"), 1u);
  // A snapshot from before the erasure, held across it: the WAL frames it
  // reads cannot be dropped while it lasts.
  reader.exec("BEGIN");
  EXPECT_EQ(reader.wrapped_keys(), wrapped);

  const auto started = std::chrono::steady_clock::now();
  const Json erased = s.call("customer.erase", {{"customer_id", kCustomer.id}});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(erased["erased"], true);
  EXPECT_EQ(erased.value("scrubbed", true), false) << erased.dump();
  EXPECT_GE(took, std::chrono::milliseconds(150)) << "it waited for the reader, within busy_timeout";
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(reader.wrapped_keys(), wrapped) << "the old snapshot still reads the keys";

  // Once the reader is gone the plugin finishes the scrub on its own, at a
  // tick of its store watch, without another call.
  // The wait watches the WAL's size (the scrub truncates it): the forensic
  // search tries an unwrap at every byte offset, seconds under ASan, and is
  // run once the WAL is empty or the bound has passed.
  reader.exec("COMMIT");
  const std::string wal = s.db_path() + "-wal";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(wal) > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const std::vector<std::string> found = recoverable(read_store_files(s.db_path()), master_key, wrapped);
  EXPECT_TRUE(found.empty()) << "still recoverable after the reader left:\n" << join(found);

  // Asking again reports the scrub done.
  EXPECT_EQ(s.call("customer.erase", {{"customer_id", kCustomer.id}}).value("scrubbed", false), true);
}

// psql on the scenario's server, in its schema: one line per row.
std::string psql(const Scenario &s, const std::string &sql) {
  const Json &section = s.store_section();
  const std::string command = "/usr/lib/postgresql/15/bin/psql -X -q -At -v ON_ERROR_STOP=1 '" +
                              section["url"].get<std::string>() + "' -c \"SET search_path TO " +
                              section["schema"].get<std::string>() + "\" -c \"" + sql + "\" 2>&1";
  std::string out;
  if (FILE *pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    ::pclose(pipe);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// What the PostgreSQL tests ask: the forensic customer's keys still live,
// and how often pii_keys was vacuumed.
const std::string kLiveKeys =
    "SELECT count(*) FROM pii_keys WHERE wrapped_key IS NOT NULL AND "
    "key_id IN ('customer:c-forensic', 'order:F1', 'order:F2')";
const std::string kVacuums =
    "SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'pii_keys'";

TEST(EraseForensics, OnPostgresTheKeyRowsKeepNoKeyAndTheKeyTableIsVacuumed) {
  if (!on_postgres()) GTEST_SKIP() << "PostgreSQL only (registered as pg.EraseForensics.*)";
  Scenario s;
  write_customer(s);
  ASSERT_NE(psql(s, kLiveKeys), "0");
  const std::string vacuums_before = psql(s, kVacuums);

  const Json erased = s.call("customer.erase", {{"customer_id", kCustomer.id}});
  EXPECT_EQ(erased["erased"], true);
  EXPECT_EQ(erased.value("scrubbed", false), true) << erased.dump();
  EXPECT_EQ(psql(s, kLiveKeys), "0");
  // VACUUM reports to the statistics as it ends, before customer.erase returns.
  EXPECT_GT(std::stoll(psql(s, kVacuums)), std::stoll(vacuums_before)) << "pii_keys was vacuumed";
  // What is left is documented (abi/CALLS.md, customer.erase); the sealed
  // values are there and nothing opens them.
  for (const auto &text : kPlaintext) EXPECT_EQ(s.raw_store_bytes().find(text), std::string::npos) << text;
}

// The same for Shopify's customers/redact on PostgreSQL: no live key, the
// key table vacuumed once the webhook's event committed.
TEST(EraseForensics, OnPostgresAShopifyCustomersRedactKeepsNoKeyEither) {
  if (!on_postgres()) GTEST_SKIP() << "PostgreSQL only (registered as pg.EraseForensics.*)";
  Scenario s;
  write_customer(s);
  ASSERT_NE(psql(s, kLiveKeys), "0");
  const std::string vacuums_before = psql(s, kVacuums);
  const Json payload = {{"shop_id", 954889},
                        {"shop_domain", "keramik-o.myshopify.com"},
                        {"customer", {{"id", kCustomer.id}, {"email", kCustomer.email}}}};
  const ingest::Headers headers{{"X-Shopify-Triggered-At", format_rfc3339(s.now())}};
  s.submit(ingest::map_shopify("customers/redact", headers, payload).events.at(0));
  EXPECT_EQ(psql(s, kLiveKeys), "0");
  EXPECT_GT(std::stoll(psql(s, kVacuums)), std::stoll(vacuums_before)) << "pii_keys was vacuumed";
}

}  // namespace
}  // namespace ordercare::testing
