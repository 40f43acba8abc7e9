// Store identity (issue 10, point 7): oc_open opens the store the config
// names or fails, and a failed open leaves the directory as it found it.
// A database is never paired with a key that is not its own, a key file
// without its database is not taken for a new store, and a crypto setting
// or config document that cannot be read is OC_ERR_CONFIG before any file
// is touched.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <tuple>

#include "common/json.h"
#include "ordercare.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace ordercare {
namespace {

using testing::TempDir;

// name -> (size, mtime in ns) of every entry of a directory.
using Listing = std::map<std::string, std::tuple<long long, long long>>;

Listing list_dir(const std::string &dir) {
  Listing out;
  DIR *d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent *entry = ::readdir(d)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (::stat((dir + "/" + name).c_str(), &st) != 0) continue;
    out[name] = {static_cast<long long>(st.st_size),
                 static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
  }
  ::closedir(d);
  return out;
}

std::string describe(const Listing &listing) {
  std::string out;
  for (const auto &[name, stat] : listing)
    out += name + " (" + std::to_string(std::get<0>(stat)) + " bytes) ";
  return out.empty() ? "(empty)" : out;
}

bool exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// oc_open with this config text; closes the plugin at once on success.
oc_status open_with(const std::string &config, std::string *message = nullptr) {
  oc_options options{};
  options.struct_size = sizeof options;
  options.config_json = config.data();
  options.config_len = config.size();
  oc_plugin *plugin = nullptr;
  const oc_status status = oc_open(&options, nullptr, &plugin);
  if (message) *message = oc_last_error();
  if (plugin) {
    EXPECT_EQ(oc_close(plugin), OC_OK);
  }
  return status;
}

std::string store_config(const std::string &path, const Json &extra = Json::object()) {
  Json config = {{"store", {{"path", path}, {"durability", "normal"}}}};
  for (auto it = extra.begin(); it != extra.end(); ++it) config[it.key()] = it.value();
  return dump_json(config);
}

// A store with one event in it, closed.
void make_store(const std::string &path) {
  oc_options options{};
  const std::string config = store_config(path);
  options.struct_size = sizeof options;
  options.config_json = config.data();
  options.config_len = config.size();
  oc_plugin *plugin = nullptr;
  ASSERT_EQ(oc_open(&options, nullptr, &plugin), OC_OK) << oc_last_error();
  const std::string event =
      R"({"id":"e1","type":"order.created","occurred_at":"2024-05-01T10:00:00Z","source":"test",)"
      R"("data":{"order":{"id":"A1","placed_at":"2024-05-01T10:00:00Z","currency":"EUR","total":1000,"channel":"web",)"
      R"("customer":{"id":"c1","name":"Ann","email":"ann@example.com"},)"
      R"("items":[{"line_id":"l1","sku":"S1","name":"Mug","quantity":1,"unit_price":1000}]}}})";
  oc_buffer *result = nullptr;
  ASSERT_EQ(oc_submit(plugin, event.data(), event.size(), &result), OC_OK) << oc_last_error();
  oc_buffer_free(result);
  ASSERT_EQ(oc_close(plugin), OC_OK);
  ASSERT_TRUE(exists(path));
  ASSERT_TRUE(exists(path + ".key"));
}

// A listening TCP socket on 127.0.0.1, so a plugin that wants its port
// fails to open after it opened its store.
class TakenPort {
 public:
  TakenPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr *>(&address), length), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr *>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
  }
  ~TakenPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(StoreIdentity, AMissingKeyFileBesideAStoreFailsAndCreatesNoKey) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  make_store(path);
  ASSERT_EQ(::unlink((path + ".key").c_str()), 0);
  const Listing before = list_dir(dir.path());
  std::string message;
  EXPECT_EQ(open_with(store_config(path), &message), OC_ERR_CONFIG);
  EXPECT_NE(message.find("shop.db.key"), std::string::npos) << message;
  EXPECT_FALSE(exists(path + ".key"));
  EXPECT_EQ(list_dir(dir.path()), before) << "before: " << describe(before) << "after: " << describe(list_dir(dir.path()));
}

TEST(StoreIdentity, AKeyFileWithoutItsDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  make_store(path);
  ASSERT_EQ(::unlink(path.c_str()), 0);
  const Listing before = list_dir(dir.path());
  std::string message;
  EXPECT_EQ(open_with(store_config(path), &message), OC_ERR_STORE);
  EXPECT_NE(message.find("shop.db.key"), std::string::npos) << message;
  EXPECT_FALSE(exists(path));
  EXPECT_EQ(list_dir(dir.path()), before) << "before: " << describe(before) << "after: " << describe(list_dir(dir.path()));
}

TEST(StoreIdentity, AKeyFileBesideAnEmptyDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  make_store(path);
  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
  const Listing before = list_dir(dir.path());
  std::string message;
  EXPECT_EQ(open_with(store_config(path), &message), OC_ERR_STORE);
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
  EXPECT_EQ(list_dir(dir.path()), before) << "before: " << describe(before) << "after: " << describe(list_dir(dir.path()));
}

TEST(StoreIdentity, DeletingTheKeyFileTooStartsANewStore) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  make_store(path);
  ASSERT_EQ(::unlink(path.c_str()), 0);
  ASSERT_EQ(::unlink((path + ".key").c_str()), 0);
  std::string message;
  EXPECT_EQ(open_with(store_config(path), &message), OC_OK) << message;
  EXPECT_TRUE(exists(path));
  EXPECT_TRUE(exists(path + ".key"));
}

TEST(StoreIdentity, AMasterKeyEnvNamingAnUnsetVariableIsAConfigError) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  ::unsetenv("OC_STORE_IDENTITY_TEST_KEY");
  std::string message;
  EXPECT_EQ(open_with(store_config(path, {{"crypto", {{"master_key_env", "OC_STORE_IDENTITY_TEST_KEY"}}}}), &message),
            OC_ERR_CONFIG);
  EXPECT_NE(message.find("crypto.master_key_env"), std::string::npos) << message;
  EXPECT_NE(message.find("OC_STORE_IDENTITY_TEST_KEY"), std::string::npos) << message;
  // Set but empty is not a key either.
  ::setenv("OC_STORE_IDENTITY_TEST_KEY", "", 1);
  EXPECT_EQ(open_with(store_config(path, {{"crypto", {{"master_key_env", "OC_STORE_IDENTITY_TEST_KEY"}}}}), &message),
            OC_ERR_CONFIG);
  ::unsetenv("OC_STORE_IDENTITY_TEST_KEY");
  EXPECT_EQ(list_dir(dir.path()), Listing{}) << describe(list_dir(dir.path()));
}

TEST(StoreIdentity, AMasterKeyEnvNamingASetVariableIsUsed) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  ::setenv("OC_STORE_IDENTITY_TEST_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", 1);
  std::string message;
  EXPECT_EQ(open_with(store_config(path, {{"crypto", {{"master_key_env", "OC_STORE_IDENTITY_TEST_KEY"}}}}), &message),
            OC_OK)
      << message;
  ::unsetenv("OC_STORE_IDENTITY_TEST_KEY");
  EXPECT_TRUE(exists(path));
  EXPECT_FALSE(exists(path + ".key"));
}

TEST(StoreIdentity, AConfigDocumentThatIsNotAnObjectIsAConfigError) {
  TempDir dir;
  char previous[4096];
  ASSERT_NE(::getcwd(previous, sizeof previous), nullptr);
  // The default store is "ordercare.db" in the working directory.
  ASSERT_EQ(::chdir(dir.path().c_str()), 0);
  for (const char *document : {"null", " null ", "[]", "3", "\"ordercare.db\"", "true"}) {
    std::string message;
    EXPECT_EQ(open_with(document, &message), OC_ERR_CONFIG) << document;
    EXPECT_NE(message.find("object"), std::string::npos) << document << ": " << message;
  }
  const Listing after = list_dir(dir.path());
  ASSERT_EQ(::chdir(previous), 0);
  EXPECT_EQ(after, Listing{}) << describe(after);
}

TEST(StoreIdentity, AFailedOpenOfANewStoreRemovesWhatItCreated) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  TakenPort taken;
  std::string message;
  EXPECT_EQ(open_with(store_config(path, {{"webhooks", {{"port", taken.port()}}}}), &message), OC_ERR_CONFIG)
      << message;
  EXPECT_EQ(list_dir(dir.path()), Listing{}) << describe(list_dir(dir.path()));
  // And the store can then be created for real.
  EXPECT_EQ(open_with(store_config(path), &message), OC_OK) << message;
  EXPECT_TRUE(exists(path));
}

TEST(StoreIdentity, AFailedOpenOfAnExistingStoreChangesNoFile) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  make_store(path);
  const Listing before = list_dir(dir.path());
  TakenPort taken;
  std::string message;
  EXPECT_NE(open_with(store_config(path, {{"webhooks", {{"port", taken.port()}}}}), &message), OC_OK);
  EXPECT_EQ(open_with(store_config(path, {{"crypto", {{"master_key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}}}}),
                      &message),
            OC_ERR_CONFIG);
  EXPECT_EQ(list_dir(dir.path()), before) << "before: " << describe(before) << "after: " << describe(list_dir(dir.path()));
}

// The store-level rule behind the cleanup: a handle that created a store
// and is abandoned removes it only while nobody else has it open or wrote
// to it (several processes may open one new store at the same moment).
store::StoreConfig sqlite_config(const std::string &path) {
  store::StoreConfig config;
  config.path = path;
  config.durability = store::Durability::normal;
  return config;
}

TEST(StoreIdentity, AnAbandonedNewStoreIsRemoved) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  auto store = store::open_store(sqlite_config(path));
  EXPECT_TRUE(exists(path + ".key"));
  store->abandon();
  store.reset();
  EXPECT_EQ(list_dir(dir.path()), Listing{}) << describe(list_dir(dir.path()));
}

TEST(StoreIdentity, AnAbandonedNewStoreThatAnotherHandleHasOpenStays) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  auto made = store::open_store(sqlite_config(path));
  auto other = store::open_store(sqlite_config(path));
  made->abandon();
  made.reset();
  ASSERT_TRUE(exists(path));
  ASSERT_TRUE(exists(path + ".key"));
  auto &db = static_cast<store::sqlite::SqliteStore &>(*other).database();
  db.exec("INSERT INTO meta (key, value) VALUES ('test.written', '1')");
  other.reset();
  auto again = store::open_store(sqlite_config(path));
  auto &reopened = static_cast<store::sqlite::SqliteStore &>(*again).database();
  auto select = reopened.prepare("SELECT value FROM meta WHERE key = 'test.written'");
  EXPECT_TRUE(select->step());
}

TEST(StoreIdentity, AnAbandonedNewStoreThatAnotherHandleWroteToStays) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  auto made = store::open_store(sqlite_config(path));
  {
    auto other = store::open_store(sqlite_config(path));
    static_cast<store::sqlite::SqliteStore &>(*other).database().exec(
        "INSERT INTO meta (key, value) VALUES ('test.written', '1')");
  }
  made->abandon();
  made.reset();
  EXPECT_TRUE(exists(path));
  EXPECT_TRUE(exists(path + ".key"));
  auto again = store::open_store(sqlite_config(path));
  auto select = static_cast<store::sqlite::SqliteStore &>(*again).database().prepare(
      "SELECT value FROM meta WHERE key = 'test.written'");
  EXPECT_TRUE(select->step());
}

TEST(StoreIdentity, AnExistingStoreIsNeverAbandoned) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  store::open_store(sqlite_config(path)).reset();
  auto store = store::open_store(sqlite_config(path));
  store->abandon();
  store.reset();
  EXPECT_TRUE(exists(path));
  EXPECT_TRUE(exists(path + ".key"));
}

}  // namespace
}  // namespace ordercare
