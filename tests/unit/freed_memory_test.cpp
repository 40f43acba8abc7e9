// After a host thread frees an oc_submit_batch's parsed events, it sorts
// what it freed at once (runtime/freed_memory.h), not at the next call's
// first large request, where the writer would wait for it.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <vector>

#include "common/sanitized_malloc.h"
#include "runtime/freed_memory.h"

namespace ordercare::runtime {
namespace {

#if defined(__GLIBC__) && !OC_SANITIZED_MALLOC

// glibc's own malloc (a sanitizer replaces it, and its mallinfo2 with it).
TEST(FreedMemory, NoFreedSmallBlockIsLeftUnsorted) {
  // Each freed block lies between two kept ones, so freeing it merges it
  // with nothing: it waits in a fast bin, as a parsed event's nodes do.
  std::vector<void *> freed, kept;
  for (int i = 0; i < 20000; ++i) {
    freed.push_back(std::malloc(48));
    kept.push_back(std::malloc(48));
  }
  for (void *block : freed) std::free(block);
  ASSERT_GT(mallinfo2().smblks, 10000u) << "glibc keeps small freed blocks in its fast bins until it sorts them";

  sort_freed_memory();
  EXPECT_EQ(mallinfo2().smblks, 0u);
  EXPECT_EQ(mallinfo2().fsmblks, 0u);

  for (void *block : kept) std::free(block);
}

#endif

}  // namespace
}  // namespace ordercare::runtime
