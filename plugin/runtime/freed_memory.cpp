#include "runtime/freed_memory.h"

#include <cstddef>
#include <cstdlib>

namespace ordercare::runtime {

void sort_freed_memory() noexcept {
  // Above glibc's small-block sizes (up to 1008 bytes), so the request
  // sorts what is free; far below its mmap threshold (128 KiB at least), so
  // it is served from the heap where those blocks are. An odd size: a freed
  // block that fits exactly would end the sorting early.
  constexpr std::size_t kLargeRequest = 24 * 1024 + 40;
  void *block = std::malloc(kLargeRequest);
  // Handed to an empty asm so the compiler cannot drop the unused pair.
  asm volatile("" : : "r"(block) : "memory");
  std::free(block);
}

}  // namespace ordercare::runtime
