// HTTP request headers as the webhook verifiers and mappers see them: an
// ordered multimap whose names compare case-insensitively (RFC 9110 section
// 5.1), so "X-Shopify-Hmac-Sha256" and "x-shopify-hmac-sha256" are one
// header. Repeated names are kept apart, never joined, because signature
// headers must not be silently merged.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ordercare::ingest {

class Headers {
 public:
  using Entry = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Entry> entries);

  // Appends a header. Leading and trailing spaces and tabs of the value are
  // not part of it (RFC 9110 section 5.5) and are dropped.
  void add(std::string name, std::string value);

  // The value of the first header with this name, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;

  // Every value with this name, in arrival order.
  std::vector<std::string_view> get_all(std::string_view name) const;

  std::size_t count(std::string_view name) const;
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
};

// ASCII case-insensitive equality, the comparison header names use.
bool header_name_equal(std::string_view a, std::string_view b);

}  // namespace ordercare::ingest
