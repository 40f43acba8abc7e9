#include "bench/recorded_writes.h"

#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

#include "common/failure.h"
#include "common/json.h"
#include "runtime/config.h"
#include "runtime/plugin.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace ordercare::bench {

namespace {

std::string upper_word(std::string_view sql, std::size_t &at) {
  while (at < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[at]))) {
      ++at;
    } else if (sql.substr(at, 2) == "--") {
      while (at < sql.size() && sql[at] != '\n') ++at;
    } else if (sql.substr(at, 2) == "/*") {
      const auto end = sql.find("*/", at + 2);
      at = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (at < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[at])) || sql[at] == '_'))
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[at++])));
  return word;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One value as sqlite3_expanded_sql prints it, at expanded[at...].
bool read_value(std::string_view expanded, std::size_t &at, Cell &cell) {
  auto rest = expanded.substr(at);
  if (rest.substr(0, 4) == "NULL") {
    cell.kind = Cell::Kind::null;
    at += 4;
    return true;
  }
  if (rest.substr(0, 2) == "x'" || rest.substr(0, 2) == "X'") {
    cell.kind = Cell::Kind::blob;
    std::size_t i = 2;
    while (i + 1 < rest.size() && rest[i] != '\'') {
      const int high = hex_digit(rest[i]), low = hex_digit(rest[i + 1]);
      if (high < 0 || low < 0) return false;
      cell.bytes += static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (i >= rest.size() || rest[i] != '\'') return false;
    at += i + 1;
    return true;
  }
  if (rest.substr(0, 1) == "'") {
    cell.kind = Cell::Kind::text;
    for (std::size_t i = 1; i < rest.size(); ++i) {
      if (rest[i] != '\'') {
        cell.bytes += rest[i];
      } else if (i + 1 < rest.size() && rest[i + 1] == '\'') {
        cell.bytes += '\'';
        ++i;
      } else {
        at += i + 1;
        return true;
      }
    }
    return false;
  }
  if (rest.substr(0, 9) == "zeroblob(") {
    const auto close = rest.find(')');
    if (close == std::string_view::npos) return false;
    cell.kind = Cell::Kind::blob;
    cell.bytes.assign(static_cast<std::size_t>(std::stoll(std::string(rest.substr(9, close - 9)))), '\0');
    at += close + 1;
    return true;
  }
  std::size_t i = 0;
  if (i < rest.size() && (rest[i] == '-' || rest[i] == '+')) ++i;
  bool real = false;
  while (i < rest.size() && (std::isdigit(static_cast<unsigned char>(rest[i])) || rest[i] == '.' ||
                             rest[i] == 'e' || rest[i] == 'E' ||
                             ((rest[i] == '-' || rest[i] == '+') && (rest[i - 1] == 'e' || rest[i - 1] == 'E')))) {
    if (!std::isdigit(static_cast<unsigned char>(rest[i]))) real = true;
    ++i;
  }
  if (i == 0 || (i == 1 && !std::isdigit(static_cast<unsigned char>(rest[0])))) return false;
  const std::string number(rest.substr(0, i));
  if (real) {
    cell.kind = Cell::Kind::real;
    cell.real = std::stod(number);
  } else {
    cell.kind = Cell::Kind::integer;
    cell.integer = std::stoll(number);
  }
  at += i;
  return true;
}

std::size_t value_bytes(const std::vector<Cell> &values) {
  std::size_t n = 0;
  for (const auto &v : values)
    n += v.kind == Cell::Kind::text || v.kind == Cell::Kind::blob ? v.bytes.size()
         : v.kind == Cell::Kind::null                              ? 0
                                                                   : 8;
  return n;
}

// What the observer gathers for the event being submitted.
struct Gatherer {
  std::mutex mutex;
  bool on = false;
  RecordedEvent *event = nullptr;
  std::map<std::string, std::size_t, std::less<>> statement_index;
  Recording *recording = nullptr;
  std::vector<std::pair<std::string, std::size_t>> savepoints;  // name, kept.size() when it began

  void seen(std::string_view sql, const char *expanded) {
    std::lock_guard lock(mutex);
    if (!on || !event) return;
    ++event->statements;
    std::size_t at = 0;
    const std::string verb = upper_word(sql, at);
    const std::string_view kind = statement_kind(sql);
    if (kind == "read") ++event->reads;
    if (kind == "write") {
      ++event->writes;
      RecordedWrite write;
      if (!expanded || !bound_values(sql, expanded, write.values)) {
        ++recording->unread_values;
        return;
      }
      event->value_bytes += value_bytes(write.values);
      auto it = statement_index.find(sql);
      if (it == statement_index.end()) {
        it = statement_index.emplace(std::string(sql), recording->statements.size()).first;
        recording->statements.emplace_back(sql);
      }
      write.statement = it->second;
      event->kept.push_back(std::move(write));
      return;
    }
    // Transaction control: what a rollback undoes is not kept.
    std::size_t after = at;
    const std::string second = upper_word(sql, after);
    if (verb == "BEGIN") {
      savepoints.clear();
    } else if (verb == "SAVEPOINT") {
      savepoints.emplace_back(second, event->kept.size());
    } else if (verb == "RELEASE") {
      const std::string name = second == "SAVEPOINT" ? upper_word(sql, after) : second;
      for (std::size_t i = savepoints.size(); i-- > 0;)
        if (savepoints[i].first == name) {
          savepoints.resize(i);
          break;
        }
    } else if (verb == "ROLLBACK") {
      if (second == "TO") {
        std::string name = upper_word(sql, after);
        if (name == "SAVEPOINT") name = upper_word(sql, after);
        for (std::size_t i = savepoints.size(); i-- > 0;)
          if (savepoints[i].first == name) {
            event->kept.resize(std::min(event->kept.size(), savepoints[i].second));
            savepoints.resize(i + 1);
            break;
          }
      } else {
        event->kept.clear();
        savepoints.clear();
      }
    }
  }
};

}  // namespace

std::string_view statement_kind(std::string_view sql) {
  std::size_t at = 0;
  const std::string verb = upper_word(sql, at);
  if (verb == "INSERT" || verb == "UPDATE" || verb == "DELETE" || verb == "REPLACE") return "write";
  if (verb == "SELECT" || verb == "VALUES") return "read";
  if (verb == "WITH") {
    // A common table expression ahead of the statement proper: the verb
    // after its closing parenthesis at depth zero decides.
    int depth = 0;
    for (std::size_t i = at; i < sql.size(); ++i) {
      if (sql[i] == '\'') {
        i = sql.find('\'', i + 1);
        if (i == std::string_view::npos) break;
      } else if (sql[i] == '(') {
        ++depth;
      } else if (sql[i] == ')') {
        --depth;
      } else if (depth == 0 && std::isalpha(static_cast<unsigned char>(sql[i]))) {
        std::size_t word_at = i;
        const std::string word = upper_word(sql, word_at);
        if (word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "REPLACE") return "write";
        if (word == "SELECT") return "read";
        i = word_at - 1;
      }
    }
    return "read";
  }
  return "other";
}

bool bound_values(std::string_view sql, std::string_view expanded, std::vector<Cell> &values) {
  values.clear();
  std::size_t s = 0, e = 0;
  int largest = 0;
  while (s < sql.size()) {
    const char c = sql[s];
    if (c == '\'' || c == '"' || c == '`') {
      // A literal or quoted name: the same bytes on both sides.
      std::size_t end = s + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      const std::size_t length = std::min(end + 1, sql.size()) - s;
      if (expanded.substr(e, length) != sql.substr(s, length)) return false;
      s += length;
      e += length;
      continue;
    }
    if (c == '?') {
      ++s;
      int number = 0;
      bool numbered = false;
      while (s < sql.size() && std::isdigit(static_cast<unsigned char>(sql[s]))) {
        number = number * 10 + (sql[s++] - '0');
        numbered = true;
      }
      if (!numbered) number = largest + 1;
      largest = std::max(largest, number);
      Cell cell;
      if (!read_value(expanded, e, cell)) return false;
      if (values.size() < static_cast<std::size_t>(number)) values.resize(static_cast<std::size_t>(number));
      values[static_cast<std::size_t>(number - 1)] = std::move(cell);
      continue;
    }
    if (c == ':' || c == '@' || c == '$') {
      // Named parameters: ordercare uses none; say so rather than guess.
      if (s + 1 < sql.size() && (std::isalpha(static_cast<unsigned char>(sql[s + 1])) || sql[s + 1] == '_'))
        return false;
    }
    if (e >= expanded.size() || expanded[e] != c) return false;
    ++s;
    ++e;
  }
  return e == expanded.size();
}

Recording record_writes(const std::vector<std::string> &events, const std::string &dir, TimeMs now,
                        const std::function<std::string(const Json &store)> &config_for) {
  Recording recording;
  recording.template_path = dir + "/template.db";
  {
    store::StoreConfig config;
    config.path = recording.template_path;
    config.durability = store::Durability::normal;
    store::open_store(config);  // made and closed: its WAL is checkpointed and gone
  }
  recording.events.resize(events.size());
  Gatherer gatherer;
  gatherer.recording = &recording;
  store::sqlite::observe_statements(
      [&gatherer](std::string_view sql, const char *expanded) { gatherer.seen(sql, expanded); });
  static TimeMs clock;
  clock = now;
  oc_host host{};
  host.struct_size = sizeof host;
  host.now_ms = [](void *) -> std::int64_t { return clock; };
  const std::string config = config_for({{"path", dir + "/recorded.db"}, {"durability", "normal"}});
  try {
    runtime::Plugin plugin(runtime::parse_config(config), &host, 0);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < events.size(); ++i) {
      RecordedEvent &event = recording.events[i];
      event.type = event_type_of(events[i]);
      {
        std::lock_guard lock(gatherer.mutex);
        gatherer.on = true;
        gatherer.event = &event;
      }
      try {
        const Json result = plugin.submit(events[i]);
        event.outcome = result.value("status", std::string("accepted"));
      } catch (const Failure &failure) {
        event.outcome = "rejected";
        event.status = failure.status();
        event.kept.clear();  // nothing of a failed submit stays
      }
      std::lock_guard lock(gatherer.mutex);
      gatherer.on = false;
      gatherer.event = nullptr;
    }
    recording.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    plugin.close();
  } catch (...) {
    store::sqlite::observe_statements(nullptr);
    throw;
  }
  store::sqlite::observe_statements(nullptr);
  return recording;
}

}  // namespace ordercare::bench
