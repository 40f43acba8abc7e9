/*
 * abi_test.h - the small C99 harness the ABI conformance programs share.
 * They are hosts: they see libordercare.so only through ordercare.h, so
 * the harness reads results with plain string scanning, not a JSON library.
 *
 * A program lists its cases in an abi_case table and hands it to abi_main;
 * every CHECK that fails marks the running case failed and says why, with
 * oc_last_error() when a status was involved. The last line printed is
 * "N passed, N failed".
 */
#ifndef ORDERCARE_ABI_TEST_H
#define ORDERCARE_ABI_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "ordercare.h"

typedef struct abi_case {
    const char *name;
    void (*run)(void);
} abi_case;

/* Runs every case, or only those named on the command line. Exit status 0
   when all passed. */
int abi_main(int argc, char **argv, const abi_case *cases, size_t count);

void abi_check(int ok, const char *file, int line, const char *expr);
void abi_check_status(oc_status got, oc_status want, const char *file, int line,
                      const char *expr);
void abi_check_contains(const char *haystack, const char *needle, const char *file, int line);
void abi_check_long(long long got, long long want, const char *file, int line,
                    const char *expr);

#define CHECK(cond) abi_check((cond) != 0, __FILE__, __LINE__, #cond)
#define CHECK_STATUS(expr, want) abi_check_status((expr), (want), __FILE__, __LINE__, #expr)
#define CHECK_CONTAINS(text, needle) abi_check_contains((text), (needle), __FILE__, __LINE__)
#define CHECK_EQ_INT(got, want) \
    abi_check_long((long long)(got), (long long)(want), __FILE__, __LINE__, #got)

/* A fresh directory under $TMPDIR (or /tmp), removed with abi_remove_tree. */
void abi_temp_dir(char *out, size_t size);
void abi_remove_tree(const char *path);

/* Opens a plugin on the SQLite file at store_path. extra is spliced into
   the config object after the store section (e.g. "\"limits\": {...}"), or
   NULL. Returns NULL (and fails the case) if oc_open does not succeed. */
oc_plugin *abi_open_store(const char *store_path, const char *extra);

/* Writes a valid cancellation.requested event with the given id. */
void abi_make_event(char *out, size_t size, const char *id);

/* Submits abi_make_event(id); returns the status and copies the result's
   "status" field ("accepted" / "duplicate") into status_out if non-NULL. */
oc_status abi_submit_id(oc_plugin *plugin, const char *id, char *status_out, size_t size);

/* The number of events in the log, counted through events.list paging; -1
   (and a failed case) if a call fails. */
long abi_event_count(oc_plugin *plugin);

/* Copies the string value of "key" in a flat JSON text into out; 0 if
   found, -1 if missing or not a string (a null sets out to ""). */
int abi_json_string(const char *json, const char *key, char *out, size_t size);

/* Occurrences of needle in text. */
size_t abi_count_substrings(const char *text, const char *needle);

#endif
