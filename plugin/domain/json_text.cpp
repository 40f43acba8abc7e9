#include "domain/json_text.h"

#include <cstring>

namespace ordercare::domain::json_fields {

void TextWriter::begin(const Personal *personal) {
  personal_ = personal;
  taken_.clear();
  taken_keys_.clear();
  taken_values_.clear();
  valid_ = true;
  depth_ = 0;
  apart_below_ = SIZE_MAX;
  if (levels_.empty()) levels_.resize(4);
  levels_[0].text.clear();
  levels_[0].members.clear();
  levels_[0].in_order = true;
  path_.clear();
}

void TextWriter::open_object() {
  ++depth_;
  if (depth_ >= levels_.size()) levels_.resize(depth_ + 1);
  levels_[depth_].text.clear();
  levels_[depth_].members.clear();
  levels_[depth_].in_order = true;
}

// `,"key":` in one go: the tables' keys are plain (describe() checks them).
std::size_t TextWriter::start_member(std::string_view key) {
  Level &level = levels_[depth_];
  std::string &text = level.text;
  const bool comma = !level.members.empty();
  const std::size_t at = text.size();
  text.resize(at + (comma ? 1 : 0) + key.size() + 3);
  char *p = text.data() + at;
  if (comma) *p++ = ',';
  const auto begin = static_cast<std::size_t>(p - text.data());
  *p++ = '"';
  if (!key.empty()) std::memcpy(p, key.data(), key.size());
  p += key.size();
  p[0] = '"';
  p[1] = ':';
  return begin;
}

// The value may have opened levels of its own: `level` is looked up again.
void TextWriter::end_member(std::string_view key, std::size_t begin) {
  Level &level = levels_[depth_];
  if (!level.members.empty() && !(level.members.back().key < key)) level.in_order = false;
  level.members.push_back({key, begin, level.text.size()});
}

void TextWriter::close_object() {
  Level &inner = levels_[depth_];
  --depth_;
  close_into(inner, levels_[depth_].text);
}

// Put in its place among the members when they are in order, so that
// they stay so; replacing the member of its key if there is one.
void TextWriter::raw_member(std::string_view key, std::string_view text) {
  Level &top = levels_[0];
  auto &members = top.members;
  std::size_t at = members.size();
  if (top.in_order)
    for (at = 0; at < members.size() && members[at].key < key;) ++at;
  scratch_.clear();
  if (!append_json_string(scratch_, key)) valid_ = false;  // a raw key is not a table's: it may need escapes
  scratch_ += ':';
  scratch_ += text;
  const auto shift_from = [&](std::size_t first, std::ptrdiff_t by) {
    for (std::size_t i = first; i < members.size(); ++i) {
      members[i].begin = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(members[i].begin) + by);
      members[i].end = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(members[i].end) + by);
    }
  };
  if (at == members.size()) {
    // Last in key order, or the members are not in order: written at the
    // end, and close_into sorts them and keeps the last of a key.
    if (!members.empty()) {
      top.text += ',';
      if (top.in_order && !(members.back().key < key)) top.in_order = false;
    }
    const std::size_t begin = top.text.size();
    top.text += scratch_;
    members.push_back({key, begin, top.text.size()});
  } else if (members[at].key == key) {
    Member &m = members[at];
    const std::size_t was = m.end - m.begin;
    top.text.replace(m.begin, was, scratch_);
    m.end = m.begin + scratch_.size();
    shift_from(at + 1, static_cast<std::ptrdiff_t>(scratch_.size()) - static_cast<std::ptrdiff_t>(was));
  } else {
    const std::size_t begin = members[at].begin;
    scratch_ += ',';
    top.text.insert(begin, scratch_);
    shift_from(at, static_cast<std::ptrdiff_t>(scratch_.size()));
    members.insert(members.begin() + static_cast<std::ptrdiff_t>(at), {key, begin, begin + scratch_.size() - 1});
  }
}

std::string TextWriter::finish() {
  std::string out;
  out.reserve(levels_[0].text.size() + 2);
  close_into(levels_[0], out);
  levels_[0].text.clear();
  levels_[0].members.clear();
  return out;
}

// The members in key order, as an object's map holds them; of two with one
// key, the one written last (as an assignment to the map would leave it).
void TextWriter::close_into(Level &level, std::string &out) {
  out += '{';
  if (level.in_order) {
    out += level.text;
    out += '}';
    return;
  }
  auto &members = level.members;
  // An insertion sort: stable, and with a few dozen members at most it
  // needs no buffer (std::stable_sort allocates one per object).
  // Keys mostly differ in their first letter: looked at before a memcmp.
  auto less = [](std::string_view a, std::string_view b) {
    if (!a.empty() && !b.empty() && a[0] != b[0])
      return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]);
    return a < b;
  };
  for (std::size_t i = 1; i < members.size(); ++i) {
    const Member m = members[i];
    std::size_t j = i;
    for (; j > 0 && less(m.key, members[j - 1].key); --j) members[j] = members[j - 1];
    members[j] = m;
  }
  bool first = true;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].key == members[i].key) continue;
    if (!first) out += ',';
    first = false;
    out.append(level.text, members[i].begin, members[i].end - members[i].begin);
  }
  out += '}';
}

// The part at the end of path_, under its JSON pointer from the root.
// Its text is what taken_values_ holds from `begin` on.
void TextWriter::keep_taken(std::size_t begin) {
  Taken t;
  t.key_begin = taken_keys_.size();
  for (const auto segment : path_) {
    taken_keys_ += '/';
    append_json_pointer_token(taken_keys_, segment);
  }
  t.key_end = taken_keys_.size();
  // The pointer is written as a JSON string when the parts are: said here
  // whether it can be (a key that is not UTF-8), with the rest of the text.
  scratch_.clear();
  if (!append_json_string(scratch_, std::string_view(taken_keys_).substr(t.key_begin))) valid_ = false;
  t.begin = begin;
  t.end = taken_values_.size();
  taken_.push_back(t);
}

void TextWriter::take_json(const Json &value) {
  const std::size_t begin = taken_values_.size();
  if (!append_json_text(taken_values_, value)) valid_ = false;
  keep_taken(begin);
}

// take_personal_fields' walk of a value below a member (store/personal_fields.h),
// writing what stays and taking what is personal as it goes: no copy of the
// value to take the parts out of.
void TextWriter::json_below(const Json &value) {
  std::string *text = &out();
  if (value.is_object()) {
    *text += '{';
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      path_.push_back(it.key());
      const Relation r = relation_here();
      if (r == Relation::named || leaf_taken(r, it.value())) {
        take_json(it.value());
      } else {
        if (!first) *text += ',';
        first = false;
        if (!append_json_string(*text, it.key())) valid_ = false;
        *text += ':';
        if (r == Relation::above)
          json_below(it.value());
        else
          json(it.value());
      }
      path_.pop_back();
    }
    *text += '}';
  } else if (value.is_array()) {
    *text += '[';
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i > 0) *text += ',';
      path_.push_back(index_name(i));
      const Relation r = relation_here();
      if (r == Relation::named || leaf_taken(r, value[i])) {
        take_json(value[i]);
        *text += "null";
      } else if (r == Relation::above) {
        json_below(value[i]);
      } else {
        json(value[i]);
      }
      path_.pop_back();
    }
    *text += ']';
  } else {
    json(value);
  }
}

std::string TextWriter::value_text(const Json &value) {
  json_below(value);
  std::string text = levels_[0].text;  // a copy: the buffer stays for the next value
  levels_[0].text.clear();
  return text;
}

// The parts in pointer order, as the object's map holds them; of two with
// one pointer, the one taken last (as an assignment to the map leaves it).
const std::string &TextWriter::taken_text() {
  auto key = [&](const Taken &t) { return std::string_view(taken_keys_).substr(t.key_begin, t.key_end - t.key_begin); };
  // An insertion sort, stable: a document has a few parts at most.
  for (std::size_t i = 1; i < taken_.size(); ++i) {
    const Taken t = taken_[i];
    std::size_t j = i;
    for (; j > 0 && key(t) < key(taken_[j - 1]); --j) taken_[j] = taken_[j - 1];
    taken_[j] = t;
  }
  taken_text_.clear();
  taken_text_ += '{';
  bool first = true;
  for (std::size_t i = 0; i < taken_.size(); ++i) {
    if (i + 1 < taken_.size() && key(taken_[i + 1]) == key(taken_[i])) continue;
    if (!first) taken_text_ += ',';
    first = false;
    append_json_string(taken_text_, key(taken_[i]));
    taken_text_ += ':';
    taken_text_.append(taken_values_, taken_[i].begin, taken_[i].end - taken_[i].begin);
  }
  taken_text_ += '}';
  return taken_text_;
}

std::string_view TextWriter::index_name(std::size_t index) {
  while (index_names_.size() <= index) index_names_.push_back(std::to_string(index_names_.size()));
  return index_names_[index];
}

}  // namespace ordercare::domain::json_fields
