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
// them): one that is goes into taken() as {"<json pointer>": value}, in
// the form write() would have given it, and is left out of the text; an
// array element that is goes as null.
//
// The writer keeps its buffers from one document to the next: after the
// first few, writing allocates nearly nothing. One writer is used by one
// thread.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
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
  // Moves out of `value`, found at `path` (whose JSON pointer is `pointer`;
  // relation() said it is above a personal part), every part that is
  // personal, into `taken` under its pointer from the document's root.
  virtual void take_below(Json &value, const std::vector<std::string_view> &path, const std::string &pointer,
                          Json &taken) const = 0;
};

class TextWriter {
 public:
  // Starts a document; `personal` may be null (nothing is taken out).
  void begin(const Personal *personal);
  // The personal members met so far, moved out.
  Json take_taken() { return std::move(taken_); }
  // A member of the document's own object whose value is JSON text already
  // (a sealed part); it replaces a member of the same key.
  void raw_member(std::string_view key, std::string_view text);
  // Whether every text met was valid UTF-8; if not, the document is to be
  // written the slow way, whose dump_json says what is wrong.
  bool valid() const { return valid_; }
  // The document's text; the writer is then ready for begin() again.
  std::string finish();

  // Used by the field kinds below.
  template <class Text, class AsJson>
  void member(std::string_view key, Text &&text, AsJson &&as_json);
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
  // written.
  void json_below(Json value) {
    personal_->take_below(value, path_, pointer_here(), taken_);
    json(value);
  }

 private:
  struct Member {
    std::string_view key;
    std::size_t begin, end;
  };
  // One object being written: its members' texts one after another, and
  // where each is.
  struct Level {
    std::string text;
    std::vector<Member> members;
  };

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
  std::string pointer_here() const;
  std::string_view index_name(std::size_t index);
  void close_into(Level &level, std::string &out);
  void append_key(std::string &out, std::string_view key);

  const Personal *personal_ = nullptr;
  Json taken_ = Json::object();
  bool valid_ = true;
  std::vector<Level> levels_;
  std::size_t depth_ = 0;
  std::vector<std::string_view> path_;
  std::size_t apart_below_ = SIZE_MAX;  // the depth of the path below which all is apart
  std::deque<std::string> index_names_;  // "0", "1", ...: a deque, so views of them stay put
};

template <class Text, class AsJson>
void TextWriter::member(std::string_view key, Text &&text, AsJson &&as_json) {
  path_.push_back(key);
  const Relation r = relation_here();
  if (r == Relation::named) {
    taken_[pointer_here()] = as_json();
  } else {
    const std::size_t begin = levels_[depth_].text.size();
    write_value(r, text);
    levels_[depth_].members.push_back({key, begin, levels_[depth_].text.size()});
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
    Json whole;
    write(&whole);
    taken_[pointer_here()] = std::move(whole);
    out() += "null";
  } else {
    write_value(r, [&](bool) { write(nullptr); });
  }
  path_.pop_back();
}

template <class D, class W>
void append_fields(const typename D::Entity &from, W &w, const D &d) {
  std::apply([&](const auto &...field) { (field.append(from, w), ...); }, d.fields);
}

// The text of one entity of description `d` as an object of its own.
template <class D, class W>
void append_object(const typename D::Entity &from, W &w, const D &d) {
  w.open_object();
  append_fields(from, w, d);
  w.close_object();
}

}  // namespace ordercare::domain::json_fields
