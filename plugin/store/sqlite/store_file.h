// The name a SQLite store is opened by. SQLite finds a database's WAL and
// shared-memory index by the name the file was opened with, so two names
// for one file give two WALs: processes that opened it through a hard link
// would each trust their own log, deliver one refund twice and lose
// acknowledged commits. A store therefore has exactly one name.
#pragma once

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

}  // namespace ordercare::store::sqlite
