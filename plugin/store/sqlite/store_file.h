// The name a SQLite store is opened by. SQLite finds a database's WAL and
// shared-memory index by the name the file was opened with, so two names
// for one file give two WALs: processes that opened it through a hard link
// would each trust their own log, deliver one refund twice and lose
// acknowledged commits. A store therefore has exactly one name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ordercare::store::sqlite {

// The canonical path of the store at `path` (symbolic links resolved, so
// every process names the same file alike), or `path` itself for ":memory:".
// Throws Failure(OC_ERR_STORE) when the file has more than one hard link,
// or its directory does not exist.
std::string canonical_store_path(const std::string &path);

// Who this process is, for the outbox's claims ("<host>:<pid>:<start>:<random>"),
// and whether the process a claimant names still runs on this machine
// (a claimant of another host, or one this cannot read, counts as alive:
// its claim waits for its lease).
std::string local_claimant();
bool local_claimant_alive(const std::string &claimant);
// When the process `pid` of this machine started (clock ticks since boot),
// or "" when it is not running or cannot be read. Never throws: it is read
// while other processes of a pool come and go.
std::string process_start_time(const std::string &pid);

// Which file a path names, to tell a file from another made under its name.
struct FileId {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  bool operator==(const FileId &) const = default;
};
std::optional<FileId> file_id(const std::string &path);

// The files at a store's path before this process opened it.
struct StoreFiles {
  bool database = false;        // the database, at least one byte long
  bool empty_database = false;  // the database, zero bytes long
  bool wal = false;             // <path>-wal
  bool shm = false;             // <path>-shm
};

// Looks at a store's files before it is opened. A key file (<path>.key)
// beside a database that is missing or zero bytes long fails with
// OC_ERR_STORE, before anything is created: the data is gone or the path
// names the wrong file, and opening would start an empty store under the
// old key. To start over there on purpose, the operator deletes the key
// file as well.
StoreFiles inspect_store_files(const std::string &path);

// What a failed open that created a store removes again: the key file when
// `remove_key`, then the database (truncated to zero bytes instead if it
// was there empty), -wal and -shm, each unless `before` says it was there.
// The key file goes first: while a key file exists, its database does.
// Errors are ignored; this runs on the way out of a failed open.
void remove_new_store_files(const std::string &path, const StoreFiles &before, bool remove_key);

}  // namespace ordercare::store::sqlite
