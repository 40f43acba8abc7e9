// The documents of one kind (orders, cases, ...) a connection last read or
// wrote, by id: the text as stored, sealed, and the entity it opens to.
//
// Reading a row whose stored text is the one remembered costs neither a
// decryption nor a parse. Sealing draws a fresh nonce for every new
// plaintext (a part written again unchanged keeps its sealed text,
// sealed_part.h), so the same text means the same content: a row another
// process or node has changed since reads differently and is opened anew.
// No invalidation is needed for that. What does need it is an erasure,
// which leaves the text as it was while making it unreadable: the store
// forgets everything when it erases or learns that someone else erased
// (forget_all).
//
// A write can be skipped when the document is unchanged, but only against
// what the row holds now: `current` answers only for ids read or written
// since the last new_generation(), which the store calls when a batch
// begins and whenever writes are undone. Within a batch the subjects are
// claimed (store.h), so nobody else changes them meanwhile.
//
// At most `capacity` documents are held, the least recently used dropped
// first; 0 holds none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/sql/sealed_part.h"

namespace ordercare::store::sql {

// What new_generation() counts, shared by the memos of one connection.
struct MemoGeneration {
  std::uint64_t value = 1;
};

template <class Entity>
class DocumentMemo {
 public:
  DocumentMemo(const MemoGeneration &generation, std::size_t capacity)
      : generation_(generation), capacity_(capacity) {}

  // The entity `sealed` opens to, if it is the text remembered for `id`;
  // it is then current.
  const Entity *opened(const std::string &id, const std::string &sealed) {
    auto it = index_.find(id);
    if (it == index_.end() || it->second->sealed != sealed) return nullptr;
    touch(it->second);
    it->second->generation = generation_.value;
    return &it->second->entity;
  }

  // The row `id` holds `sealed`, which opens to `entity` (after a read or a
  // write). A write that does not read back as written (an erased
  // customer's PII was dropped) is `whole == false`: forgotten instead.
  // With the personal part the write sealed (`part`), a write of the same
  // part in this generation may use it again (current_part); a part that
  // says `again` leaves the one remembered, which the write used again.
  void keep(const std::string &id, std::string sealed, Entity entity, bool whole = true, SealedPart part = {}) {
    if (!whole) return forget(id);
    if (capacity_ == 0) return;
    auto it = index_.find(id);
    if (it != index_.end()) {
      it->second->sealed = std::move(sealed);
      it->second->entity = std::move(entity);
      if (!part.again) it->second->part = std::move(part);
      it->second->generation = generation_.value;
      touch(it->second);
      return;
    }
    if (part.again) part = {};  // not remembered: nothing to keep
    entries_.push_front(Entry{id, std::move(sealed), std::move(entity), generation_.value, std::move(part)});
    index_.emplace(id, entries_.begin());
    if (entries_.size() > capacity_) {
      index_.erase(entries_.back().id);
      entries_.pop_back();
    }
  }

  // How many documents it holds at most; 0: it remembers none.
  std::size_t capacity() const { return capacity_; }

  // What the row holds now, if it was read or written in this generation.
  const Entity *current(const std::string &id) const {
    auto it = index_.find(id);
    if (it == index_.end() || it->second->generation != generation_.value) return nullptr;
    return &it->second->entity;
  }

  // The personal part the last write of `id` sealed, while the document is
  // current: a write undone since would have begun a new generation, and a
  // row read back as the text remembered holds that write as committed, so
  // the key the part was sealed under is still the subject's. Valid until
  // the memo next changes.
  const SealedPart *current_part(const std::string &id) const {
    auto it = index_.find(id);
    if (it == index_.end() || it->second->generation != generation_.value || it->second->part.sealed.empty())
      return nullptr;
    return &it->second->part;
  }

  void forget(const std::string &id) {
    auto it = index_.find(id);
    if (it == index_.end()) return;
    entries_.erase(it->second);
    index_.erase(it);
  }

  void forget_all() {
    index_.clear();
    entries_.clear();
  }

 private:
  struct Entry {
    std::string id;
    std::string sealed;
    Entity entity;
    std::uint64_t generation;
    SealedPart part;  // as the last write sealed it; none once a read found other text
  };
  using Position = typename std::list<Entry>::iterator;

  void touch(Position p) { entries_.splice(entries_.begin(), entries_, p); }

  const MemoGeneration &generation_;
  std::size_t capacity_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, Position> index_;
};

}  // namespace ordercare::store::sql
