// An entity's stored JSON text written straight from its members, by a
// third walk of its description (json_fields.h): the same bytes as
// dump_json(write(entity)) with the personal members taken out, without
// building the tree. The tree cost a map node, a value and often a string
// per field, and the store then walked it again to take the personal parts
// out and a third time to serialize it: on the event path, where an order
// is written on every order event, that was most of the writer's
// allocations (issue 11).
//
// Keys come out sorted as a JSON object's map sorts them. Each member is
// asked whether it is personal (Personal::relation, from the path of keys
// and array indexes that leads to it, as store/personal_fields.h names
// them): one that is goes into taken_text() as {"<json pointer>": value},
// the text dump_json gives that object (keys sorted; the value as write()
// would have given it), and is left out of the text; an array element that
// is goes as null. The store seals that text as it is: building the object
// to dump it cost as much again as writing the document (issue 11).
//
// The writer keeps its buffers from one document to the next: after the
// first few, writing allocates nearly nothing. One writer is used by one
// thread.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/time_format.h"
#include "domain/json_fields.h"

namespace ordercare::domain::json_fields {

// What a path is to the personal parts of a document: named by one (the
// whole value is personal), above one (some of its insides are), or apart.
enum class Relation { named, above, apart };

class Personal {
 public:
  virtual ~Personal() = default;
  virtual Relation relation(const std::vector<std::string_view> &path) const = 0;
  // Whether a value with no insides (neither object nor array) on a path
  // `above` a part is personal. A rule that names the personal parts keeps
  // it: none of them is in it (documents). One that names what is kept
  // takes it: nothing kept is in it (events, store/personal_fields.h).
  virtual bool takes_leaves_above() const { return false; }
};

class TextWriter {
 public:
  // Starts a document; `personal` may be null (nothing is taken out).
  void begin(const Personal *personal);
  // Whether any personal member was met.
  bool took() const { return !taken_.empty(); }
  // The personal members met, as the text of {"<json pointer>": value};
  // valid until the next begin().
  const std::string &taken_text();
  // A member of the document's own object whose value is JSON text already
  // (a sealed part); it replaces a member of the same key.
  void raw_member(std::string_view key, std::string_view text);
  // Whether every text met was valid UTF-8; if not, the document is to be
  // written the slow way, whose dump_json says what is wrong.
  bool valid() const { return valid_; }
  // The document's text; the writer is then ready for begin() again.
  std::string finish();

  // Used by the field kinds below. A member's `key` is a description's,
  // plain as describe() requires (json_fields.h): written as it is.
  template <class Text>
  void member(std::string_view key, Text &&text);
  template <class Element>
  void element(std::size_t index, Element &&write);
  void open_object();
  void close_object();
  std::string &out() { return levels_[depth_].text; }
  void string(std::string_view text) {
    if (!append_json_string(out(), text)) valid_ = false;
  }
  void json(const Json &value) {
    if (!append_json_text(out(), value)) valid_ = false;
  }
  // A value some of whose insides are personal: those taken out, the rest
  // written (as take_personal_fields leaves it: a container emptied stays).
  void json_below(const Json &value);
  // A whole JSON value rather than an entity's members, written as
  // json_below writes one: its text, the personal parts taken out. After
  // begin(); the writer is then ready for begin() again.
  std::string value_text(const Json &value);

 private:
  // A member's text ("key":value) is text[begin, end) of its level.
  struct Member {
    std::string_view key;
    std::size_t begin, end;
  };
  // One object being written: its members' texts one after another,
  // comma-separated, and where each is. `in_order` while each key was
  // greater than the one before: the text is then the object's as it
  // stands (append_fields writes a description's fields so).
  struct Level {
    std::string text;
    std::vector<Member> members;
    bool in_order = true;
  };

  // A value that is personal although the rule only passes through it.
  bool leaf_taken(Relation r, const Json &value) const {
    return r == Relation::above && personal_->takes_leaves_above() && !value.is_object() && !value.is_array();
  }
  // Below a member that is apart from every personal part nothing is
  // personal: the rule is asked only until then (most of a document is).
  Relation relation_here() const {
    if (!personal_ || apart_below_ < path_.size()) return Relation::apart;
    return personal_->relation(path_);
  }
  // Writes the value at the end of path_ with `text`, remembering that
  // what lies below it is apart when it is.
  template <class Text>
  void write_value(Relation r, Text &&text) {
    const std::size_t was = apart_below_;
    if (r == Relation::apart && apart_below_ > path_.size()) apart_below_ = path_.size();
    text(r == Relation::above);
    apart_below_ = was;
  }
  // One personal part: its pointer and its text, in taken_keys_ and
  // taken_values_.
  struct Taken {
    std::size_t key_begin, key_end, begin, end;
  };
  // Writes the value at the end of path_ with `text` into the taken parts,
  // nothing below it asked about again (it is personal whole). It is
  // written in a level of its own, as a member's value always is, and
  // copied from there: the field kinds write only to out().
  template <class Text>
  void take(Text &&text) {
    open_object();
    const std::size_t was = apart_below_;
    if (apart_below_ > path_.size()) apart_below_ = path_.size();
    text(false);
    apart_below_ = was;
    const std::size_t begin = taken_values_.size();
    taken_values_ += levels_[depth_].text;
    --depth_;
    keep_taken(begin);
  }
  // A member of the object being written: its key (after a comma when it
  // is not the first), then what writes its value, then where it is.
  std::size_t start_member(std::string_view key);
  void end_member(std::string_view key, std::size_t begin);
  void keep_taken(std::size_t begin);
  void take_json(const Json &value);
  std::string_view index_name(std::size_t index);
  void close_into(Level &level, std::string &out);

  const Personal *personal_ = nullptr;
  std::vector<Taken> taken_;
  std::string taken_keys_, taken_values_, taken_text_, scratch_;
  bool valid_ = true;
  std::vector<Level> levels_;
  std::size_t depth_ = 0;
  std::vector<std::string_view> path_;
  std::size_t apart_below_ = SIZE_MAX;  // the depth of the path below which all is apart
  std::deque<std::string> index_names_;  // "0", "1", ...: a deque, so views of them stay put
};

template <class Text>
void TextWriter::member(std::string_view key, Text &&text) {
  path_.push_back(key);
  const Relation r = relation_here();
  if (r == Relation::named) {
    take(text);
  } else {
    const std::size_t begin = start_member(key);
    write_value(r, text);
    end_member(key, begin);
  }
  path_.pop_back();
}

// One element of the array being written (after its '[' or ','), at
// `index`: written by `write`, or null when it is personal as a whole.
template <class Element>
void TextWriter::element(std::size_t index, Element &&write) {
  if (index > 0) out() += ',';
  path_.push_back(index_name(index));
  const Relation r = relation_here();
  if (r == Relation::named) {
    take([&](bool) { write(); });
    out() += "null";
  } else {
    write_value(r, [&](bool) { write(); });
  }
  path_.pop_back();
}

namespace detail {

// Field I of description D, appended: one entry of the table append_fields
// walks in key order.
template <class D, class W, std::size_t I>
void append_field(const typename D::Entity &from, W &w, const D &d) {
  std::get<I>(d.fields).append(from, w);
}

template <class D, class W, std::size_t... I>
void append_by_key(const typename D::Entity &from, W &w, const D &d, std::index_sequence<I...>) {
  using Append = void (*)(const typename D::Entity &, W &, const D &);
  static constexpr Append kAppend[] = {&append_field<D, W, I>...};
  for (const std::size_t i : d.key_order) kAppend[i](from, w, d);
}

}  // namespace detail

// The fields in key order (Description::key_order): the object they make
// is then written as it stands, without sorting or copying its members
// one by one (TextWriter::close_into).
template <class D, class W>
void append_fields(const typename D::Entity &from, W &w, const D &d) {
  detail::append_by_key(from, w, d, std::make_index_sequence<std::tuple_size_v<decltype(d.fields)>>());
}

// The text of one entity of description `d` as an object of its own.
template <class D, class W>
void append_object(const typename D::Entity &from, W &w, const D &d) {
  w.open_object();
  append_fields(from, w, d);
  w.close_object();
}

}  // namespace ordercare::domain::json_fields
