#include "ingest/http_headers.h"

namespace ordercare::ingest {

namespace {

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_optional_whitespace(char c) { return c == ' ' || c == '\t'; }

std::string trim(std::string value) {
  std::size_t begin = 0;
  std::size_t end = value.size();
  while (begin < end && is_optional_whitespace(value[begin])) ++begin;
  while (end > begin && is_optional_whitespace(value[end - 1])) --end;
  return value.substr(begin, end - begin);
}

}  // namespace

bool header_name_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

Headers::Headers(std::initializer_list<Entry> entries) {
  for (const auto &[name, value] : entries) add(name, value);
}

void Headers::add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), trim(std::move(value)));
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto &[key, value] : entries_)
    if (header_name_equal(key, name)) return std::string_view(value);
  return std::nullopt;
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto &[key, value] : entries_)
    if (header_name_equal(key, name)) values.emplace_back(value);
  return values;
}

std::size_t Headers::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto &entry : entries_)
    if (header_name_equal(entry.first, name)) ++n;
  return n;
}

}  // namespace ordercare::ingest
