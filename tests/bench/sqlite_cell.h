// Binds a Cell (store_rows.h) to an SQLite statement parameter, in its own
// storage class; the bytes are not copied, so the cell must outlive the
// statement's step. Shared by the raw writers of the nodes and events runs.
#pragma once

#include <sqlite3.h>

#include "bench/store_rows.h"

namespace ordercare::bench {

inline int bind_cell(sqlite3_stmt *stmt, int index, const Cell &cell) {
  switch (cell.kind) {
    case Cell::Kind::integer: return sqlite3_bind_int64(stmt, index, cell.integer);
    case Cell::Kind::real: return sqlite3_bind_double(stmt, index, cell.real);
    case Cell::Kind::text:
      return sqlite3_bind_text(stmt, index, cell.bytes.data(), static_cast<int>(cell.bytes.size()), SQLITE_STATIC);
    case Cell::Kind::blob:
      return sqlite3_bind_blob(stmt, index, cell.bytes.data(), static_cast<int>(cell.bytes.size()), SQLITE_STATIC);
    case Cell::Kind::null: break;
  }
  return sqlite3_bind_null(stmt, index);
}

}  // namespace ordercare::bench
