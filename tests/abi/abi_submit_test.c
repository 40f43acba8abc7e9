/* oc_submit: every rejection has its own status and a message naming what
   is wrong, and writes nothing; an accepted event is durable and a repeated
   id is acknowledged as a duplicate. */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_test.h"

static char g_dir[512];
static oc_plugin *g_plugin;

static void setup(void) {
    char store[600];
    abi_temp_dir(g_dir, sizeof g_dir);
    snprintf(store, sizeof store, "%s/store.db", g_dir);
    g_plugin = abi_open_store(store, "\"limits\": {\"max_event_bytes\": 1024}");
}

static void teardown(void) {
    if (g_plugin) CHECK_STATUS(oc_close(g_plugin), OC_OK);
    g_plugin = NULL;
    abi_remove_tree(g_dir);
}

/* Submits len bytes of json and expects a rejection with want, a message
   containing needle, no result, and an event log that is still empty. */
static void expect_rejected(const char *json, size_t len, oc_status want, const char *needle) {
    oc_buffer *result = (oc_buffer *)&result;
    if (!g_plugin) return;
    CHECK_STATUS(oc_submit(g_plugin, json, len, &result), want);
    CHECK(result == NULL);
    CHECK_CONTAINS(oc_last_error(), needle);
    CHECK_EQ_INT(oc_last_status(), want);
    CHECK_EQ_INT(abi_event_count(g_plugin), 0);
}

static void reject(const char *json, oc_status want, const char *needle) {
    expect_rejected(json, strlen(json), want, needle);
}

#define ENVELOPE(id, type, data)                                                     \
    "{\"id\": " id ", \"type\": " type ", \"occurred_at\": \"2026-11-22T10:00:00Z\", " \
    "\"source\": \"host\", \"data\": " data "}"

static void null_json_and_zero_length_are_argument_errors(void) {
    setup();
    expect_rejected(NULL, 10, OC_ERR_ARGUMENT, "event_json");
    expect_rejected("{}", 0, OC_ERR_ARGUMENT, "len");
    teardown();
}

static void invalid_utf8_is_a_utf8_error_with_the_offset(void) {
    setup();
    reject(ENVELOPE("\"bad-utf8\"", "\"cancellation.requested\"",
                    "{\"order_id\": \"o1\", \"reason\": \"\xed\xa0\x80\"}"),
           OC_ERR_UTF8, "byte");
    reject("{\"id\": \"x\xc0\xaf\"}", OC_ERR_UTF8, "byte 9");
    teardown();
}

static void malformed_json_is_a_json_error_with_the_offset(void) {
    setup();
    reject("{\"id\": \"x\", }", OC_ERR_JSON, "byte");
    reject("not json", OC_ERR_JSON, "byte");
    /* The length is honoured: a valid event cut short is malformed. */
    {
        char event[1024];
        abi_make_event(event, sizeof event, "cut-short");
        expect_rejected(event, strlen(event) - 1, OC_ERR_JSON, "byte");
    }
    teardown();
}

static void an_unknown_type_is_named(void) {
    setup();
    reject(ENVELOPE("\"t1\"", "\"order.teleported\"", "{\"order_id\": \"o1\"}"),
           OC_ERR_UNKNOWN_TYPE, "order.teleported");
    teardown();
}

static void missing_fields_are_named(void) {
    setup();
    reject("{\"type\": \"cancellation.requested\", \"occurred_at\": \"2026-11-22T10:00:00Z\", "
           "\"source\": \"host\", \"data\": {\"order_id\": \"o1\"}}",
           OC_ERR_SCHEMA, "id");
    reject("{\"id\": \"m2\", \"type\": \"cancellation.requested\", \"source\": \"host\", "
           "\"data\": {\"order_id\": \"o1\"}}",
           OC_ERR_SCHEMA, "occurred_at");
    reject(ENVELOPE("\"m3\"", "\"cancellation.requested\"", "{\"reason\": \"late\"}"), OC_ERR_SCHEMA,
           "order_id");
    reject("{\"id\": \"m4\", \"type\": \"cancellation.requested\", "
           "\"occurred_at\": \"2026-11-22T10:00:00Z\", \"source\": \"host\"}",
           OC_ERR_SCHEMA, "data");
    teardown();
}

static void wrong_types_are_named(void) {
    setup();
    reject(ENVELOPE("42", "\"cancellation.requested\"", "{\"order_id\": \"o1\"}"), OC_ERR_SCHEMA,
           "id");
    reject(ENVELOPE("\"w2\"", "\"cancellation.requested\"", "{\"order_id\": 7}"), OC_ERR_SCHEMA,
           "data.order_id");
    reject(ENVELOPE("\"w3\"", "\"cancellation.requested\"", "[]"), OC_ERR_SCHEMA, "data");
    reject("{\"id\": \"w4\", \"type\": \"cancellation.requested\", \"occurred_at\": \"yesterday\", "
           "\"source\": \"host\", \"data\": {\"order_id\": \"o1\"}}",
           OC_ERR_SCHEMA, "occurred_at");
    reject("[1, 2, 3]", OC_ERR_SCHEMA, "(root)");
    reject(ENVELOPE("\"\"", "\"cancellation.requested\"", "{\"order_id\": \"o1\"}"), OC_ERR_SCHEMA,
           "id");
    teardown();
}

static void an_oversized_event_is_too_large(void) {
    char big[2048];
    char pad[1500];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    snprintf(big, sizeof big,
             "{\"id\": \"big\", \"type\": \"cancellation.requested\", "
             "\"occurred_at\": \"2026-11-22T10:00:00Z\", \"source\": \"host\", "
             "\"data\": {\"order_id\": \"o1\", \"reason\": \"%s\"}}",
             pad);
    setup();
    reject(big, OC_ERR_TOO_LARGE, "limits.max_event_bytes");
    teardown();
}

/* An event whose unknown field "x" holds `levels` nested arrays. */
static size_t nested_event(char *out, size_t size, const char *id, int levels) {
    int n = snprintf(out, size,
                     "{\"id\": \"%s\", \"type\": \"cancellation.requested\", "
                     "\"occurred_at\": \"2026-11-22T10:00:00Z\", \"source\": \"host\", "
                     "\"data\": {\"order_id\": \"o1\"}, \"x\": ",
                     id);
    int i;
    for (i = 0; i < levels && (size_t)n + 2 < size; ++i) out[n++] = '[';
    for (i = 0; i < levels && (size_t)n + 2 < size; ++i) out[n++] = ']';
    out[n++] = '}';
    out[n] = '\0';
    return (size_t)n;
}

static void nesting_deeper_than_128_levels_is_refused(void) {
    char event[1024];
    setup();
    /* The event object is level 1: 127 arrays inside it make 128. */
    expect_rejected(event, nested_event(event, sizeof event, "deep", 128), OC_ERR_JSON,
                    "nested deeper than 128 levels");
    if (g_plugin) {
        const size_t len = nested_event(event, sizeof event, "deep-ok", 127);
        CHECK_STATUS(oc_submit(g_plugin, event, len, NULL), OC_OK);
    }
    teardown();
}

/* Half a million nested arrays fit in the default 1 MiB limit; serializing
   them recursed until the plugin thread's stack overflowed and the host
   died with SIGSEGV. */
static void a_pathologically_nested_event_does_not_crash_the_host(void) {
    enum { kLevels = 400000 };
    char dir[512], store[600];
    char *event = (char *)malloc(2 * kLevels + 512);
    oc_plugin *plugin;
    abi_temp_dir(dir, sizeof dir);
    snprintf(store, sizeof store, "%s/store.db", dir);
    plugin = abi_open_store(store, NULL);
    if (plugin && event) {
        const size_t len = nested_event(event, 2 * kLevels + 512, "very-deep", kLevels);
        CHECK_STATUS(oc_submit(plugin, event, len, NULL), OC_ERR_JSON);
        CHECK_CONTAINS(oc_last_error(), "nested");
        CHECK_EQ_INT(abi_event_count(plugin), 0);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    free(event);
    abi_remove_tree(dir);
}

static void an_accepted_event_is_stored_and_a_repeat_is_a_duplicate(void) {
    char status[32], event[1024];
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        abi_make_event(event, sizeof event, "order-cancel-1");
        CHECK_STATUS(oc_submit(g_plugin, event, strlen(event), &result), OC_OK);
        CHECK(strcmp(oc_last_error(), "") == 0);
        CHECK(abi_json_string(oc_buffer_data(result), "status", status, sizeof status) == 0);
        CHECK(strcmp(status, "accepted") == 0);
        CHECK(abi_json_string(oc_buffer_data(result), "event_id", status, sizeof status) == 0);
        CHECK(strcmp(status, "order-cancel-1") == 0);
        CHECK_CONTAINS(oc_buffer_data(result), "\"cases\":[");
        CHECK_CONTAINS(oc_buffer_data(result), "\"effects\":[");
        oc_buffer_free(result);
        CHECK_EQ_INT(abi_event_count(g_plugin), 1);

        CHECK_STATUS(abi_submit_id(g_plugin, "order-cancel-1", status, sizeof status), OC_OK);
        CHECK(strcmp(status, "duplicate") == 0);
        CHECK_EQ_INT(abi_event_count(g_plugin), 1);
        /* result is optional. */
        CHECK_STATUS(oc_submit(g_plugin, event, strlen(event), NULL), OC_OK);
        CHECK_EQ_INT(abi_event_count(g_plugin), 1);
    }
    teardown();
}

static void a_duplicate_with_another_body_changes_nothing(void) {
    const char *first = ENVELOPE("\"same-id\"", "\"cancellation.requested\"",
                                 "{\"order_id\": \"first\"}");
    const char *second = ENVELOPE("\"same-id\"", "\"cancellation.requested\"",
                                  "{\"order_id\": \"second\"}");
    char status[32];
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        CHECK_STATUS(oc_submit(g_plugin, first, strlen(first), NULL), OC_OK);
        CHECK_STATUS(oc_submit(g_plugin, second, strlen(second), &result), OC_OK);
        abi_json_string(oc_buffer_data(result), "status", status, sizeof status);
        CHECK(strcmp(status, "duplicate") == 0);
        oc_buffer_free(result);
        result = NULL;
        CHECK_STATUS(oc_call(g_plugin, "events.get", "{\"id\": \"same-id\"}", 17, &result), OC_OK);
        CHECK_CONTAINS(oc_buffer_data(result), "first");
        CHECK(strstr(oc_buffer_data(result), "second") == NULL);
        oc_buffer_free(result);
    }
    teardown();
}

static void unknown_fields_are_kept(void) {
    const char *event = "{\"id\": \"extra-1\", \"type\": \"cancellation.requested\", "
                        "\"occurred_at\": \"2026-11-22T11:00:00+01:00\", \"source\": \"host\", "
                        "\"x_host_field\": {\"nested\": [1, 2]}, "
                        "\"data\": {\"order_id\": \"o1\", \"x_data_field\": \"kept\"}}";
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        CHECK_STATUS(oc_submit(g_plugin, event, strlen(event), NULL), OC_OK);
        CHECK_STATUS(oc_call(g_plugin, "events.get", "{\"id\": \"extra-1\"}", 17, &result), OC_OK);
        CHECK_CONTAINS(oc_buffer_data(result), "\"x_host_field\":{\"nested\":[1,2]}");
        CHECK_CONTAINS(oc_buffer_data(result), "\"x_data_field\":\"kept\"");
        CHECK_CONTAINS(oc_buffer_data(result), "\"received_at\":");
        oc_buffer_free(result);
    }
    teardown();
}

static void input_without_a_terminating_nul_is_read_by_length(void) {
    char event[1024];
    char *exact;
    size_t len;
    setup();
    abi_make_event(event, sizeof event, "no-nul");
    len = strlen(event);
    exact = (char *)malloc(len);
    CHECK(exact != NULL);
    if (exact && g_plugin) {
        memcpy(exact, event, len);
        CHECK_STATUS(oc_submit(g_plugin, exact, len, NULL), OC_OK);
        CHECK_EQ_INT(abi_event_count(g_plugin), 1);
    }
    free(exact);
    teardown();
}

/* The length ends the input, not a NUL: a valid event followed by a NUL
   and more bytes is refused, naming the NUL's offset, and stores nothing. */
static void a_nul_inside_the_length_is_refused_with_its_offset(void) {
    char event[1024], offset[32];
    size_t len;
    setup();
    abi_make_event(event, sizeof event, "nul-inside");
    len = strlen(event);
    memcpy(event + len, "\0{\"id\": 1}", 11);
    snprintf(offset, sizeof offset, "byte %lu", (unsigned long)len);
    expect_rejected(event, len + 11, OC_ERR_JSON, offset);
    if (g_plugin) {
        CHECK_STATUS(oc_submit(g_plugin, event, len + 11, NULL), OC_ERR_JSON);
        CHECK_CONTAINS(oc_last_error(), "a NUL byte inside the given length");
    }
    /* A trailing NUL counted in the length is refused the same way. */
    expect_rejected(event, len + 1, OC_ERR_JSON, offset);
    teardown();
}

static void submit_after_a_rejection_still_works(void) {
    char status[32];
    setup();
    if (g_plugin) {
        CHECK_STATUS(oc_submit(g_plugin, "nope", 4, NULL), OC_ERR_JSON);
        CHECK_STATUS(abi_submit_id(g_plugin, "after-rejection", status, sizeof status), OC_OK);
        CHECK(strcmp(status, "accepted") == 0);
        CHECK_EQ_INT(oc_last_status(), OC_OK);
    }
    teardown();
}

int main(int argc, char **argv) {
    static const abi_case cases[] = {
        {"null_json_and_zero_length_are_argument_errors",
         null_json_and_zero_length_are_argument_errors},
        {"invalid_utf8_is_a_utf8_error_with_the_offset", invalid_utf8_is_a_utf8_error_with_the_offset},
        {"malformed_json_is_a_json_error_with_the_offset",
         malformed_json_is_a_json_error_with_the_offset},
        {"an_unknown_type_is_named", an_unknown_type_is_named},
        {"missing_fields_are_named", missing_fields_are_named},
        {"wrong_types_are_named", wrong_types_are_named},
        {"an_oversized_event_is_too_large", an_oversized_event_is_too_large},
        {"nesting_deeper_than_128_levels_is_refused", nesting_deeper_than_128_levels_is_refused},
        {"a_pathologically_nested_event_does_not_crash_the_host",
         a_pathologically_nested_event_does_not_crash_the_host},
        {"an_accepted_event_is_stored_and_a_repeat_is_a_duplicate",
         an_accepted_event_is_stored_and_a_repeat_is_a_duplicate},
        {"a_duplicate_with_another_body_changes_nothing",
         a_duplicate_with_another_body_changes_nothing},
        {"unknown_fields_are_kept", unknown_fields_are_kept},
        {"input_without_a_terminating_nul_is_read_by_length",
         input_without_a_terminating_nul_is_read_by_length},
        {"a_nul_inside_the_length_is_refused_with_its_offset",
         a_nul_inside_the_length_is_refused_with_its_offset},
        {"submit_after_a_rejection_still_works", submit_after_a_rejection_still_works},
    };
    return abi_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
