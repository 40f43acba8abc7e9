#include "store/sqlite/sqlite_memory.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common/sanitized_malloc.h"

namespace ordercare::store::sqlite {
#if !OC_SANITIZED_MALLOC
namespace {

// Each block is preceded by its capacity, as with SQLite's own allocator
// (xSize must answer from the pointer alone). malloc's 16-byte alignment
// and the 8-byte header leave 8, which is what SQLite needs.
using Header = std::uint64_t;
constexpr std::size_t kStep = 16;
constexpr std::size_t kLargestKept = 1024;
constexpr std::size_t kSizes = kLargestKept / kStep;
// Per size and thread: enough for a statement's cells and cursors to come
// back to the next statement, not so many that a thread that ran a large
// query holds much: 64 blocks of each of the 64 sizes are about 2 MiB.
constexpr unsigned kKeptPerSize = 64;

struct KeptBlock {
  KeptBlock *next;
};

struct ThreadBlocks {
  KeptBlock *first[kSizes] = {};
  unsigned count[kSizes] = {};
  bool gone = false;  // the thread is ending: give back at once

  // SQLite may still run on this thread after this (in another object's
  // destructor at thread exit): it then gets and gives back to malloc.
  ~ThreadBlocks() {
    gone = true;
    for (std::size_t size = 0; size < kSizes; ++size) {
      while (KeptBlock *block = first[size]) {
        first[size] = block->next;
        std::free(reinterpret_cast<Header *>(block) - 1);
      }
      count[size] = 0;
    }
  }
};

thread_local ThreadBlocks t_blocks;

std::size_t capacity_for(std::size_t bytes) {
  return bytes <= kLargestKept ? (bytes + kStep - 1) / kStep * kStep : (bytes + 7) / 8 * 8;
}

Header &header_of(void *block) { return *(static_cast<Header *>(block) - 1); }

void *from_malloc(std::size_t capacity) {
  auto *raw = static_cast<Header *>(std::malloc(sizeof(Header) + capacity));
  if (!raw) return nullptr;
  *raw = capacity;
  return raw + 1;
}

void *kept_malloc(int bytes) {
  if (bytes <= 0) return nullptr;
  const std::size_t capacity = capacity_for(static_cast<std::size_t>(bytes));
  if (capacity <= kLargestKept) {
    ThreadBlocks &blocks = t_blocks;
    const std::size_t size = capacity / kStep - 1;
    if (KeptBlock *block = blocks.first[size]) {
      blocks.first[size] = block->next;
      --blocks.count[size];
      return block;
    }
  }
  return from_malloc(capacity);
}

void kept_free(void *block) {
  if (!block) return;
  const std::size_t capacity = header_of(block);
  if (capacity <= kLargestKept) {
    ThreadBlocks &blocks = t_blocks;
    const std::size_t size = capacity / kStep - 1;
    if (!blocks.gone && blocks.count[size] < kKeptPerSize) {
      auto *kept = static_cast<KeptBlock *>(block);
      kept->next = blocks.first[size];
      blocks.first[size] = kept;
      ++blocks.count[size];
      return;
    }
  }
  std::free(&header_of(block));
}

void *kept_realloc(void *block, int bytes) {
  if (bytes <= 0) return nullptr;
  const std::size_t old_capacity = header_of(block);
  const std::size_t capacity = capacity_for(static_cast<std::size_t>(bytes));
  if (capacity == old_capacity) return block;
  if (old_capacity > kLargestKept && capacity > kLargestKept) {
    auto *raw = static_cast<Header *>(std::realloc(&header_of(block), sizeof(Header) + capacity));
    if (!raw) return nullptr;
    *raw = capacity;
    return raw + 1;
  }
  void *moved = kept_malloc(bytes);
  if (!moved) return nullptr;
  std::memcpy(moved, block, old_capacity < capacity ? old_capacity : capacity);
  kept_free(block);
  return moved;
}

int kept_size(void *block) { return block ? static_cast<int>(header_of(block)) : 0; }

int kept_roundup(int bytes) { return static_cast<int>(capacity_for(static_cast<std::size_t>(bytes))); }

int kept_init(void *) { return SQLITE_OK; }

void kept_shutdown(void *) {}

}  // namespace
#endif

bool use_kept_blocks_for_sqlite() {
#if OC_SANITIZED_MALLOC
  return false;
#else
  static const sqlite3_mem_methods methods{kept_malloc,  kept_free, kept_realloc,  kept_size,
                                           kept_roundup, kept_init, kept_shutdown, nullptr};
  return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK;
#endif
}

}  // namespace ordercare::store::sqlite
