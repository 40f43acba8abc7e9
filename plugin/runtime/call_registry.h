// The oc_call methods (abi/CALLS.md): a name, and a handler that runs on the
// plugin thread inside a writer job, so a command's reads and writes see one
// consistent store and a failure rolls the whole command back.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config_reader.h"
#include "common/json.h"
#include "runtime/job.h"

namespace ordercare::runtime {

struct CallContext {
  JobContext &job;
  TimeMs now;
  // A command's id, unique: "req:<request_id>" when the caller gave one,
  // else one made for this call. Effects and cases it creates derive their
  // ids from it.
  std::string command_id;
  // Whose key seals what the command answered, kept for a retry with the
  // same request_id (the handler sets it to the case's or order's subject).
  std::string pii_key = "system";
  // Set by a command that erased a customer: once its transaction has
  // committed, and before the call returns, the store's files are scrubbed
  // of what it destroyed (Store::scrub), and the answer says whether that
  // finished ("scrubbed").
  bool erased_pii = false;
};

using CallHandler = std::function<Json(CallContext &, const Json &args)>;

struct Call {
  CallHandler handler;
  // A command changes state or causes effects: it takes a request_id, and
  // a retry with the same one returns the first answer and does nothing.
  bool command = false;
};

class CallRegistry {
 public:
  void add(const std::string &method, CallHandler handler);
  void add_command(const std::string &method, CallHandler handler);
  const Call *find(const std::string &method) const;
  std::vector<std::string> methods() const;

 private:
  std::map<std::string, Call> calls_;
};

// Paging as CALLS.md sets it: limit defaults to 50, at most 1000; the cursor
// is opaque to callers ("<prefix>:<position>").
struct Page {
  std::size_t limit = 50;
  std::int64_t after = 0;
};
Page read_page(ConfigReader &args, const std::string &cursor_prefix);
// The position a "<prefix>:<position>" cursor holds; OC_ERR_SCHEMA for any
// other text.
std::int64_t cursor_position(const std::string &cursor, const std::string &cursor_prefix);

// A string argument every call of a method must give: OC_ERR_SCHEMA naming
// the field when it is missing; required_nonempty refuses "" as well.
std::string required_string(ConfigReader &args, const char *key);
std::string required_nonempty(ConfigReader &args, const char *key);
// An instant argument: an RFC 3339 date-time from 1970-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999Z (common/value_ranges.h), else OC_ERR_SCHEMA
// naming the field.
std::optional<TimeMs> optional_instant(ConfigReader &args, const char *key);
TimeMs required_instant(ConfigReader &args, const char *key);
Json next_cursor(const std::string &prefix, bool has_more, std::int64_t last_position);

}  // namespace ordercare::runtime
