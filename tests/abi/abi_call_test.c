/* oc_call: argument errors, unknown methods and args, and the events.list /
   events.get contract (paging with a cursor, the "after" filter). The host
   clock drives received_at so "after" can be checked exactly. */
#define _XOPEN_SOURCE 700

#include <stdio.h>
#include <string.h>

#include "abi_test.h"

static char g_dir[512];
static oc_plugin *g_plugin;
static int64_t g_now_ms;

/* 2026-11-22T10:00:00Z */
#define BASE_MS INT64_C(1795341600000)

static int64_t host_now(void *user_data) {
    CHECK(user_data == (void *)&g_now_ms);
    return g_now_ms;
}

static void setup(void) {
    char store[600], config[800];
    oc_options options;
    oc_host host;
    abi_temp_dir(g_dir, sizeof g_dir);
    snprintf(store, sizeof store, "%s/store.db", g_dir);
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}}", store);
    memset(&options, 0, sizeof options);
    options.struct_size = sizeof options;
    options.config_json = config;
    options.config_len = strlen(config);
    memset(&host, 0, sizeof host);
    host.struct_size = sizeof host;
    host.user_data = &g_now_ms;
    host.now_ms = host_now;
    g_now_ms = BASE_MS;
    g_plugin = NULL;
    CHECK_STATUS(oc_open(&options, &host, &g_plugin), OC_OK);
}

static void teardown(void) {
    if (g_plugin) CHECK_STATUS(oc_close(g_plugin), OC_OK);
    g_plugin = NULL;
    abi_remove_tree(g_dir);
}

/* Five events ev-1..ev-5, received one second apart from BASE_MS. */
static void submit_five(void) {
    int i;
    for (i = 1; i <= 5; ++i) {
        char id[16];
        snprintf(id, sizeof id, "ev-%d", i);
        g_now_ms = BASE_MS + (i - 1) * 1000;
        CHECK_STATUS(abi_submit_id(g_plugin, id, NULL, 0), OC_OK);
    }
}

static void call_expect(const char *method, const char *args, oc_status want, const char *needle) {
    oc_buffer *result = (oc_buffer *)&result;
    CHECK_STATUS(oc_call(g_plugin, method, args, args ? strlen(args) : 0, &result), want);
    if (want == OC_OK) {
        CHECK(result != NULL);
        oc_buffer_free(result);
    } else {
        CHECK(result == NULL);
        CHECK_CONTAINS(oc_last_error(), needle);
    }
}

static void argument_errors(void) {
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        CHECK_STATUS(oc_call(g_plugin, NULL, "{}", 2, &result), OC_ERR_ARGUMENT);
        CHECK_CONTAINS(oc_last_error(), "method");
        CHECK_STATUS(oc_call(g_plugin, "events.list", "{}", 2, NULL), OC_ERR_ARGUMENT);
        CHECK_CONTAINS(oc_last_error(), "result");
        CHECK_STATUS(oc_call(g_plugin, "events.list", NULL, 5, &result), OC_ERR_ARGUMENT);
        CHECK_CONTAINS(oc_last_error(), "args_json");
        CHECK(result == NULL);
        /* NULL args with len 0 mean {}. */
        call_expect("events.list", NULL, OC_OK, "");
    }
    teardown();
}

static void an_unknown_method_is_named(void) {
    setup();
    if (g_plugin) call_expect("cases.teleport", "{}", OC_ERR_UNKNOWN_METHOD, "cases.teleport");
    teardown();
}

/* 1 if text is well-formed UTF-8 (enough of RFC 3629 to catch a sequence
   cut short). */
static int is_utf8(const char *text) {
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        int len = *s < 0x80 ? 1 : (*s >> 5) == 6 ? 2 : (*s >> 4) == 14 ? 3 : (*s >> 3) == 30 ? 4 : 0;
        int k;
        if (len == 0) return 0;
        for (k = 1; k < len; ++k)
            if ((s[k] & 0xC0) != 0x80) return 0;
        s += len;
    }
    return 1;
}

static void a_long_error_message_is_cut_between_characters(void) {
    char args[2100];
    size_t i;
    setup();
    /* "é" is two bytes; after "args: unknown field 'x" the 1024-byte
       message buffer ends in the middle of one. */
    memcpy(args, "{\"x", 3);
    for (i = 3; i + 8 < sizeof args; i += 2) {
        args[i] = (char)0xc3;
        args[i + 1] = (char)0xa9;
    }
    memcpy(args + i, "\": 1}", 6);
    if (g_plugin) {
        oc_buffer *result = NULL;
        CHECK_STATUS(oc_call(g_plugin, "events.list", args, i + 5, &result), OC_ERR_SCHEMA);
        CHECK(strlen(oc_last_error()) < 1024);
        CHECK(strlen(oc_last_error()) > 1000);
        CHECK(is_utf8(oc_last_error()));
    }
    teardown();
}

/* The length ends the args, not a NUL: what follows a NUL is not ignored. */
static void a_nul_inside_the_args_is_refused_with_its_offset(void) {
    static const char args[] = "{\"limit\": 2}\0{\"colour\": \"red\"}";
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        CHECK_STATUS(oc_call(g_plugin, "events.list", args, sizeof args - 1, &result), OC_ERR_JSON);
        CHECK_CONTAINS(oc_last_error(), "byte 12");
        CHECK_CONTAINS(oc_last_error(), "NUL");
        CHECK(result == NULL);
        /* A NUL at the very end of the length is refused too. */
        CHECK_STATUS(oc_call(g_plugin, "events.list", "{}", 3, &result), OC_ERR_JSON);
        CHECK_CONTAINS(oc_last_error(), "byte 2");
        /* Up to the NUL, the same args are fine. */
        call_expect("events.list", "{\"limit\": 2}", OC_OK, "");
    }
    teardown();
}

/* The method name is read up to 128 bytes and must be UTF-8: the error
   never echoes the host's bytes beyond that, nor bytes that are not text. */
static void a_method_name_is_bounded_and_utf8(void) {
    char method[300];
    oc_buffer *result = NULL;
    setup();
    memset(method, 'm', sizeof method - 1);
    method[sizeof method - 1] = '\0';
    if (g_plugin) {
        CHECK_STATUS(oc_call(g_plugin, method, "{}", 2, &result), OC_ERR_UNKNOWN_METHOD);
        CHECK_CONTAINS(oc_last_error(), "128 bytes");
        CHECK(strstr(oc_last_error(), "mmmmmmmmmmmmmmmm") == NULL);
        CHECK_STATUS(oc_call(g_plugin, "cases.l\xffist", "{}", 2, &result), OC_ERR_UTF8);
        CHECK_CONTAINS(oc_last_error(), "method: invalid UTF-8 at byte 7");
        CHECK(is_utf8(oc_last_error()));
        CHECK(result == NULL);
    }
    teardown();
}

static void bad_args_are_rejected_by_kind(void) {
    setup();
    if (g_plugin) {
        call_expect("events.list", "{\"limit\": ", OC_ERR_JSON, "byte");
        call_expect("events.list", "{\"type\": \"\xff\"}", OC_ERR_UTF8, "byte");
        call_expect("events.list", "[1]", OC_ERR_SCHEMA, "args");
        call_expect("events.list", "{\"limit\": 0}", OC_ERR_SCHEMA, "limit");
        call_expect("events.list", "{\"limit\": 1001}", OC_ERR_SCHEMA, "limit");
        call_expect("events.list", "{\"limit\": \"ten\"}", OC_ERR_SCHEMA, "limit");
        call_expect("events.list", "{\"cursor\": \"zz:1\"}", OC_ERR_SCHEMA, "cursor");
        call_expect("events.list", "{\"cursor\": \"ev:\"}", OC_ERR_SCHEMA, "cursor");
        call_expect("events.list", "{\"cursor\": \"ev:12x\"}", OC_ERR_SCHEMA, "cursor");
        call_expect("events.list", "{\"after\": \"last tuesday\"}", OC_ERR_SCHEMA, "after");
        call_expect("events.get", "{}", OC_ERR_SCHEMA, "id");
        call_expect("events.get", "{\"id\": 5}", OC_ERR_SCHEMA, "id");
    }
    teardown();
}

static void unknown_args_are_named(void) {
    setup();
    if (g_plugin) {
        call_expect("events.list", "{\"limit\": 5, \"colour\": \"red\"}", OC_ERR_SCHEMA, "colour");
        call_expect("events.get", "{\"id\": \"x\", \"verbose\": true}", OC_ERR_SCHEMA, "verbose");
    }
    teardown();
}

static void events_list_pages_with_a_cursor(void) {
    char args[128], cursor[64], seen[256] = "";
    int pages = 0, total = 0;
    setup();
    if (g_plugin) {
        submit_five();
        snprintf(args, sizeof args, "{\"limit\": 2}");
        for (;;) {
            oc_buffer *result = NULL;
            const char *p;
            size_t n;
            CHECK_STATUS(oc_call(g_plugin, "events.list", args, strlen(args), &result), OC_OK);
            if (!result) break;
            ++pages;
            n = abi_count_substrings(oc_buffer_data(result), "\"id\":");
            CHECK(n == (pages < 3 ? 2u : 1u));
            total += (int)n;
            for (p = oc_buffer_data(result); (p = strstr(p, "\"id\":\"")) != NULL; p += 6) {
                char id[32];
                abi_json_string(p, "id", id, sizeof id);
                strcat(seen, id);
                strcat(seen, " ");
            }
            if (abi_json_string(oc_buffer_data(result), "next_cursor", cursor, sizeof cursor) != 0) {
                CHECK_CONTAINS(oc_buffer_data(result), "\"next_cursor\":null");
                oc_buffer_free(result);
                break;
            }
            oc_buffer_free(result);
            snprintf(args, sizeof args, "{\"limit\": 2, \"cursor\": \"%s\"}", cursor);
            if (pages > 5) break;
        }
        CHECK_EQ_INT(pages, 3);
        CHECK_EQ_INT(total, 5);
        /* In arrival order, each once. */
        CHECK(strcmp(seen, "ev-1 ev-2 ev-3 ev-4 ev-5 ") == 0);
        if (strcmp(seen, "ev-1 ev-2 ev-3 ev-4 ev-5 ") != 0) fprintf(stderr, "    saw: %s\n", seen);
    }
    teardown();
}

static void events_list_after_is_exclusive(void) {
    oc_buffer *result = NULL;
    const char *args = "{\"after\": \"2026-11-22T10:00:02Z\"}";
    setup();
    if (g_plugin) {
        submit_five();
        CHECK_STATUS(oc_call(g_plugin, "events.list", args, strlen(args), &result), OC_OK);
        CHECK_EQ_INT(abi_count_substrings(oc_buffer_data(result), "\"id\":"), 2);
        CHECK_CONTAINS(oc_buffer_data(result), "\"id\":\"ev-4\"");
        CHECK_CONTAINS(oc_buffer_data(result), "\"id\":\"ev-5\"");
        CHECK_CONTAINS(oc_buffer_data(result), "\"received_at\":\"2026-11-22T10:00:03Z\"");
        CHECK_CONTAINS(oc_buffer_data(result), "\"next_cursor\":null");
        oc_buffer_free(result);
    }
    teardown();
}

static void events_get_returns_the_stored_event(void) {
    oc_buffer *result = NULL;
    setup();
    if (g_plugin) {
        submit_five();
        call_expect("events.get", "{\"id\": \"ev-9\"}", OC_ERR_NOT_FOUND, "ev-9");
        CHECK_STATUS(oc_call(g_plugin, "events.get", "{\"id\": \"ev-3\"}", 14, &result), OC_OK);
        CHECK_CONTAINS(oc_buffer_data(result), "\"id\":\"ev-3\"");
        CHECK_CONTAINS(oc_buffer_data(result), "\"order_id\":\"order-ev-3\"");
        CHECK_CONTAINS(oc_buffer_data(result), "\"received_at\":\"2026-11-22T10:00:02Z\"");
        oc_buffer_free(result);
    }
    teardown();
}

int main(int argc, char **argv) {
    static const abi_case cases[] = {
        {"argument_errors", argument_errors},
        {"an_unknown_method_is_named", an_unknown_method_is_named},
        {"a_long_error_message_is_cut_between_characters",
         a_long_error_message_is_cut_between_characters},
        {"a_nul_inside_the_args_is_refused_with_its_offset",
         a_nul_inside_the_args_is_refused_with_its_offset},
        {"a_method_name_is_bounded_and_utf8", a_method_name_is_bounded_and_utf8},
        {"bad_args_are_rejected_by_kind", bad_args_are_rejected_by_kind},
        {"unknown_args_are_named", unknown_args_are_named},
        {"events_list_pages_with_a_cursor", events_list_pages_with_a_cursor},
        {"events_list_after_is_exclusive", events_list_after_is_exclusive},
        {"events_get_returns_the_stored_event", events_get_returns_the_stored_event},
    };
    return abi_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
