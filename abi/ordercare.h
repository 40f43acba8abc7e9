/*
 * ordercare.h - the public C ABI of libordercare.so, version 1.
 *
 * This header is the contract and the reference manual. If something is not
 * written here, a host may not rely on it. It compiles as C99 and as C++.
 *
 * The shape of a session:
 *
 *     oc_plugin *p = NULL;
 *     if (oc_open(&options, &host, &p) != OC_OK) { puts(oc_last_error()); }
 *     oc_buffer *result = NULL;
 *     oc_submit(p, event_json, strlen(event_json), &result);   // durable on OC_OK
 *     oc_buffer_free(result);
 *     // when oc_wakeup_fd(p) turns readable, or on a timer:
 *     uint32_t ran = 0; oc_poll(p, 64, &ran);                  // host callbacks run here
 *     oc_close(p);
 *
 * Rules that hold for every function (abi/ABI.md explains them at length):
 *  - Data crosses as UTF-8 JSON bytes plus a length. The length ends the
 *    input, not a NUL: a NUL byte inside it is OC_ERR_JSON at its offset.
 *    Results come back in an oc_buffer that the plugin owns; free it with
 *    oc_buffer_free().
 *  - Every struct starts with uint32_t struct_size. Set it to sizeof(the
 *    struct) as your header defines it; the plugin accepts smaller (older)
 *    structs and larger (newer) ones whose unknown tail is zero. It reads
 *    only the fields it knows plus that tail, and refuses a struct_size over
 *    4096 bytes (OC_ERR_STRUCT_SIZE) without reading past its own fields.
 *  - Every function that can fail returns an oc_status. On failure nothing
 *    changed, and oc_last_error() on the same thread says why.
 *  - No C++ exception, abort or exit ever crosses this boundary.
 */
#ifndef ORDERCARE_H
#define ORDERCARE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define OC_API __attribute__((visibility("default")))
#else
#define OC_API
#endif

/* ABI version: (major << 16) | minor. Minor versions only add. */
enum { OC_ABI_MAJOR = 1, OC_ABI_MINOR = 3 };

/*
 * Status codes. Stable numbers: a code is never renumbered or reused.
 */
typedef enum oc_status {
    OC_OK = 0,                 /* Success. */
    OC_ERR_ARGUMENT = 1,       /* A required pointer was NULL, a length was
                                  zero where data is required, or a value is
                                  out of range for the function. */
    OC_ERR_STRUCT_SIZE = 2,    /* struct_size is too small to hold the
                                  version-1 fields, over 4096, or a newer
                                  struct has a non-zero tail this plugin
                                  does not know. */
    OC_ERR_CONFIG = 3,         /* The config JSON is malformed or a field is
                                  invalid; the message names the field. */
    OC_ERR_JSON = 4,           /* Input is not well-formed JSON; the message
                                  gives the byte offset. */
    OC_ERR_UTF8 = 5,           /* Input is not valid UTF-8; the message gives
                                  the byte offset. */
    OC_ERR_TOO_LARGE = 6,      /* Input exceeds the configured size limit. */
    OC_ERR_UNKNOWN_TYPE = 7,   /* The event type is not in schema v1. */
    OC_ERR_SCHEMA = 8,         /* Valid JSON that breaks the schema: a missing
                                  field, a wrong type, a value out of range.
                                  The message names the field by its path,
                                  e.g. "data.items[2].quantity: ...". */
    OC_ERR_UNKNOWN_METHOD = 9, /* oc_call with a method that does not exist. */
    OC_ERR_NOT_FOUND = 10,     /* An id (case, return, event, effect, order)
                                  that the plugin does not know. */
    OC_ERR_TRANSITION = 11,    /* The command is illegal in the current state
                                  (e.g. closing a case that is not resolved). */
    OC_ERR_REFUSED = 12,       /* Refused by policy or arithmetic: a refund
                                  above what remains, an item received twice. */
    OC_ERR_STORE = 13,         /* The store failed: I/O error, unwritable
                                  path, full disk, corrupt file. */
    OC_ERR_BUSY = 14,          /* The store is temporarily unavailable (another
                                  process held the SQLite file past
                                  store.busy_timeout, or the PostgreSQL server
                                  cannot be reached); try again later.
                                  Nothing was written. */
    OC_ERR_CLOSED = 15,        /* The plugin is closing or closed. */
    OC_ERR_NOMEM = 16,         /* Out of memory. */
    OC_ERR_VERSION = 17,       /* The store was written by a newer ordercare,
                                  or a version requirement is not met. */
    OC_ERR_INTERNAL = 18,      /* A bug in ordercare. Please report it with the
                                  message; the plugin stays usable. */
    OC_ERR_THREAD = 19         /* Called from a thread where it is not allowed
                                  (e.g. oc_poll from inside a callback). */
} oc_status;

/* Opaque handles. */
typedef struct oc_plugin oc_plugin;
typedef struct oc_buffer oc_buffer;
typedef struct oc_reply oc_reply;

/*
 * What a host callback answers to a request it was given.
 */
typedef enum oc_outcome {
    OC_OUTCOME_DONE = 0,        /* Carried out (or already carried out earlier
                                   under the same idempotency key). */
    OC_OUTCOME_REJECTED = 1,    /* Will not be carried out; give the reason
                                   with oc_reply_set(). Final. */
    OC_OUTCOME_RETRY_LATER = 2, /* Could not be done now; the plugin retries
                                   with backoff under the same key. */
    OC_OUTCOME_PENDING = 3      /* Accepted, completes later: the host reports
                                   the result as an event (refund.result,
                                   order_action.result). */
} oc_outcome;

/* Levels for the log callback. */
typedef enum oc_log_level {
    OC_LOG_ERROR = 0,
    OC_LOG_WARN = 1,
    OC_LOG_INFO = 2,
    OC_LOG_DEBUG = 3
} oc_log_level;

/*
 * One request from the plugin to the host. Valid only during the callback.
 * idempotency_key is stable across retries and restarts: the host must carry
 * out at most one action per key and answer DONE again for a key it has
 * already done. json is the request body (shapes in abi/CALLBACKS.md).
 */
typedef struct oc_request {
    uint32_t struct_size;
    uint32_t attempt;             /* 1 on the first try. */
    const char *idempotency_key;  /* NUL-terminated. */
    const char *json;             /* NUL-terminated UTF-8 JSON. */
    size_t json_len;
} oc_request;

/*
 * Host callbacks. Any member may be NULL: effects of that kind then wait in
 * the outbox until a host that has the callback opens the plugin.
 *
 * Thread: by default every callback runs inside oc_poll(), on the thread
 * that called it (safe for PHP FFI, Node FFI and Python ctypes). With
 * OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD they run on the plugin's own thread.
 * now_ms is the exception: it is called on whichever host thread calls into
 * the plugin (oc_submit, oc_submit_batch, oc_call, oc_poll), and on the
 * plugin thread too when
 * OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD is set. Callbacks must not call oc_poll.
 *
 * refund, adjust_inventory, notify, lookup_order and order_action return an
 * oc_outcome as int32_t. They may attach a JSON object to their answer with
 * oc_reply_set() (a rejection reason, a host reference, the order for
 * lookup_order, the label for an order_action return_label).
 */
typedef struct oc_host {
    uint32_t struct_size; /* sizeof(oc_host); at most 4096 (see the top). */
    void *user_data; /* Passed as the first argument of every callback. */
    int32_t (*refund)(void *user_data, const oc_request *request, oc_reply *reply);
    int32_t (*adjust_inventory)(void *user_data, const oc_request *request, oc_reply *reply);
    int32_t (*notify)(void *user_data, const oc_request *request, oc_reply *reply);
    int32_t (*lookup_order)(void *user_data, const oc_request *request, oc_reply *reply);
    /* Diagnostics; message is NUL-terminated, never contains customer PII. */
    void (*log)(void *user_data, int32_t level, const char *message, size_t len);
    /* Optional clock, milliseconds since the Unix epoch (UTC). When set it
       is the only clock the plugin reads. It must return 0 to
       253402300799999 (1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z):
       any other value fails the oc_open, oc_submit, oc_submit_batch, oc_call
       or oc_poll that read it with OC_ERR_ARGUMENT, and no SLA timer fires on it. Deadlines
       that would fall after 9999 are that last instant. */
    int64_t (*now_ms)(void *user_data);
    /* ABI 1.3. Carries out an action on an order: request->json's "action"
       is "reship", "exchange", "cancel", "return_label" or "offer"
       (abi/CALLBACKS.md has each shape and what its answer carries). Like
       refund: at most one action per idempotency key, DONE again for a key
       already done, PENDING then an order_action.result event. NULL (or a
       host built against an older header, whose struct_size ends before
       it): the plugin asks a team to do it instead, through notify. */
    int32_t (*order_action)(void *user_data, const oc_request *request, oc_reply *reply);
} oc_host;

/* Flags for oc_options.flags. */
typedef enum oc_open_flag {
    OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD = 1 /* Run host callbacks on the
                                              plugin thread, not in oc_poll. */
} oc_open_flag;

/*
 * Options for oc_open. config_json is the configuration document (README,
 * "Config reference"); NULL or empty means all defaults.
 */
typedef struct oc_options {
    uint32_t struct_size;    /* sizeof(oc_options); at most 4096. */
    uint32_t flags;          /* OR of oc_open_flag. */
    const char *config_json; /* UTF-8 JSON object, or NULL. */
    size_t config_len;       /* Bytes in config_json. */
} oc_options;

/* (OC_ABI_MAJOR << 16) | OC_ABI_MINOR of the loaded library. Any thread. */
OC_API uint32_t oc_abi_version(void);

/* The library's release as "MAJOR.MINOR.PATCH"; static storage. Any thread. */
OC_API const char *oc_version_string(void);

/* The symbolic name of a status ("OC_ERR_SCHEMA"); "OC_ERR_UNKNOWN" for a
   number this library does not define. Static storage. Any thread. */
OC_API const char *oc_status_name(oc_status status);

/*
 * Opens the plugin: reads the config, opens (or creates and migrates) the
 * store, starts the plugin thread and, if configured, the webhook server.
 * options == NULL means defaults (SQLite file "ordercare.db" in the working
 * directory). host == NULL means no callbacks yet. On OC_OK *out is the new
 * handle; on failure *out is set to NULL, no handle exists and nothing needs
 * closing.
 * Any number of processes (and, on PostgreSQL, of machines) may open one
 * store at the same time, each with its own handle: they share what is
 * stored, and each effect is carried out by one of them (README, "Running
 * with several processes or nodes"). A store that cannot be reached fails
 * with OC_ERR_STORE naming the file, or the server's host and port.
 * A failed open changes no file: a new store it created is removed again.
 * The config must be a JSON object (`null` is OC_ERR_CONFIG). A SQLite
 * store whose key file is missing is OC_ERR_CONFIG; a key file whose
 * database is missing or empty is OC_ERR_STORE (ABI.md, "Opening a store").
 * Any thread. Returns OC_OK, OC_ERR_ARGUMENT (out is NULL), OC_ERR_STRUCT_SIZE,
 * OC_ERR_CONFIG, OC_ERR_UTF8, OC_ERR_STORE, OC_ERR_BUSY (another process
 * held the store past store.busy_timeout; open again), OC_ERR_VERSION,
 * OC_ERR_NOMEM, OC_ERR_INTERNAL.
 */
OC_API oc_status oc_open(const oc_options *options, const oc_host *host, oc_plugin **out);

/*
 * Closes the plugin: finishes what is in flight, stops the plugin thread and
 * the webhook server, closes the store. Effects not yet delivered stay in the
 * outbox for the next open. NULL is a no-op returning OC_OK. Call once, from
 * a host thread, after every other call on p has returned; never from inside
 * a callback (OC_ERR_THREAD, and the handle stays open).
 * Returns OC_OK, OC_ERR_THREAD, OC_ERR_STORE, OC_ERR_NOMEM, OC_ERR_INTERNAL;
 * on any but OC_ERR_THREAD the handle is gone all the same.
 */
OC_API oc_status oc_close(oc_plugin *plugin);

/*
 * Submits one canonical event (abi/events.schema.json). Returns only once the
 * event is durable. A repeated id is acknowledged as a duplicate and changes
 * nothing. *result (may be NULL if unwanted) receives
 *   {"status": "accepted" | "duplicate", "event_id": ..., "cases": [...],
 *    "effects": [...]}.
 * Any host thread, concurrently. Returns OC_OK, OC_ERR_ARGUMENT, OC_ERR_UTF8,
 * OC_ERR_JSON, OC_ERR_TOO_LARGE, OC_ERR_UNKNOWN_TYPE, OC_ERR_SCHEMA,
 * OC_ERR_NOT_FOUND (an event about something the plugin does not know: a
 * feedback.received for an unknown case, a pickup.updated for an unknown
 * order), OC_ERR_TRANSITION (one its state does not allow: feedback on a
 * case not yet resolved), OC_ERR_REFUSED (an order.created that would
 * change a known order's customer or currency, or undo its refunds or
 * returns), OC_ERR_STORE, OC_ERR_BUSY, OC_ERR_CLOSED, OC_ERR_NOMEM,
 * OC_ERR_INTERNAL.
 */
OC_API oc_status oc_submit(oc_plugin *plugin, const char *event_json, size_t len,
                           oc_buffer **result);

/*
 * ABI 1.2. Submits many canonical events in one call: events[i] points to
 * the JSON of event i and lens[i] is its length in bytes, as oc_submit
 * takes one event; the plugin copies what it keeps. The events are checked
 * on the calling thread, then processed in the given order, each as
 * oc_submit would process it alone, and committed together in as few
 * transactions as the store allows (group commit). Returns only once every
 * event that was accepted is durable. One event's failure changes nothing
 * and does not disturb the others.
 *
 * *result (required) receives a JSON array with one element per event, in
 * the order given: oc_submit's result for that event
 *   {"status": "accepted" | "duplicate", "event_id": ..., "cases": [...],
 *    "effects": [...]}
 * or its failure, with the code and message oc_submit would have returned
 * for it alone:
 *   {"status": "error", "code": "OC_ERR_SCHEMA",
 *    "message": "data.items[2].quantity: ..."}
 * An event's code is one of OC_ERR_ARGUMENT (0 bytes long), OC_ERR_UTF8,
 * OC_ERR_JSON, OC_ERR_TOO_LARGE (over limits.max_event_bytes),
 * OC_ERR_UNKNOWN_TYPE, OC_ERR_SCHEMA, OC_ERR_NOT_FOUND, OC_ERR_TRANSITION,
 * OC_ERR_REFUSED, OC_ERR_STORE and OC_ERR_BUSY (the transaction that held it
 * failed and nothing of it was written: submit it again), OC_ERR_CLOSED,
 * OC_ERR_NOMEM, OC_ERR_INTERNAL. An id already
 * stored, or accepted earlier in the same batch, is "duplicate".
 *
 * count == 0 is OC_OK with the result []; events and lens may then be NULL.
 * At most limits.max_batch_events events (10000 by default) whose lengths
 * add up to at most limits.max_batch_bytes (16 MiB by default).
 *
 * Any host thread, concurrently with other oc_submit_batch and oc_submit
 * calls. Returns OC_OK when every event has its own answer in *result,
 * accepted or not. Otherwise *result is NULL and the status is the whole
 * call's, with nothing written: OC_ERR_ARGUMENT (plugin or result NULL;
 * events or lens NULL while count > 0; an events[i] NULL; the host's
 * now_ms out of range),
 * OC_ERR_TOO_LARGE (over either batch limit), OC_ERR_STORE or OC_ERR_BUSY
 * (the store failed every event the batch handed it; the message is the
 * first one's), OC_ERR_CLOSED; or OC_ERR_NOMEM, OC_ERR_INTERNAL. Submitting
 * a batch again is always safe: what was stored answers "duplicate".
 */
OC_API oc_status oc_submit_batch(oc_plugin *plugin, const char *const *events, const size_t *lens,
                                 size_t count, oc_buffer **result);

/*
 * Calls a query or command method (abi/CALLS.md): method is a NUL-terminated
 * name such as "cases.list" (at most 128 bytes are read: a longer name is
 * OC_ERR_UNKNOWN_METHOD, one that is not UTF-8 OC_ERR_UTF8); args_json a
 * JSON object, or NULL/len 0 for {}.
 * *result (required) receives the result object.
 * Any host thread. Returns OC_OK, OC_ERR_ARGUMENT, OC_ERR_UNKNOWN_METHOD,
 * OC_ERR_UTF8, OC_ERR_JSON, OC_ERR_TOO_LARGE (args over
 * limits.max_args_bytes), OC_ERR_SCHEMA, OC_ERR_NOT_FOUND,
 * OC_ERR_TRANSITION, OC_ERR_REFUSED, OC_ERR_STORE, OC_ERR_BUSY,
 * OC_ERR_CLOSED, OC_ERR_NOMEM, OC_ERR_INTERNAL.
 */
OC_API oc_status oc_call(oc_plugin *plugin, const char *method, const char *args_json,
                         size_t len, oc_buffer **result);

/*
 * Runs due work on the calling thread: fires due SLA timers and runs up to
 * max_callbacks due host callbacks (refund, adjust_inventory, notify,
 * lookup_order, order_action), recording each answer durably. *ran (may be NULL) receives
 * the number of callbacks run. Call it when oc_wakeup_fd() is readable, or
 * periodically. One thread at a time per plugin; never from a callback.
 * With several processes on one store, each effect is claimed by the one
 * poll that delivers it, under a lease (config outbox.lease): another
 * process's poll delivers it, under the same idempotency key, only once
 * that lease ran out or its process is gone.
 * Returns OC_OK, OC_ERR_ARGUMENT, OC_ERR_THREAD, OC_ERR_STORE, OC_ERR_BUSY
 * (the store is locked or unreachable: poll again later), OC_ERR_CLOSED,
 * OC_ERR_NOMEM, OC_ERR_INTERNAL.
 */
OC_API oc_status oc_poll(oc_plugin *plugin, uint32_t max_callbacks, uint32_t *ran);

/*
 * A file descriptor that turns readable when oc_poll has work. Register it
 * with your event loop (epoll, uv_poll, stream_select, asyncio add_reader);
 * oc_poll clears it. Owned by the plugin: do not read or close it.
 * Work another process or node committed to a shared store counts too: the
 * plugin looks for it every store.wake_interval (100 ms by default), so the
 * fd turns readable within about that long.
 * Returns -1 for a NULL plugin. Any thread.
 */
OC_API int32_t oc_wakeup_fd(const oc_plugin *plugin);

/* Result buffers: NUL-terminated UTF-8 bytes owned by the plugin.
   oc_buffer_data(NULL) is "" and oc_buffer_size(NULL) is 0. Any thread. */
OC_API const char *oc_buffer_data(const oc_buffer *buffer);
OC_API size_t oc_buffer_size(const oc_buffer *buffer);
/* Frees a buffer. NULL is a no-op. Any thread. */
OC_API void oc_buffer_free(oc_buffer *buffer);

/* The message of the last failure on the calling thread; "" if the last call
   on this thread succeeded. Never NULL; valid until the next call. */
OC_API const char *oc_last_error(void);

/* The status of the last call on the calling thread. */
OC_API oc_status oc_last_status(void);

/*
 * From inside a callback only: attaches a JSON object to the answer, e.g.
 * {"reason": "card expired"} for a rejection or the order for lookup_order.
 * The plugin copies the bytes. Returns OC_OK, OC_ERR_ARGUMENT, OC_ERR_UTF8,
 * OC_ERR_JSON, OC_ERR_TOO_LARGE (over 1 MiB), OC_ERR_NOMEM, OC_ERR_INTERNAL.
 */
OC_API oc_status oc_reply_set(oc_reply *reply, const char *json, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* ORDERCARE_H */
