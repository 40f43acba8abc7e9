// Where this copy of SQLite gets its memory.
//
// SQLite as Debian builds it has no lookaside (OMIT_LOOKASIDE): every cell
// of a statement, every record it decodes and every cursor it opens is a
// malloc and a free, about 93 of each per event on the writer, where glibc
// took about 110 instructions for each (callgrind, events_bench). Blocks
// of up to 1 KiB are kept instead, per thread and per size, for the next
// request of that size; larger ones (pages, statements) are glibc's as
// before.
#pragma once

namespace ordercare::store::sqlite {

// Installs the allocator in SQLite, before its first use in the process
// (sqlite3_initialize); after it, SQLite keeps the one it has. Under ASan
// and TSan SQLite keeps glibc's, so they see its blocks as their own.
// Whether it was installed.
bool use_kept_blocks_for_sqlite();

}  // namespace ordercare::store::sqlite
