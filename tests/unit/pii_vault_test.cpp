// Customer PII at rest: sealed under a per-customer key so that no name,
// contact detail, address or message text is ever in the store file in
// plaintext, erased by destroying the key (the cases stay, countable), a
// master key checked at open, a key file only its owner can read, and no
// data key cached from a job that was rolled back.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "common/failure.h"
#include "domain/entities.h"
#include "domain/entities_json.h"
#include "store/sql/key_cache.h"
#include "store/sql/pii_vault.h"
#include "store/sql/sealed_document.h"
#include "store/sql/sql_store.h"
#include "store/store.h"
#include "support/scenario.h"
#include "support/test_store.h"

namespace ordercare::testing {
namespace {

const CustomerSpec kZelda("c-zq", "Zelda Quixote", {}, "zelda.quixote@example.org", "+44 20 7946 0958");

// Every piece of PII the scenario below writes.
const std::vector<std::string> kPii = {
    "Zelda Quixote",
    "zelda.quixote@example.org",
    "+44 20 7946 0958",
    "221B Baker Street",
    "Leave it with Mrs Hudson next door",
    "my passphrase is BLUEBERRY-7731",
    "Found it cheaper at Borgin and Burkes",
    "Deliver to 4 Privet Drive instead",
    "Scratched by Crookshanks",
    "Dear Ms Quixote, we are so sorry",
    "Called her landline, spoke to Gaston",
    "Lovely service from Hagrid",
    "I will sue you, my lawyer Saul Goodman",
};

struct Written {
  std::string case_id;       // the damaged-item case of order A
  std::string legal_case;    // the escalated case of order L
  std::string order_event;   // order.created of A
  std::string message_event; // the first message about A
  std::string early_cancel;  // a cancellation of Z, sent before Z was known
};

Written write_pii(Scenario &s) {
  Written w;
  Json order = s.order_created("A", kZelda,
                               OrderOptions()
                                   .ship_to({{"line1", "221B Baker Street"}, {"city", "London"}})
                                   .with_note("Leave it with Mrs Hudson next door"));
  w.order_event = order["id"];
  s.submit(order);
  Json message = s.message(kZelda, "A", "email", "The vase arrived broken, my passphrase is BLUEBERRY-7731");
  w.message_event = message["id"];
  w.case_id = s.submit(message)["cases"][0];
  s.call("case.reply", {{"id", w.case_id}, {"agent", "kim"}, {"text", "Dear Ms Quixote, we are so sorry"}});
  s.call("case.note", {{"id", w.case_id}, {"agent", "kim"}, {"text", "Called her landline, spoke to Gaston"}});
  s.call("case.resolve", {{"id", w.case_id}, {"agent", "kim"}, {"resolution", "Replacement sent"},
                          {"action_taken", "Shipped a replacement"}});
  s.call("case.csat", {{"id", w.case_id}, {"rating", 5}, {"comment", "Lovely service from Hagrid"}});
  s.submit(s.return_requested("A", {ReturnLine("L1", "damaged", 1, "Scratched by Crookshanks")}));
  s.submit(s.change("A", "address", "Deliver to 4 Privet Drive instead"));

  Json early = s.cancellation("Z", "Found it cheaper at Borgin and Burkes", "email");
  w.early_cancel = early["id"];
  s.submit(early);
  s.submit(s.order_created("Z", kZelda));

  s.submit(s.order_created("L", kZelda));
  w.legal_case = s.submit(s.message(kZelda, "L", "email", "I will sue you, my lawyer Saul Goodman"))["cases"][0];
  return w;
}

// Every query result that could show PII, as one string.
std::string everything_visible(Scenario &s, const Written &w) {
  std::string out;
  for (const auto &c : s.cases()) out += s.get_case(c["id"].get<std::string>()).dump();
  out += s.escalations().dump();
  out += s.call("service_log.export", {{"format", "json"}}).dump();
  out += s.call("service_log.export", {{"format", "csv"}}).dump();
  const Json events = s.call("events.list", {{"limit", 1000}})["events"];
  for (const auto &e : events)
    out += s.call("events.get", {{"id", e["id"]}}).dump();
  (void)w;
  return out;
}

TEST(PiiVault, NoPlaintextPiiInTheStoreFile) {
  Scenario s;
  const Written w = write_pii(s);
  // What the queries show is the real thing, so the file holds it somehow.
  const std::string visible = everything_visible(s, w);
  for (const auto &pii : kPii) EXPECT_NE(visible.find(pii), std::string::npos) << pii;

  auto check_file = [&](const char *when) {
    const std::string bytes = s.raw_store_bytes();
    ASSERT_FALSE(bytes.empty());
    EXPECT_NE(bytes.find("SKU-A"), std::string::npos) << "the raw read works (" << when << ")";
    for (const auto &pii : kPii) EXPECT_EQ(bytes.find(pii), std::string::npos) << pii << " (" << when << ")";
    // Not even a fragment of a name or the secret.
    for (const char *part : {"Quixote", "BLUEBERRY", "Privet", "Goodman"})
      EXPECT_EQ(bytes.find(part), std::string::npos) << part << " (" << when << ")";
  };
  check_file("open");
  s.close();
  check_file("closed");

  s.reopen();
  EXPECT_EQ(s.get_case(w.case_id)["pii"]["description"],
            "The vase arrived broken, my passphrase is BLUEBERRY-7731");
  EXPECT_EQ(s.call("events.get", {{"id", w.order_event}})["data"]["order"]["customer"]["name"], "Zelda Quixote");
}

TEST(PiiVault, EraseMakesPiiUnreadableEverywhereButKeepsTheCases) {
  Scenario s;
  const Written w = write_pii(s);
  const Json cases_before = s.cases();
  const Json escalations_before = s.escalations();
  ASSERT_EQ(escalations_before.size(), 1u);
  EXPECT_EQ(escalations_before[0]["customer_name"], "Zelda Quixote");

  const Json erased = s.call("customer.erase", {{"customer_id", "c-zq"}});
  EXPECT_EQ(erased["erased"], true);

  auto check_erased = [&](const char *when) {
    SCOPED_TRACE(when);
    const std::string visible = everything_visible(s, w);
    for (const auto &pii : kPii) EXPECT_EQ(visible.find(pii), std::string::npos) << pii;
    // The cases remain, with their types and priorities, for metrics.
    const Json cases_after = s.cases();
    ASSERT_EQ(cases_after.size(), cases_before.size());
    for (std::size_t i = 0; i < cases_after.size(); ++i) {
      EXPECT_EQ(cases_after[i]["id"], cases_before[i]["id"]);
      EXPECT_EQ(cases_after[i]["type"], cases_before[i]["type"]);
      EXPECT_EQ(cases_after[i]["priority"], cases_before[i]["priority"]);
    }
    const Json c = s.get_case(w.case_id);
    EXPECT_FALSE(c["pii"].contains("description"));
    EXPECT_EQ(c["csat"], 5);
    for (const auto &entry : c["log"]) EXPECT_TRUE(entry["pii"].empty()) << entry.dump();

    const Json order_event = s.call("events.get", {{"id", w.order_event}});
    EXPECT_EQ(order_event["pii_erased"], true);
    EXPECT_FALSE(order_event["data"]["order"]["customer"].contains("name"));
    EXPECT_EQ(order_event["data"]["order"]["customer"]["id"], "c-zq");
    EXPECT_EQ(order_event["data"]["order"]["total"], 2500);
    EXPECT_FALSE(s.call("events.get", {{"id", w.message_event}})["data"].contains("text"));
    // PII sealed under the order before its customer was known goes too.
    EXPECT_FALSE(s.call("events.get", {{"id", w.early_cancel}})["data"].contains("reason"));

    const Json log = s.call("service_log.export", {{"format", "json"}})["content"];
    ASSERT_EQ(log.size(), cases_before.size());
    for (const auto &entry : log) {
      EXPECT_EQ(entry["customer_name"], "[erased]");
      EXPECT_EQ(entry["customer_contact"], "[erased]");
    }
    const Json rows = s.escalations();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_TRUE(rows[0]["customer_name"].is_null());
    EXPECT_EQ(rows[0]["order_id"], "L");
  };
  check_erased("after erase");
  s.reopen();
  check_erased("after reopen");

  // What the customer sends later is handled, but their PII is not kept.
  const Json later = s.submit(s.message(kZelda, "A", "email", "Where is my order? Signed, Zelda Quixote"));
  EXPECT_EQ(later["status"], "accepted");
  ASSERT_EQ(later["cases"].size(), 1u);
  EXPECT_EQ(s.get_case(later["cases"][0].get<std::string>())["customer_contacts"], 2);
  EXPECT_EQ(everything_visible(s, w).find("Signed, Zelda"), std::string::npos);
  EXPECT_EQ(s.raw_store_bytes().find("Signed, Zelda"), std::string::npos);
}

TEST(PiiVault, EraseOfAnUnknownCustomerIsNotFound) {
  Scenario s;
  EXPECT_EQ(s.error("customer.erase", {{"customer_id", "c-nobody"}}).status, OC_ERR_NOT_FOUND);
  EXPECT_EQ(s.error("customer.erase", Json::object()).status, OC_ERR_SCHEMA);
  EXPECT_EQ(s.error("customer.erase", {{"customer_id", 7}}).status, OC_ERR_SCHEMA);
}

TEST(PiiVault, ErasingOneCustomerLeavesTheOthers) {
  Scenario s;
  write_pii(s);
  s.advance(kMinuteMs);
  const CustomerSpec bob("c-bob", "Bob Burns", {}, "bob@example.org");
  s.submit(s.order_created("B", bob));
  const std::string bob_case = s.submit(s.message(bob, "B", "email", "Bob's kettle is broken"))["cases"][0];
  s.call("customer.erase", {{"customer_id", "c-zq"}});
  EXPECT_EQ(s.get_case(bob_case)["pii"]["description"], "Bob's kettle is broken");
  const Json log = s.call("service_log.export", {{"format", "json"}, {"from", format_rfc3339(s.now())}})["content"];
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["customer_name"], "Bob Burns");
}

std::string base64_key(char fill) { return crypto::base64_encode(std::string(32, fill)); }

TEST(PiiVault, AWrongMasterKeyFailsAtOpen) {
  const Json right = {{"crypto", {{"master_key", base64_key('r')}}}};
  const Json wrong = {{"crypto", {{"master_key", base64_key('w')}}}};
  Scenario s(right);
  const Written w = write_pii(s);
  const CallError e = s.reopen_error(wrong);
  EXPECT_EQ(e.status, OC_ERR_CONFIG) << e.message;
  EXPECT_NE(e.message.find("master key"), std::string::npos) << e.message;
  // No key file is written when the key is configured.
  struct stat st;
  EXPECT_NE(::stat((s.db_path() + ".key").c_str(), &st), 0);

  // Without a configured key the store looks for a key file, which would be
  // a new key: refused too.
  EXPECT_EQ(s.reopen_error(Json::object()).status, OC_ERR_CONFIG);

  EXPECT_EQ(s.reopen_error(right).status, OC_OK);
  EXPECT_EQ(s.get_case(w.case_id)["pii"]["description"],
            "The vase arrived broken, my passphrase is BLUEBERRY-7731");
}

TEST(PiiVault, AMalformedMasterKeyIsAConfigError) {
  for (const std::string &key : {std::string("not base64!"), crypto::base64_encode(std::string(16, 'k'))}) {
    try {
      Scenario s(Json{{"crypto", {{"master_key", key}}}});
      ADD_FAILURE() << "opened with master key " << key;
    } catch (const Failure &failure) {
      EXPECT_EQ(failure.status(), OC_ERR_CONFIG);
      EXPECT_NE(std::string(failure.what()).find("crypto.master_key"), std::string::npos) << failure.what();
    }
  }
}

TEST(PiiVault, KeyFileIsCreatedOwnerOnlyAndReused) {
  OC_SQLITE_ONLY("a PostgreSQL store keeps no key file; its nodes share a configured key");
  Scenario s;
  const Written w = write_pii(s);
  const std::string path = s.db_path() + ".key";
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  auto key = crypto::base64_decode(line);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->size(), 32u);
  // The key is not in the store itself.
  EXPECT_EQ(s.raw_store_bytes().find(line), std::string::npos);

  s.reopen();
  EXPECT_EQ(s.get_case(w.case_id)["pii"]["description"],
            "The vase arrived broken, my passphrase is BLUEBERRY-7731");
  // The same key given in the config opens the store too.
  EXPECT_EQ(s.reopen_error({{"crypto", {{"master_key", line}}}}).status, OC_OK);
  EXPECT_EQ(s.escalations()[0]["customer_name"], "Zelda Quixote");
}

// The vault's transaction hooks, on the store directly. The jobs here are
// nested in one outer job per batch, so each is a savepoint on every engine
// (a top-level job on SQLite is scoped by a row count: WriterTest).
class VaultHooks : public ::testing::Test {
 protected:
  static void begin(store::Store &st) {
    st.begin_batch();
    st.begin_job();
  }
  static void commit(store::Store &st) {
    st.release_job();
    st.commit_batch();
  }

  std::unique_ptr<store::Store> open() {
    if (!config_) {
      config_ = testing::test_store_config(dir_.file("vault.db"), "vault");
      config_->master_key = std::string(32, 'm');
    }
    return store::open_store(*config_);
  }

  static domain::Customer customer(const std::string &id, const std::string &name) {
    domain::Customer c;
    c.id = id;
    c.pii = Json{{"name", name}};
    return c;
  }

  // The customer's row as stored, sealed; "(missing)" if there is none.
  static std::string customer_row(store::Store &st, const std::string &id) {
    auto select = dynamic_cast<store::sql::SqlStore &>(st).connection().prepare(
        "SELECT body FROM customers WHERE id = ?");
    select->bind(1, id);
    return select->step() ? select->column_text(0) : std::string("(missing)");
  }

  static std::string name_of(store::Store &st, const std::string &id) {
    auto c = st.state().find_customer(id);
    if (!c) return "(missing)";
    if (c->erased) return "(erased)";
    return c->pii->value("name", "(unreadable)");
  }

  TempDir dir_;
  std::optional<store::StoreConfig> config_;  // the same store on every open
};

TEST_F(VaultHooks, AKeyFromARolledBackJobIsNotReused) {
  {
    auto st = open();
    begin(*st);
    st->begin_job();
    st->state().put_customer(customer("c-1", "First Try"));  // creates c-1's key
    EXPECT_TRUE(st->rollback_job());
    st->begin_job();
    st->state().put_customer(customer("c-1", "Second Try"));  // must create (and write) a key again
    st->release_job();
    commit(*st);
    EXPECT_EQ(name_of(*st, "c-1"), "Second Try");
  }
  // A fresh vault, with nothing cached, reads it from the file.
  auto st = open();
  begin(*st);
  EXPECT_EQ(name_of(*st, "c-1"), "Second Try");
  commit(*st);
}

TEST_F(VaultHooks, AKeyFromARolledBackBatchIsNotReused) {
  {
    auto st = open();
    begin(*st);
    st->begin_job();
    st->state().put_customer(customer("c-2", "Lost Write"));
    st->release_job();
    st->rollback_batch();  // the commit failed: nothing of the batch exists
    begin(*st);
    st->begin_job();
    EXPECT_FALSE(st->state().find_customer("c-2").has_value());
    st->state().put_customer(customer("c-2", "Kept Write"));
    st->release_job();
    commit(*st);
  }
  auto st = open();
  begin(*st);
  EXPECT_EQ(name_of(*st, "c-2"), "Kept Write");
  commit(*st);
}

TEST_F(VaultHooks, KeysOfEarlierJobsInTheBatchSurviveALaterRollback) {
  {
    auto st = open();
    begin(*st);
    st->begin_job();
    st->state().put_customer(customer("c-3", "Kept"));
    st->release_job();
    st->begin_job();
    st->state().put_customer(customer("c-4", "Dropped"));
    st->state().put_customer(customer("c-3", "Kept, edited then dropped"));
    EXPECT_TRUE(st->rollback_job());
    st->begin_job();
    st->state().put_customer(customer("c-4", "Second"));
    st->release_job();
    commit(*st);
  }
  auto st = open();
  begin(*st);
  EXPECT_EQ(name_of(*st, "c-3"), "Kept");
  EXPECT_EQ(name_of(*st, "c-4"), "Second");
  commit(*st);
}

// A job erases a key created earlier in the batch and is rolled back; a
// later job reads the key back from the batch's own row; then the batch
// fails. The key never existed: a vault that still has it cached would seal
// new PII with it and never write it down.
TEST_F(VaultHooks, AKeyReadBackInABatchThatFailsIsNotReused) {
  {
    auto st = open();
    begin(*st);
    st->begin_job();
    st->state().put_customer(customer("c-6", "Six"));
    st->release_job();
    st->begin_job();
    st->state().erase_customer("c-6", 1);
    EXPECT_TRUE(st->rollback_job());
    st->begin_job();
    EXPECT_EQ(name_of(*st, "c-6"), "Six");
    st->release_job();
    st->rollback_batch();
    begin(*st);
    st->begin_job();
    st->state().put_customer(customer("c-6", "Six Again"));
    st->release_job();
    commit(*st);
  }
  auto st = open();
  begin(*st);
  EXPECT_EQ(name_of(*st, "c-6"), "Six Again");
  commit(*st);
}

TEST_F(VaultHooks, AnErasureRolledBackLeavesTheKey) {
  {
    auto st = open();
    begin(*st);
    st->begin_job();
    st->state().put_customer(customer("c-5", "Still Here"));
    st->release_job();
    commit(*st);
    begin(*st);
    st->begin_job();
    EXPECT_TRUE(st->state().erase_customer("c-5", 1));
    EXPECT_EQ(name_of(*st, "c-5"), "(erased)");
    EXPECT_TRUE(st->rollback_job());
    EXPECT_EQ(name_of(*st, "c-5"), "Still Here");
    commit(*st);
  }
  auto st = open();
  begin(*st);
  EXPECT_EQ(name_of(*st, "c-5"), "Still Here");
  commit(*st);
}

// Tampers with the store file behind the plugin's back, the way a damaged
// disk or a careless restore would.
void corrupt_rows(const std::string &db_path, const std::string &sql) {
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char *error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "") << sql;
  EXPECT_EQ(sqlite3_changes(db), 1) << sql;
  sqlite3_free(error);
  sqlite3_close_v2(db);
}

// One row whose sealed part fails authentication used to fail the whole
// listing (OC_ERR_STORE): the queue of every other case was unreadable.
TEST(PiiVault, AnUnreadableRowIsSkippedAndReportedByTheListings) {
  OC_SQLITE_ONLY("corrupts rows of the SQLite file");
  TestHost host;
  Scenario s(host);
  const CustomerSpec ann("c-ann", "Ann Archer", {}, "ann@example.org", "+1 555 0100");
  s.submit(s.order_created("A", kZelda));
  s.submit(s.order_created("B", ann));
  s.submit(s.order_created("L", kZelda));
  const std::string broken = s.submit(s.message(kZelda, "A", "email", "The vase arrived broken"))["cases"][0];
  const std::string kept = s.submit(s.message(ann, "B", "email", "Where is my parcel?"))["cases"][0];
  const std::string legal = s.submit(s.message(kZelda, "L", "email", "I will sue you, my lawyer Saul Goodman"))["cases"][0];
  s.submit(s.return_requested("A", {ReturnLine("L1", "damaged", 1, "Scratched by Crookshanks")}, "RMA-A"));
  s.submit(s.return_requested("B", {ReturnLine("L1", "damaged", 1, "Dented")}, "RMA-B"));
  const std::size_t cases = s.call("cases.list")["cases"].size();
  ASSERT_GE(cases, 3u);
  ASSERT_GE(s.escalations().size(), 1u);
  s.poll_all();  // nothing left for the host: the poll below only drains the log
  s.close();
  // Three bytes more in front of the ciphertext: the nonce and tag no longer match.
  corrupt_rows(s.db_path(), "UPDATE cases SET body = replace(body, '\"$sealed\":\"', '\"$sealed\":\"AAAA') "
                            "WHERE id = '" + broken + "' AND instr(body, '\"$sealed\":\"') > 0");
  corrupt_rows(s.db_path(), "UPDATE returns SET body = replace(body, '\"$sealed\":\"', '\"$sealed\":\"AAAA') "
                            "WHERE id = 'RMA-A' AND instr(body, '\"$sealed\":\"') > 0");
  corrupt_rows(s.db_path(), "UPDATE escalations SET body = '{not json' WHERE case_id = '" + legal + "'");
  s.reopen();

  const Json listed = s.call("cases.list");
  EXPECT_EQ(listed["cases"].size(), cases - 1);
  for (const auto &c : listed["cases"]) EXPECT_NE(c["id"], broken);
  ASSERT_EQ(listed["skipped"].size(), 1u) << listed.dump();
  EXPECT_EQ(listed["skipped"][0]["id"], broken);
  EXPECT_NE(listed["skipped"][0]["reason"].get<std::string>().find("authentication"), std::string::npos);
  EXPECT_EQ(listed["skipped"][0]["reason"].get<std::string>().find("Zelda"), std::string::npos);
  EXPECT_TRUE(s.call("cases.list", {{"format", "text"}}).contains("skipped"));
  // The operator hears of it through the host's log (drained by oc_poll).
  host.forget();
  s.call("cases.list");
  s.poll();
  bool warned = false;
  for (const auto &line : host.logs())
    warned |= line.level == OC_LOG_WARN && line.message.find("cases.list: left out 1 unreadable row") != std::string::npos &&
              line.message.find(broken) != std::string::npos;
  EXPECT_TRUE(warned);
  // Paging one row at a time: every readable case once, the broken one
  // skipped once, and no page lost.
  std::set<std::string> seen;
  std::size_t skipped = 0;
  Json page = s.call("cases.list", {{"limit", 1}});
  for (int guard = 0; guard < 20; ++guard) {
    for (const auto &c : page["cases"]) EXPECT_TRUE(seen.insert(c["id"]).second) << c["id"];
    skipped += page.value("skipped", Json::array()).size();
    EXPECT_LE(page["cases"].size() + page.value("skipped", Json::array()).size(), 1u);
    if (page["next_cursor"].is_null()) break;
    page = s.call("cases.list", {{"limit", 1}, {"cursor", page["next_cursor"]}});
  }
  EXPECT_EQ(seen.size(), cases - 1);
  EXPECT_EQ(skipped, 1u);
  EXPECT_EQ(s.error("case.get", {{"id", broken}}).status, OC_ERR_STORE);
  EXPECT_EQ(s.call("case.get", {{"id", kept}})["id"], kept);

  const Json returns = s.call("returns.list");
  ASSERT_EQ(returns["returns"].size(), 1u);
  EXPECT_EQ(returns["returns"][0]["id"], "RMA-B");
  ASSERT_EQ(returns["skipped"].size(), 1u);
  EXPECT_EQ(returns["skipped"][0]["id"], "RMA-A");

  const Json log = s.call("escalations.log");
  ASSERT_EQ(log["skipped"].size(), 1u) << log.dump();
  EXPECT_EQ(log["skipped"][0]["id"], legal);
}

// The cache of unwrapped keys holds the most recently used ones, a fixed
// number of them, however many customers the store has seen.
TEST(KeyCache, DropsTheLeastRecentlyUsedBeyondItsCapacity) {
  store::sql::KeyCache cache(3);
  using store::sql::DataKey;
  cache.put("a", DataKey("ka"));
  cache.put("b", DataKey("kb"));
  cache.put("c", DataKey("kc"));
  ASSERT_NE(cache.find("a"), nullptr);  // a is now the most recent
  cache.put("d", DataKey("kd"));        // so b goes
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.contains("b"));
  EXPECT_EQ(cache.find("a")->bytes(), "ka");
  cache.put("c", DataKey("kc2"));  // an update is a use, not a new entry
  cache.put("e", DataKey("ke"));   // d goes
  EXPECT_FALSE(cache.contains("d"));
  EXPECT_EQ(cache.find("c")->bytes(), "kc2");
  cache.erase("a");
  EXPECT_EQ(cache.find("a"), nullptr);
  EXPECT_EQ(cache.size(), 2u);
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
}

// ~0.4 KB per distinct customer used to stay cached for good: keys created
// by committed batches were never counted against the bound.
TEST_F(VaultHooks, TheKeyCacheStaysBoundedAndAnErasedKeyLeavesIt) {
  auto st = open();
  auto &sql = dynamic_cast<store::sql::SqlStore &>(*st);
  store::sql::PiiVault vault(sql.connection(), config_->master_key);
  const std::size_t subjects = store::sql::PiiVault::kCachedKeys + 500;
  Json sealed_last;
  for (std::size_t batch = 0; batch < subjects; batch += 1000) {
    st->begin_batch();
    for (std::size_t i = batch; i < std::min(subjects, batch + 1000); ++i)
      sealed_last = vault.seal("customer:k" + std::to_string(i), {{"name", "N" + std::to_string(i)}});
    st->commit_batch();
    vault.on_batch_commit();
    EXPECT_LE(vault.cached_keys(), store::sql::PiiVault::kCachedKeys) << "after " << batch + 1000;
  }
  EXPECT_EQ(vault.cached_keys(), store::sql::PiiVault::kCachedKeys);
  // An evicted key reloads from the table.
  st->begin_batch();
  auto first = vault.seal("customer:k0", {{"name", "again"}});
  EXPECT_EQ(vault.open(first)->value("name", ""), "again");
  EXPECT_EQ(vault.open(sealed_last)->value("name", ""), "N" + std::to_string(subjects - 1));
  const std::size_t before = vault.cached_keys();
  EXPECT_TRUE(vault.erase("customer:k" + std::to_string(subjects - 1), 1));
  EXPECT_EQ(vault.cached_keys(), before - 1);
  EXPECT_FALSE(vault.open(sealed_last).has_value());
  st->commit_batch();
  vault.on_batch_commit();
}

// A document whose one personal part is an empty "pii" has nothing to
// seal: it is stored with "pii": {} in the clear, no key is made for its
// subject, and it reads back as the sealed form read (an empty "pii", not
// erased). Written from its tree (seal_document, the way a document whose
// text is not valid UTF-8 goes) it is the same text. One with anything
// personal is sealed as before.
TEST_F(VaultHooks, NothingPersonalIsKeptInTheClearAndMakesNoKey) {
  auto st = open();
  auto &sql = dynamic_cast<store::sql::SqlStore &>(*st);
  auto has_key = [&](const std::string &key_id) {
    auto select = sql.connection().prepare("SELECT count(*) FROM pii_keys WHERE key_id = ?");
    select->bind(1, key_id);
    select->step();
    return select->column_int(0) != 0;
  };
  domain::Customer quiet;
  quiet.id = "c-quiet";  // its pii is {}

  begin(*st);
  st->state().put_customer(quiet);
  st->state().put_customer(customer("c-named", "Named Person"));
  commit(*st);

  const std::string quiet_row = customer_row(*st, "c-quiet");
  EXPECT_NE(quiet_row.find("\"pii\":{}"), std::string::npos) << quiet_row;
  EXPECT_EQ(quiet_row.find("$sealed"), std::string::npos) << quiet_row;
  EXPECT_FALSE(has_key("customer:c-quiet"));
  EXPECT_NE(customer_row(*st, "c-named").find("$sealed"), std::string::npos);
  EXPECT_TRUE(has_key("customer:c-named"));
  {
    store::sql::PiiVault vault(sql.connection(), config_->master_key);
    bool whole = false;
    EXPECT_EQ(store::sql::seal_document(vault, store::Document::customer, domain::to_json(quiet), "customer:c-quiet",
                                        &whole),
              quiet_row);
    EXPECT_TRUE(whole);
    EXPECT_FALSE(has_key("customer:c-quiet"));
  }

  auto reopened = open();
  begin(*reopened);
  const auto read = reopened->state().find_customer("c-quiet");
  ASSERT_TRUE(read);
  EXPECT_FALSE(read->erased);
  EXPECT_EQ(read->pii.get(), Json::object());
  EXPECT_EQ(name_of(*reopened, "c-named"), "Named Person");
  commit(*reopened);
}

// A document written again with the same personal part under the same key
// writes the part sealed last time again (store/sql/sealed_part.h); a new
// part is sealed afresh. The part of a write that was undone is never
// written again: its key may have gone with it.
TEST_F(VaultHooks, AnUnchangedPersonalPartKeepsItsSealedTextAndANewOneIsSealedAfresh) {
  auto st = open();
  auto sealed_part_of = [&](const std::string &id) {
    return parse_json(customer_row(*st, id), "customer").at("pii").value("$sealed", std::string("(none)"));
  };
  domain::Customer c = customer("c-same", "Same Name");

  begin(*st);
  st->state().put_customer(c);
  const std::string first = sealed_part_of("c-same");
  c.tags = {"vip"};  // the document changes, its personal part does not
  st->state().put_customer(c);
  EXPECT_EQ(sealed_part_of("c-same"), first);
  c.pii = Json{{"name", "Another Name"}};
  st->state().put_customer(c);
  const std::string renamed = sealed_part_of("c-same");
  EXPECT_NE(renamed, first);
  commit(*st);

  // A write undone: its part (under a key made by the same job) is not
  // written again by the next write of the same part.
  begin(*st);
  st->begin_job();
  st->state().put_customer(customer("c-undone", "Undone Name"));
  const std::string undone = sealed_part_of("c-undone");
  EXPECT_TRUE(st->rollback_job());
  st->begin_job();
  st->state().put_customer(customer("c-undone", "Undone Name"));
  EXPECT_NE(sealed_part_of("c-undone"), undone);
  st->release_job();
  commit(*st);

  auto reopened = open();
  begin(*reopened);
  EXPECT_EQ(name_of(*reopened, "c-same"), "Another Name");
  EXPECT_EQ(reopened->state().find_customer("c-same")->tags, std::vector<std::string>{"vip"});
  EXPECT_EQ(name_of(*reopened, "c-undone"), "Undone Name");
  commit(*reopened);
}

// seal_text is the text of seal()'s object, written without the object:
// the key spelt as JSON (quotes, non-ASCII), the sealed value that opens to
// the fields, the text in the form dump_json gives; "{}" once erased.
TEST_F(VaultHooks, SealTextIsTheTextOfTheSealedObject) {
  auto st = open();
  auto &sql = dynamic_cast<store::sql::SqlStore &>(*st);
  store::sql::PiiVault vault(sql.connection(), config_->master_key);
  st->begin_batch();
  const Json fields = {{"/pii", {{"name", "Zoë \"Z\" Quixote"}}}, {"/refunds/0/reason", "broken"}};
  for (const std::string key : {"customer:c-1", "customer:Zoë \"Q\"", "order:東京/1"}) {
    const std::string text = vault.seal_text(key, fields);
    const Json sealed = parse_json(text, "sealed");
    EXPECT_EQ(text, dump_json(sealed)) << key;
    EXPECT_EQ(sealed.value("$key", ""), key);
    EXPECT_EQ(vault.open(sealed), fields) << key;
    EXPECT_EQ(sealed.size(), vault.seal(key, fields).size());
  }
  EXPECT_EQ(vault.seal_text("customer:c-1", Json::object()), "{}");
  // Given the fields' text (as the store's writer has it), the same.
  for (const std::string key : {"customer:c-1", "customer:Zoë \"Q\"", "order:東京/1"}) {
    const std::string text = vault.seal_dumped(key, dump_json(fields));
    const Json sealed = parse_json(text, "sealed");
    EXPECT_EQ(text, dump_json(sealed)) << key;
    EXPECT_EQ(sealed.value("$key", ""), key);
    EXPECT_EQ(vault.open(sealed), fields) << key;
  }
  EXPECT_TRUE(vault.erase("customer:c-1", 1));
  EXPECT_EQ(vault.seal_text("customer:c-1", fields), "{}");
  EXPECT_EQ(vault.seal_dumped("customer:c-1", dump_json(fields)), "{}");
  EXPECT_TRUE(vault.seal("customer:c-1", fields).empty());
  st->commit_batch();
  vault.on_batch_commit();
}

// Each key seals through a cipher context of its own, kept beside it in
// the cache: what it seals is still the format the stored rows have (the
// data key unwrapped from pii_keys with the master key opens it with the
// plain aes256gcm_open), and an erased key's context goes with it, so no
// later seal under that key id can use the old key.
TEST_F(VaultHooks, ACachedSealingContextSealsTheStoredFormatAndLeavesWithItsKey) {
  auto st = open();
  auto &sql = dynamic_cast<store::sql::SqlStore &>(*st);
  store::sql::PiiVault vault(sql.connection(), config_->master_key);
  const Json fields = {{"name", "Zelda Quixote"}, {"email", "zelda.quixote@example.org"}};
  auto data_key_of = [&](const std::string &key_id) -> std::optional<std::string> {
    auto select = sql.connection().prepare("SELECT wrapped_key FROM pii_keys WHERE key_id = ?");
    select->bind(1, key_id);
    if (!select->step() || select->column_is_null(0)) return std::nullopt;
    return crypto::aes256gcm_open(config_->master_key, select->column_blob(0), key_id);
  };
  auto opens_plainly = [&](const std::string &key_id, const Json &sealed) {
    const auto key = data_key_of(key_id);
    const auto bytes = crypto::base64_decode(sealed.value("$sealed", ""));
    if (!key || !bytes) return false;
    return crypto::aes256gcm_open(*key, *bytes, key_id) == dump_json(fields);
  };

  st->begin_batch();
  EXPECT_EQ(vault.keys_ready_to_seal(), 0u);
  const Json first = vault.seal("customer:a", fields);  // created in this batch
  const Json second = vault.seal("customer:a", fields);
  vault.seal("customer:b", fields);
  EXPECT_EQ(vault.keys_ready_to_seal(), 2u);
  EXPECT_TRUE(opens_plainly("customer:a", first));
  EXPECT_TRUE(opens_plainly("customer:a", second));
  EXPECT_NE(first.value("$sealed", ""), second.value("$sealed", ""));  // a fresh nonce each
  // Erased while still uncommitted: its context leaves with it.
  EXPECT_TRUE(vault.erase("customer:b", 1));
  EXPECT_EQ(vault.keys_ready_to_seal(), 1u);
  EXPECT_TRUE(vault.seal("customer:b", fields).empty());
  st->commit_batch();
  vault.on_batch_commit();

  st->begin_batch();
  EXPECT_EQ(vault.keys_ready_to_seal(), 1u);  // committed, with its context
  const Json third = vault.seal("customer:a", fields);
  EXPECT_TRUE(opens_plainly("customer:a", third));
  EXPECT_TRUE(vault.erase("customer:a", 2));
  EXPECT_EQ(vault.keys_ready_to_seal(), 0u);
  EXPECT_EQ(vault.cached_keys(), 0u);
  EXPECT_TRUE(vault.seal("customer:a", fields).empty());
  EXPECT_FALSE(vault.open(third).has_value());
  EXPECT_EQ(vault.keys_ready_to_seal(), 0u);
  st->commit_batch();
  vault.on_batch_commit();

  // A key read back from its row gets a context on its first seal, and
  // forgetting the keys drops the contexts too.
  st->begin_batch();
  vault.seal("customer:c", fields);
  st->commit_batch();
  vault.on_batch_commit();
  vault.forget_keys();
  EXPECT_EQ(vault.keys_ready_to_seal(), 0u);
  st->begin_batch();
  const Json reread = vault.seal("customer:c", fields);
  EXPECT_EQ(vault.keys_ready_to_seal(), 1u);
  EXPECT_TRUE(opens_plainly("customer:c", reread));
  st->commit_batch();
  vault.on_batch_commit();
  st->begin_batch();
  vault.seal("customer:c", fields);
  st->rollback_batch();
  vault.on_batch_rollback();
  EXPECT_EQ(vault.keys_ready_to_seal(), 0u);
}

}  // namespace
}  // namespace ordercare::testing
