// What a thread does after it freed many small blocks at once.
//
// glibc's malloc does not file a freed small block where it belongs: it
// keeps it in a list of its size ("fast" bins) or in one unsorted list, and
// merges and sorts them all at the thread's next request for a larger
// block. An oc_submit_batch's parsed events are tens of thousands of small
// blocks; the next call's first large request (its answer text) then took
// about 2 ms of sorting, the whole gap between two calls, in which the
// writer had nothing to do.
#pragma once

namespace ordercare::runtime {

// Makes one large request and frees it, so the sorting happens now, on a
// thread that has time for it (the host's, while the writer works through
// its events). Under another allocator it is one allocation and nothing
// more. Any thread.
void sort_freed_memory() noexcept;

}  // namespace ordercare::runtime
