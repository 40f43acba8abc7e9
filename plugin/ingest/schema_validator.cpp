#include "ingest/schema_validator.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

// GCC 12 with -fsanitize=address reports a false maybe-uninitialized inside
// <regex>'s own code, which -Werror would turn into a failed sanitizer build.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop
#else
#include <regex>
#endif

#include "common/failure.h"
#include "common/time_format.h"

namespace ordercare::ingest {

namespace {

enum TypeBit : unsigned {
  kNull = 1u << 0,
  kBoolean = 1u << 1,
  kObject = 1u << 2,
  kArray = 1u << 3,
  kNumber = 1u << 4,
  kInteger = 1u << 5,
  kString = 1u << 6,
};

// One compiled (sub)schema. Every message a violation can produce is built
// here at compile time, so validation only copies strings when it fails.
struct Node {
  bool reject_all = false;
  unsigned types = 0;  // 0: any type
  std::string type_message;

  std::vector<Json> enum_values;
  std::string enum_message;
  std::optional<Json> constant;
  std::string const_message;

  // "required" and "properties" merged so that each member is looked up
  // once: the required ones first, in the order the schema lists them.
  struct Field {
    std::string name;
    const Node *schema = nullptr;  // null: required but not in "properties"
    bool required = false;
    std::size_t rank = 0;  // position in "required"
  };
  std::vector<Field> fields;
  const Node *additional = nullptr;  // null: any additional property is fine

  const Node *items = nullptr;
  std::optional<std::size_t> min_items, max_items;
  std::string min_items_message, max_items_message;

  std::optional<std::size_t> min_length, max_length, max_bytes;
  std::string min_length_message, max_length_message, max_bytes_message;
  std::optional<std::regex> pattern;
  std::string pattern_message;
  bool date_time = false;
  std::optional<TimeMs> earliest, latest;
  std::string instant_message;

  std::optional<Json> minimum, maximum;
  std::string range_message;

  const Node *ref = nullptr;
  std::vector<const Node *> all_of, any_of, one_of;
  const Node *if_schema = nullptr;
  const Node *then_schema = nullptr;
  const Node *else_schema = nullptr;
};

constexpr std::string_view kDateTimeNoun = "an RFC 3339 date-time with offset";

unsigned type_bits(const Json &value) {
  switch (value.type()) {
    case Json::value_t::null:
      return kNull;
    case Json::value_t::boolean:
      return kBoolean;
    case Json::value_t::object:
      return kObject;
    case Json::value_t::array:
      return kArray;
    case Json::value_t::string:
      return kString;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return kInteger | kNumber;
    case Json::value_t::number_float:
      return kNumber;
    default:
      return 0;
  }
}

// Orders two JSON numbers exactly when both are integers (int64 and uint64
// mixed), otherwise in long double.
int compare_numbers(const Json &a, const Json &b) {
  if (a.is_number_float() || b.is_number_float()) {
    const auto x = a.get<long double>();
    const auto y = b.get<long double>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  const bool a_negative = !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
  const bool b_negative = !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
  if (a_negative != b_negative) return a_negative ? -1 : 1;
  if (a_negative) {
    const auto x = a.get<std::int64_t>();
    const auto y = b.get<std::int64_t>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  const auto x = a.get<std::uint64_t>();
  const auto y = b.get<std::uint64_t>();
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::size_t count_code_points(const std::string &s) {
  std::size_t count = 0;
  for (const char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++count;
  return count;
}

std::string describe_value(const Json &value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string range_noun(bool integer, const std::optional<Json> &min, const std::optional<Json> &max) {
  const std::string kind = integer ? "integer" : "number";
  const std::string article = integer ? "an " : "a ";
  if (integer && min && !max && min->is_number_integer()) {
    if (*min == 0) return "a non-negative integer";
    if (*min == 1) return "a positive integer";
  }
  if (min && max) return article + kind + " from " + min->dump() + " to " + max->dump();
  if (min) return article + kind + " >= " + min->dump();
  if (max) return article + kind + " <= " + max->dump();
  return article + kind;
}

// Turns one JSON Schema document into Nodes. Subschemas are memoised by
// their JSON pointer, so a $ref and the schema it names share one Node.
class Compiler {
 public:
  Compiler(const Json &document, std::deque<Node> &nodes) : document_(document), nodes_(nodes) {}

  const Node *compile_document() {
    const Node *root = compile(document_, "");
    // Compiling a $ref target can reveal more $refs, hence the index loop
    // and the copy (the vector may grow under us).
    for (std::size_t i = 0; i < pending_refs_.size(); ++i) {
      const auto [node, target, at] = pending_refs_[i];
      node->ref = resolve(target, at);
    }
    return root;
  }

 private:
  struct PendingRef {
    Node *node;
    std::string target;
    std::string at;
  };

  [[noreturn]] static void reject(const std::string &pointer, const std::string &what) {
    fail(OC_ERR_INTERNAL, "schema #" + pointer + ": " + what);
  }

  const Node *resolve(const std::string &target, const std::string &at) {
    if (auto found = by_pointer_.find(target); found != by_pointer_.end()) return found->second;
    const Json *schema = nullptr;
    try {
      schema = &document_.at(Json::json_pointer(target));
    } catch (const Json::exception &) {
      reject(at, "$ref \"#" + target + "\" names nothing in this document");
    }
    return compile(*schema, target);
  }

  static std::size_t read_count(const Json &value, const std::string &pointer) {
    if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<std::int64_t>() < 0))
      reject(pointer, "expected a non-negative integer");
    return value.get<std::size_t>();
  }

  const Node *compile_child(const Json &schema, const std::string &pointer) {
    if (auto found = by_pointer_.find(pointer); found != by_pointer_.end()) return found->second;
    return compile(schema, pointer);
  }

  std::vector<const Node *> compile_list(const Json &value, const std::string &pointer) {
    if (!value.is_array() || value.empty()) reject(pointer, "expected a non-empty array of schemas");
    std::vector<const Node *> out;
    for (std::size_t i = 0; i < value.size(); ++i)
      out.push_back(compile_child(value[i], pointer + "/" + std::to_string(i)));
    return out;
  }

  const Node *compile(const Json &schema, const std::string &pointer) {
    Node &node = nodes_.emplace_back();
    by_pointer_[pointer] = &node;
    if (schema.is_boolean()) {
      node.reject_all = !schema.get<bool>();
      return &node;
    }
    if (!schema.is_object()) reject(pointer, "expected a schema (an object or a boolean)");
    for (const auto &[key, value] : schema.items())
      compile_keyword(node, key, value, pointer, pointer + "/" + json_pointer_token(key));
    finish(node);
    return &node;
  }

  void compile_keyword(Node &node, const std::string &key, const Json &value,
                       const std::string &pointer, const std::string &at) {
    if (key == "$schema" || key == "$comment" || key == "title" || key == "description" ||
        key == "examples" || key == "default") {
      return;
    }
    if (key == "$id") {
      // A nested $id would change what "#" means inside it.
      if (!pointer.empty()) reject(at, "$id is supported only at the document root");
    } else if (key == "$defs") {
      if (!value.is_object()) reject(at, "expected an object of schemas");
      for (const auto &[name, def] : value.items())
        compile_child(def, at + "/" + json_pointer_token(name));
    } else if (key == "$ref") {
      const auto ref = value.is_string() ? value.get<std::string>() : std::string();
      if (ref.empty() || ref[0] != '#' || (ref.size() > 1 && ref[1] != '/'))
        reject(at, "only \"#\" and \"#/...\" references are supported");
      pending_refs_.push_back({&node, ref.substr(1), at});
    } else if (key == "type") {
      compile_type(node, value, at);
    } else if (key == "enum") {
      if (!value.is_array() || value.empty()) reject(at, "expected a non-empty array");
      node.enum_values.assign(value.begin(), value.end());
    } else if (key == "const") {
      node.constant = value;
    } else if (key == "required") {
      if (!value.is_array()) reject(at, "expected an array of strings");
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string()) reject(at, "expected an array of strings");
        auto &required = field(node, value[i].get<std::string>());
        if (!required.required) required.rank = i;
        required.required = true;
      }
    } else if (key == "properties") {
      if (!value.is_object()) reject(at, "expected an object of schemas");
      for (const auto &[name, property] : value.items())
        field(node, name).schema = compile_child(property, at + "/" + json_pointer_token(name));
    } else if (key == "additionalProperties") {
      node.additional = compile_child(value, at);
    } else if (key == "items") {
      if (value.is_array()) reject(at, "the array form of items is not supported (use one schema)");
      node.items = compile_child(value, at);
    } else if (key == "minItems") {
      node.min_items = read_count(value, at);
    } else if (key == "maxItems") {
      node.max_items = read_count(value, at);
    } else if (key == "minLength") {
      node.min_length = read_count(value, at);
    } else if (key == "maxLength") {
      node.max_length = read_count(value, at);
    } else if (key == "x-maxBytes") {
      node.max_bytes = read_count(value, at);
    } else if (key == "x-minDateTime" || key == "x-maxDateTime") {
      const auto instant = value.is_string() ? parse_rfc3339(value.get<std::string>()) : std::nullopt;
      if (!instant) reject(at, "expected an RFC 3339 date-time");
      (key == "x-minDateTime" ? node.earliest : node.latest) = instant;
    } else if (key == "minimum" || key == "maximum") {
      if (!value.is_number()) reject(at, "expected a number");
      (key == "minimum" ? node.minimum : node.maximum) = value;
    } else if (key == "pattern") {
      if (!value.is_string()) reject(at, "expected a string");
      try {
        node.pattern.emplace(value.get<std::string>(), std::regex::ECMAScript);
      } catch (const std::regex_error &e) {
        reject(at, std::string("invalid regular expression: ") + e.what());
      }
      node.pattern_message = "expected a string matching " + value.get<std::string>();
    } else if (key == "format") {
      if (value != "date-time") reject(at, "only the date-time format is supported");
      node.date_time = true;
    } else if (key == "allOf") {
      node.all_of = compile_list(value, at);
    } else if (key == "anyOf") {
      node.any_of = compile_list(value, at);
    } else if (key == "oneOf") {
      node.one_of = compile_list(value, at);
    } else if (key == "if") {
      node.if_schema = compile_child(value, at);
    } else if (key == "then") {
      node.then_schema = compile_child(value, at);
    } else if (key == "else") {
      node.else_schema = compile_child(value, at);
    } else {
      reject(at, "unsupported keyword \"" + key + "\"");
    }
  }

  static Node::Field &field(Node &node, const std::string &name) {
    for (auto &existing : node.fields)
      if (existing.name == name) return existing;
    return node.fields.emplace_back(Node::Field{name, nullptr, false, 0});
  }

  static void compile_type(Node &node, const Json &value, const std::string &at) {
    static const std::pair<std::string_view, unsigned> names[] = {
        {"null", kNull},     {"boolean", kBoolean}, {"object", kObject},  {"array", kArray},
        {"number", kNumber}, {"integer", kInteger}, {"string", kString},
    };
    const auto bit_of = [&](const Json &name) {
      if (name.is_string()) {
        for (const auto &[text, bit] : names)
          if (name.get_ref<const std::string &>() == text) return bit;
      }
      reject(at, "unknown type " + name.dump());
    };
    if (value.is_array()) {
      if (value.empty()) reject(at, "expected at least one type");
      for (const auto &name : value) node.types |= bit_of(name);
    } else {
      node.types = bit_of(value);
    }
  }

  // The phrase after "expected" for a value of the wrong type, as specific
  // as the node's other keywords allow ("a positive integer").
  static std::string type_noun(const Node &node, unsigned bit) {
    switch (bit) {
      case kNull:
        return "null";
      case kBoolean:
        return "a boolean";
      case kObject:
        return "a JSON object";
      case kArray:
        return node.min_items == 1u ? "a non-empty array" : "an array";
      case kNumber:
        return range_noun(false, node.minimum, node.maximum);
      case kInteger:
        return range_noun(true, node.minimum, node.maximum);
      default:
        if (node.date_time) return std::string(kDateTimeNoun);
        if (node.pattern) return node.pattern_message.substr(std::string_view("expected ").size());
        return node.min_length == 1u ? "a non-empty string" : "a string";
    }
  }

  static void finish(Node &node) {
    std::stable_sort(node.fields.begin(), node.fields.end(), [](const Node::Field &a, const Node::Field &b) {
      return a.required != b.required ? a.required : a.rank < b.rank;
    });
    if (!node.enum_values.empty()) {
      node.enum_message = "expected one of: ";
      for (std::size_t i = 0; i < node.enum_values.size(); ++i)
        node.enum_message += (i ? ", " : "") + describe_value(node.enum_values[i]);
    }
    if (node.constant) node.const_message = "expected " + node.constant->dump();
    if (node.types != 0) {
      if (!node.enum_values.empty()) {
        node.type_message = node.enum_message;
      } else {
        std::vector<std::string> nouns;
        for (const unsigned bit : {kObject, kArray, kString, kInteger, kNumber, kBoolean, kNull}) {
          // "number" already admits integers, so name only the wider one.
          if (bit == kInteger && (node.types & kNumber)) continue;
          if (node.types & bit) nouns.push_back(type_noun(node, bit));
        }
        node.type_message = "expected ";
        for (std::size_t i = 0; i < nouns.size(); ++i)
          node.type_message += (i == 0 ? "" : (i + 1 == nouns.size() ? " or " : ", ")) + nouns[i];
      }
    }
    const bool integer_only = node.types == kInteger;
    node.range_message = "expected " + range_noun(integer_only, node.minimum, node.maximum);
    if (node.min_length)
      node.min_length_message = *node.min_length == 1
                                    ? "expected a non-empty string"
                                    : "expected at least " + std::to_string(*node.min_length) +
                                          " characters";
    if (node.max_length)
      node.max_length_message = "expected at most " + std::to_string(*node.max_length) + " characters";
    if (node.max_bytes)
      node.max_bytes_message = "expected at most " + std::to_string(*node.max_bytes) + " bytes of UTF-8";
    if (node.min_items)
      node.min_items_message = *node.min_items == 1
                                   ? "expected a non-empty array"
                                   : "expected at least " + std::to_string(*node.min_items) + " items";
    if (node.max_items)
      node.max_items_message = "expected at most " + std::to_string(*node.max_items) + " items";
    if (node.earliest && node.latest)
      node.instant_message = "expected a date-time from " + format_rfc3339(*node.earliest) + " to " +
                             format_rfc3339(*node.latest);
    else if (node.earliest)
      node.instant_message = "expected a date-time at or after " + format_rfc3339(*node.earliest);
    else if (node.latest)
      node.instant_message = "expected a date-time at or before " + format_rfc3339(*node.latest);
  }

  const Json &document_;
  std::deque<Node> &nodes_;
  std::unordered_map<std::string, const Node *> by_pointer_;
  std::vector<PendingRef> pending_refs_;
};

// The path to the value being checked, kept on the stack as a chain of
// links so that nothing is allocated until a violation needs the text.
struct PathLink {
  const PathLink *parent;
  const std::string *key;  // null for an array index
  std::size_t index;
};

struct Violation {
  std::string path;
  std::string message;
  std::size_t depth = 0;
};

std::size_t path_depth(const PathLink *path) {
  std::size_t depth = 0;
  for (; path; path = path->parent) ++depth;
  return depth;
}

std::string format_path(const PathLink *path) {
  if (!path) return "(root)";
  std::vector<const PathLink *> chain;
  for (; path; path = path->parent) chain.push_back(path);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->key) {
      if (!out.empty()) out += '.';
      out += *(*it)->key;
    } else {
      out += '[' + std::to_string((*it)->index) + ']';
    }
  }
  return out;
}

bool report(Violation *out, const PathLink *path, const std::string &message) {
  if (out) {
    out->path = format_path(path);
    out->message = message;
    out->depth = path_depth(path);
  }
  return false;
}

const std::string kRejectAllMessage = "no value is allowed here";
const std::string kNoAlternativeMessage = "does not match any of the allowed forms";
const std::string kSeveralAlternativesMessage = "matches more than one of the allowed forms";

// Checks value against node; on a violation returns false and, when out is
// not null, describes the first one found. Subschemas that are only probed
// (anyOf, oneOf, if) run with out null and so build no strings.
bool check(const Node &node, const Json &value, const PathLink *path, Violation *out);

bool check_string(const Node &node, const std::string &text, const PathLink *path, Violation *out) {
  if (node.min_length || node.max_length) {
    const std::size_t length = count_code_points(text);
    if (node.min_length && length < *node.min_length)
      return report(out, path, node.min_length_message);
    if (node.max_length && length > *node.max_length)
      return report(out, path, node.max_length_message);
  }
  if (node.max_bytes && text.size() > *node.max_bytes)
    return report(out, path, node.max_bytes_message);
  if (node.date_time || node.earliest || node.latest) {
    const auto instant = parse_rfc3339(text);
    if (node.date_time && !instant) return report(out, path, "expected " + std::string(kDateTimeNoun));
    if (instant && ((node.earliest && *instant < *node.earliest) || (node.latest && *instant > *node.latest)))
      return report(out, path, node.instant_message);
  }
  if (node.pattern && !std::regex_search(text, *node.pattern))
    return report(out, path, node.pattern_message);
  return true;
}

bool check_array(const Node &node, const Json &array, const PathLink *path, Violation *out) {
  if (node.min_items && array.size() < *node.min_items)
    return report(out, path, node.min_items_message);
  if (node.max_items && array.size() > *node.max_items)
    return report(out, path, node.max_items_message);
  if (node.items) {
    for (std::size_t i = 0; i < array.size(); ++i) {
      const PathLink link{path, nullptr, i};
      if (!check(*node.items, array[i], &link, out)) return false;
    }
  }
  return true;
}

bool check_object(const Node &node, const Json &object, const PathLink *path, Violation *out) {
  for (const auto &field : node.fields) {
    const auto found = object.find(field.name);
    const PathLink link{path, &field.name, 0};
    if (found == object.end()) {
      if (field.required) return report(out, &link, "missing required field");
    } else if (field.schema && !check(*field.schema, *found, &link, out)) {
      return false;
    }
  }
  if (node.additional) {
    for (const auto &[name, member] : object.items()) {
      bool declared = false;
      for (const auto &field : node.fields) declared = declared || (field.schema && field.name == name);
      if (declared) continue;
      const PathLink link{path, &name, 0};
      if (!check(*node.additional, member, &link, out)) return false;
    }
  }
  return true;
}

// For anyOf and oneOf with no match: the violation of the alternative that
// got deepest into the value says most about what was meant; if none got
// past this value itself, a generic message is clearer.
bool report_no_alternative(const std::vector<const Node *> &alternatives, const Json &value,
                           const PathLink *path, Violation *out) {
  if (!out) return false;
  Violation best;
  for (const Node *alternative : alternatives) {
    Violation candidate;
    check(*alternative, value, path, &candidate);
    if (candidate.depth > best.depth) best = std::move(candidate);
  }
  if (best.depth > path_depth(path)) {
    *out = std::move(best);
    return false;
  }
  return report(out, path, kNoAlternativeMessage);
}

bool check(const Node &node, const Json &value, const PathLink *path, Violation *out) {
  if (node.reject_all) return report(out, path, kRejectAllMessage);
  if (node.ref && !check(*node.ref, value, path, out)) return false;
  if (node.types != 0 && (type_bits(value) & node.types) == 0)
    return report(out, path, node.type_message);
  if (!node.enum_values.empty()) {
    bool listed = false;
    for (const Json &allowed : node.enum_values) {
      if (allowed == value) {
        listed = true;
        break;
      }
    }
    if (!listed) return report(out, path, node.enum_message);
  }
  if (node.constant && *node.constant != value) return report(out, path, node.const_message);

  switch (value.type()) {
    case Json::value_t::string:
      if (!check_string(node, value.get_ref<const std::string &>(), path, out)) return false;
      break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      if ((node.minimum && compare_numbers(value, *node.minimum) < 0) ||
          (node.maximum && compare_numbers(value, *node.maximum) > 0))
        return report(out, path, node.range_message);
      break;
    case Json::value_t::array:
      if (!check_array(node, value, path, out)) return false;
      break;
    case Json::value_t::object:
      if (!check_object(node, value, path, out)) return false;
      break;
    default:
      break;
  }

  for (const Node *part : node.all_of)
    if (!check(*part, value, path, out)) return false;
  if (!node.any_of.empty()) {
    bool matched = false;
    for (const Node *alternative : node.any_of) {
      if (check(*alternative, value, path, nullptr)) {
        matched = true;
        break;
      }
    }
    if (!matched) return report_no_alternative(node.any_of, value, path, out);
  }
  if (!node.one_of.empty()) {
    std::size_t matches = 0;
    for (const Node *alternative : node.one_of)
      if (check(*alternative, value, path, nullptr)) ++matches;
    if (matches == 0) return report_no_alternative(node.one_of, value, path, out);
    if (matches > 1) return report(out, path, kSeveralAlternativesMessage);
  }
  if (node.if_schema) {
    const Node *branch = check(*node.if_schema, value, path, nullptr) ? node.then_schema
                                                                      : node.else_schema;
    if (branch && !check(*branch, value, path, out)) return false;
  }
  return true;
}

}  // namespace

struct SchemaValidator::Compiled {
  Json document;
  std::deque<Node> nodes;
  const Node *root = nullptr;
};

SchemaValidator::SchemaValidator(const Json &schema) {
  auto compiled = std::make_unique<Compiled>();
  compiled->document = schema;
  Compiler compiler(compiled->document, compiled->nodes);
  compiled->root = compiler.compile_document();
  compiled_ = std::move(compiled);
}

SchemaValidator::~SchemaValidator() = default;
SchemaValidator::SchemaValidator(SchemaValidator &&) noexcept = default;
SchemaValidator &SchemaValidator::operator=(SchemaValidator &&) noexcept = default;

std::optional<ValidationError> SchemaValidator::validate(const Json &instance) const {
  Violation violation;
  if (check(*compiled_->root, instance, nullptr, &violation)) return std::nullopt;
  return ValidationError{std::move(violation.path), std::move(violation.message)};
}

const Json &SchemaValidator::document() const { return compiled_->document; }

}  // namespace ordercare::ingest
