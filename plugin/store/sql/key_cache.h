// The vault's unwrapped data keys, least recently used first out once
// `capacity` are held. Each key costs about 0.4 KB with its id, and about
// 1 KB more once it has sealed (its cipher context, see data_key.h), so a
// store of millions of customers holds at most capacity of them, and the
// ones being worked on stay. A key that is dropped is wiped, and reloads
// from pii_keys.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/sql/data_key.h"

namespace ordercare::store::sql {

class KeyCache {
 public:
  explicit KeyCache(std::size_t capacity) : capacity_(capacity) {}

  // The key, now the most recently used; nullptr if not held.
  DataKey *find(const std::string &key_id) {
    auto it = index_.find(key_id);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // The key as held now; valid until the cache next changes.
  DataKey &put(const std::string &key_id, DataKey key) {
    if (auto it = index_.find(key_id); it != index_.end()) {
      it->second->second = std::move(key);
      order_.splice(order_.begin(), order_, it->second);
      return it->second->second;
    }
    order_.emplace_front(key_id, std::move(key));
    index_.emplace(key_id, order_.begin());
    if (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    return order_.front().second;
  }

  void erase(const std::string &key_id) {
    auto it = index_.find(key_id);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }

  void clear() {
    index_.clear();
    order_.clear();
  }

  std::size_t size() const { return order_.size(); }
  bool contains(const std::string &key_id) const { return index_.count(key_id) != 0; }
  // How many of the keys hold a cipher context (have sealed since cached).
  std::size_t ready_to_seal() const {
    std::size_t n = 0;
    for (const auto &entry : order_) n += entry.second.ready_to_seal() ? 1 : 0;
    return n;
  }

 private:
  using Entry = std::pair<std::string, DataKey>;  // key id, data key
  std::size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace ordercare::store::sql
