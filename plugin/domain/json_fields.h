// An entity's JSON form described once: a table of its fields, each naming
// its key, the member that holds it and its kind, which one walk follows to
// write the entity and another to read it back. Adding a field is one line
// in the table (entities_json.cpp has them):
//
//   constexpr auto kShipment = describe(
//       text("id", &Shipment::id),
//       enumeration("status", &Shipment::status, to_string, parse_shipment_status, ShipmentStatus::in_transit),
//       time("eta", &Shipment::eta));
//
// A member that is a std::optional is written as null when it has no value
// (or left out, with omit_empty). Reading takes whatever a stored document
// holds, since the store keeps documents written by every older version: a
// missing or mistyped value reads as "", 0, no value or no elements, and a
// name an enum does not know as the table's fallback. Only a flag reads
// strictly (Json::value(), as it always has): a flag that is there and not
// a boolean, or any flag read from something that is not an object, throws
// nlohmann's type_error.
//
// The table is a constexpr tuple walked by fold expressions: no map and no
// function object per field, each field one `j[key] = value` or
// `j.find(key)`. Keys are string_views, which the object's map compares
// without measuring them again, and times and enum names are parsed where
// they lie rather than copied first (issue 11: an order is written on every
// order event). A field is any struct with an Entity type and write and
// read members; the kinds below are the ones the entities need.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/business_calendar.h"
#include "domain/shared_json.h"

namespace ordercare::domain::json_fields {

// Written only when it holds something (a text or list with elements, a
// value, a number other than 0, true): for fields that documents have
// always left out when empty, which must stay out for their text to stay
// the same.
struct OmitEmpty {};
inline constexpr OmitEmpty omit_empty{};

template <class... Fields>
struct Description {
  using Entity = typename std::tuple_element_t<0, std::tuple<Fields...>>::Entity;
  static_assert((std::is_same_v<Entity, typename Fields::Entity> && ...), "fields of one entity");

  std::tuple<Fields...> fields;
  // The fields by key, as an object's map holds them: the order the text
  // walk writes them in, so that an object needs no sorting once written
  // (json_text.h). The table's own order where a field has no key of its
  // own (flattened: its fields sit among the others).
  std::array<std::size_t, sizeof...(Fields)> key_order;
};

namespace detail {

template <class Field>
concept Keyed = requires(const Field &f) { std::string_view(f.key); };

// A key the text walk writes between quotes as it is (json_text.h does not
// look at it again): printable ASCII, no '"' or '\\'.
constexpr bool plain_key(std::string_view key) {
  for (const char c : key)
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  return !key.empty();
}

template <class Field>
constexpr void require_plain_key(const Field &field) {
  // Thrown while the table is built at compile time: a compile error.
  if constexpr (Keyed<Field>)
    if (!plain_key(field.key)) throw "json_fields: a key must be printable ASCII without quotes or backslashes";
}

template <class... Fields>
constexpr std::array<std::size_t, sizeof...(Fields)> key_order_of(const Fields &...fields) {
  (require_plain_key(fields), ...);
  std::array<std::size_t, sizeof...(Fields)> order{};
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if constexpr ((Keyed<Fields> && ...)) {
    const std::array<std::string_view, sizeof...(Fields)> keys{std::string_view(fields.key)...};
    // Stable: of two fields with one key, the later is written later.
    for (std::size_t i = 1; i < order.size(); ++i)
      for (std::size_t j = i; j > 0 && keys[order[j]] < keys[order[j - 1]]; --j) std::swap(order[j], order[j - 1]);
  }
  return order;
}

}  // namespace detail

template <class... Fields>
constexpr Description<Fields...> describe(Fields... fields) {
  return {{fields...}, detail::key_order_of(fields...)};
}

// The two walks. The *_fields forms work on an object that is already there
// (a nested entity, or one whose fields share its parent's object).
template <class D>
void write_fields(const typename D::Entity &from, Json &to, const D &d) {
  std::apply([&](const auto &...field) { (field.write(from, to), ...); }, d.fields);
}

template <class D>
Json write(const typename D::Entity &from, const D &d) {
  Json to = Json::object();
  write_fields(from, to, d);
  return to;
}

template <class D>
void read_fields(const Json &from, typename D::Entity &to, const D &d) {
  std::apply([&](const auto &...field) { (field.read(from, to), ...); }, d.fields);
}

template <class D>
typename D::Entity read(const Json &from, const D &d) {
  typename D::Entity to;
  read_fields(from, to, d);
  return to;
}

// The third walk, to text (json_text.h), declared here for the kinds that
// nest.
template <class D, class W>
void append_fields(const typename D::Entity &from, W &w, const D &d);
template <class D, class W>
void append_object(const typename D::Entity &from, W &w, const D &d);

namespace detail {

// The value one field writes, as write() gives it: what a personal member
// is taken out as.
template <class Field>
Json written(const Field &field, const typename Field::Entity &from) {
  Json j = Json::object();
  field.write(from, j);
  auto it = j.find(field.key);
  return it == j.end() ? Json() : std::move(*it);
}

template <class M>
struct Unwrapped {
  using Type = M;
  static constexpr bool optional = false;
};
template <class V>
struct Unwrapped<std::optional<V>> {
  using Type = V;
  static constexpr bool optional = true;
};

template <class M>
bool is_empty(const M &v) {
  if constexpr (requires { v.empty(); })
    return v.empty();
  else
    return v == M{};
}

// The value under `key`; nullptr when there is none or `object` is no object.
inline const Json *find(const Json &object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// How a scalar is written (encode) and read back (decode: nullopt when the
// JSON value is of the wrong kind or does not parse; `missing` then).
struct TextKind {
  static Json encode(const std::string &v) { return v; }
  template <class W>
  static void append(const std::string &v, W &w) {
    w.string(v);
  }
  static std::optional<std::string> decode(const Json &j) {
    if (!j.is_string()) return std::nullopt;
    return j.get_ref<const std::string &>();
  }
  static std::string missing() { return {}; }
};

struct IntegerKind {
  static Json encode(std::int64_t v) { return v; }
  template <class W>
  static void append(std::int64_t v, W &w) {
    append_json_integer(w.out(), v);
  }
  static std::optional<std::int64_t> decode(const Json &j) {
    if (!j.is_number_integer()) return std::nullopt;
    return j.get<std::int64_t>();
  }
  static std::int64_t missing() { return 0; }
};

struct TimeKind {
  static Json encode(TimeMs v) { return format_rfc3339(v); }
  // Digits and "-:.TZ" only: nothing to escape.
  template <class W>
  static void append(TimeMs v, W &w) {
    w.out() += '"';
    append_rfc3339(w.out(), v);
    w.out() += '"';
  }
  static std::optional<TimeMs> decode(const Json &j) {
    if (!j.is_string()) return std::nullopt;
    return parse_rfc3339(j.get_ref<const std::string &>());
  }
  static TimeMs missing() { return 0; }
};

template <class V>
struct EnumKind {
  std::string_view (*name)(V);
  std::optional<V> (*parse)(std::string_view);
  V fallback;

  Json encode(V v) const { return name(v); }
  template <class W>
  void append(V v, W &w) const {
    w.string(name(v));
  }
  std::optional<V> decode(const Json &j) const {
    if (!j.is_string()) return std::nullopt;
    return parse(j.get_ref<const std::string &>());
  }
  V missing() const { return fallback; }
};

// A text, number, time or enum: M is its value type or a std::optional of it.
template <class T, class M, class Kind>
struct Scalar {
  using Entity = T;
  std::string_view key;
  M T::*member;
  Kind kind;
  bool omit = false;

  void write(const T &from, Json &to) const {
    const M &v = from.*member;
    if (omit && is_empty(v)) return;
    if constexpr (Unwrapped<M>::optional)
      to[key] = v ? kind.encode(*v) : Json(nullptr);
    else
      to[key] = kind.encode(v);
  }
  template <class W>
  void append(const T &from, W &w) const {
    const M &v = from.*member;
    if (omit && is_empty(v)) return;
    w.member(
        key,
        [&](bool) {
          if constexpr (Unwrapped<M>::optional) {
            if (!v) {
              w.out() += "null";
              return;
            }
            kind.append(*v, w);
          } else {
            kind.append(v, w);
          }
        });
  }
  void read(const Json &from, T &to) const {
    const Json *found = find(from, key);
    auto v = found ? kind.decode(*found) : std::nullopt;
    if constexpr (Unwrapped<M>::optional)
      to.*member = std::move(v);
    else
      to.*member = v ? std::move(*v) : kind.missing();
  }
};

template <class T>
struct Flag {
  using Entity = T;
  std::string_view key;
  bool T::*member;
  bool omit = false;

  void write(const T &from, Json &to) const {
    if (!omit || from.*member) to[key] = from.*member;
  }
  template <class W>
  void append(const T &from, W &w) const {
    if (omit && !(from.*member)) return;
    w.member(key, [&](bool) { w.out() += from.*member ? "true" : "false"; });
  }
  void read(const Json &from, T &to) const { to.*member = from.value(key, false); }
};

template <class T>
struct Texts {
  using Entity = T;
  std::string_view key;
  std::vector<std::string> T::*member;

  void write(const T &from, Json &to) const { to[key] = from.*member; }
  template <class W>
  void append(const T &from, W &w) const {
    w.member(
        key,
        [&](bool above) {
          if (above) return w.json_below(Json(from.*member));
          w.out() += '[';
          bool first = true;
          for (const auto &t : from.*member) {
            if (!first) w.out() += ',';
            first = false;
            w.string(t);
          }
          w.out() += ']';
        });
  }
  void read(const Json &from, T &to) const {
    auto &out = to.*member;
    const Json *found = find(from, key);
    if (!found || !found->is_array()) return;
    for (const auto &v : *found)
      if (v.is_string()) out.push_back(v.get<std::string>());
  }
};

// M is Json, or SharedJson (shared_json.h), which reads as the Json it holds.
template <class T, class M>
struct Object {
  using Entity = T;
  std::string_view key;
  M T::*member;

  void write(const T &from, Json &to) const { to[key] = static_cast<const Json &>(from.*member); }
  template <class W>
  void append(const T &from, W &w) const {
    const Json &value = from.*member;
    w.member(
        key,
        [&](bool above) {
          if (above) return w.json_below(value);
          w.json(value);
        });
  }
  void read(const Json &from, T &to) const {
    const Json *found = find(from, key);
    to.*member = found && found->is_object() ? *found : Json::object();
  }
};

template <class T>
struct Intervals {
  using Entity = T;
  std::string_view key;
  std::vector<Interval> T::*member;

  void write(const T &from, Json &to) const {
    Json &out = to[key] = Json::array();
    for (const auto &i : from.*member) {
      Json &pair = out.emplace_back(Json::array());
      pair.push_back(format_rfc3339(i.begin));
      pair.push_back(format_rfc3339(i.end));
    }
  }
  template <class W>
  void append(const T &from, W &w) const {
    w.member(
        key,
        [&](bool above) {
          if (above) return w.json_below(written(*this, from));
          w.out() += '[';
          bool first = true;
          for (const auto &i : from.*member) {
            if (!first) w.out() += ',';
            first = false;
            w.out() += '[';
            w.string(format_rfc3339(i.begin));
            w.out() += ',';
            w.string(format_rfc3339(i.end));
            w.out() += ']';
          }
          w.out() += ']';
        });
  }
  void read(const Json &from, T &to) const {
    const Json *found = find(from, key);
    if (!found || !found->is_array()) return;
    for (const auto &p : *found)
      if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string())
        (to.*member).push_back({TimeKind::decode(p[0]).value_or(0), TimeKind::decode(p[1]).value_or(0)});
  }
};

template <class T, class D>
struct Nested {
  using Entity = T;
  std::string_view key;
  std::optional<typename D::Entity> T::*member;
  D description;

  void write(const T &from, Json &to) const {
    const auto &v = from.*member;
    if (v) write_fields(*v, to[key] = Json::object(), description);
  }
  template <class W>
  void append(const T &from, W &w) const {
    const auto &v = from.*member;
    if (!v) return;
    w.member(key, [&](bool) { append_object(*v, w, description); });
  }
  void read(const Json &from, T &to) const {
    const Json *found = find(from, key);
    if (found && found->is_object()) read_fields(*found, (to.*member).emplace(), description);
  }
};

template <class T, class D>
struct List {
  using Entity = T;
  std::string_view key;
  std::vector<typename D::Entity> T::*member;
  D description;
  bool omit = false;

  void write(const T &from, Json &to) const {
    const auto &v = from.*member;
    if (omit && v.empty()) return;
    Json &out = to[key] = Json::array();
    for (const auto &e : v) write_fields(e, out.emplace_back(Json::object()), description);
  }
  template <class W>
  void append(const T &from, W &w) const {
    const auto &v = from.*member;
    if (omit && v.empty()) return;
    w.member(
        key,
        [&](bool) {
          w.out() += '[';
          for (std::size_t i = 0; i < v.size(); ++i)
            w.element(i, [&] { append_object(v[i], w, description); });
          w.out() += ']';
        });
  }
  void read(const Json &from, T &to) const {
    const Json *found = find(from, key);
    if (!found || !found->is_array()) return;
    for (const auto &e : *found) read_fields(e, (to.*member).emplace_back(), description);
  }
};

template <class T, class D>
struct Flattened {
  using Entity = T;
  typename D::Entity T::*member;
  D description;

  void write(const T &from, Json &to) const { write_fields(from.*member, to, description); }
  template <class W>
  void append(const T &from, W &w) const {
    append_fields(from.*member, w, description);
  }
  void read(const Json &from, T &to) const { read_fields(from, to.*member, description); }
};

template <class T, class R>
struct Derived {
  using Entity = T;
  std::string_view key;
  R (T::*compute)() const;

  void write(const T &from, Json &to) const { to[key] = (from.*compute)(); }
  template <class W>
  void append(const T &from, W &w) const {
    w.member(key, [&](bool) { w.json(Json((from.*compute)())); });
  }
  void read(const Json &, T &) const {}
};

template <class M, class V>
concept HoldsA = std::is_same_v<typename Unwrapped<M>::Type, V>;

}  // namespace detail

// Text: a std::string, or a std::optional of one.
template <class T, detail::HoldsA<std::string> M>
constexpr auto text(std::string_view key, M T::*member) {
  return detail::Scalar<T, M, detail::TextKind>{key, member, {}};
}
template <class T, detail::HoldsA<std::string> M>
constexpr auto text(std::string_view key, M T::*member, OmitEmpty) {
  return detail::Scalar<T, M, detail::TextKind>{key, member, {}, true};
}

// A whole number (money in minor units, counts), or a std::optional of one.
template <class T, detail::HoldsA<std::int64_t> M>
constexpr auto integer(std::string_view key, M T::*member) {
  return detail::Scalar<T, M, detail::IntegerKind>{key, member, {}};
}
template <class T, detail::HoldsA<std::int64_t> M>
constexpr auto integer(std::string_view key, M T::*member, OmitEmpty) {
  return detail::Scalar<T, M, detail::IntegerKind>{key, member, {}, true};
}

// An instant (TimeMs, or a std::optional of one), written as RFC 3339.
template <class T, detail::HoldsA<TimeMs> M>
constexpr auto time(std::string_view key, M T::*member) {
  return detail::Scalar<T, M, detail::TimeKind>{key, member, {}};
}
template <class T, detail::HoldsA<TimeMs> M>
constexpr auto time(std::string_view key, M T::*member, OmitEmpty) {
  return detail::Scalar<T, M, detail::TimeKind>{key, member, {}, true};
}

// An enum written by its name; a name `parse` does not know reads as `fallback`.
template <class T, class V>
constexpr auto enumeration(std::string_view key, V T::*member, std::type_identity_t<std::string_view (*)(V)> name,
                           std::type_identity_t<std::optional<V> (*)(std::string_view)> parse,
                           std::type_identity_t<V> fallback) {
  return detail::Scalar<T, V, detail::EnumKind<V>>{key, member, {name, parse, fallback}};
}

template <class T>
constexpr auto flag(std::string_view key, bool T::*member) {
  return detail::Flag<T>{key, member};
}
template <class T>
constexpr auto flag(std::string_view key, bool T::*member, OmitEmpty) {
  return detail::Flag<T>{key, member, true};
}

// A list of texts; elements that are not text are skipped when read.
template <class T>
constexpr auto texts(std::string_view key, std::vector<std::string> T::*member) {
  return detail::Texts<T>{key, member};
}

// A JSON object kept as it is (personal fields, details, payloads); anything
// else reads as {}.
template <class T, class M>
  requires std::is_same_v<M, Json> || std::is_same_v<M, SharedJson>
constexpr auto object(std::string_view key, M T::*member) {
  return detail::Object<T, M>{key, member};
}

// Time intervals, each written as a [begin, end] pair; a pair that is not
// two texts is skipped when read.
template <class T>
constexpr auto intervals(std::string_view key, std::vector<Interval> T::*member) {
  return detail::Intervals<T>{key, member};
}

// An entity of its own, described by `d`, in an object under `key`; left
// out when there is none.
template <class T, class D>
constexpr auto nested(std::string_view key, std::optional<typename D::Entity> T::*member, D d) {
  return detail::Nested<T, D>{key, member, d};
}

// A list of entities described by `d`.
template <class T, class D>
constexpr auto list(std::string_view key, std::vector<typename D::Entity> T::*member, D d) {
  return detail::List<T, D>{key, member, d};
}
template <class T, class D>
constexpr auto list(std::string_view key, std::vector<typename D::Entity> T::*member, D d, OmitEmpty) {
  return detail::List<T, D>{key, member, d, true};
}

// A member whose own fields (described by `d`) sit in the entity's object,
// not in one of their own.
template <class T, class D>
constexpr auto flattened(typename D::Entity T::*member, D d) {
  return detail::Flattened<T, D>{member, d};
}

// Written only: what a const member function computes from the rest.
template <class T, class R>
constexpr auto derived(std::string_view key, R (T::*compute)() const) {
  return detail::Derived<T, R>{key, compute};
}

}  // namespace ordercare::domain::json_fields
