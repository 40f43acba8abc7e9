// A JSON value that the copies of an entity share until one of them
// changes it (copy on write).
//
// An order is copied several times on each of its events: into the
// snapshot from the store's memo, into the rules' working copy, into the
// memo again once written. Its personal fields (the shipping address and
// note) are a tree of their own and seldom change; copying and freeing
// that tree was most of the cost of copying an order (issue 11). Copies
// now share it, and two orders that share it compare equal without
// walking it.
//
// One thread changes one entity, as with any value: edit() copies the
// tree first when another entity may still be reading it.
#pragma once

#include <memory>
#include <utility>

#include "common/json.h"

namespace ordercare::domain {

class SharedJson {
 public:
  SharedJson() : value_(empty()) {}
  SharedJson(Json value) : value_(std::make_shared<Json>(std::move(value))) {}  // NOLINT: a value like Json

  const Json &get() const { return *value_; }
  operator const Json &() const { return *value_; }  // NOLINT: read as the Json it is
  const Json *operator->() const { return value_.get(); }

  // The value to change: this entity's own (copied first if it is shared).
  Json &edit() {
    // Another holder can only appear through this object, which its one
    // thread is changing now: a count of one cannot grow meanwhile.
    if (value_.use_count() > 1) value_ = std::make_shared<Json>(*value_);
    return *value_;
  }

  bool operator==(const SharedJson &other) const { return value_ == other.value_ || *value_ == *other.value_; }

 private:
  // {} to start with, shared by every entity that has set nothing.
  static const std::shared_ptr<Json> &empty() {
    static const auto kEmpty = std::make_shared<Json>(Json::object());
    return kEmpty;
  }

  std::shared_ptr<Json> value_;  // never null
};

}  // namespace ordercare::domain
