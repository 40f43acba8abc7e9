/* oc_submit_batch (ABI 1.2): one answer per event, in order, each as
   oc_submit would have given it; a refused event changes nothing and does
   not disturb its neighbours; a repeated id, in the store or earlier in
   the batch, is a duplicate; bad arguments and batches over the limits are
   refused whole and write nothing; what was accepted is durable. */
#define _XOPEN_SOURCE 700

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_test.h"

static char g_dir[512];
static char g_store[600];
static oc_plugin *g_plugin;

static void setup_with(const char *extra) {
    abi_temp_dir(g_dir, sizeof g_dir);
    snprintf(g_store, sizeof g_store, "%s/store.db", g_dir);
    g_plugin = abi_open_store(g_store, extra);
}

static void setup(void) { setup_with(NULL); }

static void teardown(void) {
    if (g_plugin) CHECK_STATUS(oc_close(g_plugin), OC_OK);
    g_plugin = NULL;
    abi_remove_tree(g_dir);
}

#define ENVELOPE(id, type, data)                                                     \
    "{\"id\": " id ", \"type\": " type ", \"occurred_at\": \"2026-11-22T10:00:00Z\", " \
    "\"source\": \"host\", \"data\": " data "}"

/* An order.created of order_id for customer, in currency. */
static void make_order(char *out, size_t size, const char *id, const char *order_id,
                       const char *customer, const char *currency) {
    snprintf(out, size,
             "{\"id\": \"%s\", \"type\": \"order.created\", \"occurred_at\": \"2026-11-22T09:00:00Z\", "
             "\"source\": \"host\", \"data\": {\"order\": {\"id\": \"%s\", "
             "\"placed_at\": \"2026-11-22T09:00:00Z\", \"currency\": \"%s\", \"total\": 4999, "
             "\"channel\": \"web\", \"customer\": {\"id\": \"%s\"}, \"items\": [{\"line_id\": \"1\", "
             "\"sku\": \"MUG\", \"name\": \"Mug\", \"quantity\": 1, \"unit_price\": 4999}]}}}",
             id, order_id, currency, customer);
}

/* oc_submit_batch over NUL-terminated events. */
static oc_status submit_batch(const char *const *events, size_t count, oc_buffer **result) {
    size_t lens[64];
    size_t i;
    for (i = 0; i < count && i < 64; ++i) lens[i] = strlen(events[i]);
    return oc_submit_batch(g_plugin, events, lens, count, result);
}

/* Index after the JSON value that starts at text[i] (no leading space). */
static size_t skip_value(const char *text, size_t i) {
    int depth = 0;
    int in_string = 0;
    for (; text[i]; ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\' && text[i + 1]) ++i;
            else if (c == '"') in_string = 0;
            if (!in_string && depth == 0) return i + 1;
            continue;
        }
        if (c == '"') in_string = 1;
        else if (c == '{' || c == '[') ++depth;
        else if (c == '}' || c == ']') {
            if (--depth == 0) return i + 1;
            if (depth < 0) return i;
        } else if (depth == 0 && (c == ',' || c == ' ')) return i;
    }
    return i;
}

/* Copies element `index` of the top-level JSON array `array` into out;
   0 if it is there, -1 if not (out is then ""). */
static int element(const char *array, size_t index, char *out, size_t size) {
    size_t i = 1, n = 0;
    out[0] = '\0';
    if (!array || array[0] != '[') return -1;
    for (;;) {
        size_t end;
        while (array[i] == ' ' || array[i] == ',') ++i;
        if (array[i] == ']' || array[i] == '\0') return -1;
        end = skip_value(array, i);
        if (n++ == index) {
            const size_t len = end - i < size - 1 ? end - i : size - 1;
            memcpy(out, array + i, len);
            out[len] = '\0';
            return 0;
        }
        i = end;
    }
}

/* Number of elements of the top-level array. */
static size_t element_count(const char *array) {
    char scratch[4096];
    size_t n = 0;
    while (element(array, n, scratch, sizeof scratch) == 0) ++n;
    return n;
}

/* Element `index` of result answers with status `status` (and, for an
   error, code `code`; for an answer, event_id `event_id` when given). */
static void expect_answer(const oc_buffer *result, size_t index, const char *status, const char *detail) {
    char item[4096], value[512];
    CHECK(element(oc_buffer_data(result), index, item, sizeof item) == 0);
    CHECK(abi_json_string(item, "status", value, sizeof value) == 0);
    if (strcmp(value, status) != 0) {
        fprintf(stderr, "    element %lu: %s, expected status %s\n", (unsigned long)index, item, status);
        CHECK(strcmp(value, status) == 0);
    }
    if (!detail) return;
    CHECK(abi_json_string(item, strcmp(status, "error") == 0 ? "code" : "event_id", value, sizeof value) == 0);
    if (strcmp(value, detail) != 0) {
        fprintf(stderr, "    element %lu: %s, expected %s\n", (unsigned long)index, item, detail);
        CHECK(strcmp(value, detail) == 0);
    }
}

/* The message of element `index` equals what oc_submit says of the same
   bytes (submitted alone on this plugin: it refuses them again). */
static void expect_message_as_oc_submit(const oc_buffer *result, size_t index, const char *event) {
    char item[4096], message[1024];
    CHECK(element(oc_buffer_data(result), index, item, sizeof item) == 0);
    CHECK(abi_json_string(item, "message", message, sizeof message) == 0);
    CHECK(oc_submit(g_plugin, event, strlen(event), NULL) != OC_OK);
    if (strcmp(message, oc_last_error()) != 0) {
        fprintf(stderr, "    element %lu says \"%s\", oc_submit \"%s\"\n", (unsigned long)index, message,
                oc_last_error());
        CHECK(strcmp(message, oc_last_error()) == 0);
    }
}

static long call_contains(const char *method, const char *args, const char *needle) {
    oc_buffer *result = NULL;
    long found;
    if (oc_call(g_plugin, method, args, strlen(args), &result) != OC_OK) {
        oc_buffer_free(result);
        return -1;
    }
    found = strstr(oc_buffer_data(result), needle) != NULL;
    oc_buffer_free(result);
    return found;
}

static void answers_come_one_per_event_in_order(void) {
    char earlier[1024], first[1024], again[1024], last[1024], order[1024], other_currency[1024];
    const char *bad_json = "{\"id\": \"x\", }";
    const char *unknown_type = ENVELOPE("\"t1\"", "\"order.teleported\"", "{\"order_id\": \"o1\"}");
    const char *bad_field = ENVELOPE("\"w2\"", "\"cancellation.requested\"", "{\"order_id\": 7}");
    const char *bad_utf8 = "{\"id\": \"x\xc0\xaf\"}";
    const char *events[9];
    oc_buffer *result = (oc_buffer *)&result;
    setup();
    if (g_plugin) {
        abi_make_event(earlier, sizeof earlier, "earlier");
        CHECK_STATUS(oc_submit(g_plugin, earlier, strlen(earlier), NULL), OC_OK);
        make_order(order, sizeof order, "order-o9", "O9", "c1", "EUR");
        CHECK_STATUS(oc_submit(g_plugin, order, strlen(order), NULL), OC_OK);
        abi_make_event(first, sizeof first, "first");
        abi_make_event(again, sizeof again, "first");
        abi_make_event(last, sizeof last, "last");
        /* The same order in another currency: refused by the writer, not
           by the checks on this thread. */
        make_order(other_currency, sizeof other_currency, "order-o9-usd", "O9", "c1", "USD");
        events[0] = first;
        events[1] = bad_json;
        events[2] = earlier;
        events[3] = unknown_type;
        events[4] = again;
        events[5] = bad_field;
        events[6] = other_currency;
        events[7] = bad_utf8;
        events[8] = last;
        CHECK_STATUS(submit_batch(events, 9, &result), OC_OK);
        CHECK(strcmp(oc_last_error(), "") == 0);
        CHECK_EQ_INT(oc_last_status(), OC_OK);
        CHECK(result != NULL);
        if (result) {
            CHECK_EQ_INT(element_count(oc_buffer_data(result)), 9);
            expect_answer(result, 0, "accepted", "first");
            expect_answer(result, 1, "error", "OC_ERR_JSON");
            expect_answer(result, 2, "duplicate", "earlier");
            expect_answer(result, 3, "error", "OC_ERR_UNKNOWN_TYPE");
            expect_answer(result, 4, "duplicate", "first");
            expect_answer(result, 5, "error", "OC_ERR_SCHEMA");
            expect_answer(result, 6, "error", "OC_ERR_REFUSED");
            expect_answer(result, 7, "error", "OC_ERR_UTF8");
            expect_answer(result, 8, "accepted", "last");
            CHECK_CONTAINS(oc_buffer_data(result), "\"cases\":[");
            CHECK_CONTAINS(oc_buffer_data(result), "\"effects\":[");
            expect_message_as_oc_submit(result, 1, bad_json);
            expect_message_as_oc_submit(result, 3, unknown_type);
            expect_message_as_oc_submit(result, 5, bad_field);
            expect_message_as_oc_submit(result, 6, other_currency);
            expect_message_as_oc_submit(result, 7, bad_utf8);
        }
        oc_buffer_free(result);
        /* earlier, the order, first and last. */
        CHECK_EQ_INT(abi_event_count(g_plugin), 4);
        CHECK_EQ_INT(call_contains("order.get", "{\"id\": \"O9\"}", "\"currency\":\"EUR\""), 1);
    }
    teardown();
}

static void a_bad_event_in_the_middle_leaves_its_neighbours_stored(void) {
    char order[1024], cancel[1024];
    const char *events[3];
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        make_order(order, sizeof order, "mid-1", "M1", "c1", "EUR");
        snprintf(cancel, sizeof cancel, "%s",
                 ENVELOPE("\"mid-3\"", "\"cancellation.requested\"", "{\"order_id\": \"M1\"}"));
        events[0] = order;
        events[1] = "{\"id\": \"mid-2\", \"type\": \"cancellation.requested\"";
        events[2] = cancel;
        CHECK_STATUS(submit_batch(events, 3, &result), OC_OK);
        expect_answer(result, 0, "accepted", "mid-1");
        expect_answer(result, 1, "error", "OC_ERR_JSON");
        expect_answer(result, 2, "accepted", "mid-3");
        oc_buffer_free(result);
        CHECK_EQ_INT(abi_event_count(g_plugin), 2);
        CHECK_EQ_INT(call_contains("order.get", "{\"id\": \"M1\"}", "\"id\":\"M1\""), 1);
        CHECK_EQ_INT(call_contains("events.get", "{\"id\": \"mid-3\"}", "\"id\":\"mid-3\""), 1);
        CHECK_EQ_INT(call_contains("cases.list", "{}", "\"M1\""), 1);
        CHECK_EQ_INT(call_contains("events.get", "{\"id\": \"mid-2\"}", "mid-2"), -1);
        CHECK_EQ_INT(oc_last_status(), OC_ERR_NOT_FOUND);
    }
    teardown();
}

static void a_repeated_id_in_the_batch_is_a_duplicate_of_the_first(void) {
    const char *events[2] = {
        ENVELOPE("\"twice\"", "\"cancellation.requested\"", "{\"order_id\": \"first\"}"),
        ENVELOPE("\"twice\"", "\"cancellation.requested\"", "{\"order_id\": \"second\"}")};
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        CHECK_STATUS(submit_batch(events, 2, &result), OC_OK);
        expect_answer(result, 0, "accepted", "twice");
        expect_answer(result, 1, "duplicate", "twice");
        oc_buffer_free(result);
        CHECK_EQ_INT(abi_event_count(g_plugin), 1);
        CHECK_EQ_INT(call_contains("events.get", "{\"id\": \"twice\"}", "first"), 1);
        CHECK_EQ_INT(call_contains("events.get", "{\"id\": \"twice\"}", "second"), 0);
    }
    teardown();
}

static void an_empty_batch_answers_an_empty_array(void) {
    const char *events[1] = {"{}"};
    size_t lens[1] = {2};
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        CHECK_STATUS(oc_submit_batch(g_plugin, NULL, NULL, 0, &result), OC_OK);
        CHECK(strcmp(oc_buffer_data(result), "[]") == 0);
        oc_buffer_free(result);
        result = NULL;
        CHECK_STATUS(oc_submit_batch(g_plugin, events, lens, 0, &result), OC_OK);
        CHECK(strcmp(oc_buffer_data(result), "[]") == 0);
        oc_buffer_free(result);
        CHECK_EQ_INT(abi_event_count(g_plugin), 0);
    }
    teardown();
}

static void null_arguments_are_refused_and_write_nothing(void) {
    char one[1024], two[1024];
    const char *events[2];
    const char *with_null[2];
    size_t lens[2];
    oc_buffer *result = (oc_buffer *)&result;
    setup();
    abi_make_event(one, sizeof one, "one");
    abi_make_event(two, sizeof two, "two");
    events[0] = one;
    events[1] = two;
    lens[0] = strlen(one);
    lens[1] = strlen(two);
    with_null[0] = one;
    with_null[1] = NULL;
    /* A NULL plugin, as a host holding a handle it already closed would
       have to pass. */
    CHECK_STATUS(oc_submit_batch(NULL, events, lens, 2, &result), OC_ERR_ARGUMENT);
    CHECK(result == NULL);
    CHECK_CONTAINS(oc_last_error(), "plugin");
    if (g_plugin) {
        CHECK_STATUS(oc_submit_batch(g_plugin, events, lens, 2, NULL), OC_ERR_ARGUMENT);
        CHECK_CONTAINS(oc_last_error(), "result is NULL");
        result = (oc_buffer *)&result;
        CHECK_STATUS(oc_submit_batch(g_plugin, NULL, lens, 2, &result), OC_ERR_ARGUMENT);
        CHECK(result == NULL);
        CHECK_CONTAINS(oc_last_error(), "events is NULL");
        CHECK_STATUS(oc_submit_batch(g_plugin, events, NULL, 2, &result), OC_ERR_ARGUMENT);
        CHECK_CONTAINS(oc_last_error(), "lens is NULL");
        CHECK_STATUS(oc_submit_batch(g_plugin, with_null, lens, 2, &result), OC_ERR_ARGUMENT);
        CHECK(result == NULL);
        CHECK_CONTAINS(oc_last_error(), "events[1] is NULL");
        CHECK_EQ_INT(abi_event_count(g_plugin), 0);
        /* An event of 0 bytes is that event's own argument error. */
        lens[0] = 0;
        CHECK_STATUS(oc_submit_batch(g_plugin, events, lens, 2, &result), OC_OK);
        expect_answer(result, 0, "error", "OC_ERR_ARGUMENT");
        expect_answer(result, 1, "accepted", "two");
        oc_buffer_free(result);
        CHECK_EQ_INT(abi_event_count(g_plugin), 1);
    }
    teardown();
}

static void batches_over_the_limits_are_too_large_and_write_nothing(void) {
    char events_text[4][1024], big[1200], pad[700];
    const char *events[4];
    size_t i;
    oc_buffer *result = (oc_buffer *)&result;
    setup_with("\"limits\": {\"max_event_bytes\": 1024, \"max_batch_events\": 3, \"max_batch_bytes\": 2048}");
    for (i = 0; i < 4; ++i) {
        char id[16];
        snprintf(id, sizeof id, "lim-%lu", (unsigned long)i);
        abi_make_event(events_text[i], sizeof events_text[i], id);
        events[i] = events_text[i];
    }
    if (g_plugin) {
        CHECK_STATUS(submit_batch(events, 4, &result), OC_ERR_TOO_LARGE);
        CHECK(result == NULL);
        CHECK_CONTAINS(oc_last_error(), "limits.max_batch_events");
        CHECK_EQ_INT(abi_event_count(g_plugin), 0);

        memset(pad, 'x', sizeof pad - 1);
        pad[sizeof pad - 1] = '\0';
        for (i = 0; i < 3; ++i) {
            snprintf(events_text[i], sizeof events_text[i],
                     "{\"id\": \"pad-%lu\", \"type\": \"cancellation.requested\", "
                     "\"occurred_at\": \"2026-11-22T10:00:00Z\", \"source\": \"host\", "
                     "\"data\": {\"order_id\": \"o1\", \"reason\": \"%s\"}}",
                     (unsigned long)i, pad);
        }
        CHECK_STATUS(submit_batch(events, 3, &result), OC_ERR_TOO_LARGE);
        CHECK(result == NULL);
        CHECK_CONTAINS(oc_last_error(), "limits.max_batch_bytes");
        CHECK_EQ_INT(abi_event_count(g_plugin), 0);

        /* Two fit the batch; one event over max_event_bytes is refused
           alone. */
        memset(big, 'y', sizeof big);
        memcpy(big, events_text[0], strlen(events_text[0]));
        big[sizeof big - 1] = '\0';
        events[0] = big;
        abi_make_event(events_text[1], sizeof events_text[1], "fits");
        CHECK_STATUS(submit_batch(events, 2, &result), OC_OK);
        expect_answer(result, 0, "error", "OC_ERR_TOO_LARGE");
        CHECK_CONTAINS(oc_buffer_data(result), "limits.max_event_bytes");
        expect_answer(result, 1, "accepted", "fits");
        oc_buffer_free(result);
        CHECK_EQ_INT(abi_event_count(g_plugin), 1);
    }
    teardown();
}

/* More events than the writer takes into one transaction: all answered,
   in order. */
static void a_large_batch_is_answered_in_order(void) {
    enum { kCount = 1500 };
    char(*texts)[160] = (char(*)[160])malloc(kCount * sizeof *texts);
    const char **events = (const char **)malloc(kCount * sizeof *events);
    size_t *lens = (size_t *)malloc(kCount * sizeof *lens);
    oc_buffer *result = NULL;
    size_t i;
    setup();
    if (g_plugin && texts && events && lens) {
        for (i = 0; i < kCount; ++i) {
            snprintf(texts[i], sizeof texts[i],
                     "{\"id\": \"bulk-%lu\", \"type\": \"cancellation.requested\", "
                     "\"occurred_at\": \"2026-11-22T10:00:00Z\", \"source\": \"host\", "
                     "\"data\": {\"order_id\": \"B%lu\"}}",
                     (unsigned long)i, (unsigned long)(i % 50));
            events[i] = texts[i];
            lens[i] = strlen(texts[i]);
        }
        CHECK_STATUS(oc_submit_batch(g_plugin, events, lens, kCount, &result), OC_OK);
        if (result) {
            const char *at = oc_buffer_data(result);
            CHECK_EQ_INT(element_count(at), kCount);
            for (i = 0; i < kCount && at; ++i) {
                char needle[64];
                snprintf(needle, sizeof needle, "\"event_id\":\"bulk-%lu\"", (unsigned long)i);
                at = strstr(at, needle);
                CHECK(at != NULL);
            }
            CHECK_EQ_INT(abi_count_substrings(oc_buffer_data(result), "\"accepted\""), kCount);
        }
        oc_buffer_free(result);
        CHECK_EQ_INT(abi_event_count(g_plugin), kCount);
    }
    free(texts);
    free((void *)events);
    free(lens);
    teardown();
}

static void accepted_events_survive_a_reopen(void) {
    char one[1024], two[1024];
    const char *events[2];
    oc_buffer *result = NULL;
    setup();
    abi_make_event(one, sizeof one, "kept-1");
    abi_make_event(two, sizeof two, "kept-2");
    events[0] = one;
    events[1] = two;
    if (g_plugin) {
        CHECK_STATUS(submit_batch(events, 2, NULL), OC_ERR_ARGUMENT);
        CHECK_STATUS(submit_batch(events, 2, &result), OC_OK);
        oc_buffer_free(result);
        result = NULL;
        CHECK_STATUS(oc_close(g_plugin), OC_OK);
        g_plugin = abi_open_store(g_store, NULL);
    }
    if (g_plugin) {
        CHECK_EQ_INT(abi_event_count(g_plugin), 2);
        CHECK_STATUS(submit_batch(events, 2, &result), OC_OK);
        expect_answer(result, 0, "duplicate", "kept-1");
        expect_answer(result, 1, "duplicate", "kept-2");
        oc_buffer_free(result);
    }
    teardown();
}

enum { kThreads = 4, kPerThread = 200 };

static void *submit_from_thread(void *arg) {
    const unsigned long thread = (unsigned long)(size_t)arg;
    static char texts[kThreads][kPerThread][160];
    const char *events[kPerThread];
    size_t lens[kPerThread];
    oc_buffer *result = NULL;
    oc_status status;
    size_t i;
    for (i = 0; i < kPerThread; ++i) {
        snprintf(texts[thread][i], sizeof texts[thread][i],
                 "{\"id\": \"t%lu-%lu\", \"type\": \"cancellation.requested\", "
                 "\"occurred_at\": \"2026-11-22T10:00:00Z\", \"source\": \"host\", "
                 "\"data\": {\"order_id\": \"T%lu\"}}",
                 thread, (unsigned long)i, (unsigned long)i % 20);
        events[i] = texts[thread][i];
        lens[i] = strlen(events[i]);
    }
    status = oc_submit_batch(g_plugin, events, lens, kPerThread, &result);
    if (status == OC_OK && abi_count_substrings(oc_buffer_data(result), "\"accepted\"") != kPerThread)
        status = OC_ERR_INTERNAL;
    oc_buffer_free(result);
    return (void *)(size_t)status;
}

static void batches_from_several_threads_are_all_stored(void) {
    pthread_t threads[kThreads];
    size_t i;
    setup();
    if (g_plugin) {
        for (i = 0; i < kThreads; ++i)
            CHECK(pthread_create(&threads[i], NULL, submit_from_thread, (void *)i) == 0);
        for (i = 0; i < kThreads; ++i) {
            void *status = NULL;
            CHECK(pthread_join(threads[i], &status) == 0);
            CHECK_EQ_INT((size_t)status, OC_OK);
        }
        CHECK_EQ_INT(abi_event_count(g_plugin), kThreads * kPerThread);
    }
    teardown();
}

int main(int argc, char **argv) {
    static const abi_case cases[] = {
        {"answers_come_one_per_event_in_order", answers_come_one_per_event_in_order},
        {"a_bad_event_in_the_middle_leaves_its_neighbours_stored",
         a_bad_event_in_the_middle_leaves_its_neighbours_stored},
        {"a_repeated_id_in_the_batch_is_a_duplicate_of_the_first",
         a_repeated_id_in_the_batch_is_a_duplicate_of_the_first},
        {"an_empty_batch_answers_an_empty_array", an_empty_batch_answers_an_empty_array},
        {"null_arguments_are_refused_and_write_nothing", null_arguments_are_refused_and_write_nothing},
        {"batches_over_the_limits_are_too_large_and_write_nothing",
         batches_over_the_limits_are_too_large_and_write_nothing},
        {"a_large_batch_is_answered_in_order", a_large_batch_is_answered_in_order},
        {"accepted_events_survive_a_reopen", accepted_events_survive_a_reopen},
        {"batches_from_several_threads_are_all_stored", batches_from_several_threads_are_all_stored},
    };
    return abi_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
