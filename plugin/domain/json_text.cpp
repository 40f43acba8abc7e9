#include "domain/json_text.h"

namespace ordercare::domain::json_fields {

void TextWriter::begin(const Personal *personal) {
  personal_ = personal;
  taken_ = Json::object();
  valid_ = true;
  depth_ = 0;
  apart_below_ = SIZE_MAX;
  if (levels_.empty()) levels_.resize(4);
  levels_[0].text.clear();
  levels_[0].members.clear();
  path_.clear();
}

void TextWriter::open_object() {
  ++depth_;
  if (depth_ >= levels_.size()) levels_.resize(depth_ + 1);
  levels_[depth_].text.clear();
  levels_[depth_].members.clear();
}

void TextWriter::close_object() {
  Level &inner = levels_[depth_];
  --depth_;
  close_into(inner, levels_[depth_].text);
}

void TextWriter::raw_member(std::string_view key, std::string_view text) {
  Level &top = levels_[0];
  const std::size_t begin = top.text.size();
  top.text += text;
  top.members.push_back({key, begin, top.text.size()});
}

std::string TextWriter::finish() {
  std::string out;
  out.reserve(levels_[0].text.size() + 16 * levels_[0].members.size() + 2);
  close_into(levels_[0], out);
  levels_[0].text.clear();
  levels_[0].members.clear();
  return out;
}

// A key as a JSON string. The tables' keys are plain ASCII names, which
// need no escaping and no look at their bytes beyond this one.
void TextWriter::append_key(std::string &out, std::string_view key) {
  for (const char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') {
      if (!append_json_string(out, key)) valid_ = false;
      return;
    }
  }
  out += '"';
  out += key;
  out += '"';
}

// The members in key order, as an object's map holds them; of two with one
// key, the one written last (as an assignment to the map would leave it).
void TextWriter::close_into(Level &level, std::string &out) {
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
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].key == members[i].key) continue;
    if (!first) out += ',';
    first = false;
    append_key(out, members[i].key);
    out += ':';
    out.append(level.text, members[i].begin, members[i].end - members[i].begin);
  }
  out += '}';
}

std::string TextWriter::pointer_here() const {
  std::string pointer;
  for (const auto segment : path_) pointer += "/" + json_pointer_token(segment);
  return pointer;
}

std::string_view TextWriter::index_name(std::size_t index) {
  while (index_names_.size() <= index) index_names_.push_back(std::to_string(index_names_.size()));
  return index_names_[index];
}

}  // namespace ordercare::domain::json_fields
