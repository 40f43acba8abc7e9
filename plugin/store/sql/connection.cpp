#include "store/sql/connection.h"

namespace ordercare::store::sql {

Statement &Statement::bind(int index, const std::optional<std::string> &value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement &Statement::bind(int index, const std::optional<std::int64_t> &value) {
  return value ? bind(index, *value) : bind_null(index);
}

void Statement::run() {
  try {
    while (step()) {
    }
  } catch (...) {
    reset();
    throw;
  }
  reset();
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

std::optional<std::int64_t> Statement::column_optional_int(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_int(index);
}

CachedStatement Connection::cached(const char *sql) {
  auto &slot = cache_[sql];
  if (!slot) slot = prepare_persistent(sql);
  return CachedStatement(*slot);
}

}  // namespace ordercare::store::sql
