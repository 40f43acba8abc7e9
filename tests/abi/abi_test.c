#define _XOPEN_SOURCE 700

#include "abi_test.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int g_case_failed;
static int g_checks_failed_total;

static void mark_failed(const char *file, int line) {
    g_case_failed = 1;
    ++g_checks_failed_total;
    fprintf(stderr, "  %s:%d: check failed\n", file, line);
}

void abi_check(int ok, const char *file, int line, const char *expr) {
    if (ok) return;
    mark_failed(file, line);
    fprintf(stderr, "    expected true: %s\n", expr);
}

void abi_check_status(oc_status got, oc_status want, const char *file, int line,
                      const char *expr) {
    if (got == want) return;
    mark_failed(file, line);
    fprintf(stderr, "    %s\n    returned %s, expected %s\n    last error: %s\n", expr,
            oc_status_name(got), oc_status_name(want), oc_last_error());
}

void abi_check_contains(const char *haystack, const char *needle, const char *file, int line) {
    if (haystack && strstr(haystack, needle)) return;
    mark_failed(file, line);
    fprintf(stderr, "    expected \"%s\" to contain \"%s\"\n", haystack ? haystack : "(null)",
            needle);
}

void abi_check_long(long long got, long long want, const char *file, int line,
                    const char *expr) {
    if (got == want) return;
    mark_failed(file, line);
    fprintf(stderr, "    %s is %lld, expected %lld\n", expr, got, want);
}

static int is_selected(int argc, char **argv, const char *name) {
    int i;
    if (argc <= 1) return 1;
    for (i = 1; i < argc; ++i)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

int abi_main(int argc, char **argv, const abi_case *cases, size_t count) {
    size_t i;
    int passed = 0, failed = 0;
    for (i = 0; i < count; ++i) {
        if (!is_selected(argc, argv, cases[i].name)) continue;
        printf("[ RUN      ] %s\n", cases[i].name);
        fflush(stdout);
        g_case_failed = 0;
        cases[i].run();
        if (g_case_failed) {
            ++failed;
            printf("[  FAILED  ] %s\n", cases[i].name);
        } else {
            ++passed;
            printf("[       OK ] %s\n", cases[i].name);
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}

void abi_temp_dir(char *out, size_t size) {
    const char *base = getenv("TMPDIR");
    snprintf(out, size, "%s/ordercare-abi-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(out)) {
        perror("mkdtemp");
        exit(2);
    }
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void abi_remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

oc_plugin *abi_open_store(const char *store_path, const char *extra) {
    char config[2048];
    oc_options options;
    oc_plugin *plugin = NULL;
    oc_status status;
    snprintf(config, sizeof config, "{\"store\": {\"path\": \"%s\"}%s%s}", store_path,
             extra ? ", " : "", extra ? extra : "");
    memset(&options, 0, sizeof options);
    options.struct_size = sizeof options;
    options.config_json = config;
    options.config_len = strlen(config);
    status = oc_open(&options, NULL, &plugin);
    CHECK_STATUS(status, OC_OK);
    return status == OC_OK ? plugin : NULL;
}

void abi_make_event(char *out, size_t size, const char *id) {
    snprintf(out, size,
             "{\"id\": \"%s\", \"type\": \"cancellation.requested\", "
             "\"occurred_at\": \"2026-11-22T10:00:00Z\", \"source\": \"host\", "
             "\"data\": {\"order_id\": \"order-%s\", \"reason\": \"changed mind\"}}",
             id, id);
}

oc_status abi_submit_id(oc_plugin *plugin, const char *id, char *status_out, size_t size) {
    char event[1024];
    oc_buffer *result = NULL;
    oc_status status;
    abi_make_event(event, sizeof event, id);
    status = oc_submit(plugin, event, strlen(event), &result);
    if (status_out) {
        status_out[0] = '\0';
        if (status == OC_OK) abi_json_string(oc_buffer_data(result), "status", status_out, size);
    }
    oc_buffer_free(result);
    return status;
}

long abi_event_count(oc_plugin *plugin) {
    char args[256] = "{\"limit\": 1000}";
    char cursor[128];
    long total = 0;
    for (;;) {
        oc_buffer *result = NULL;
        oc_status status = oc_call(plugin, "events.list", args, strlen(args), &result);
        CHECK_STATUS(status, OC_OK);
        if (status != OC_OK) return -1;
        total += (long)abi_count_substrings(oc_buffer_data(result), "\"id\":");
        if (abi_json_string(oc_buffer_data(result), "next_cursor", cursor, sizeof cursor) != 0) {
            oc_buffer_free(result);
            return total;
        }
        oc_buffer_free(result);
        snprintf(args, sizeof args, "{\"limit\": 1000, \"cursor\": \"%s\"}", cursor);
    }
}

int abi_json_string(const char *json, const char *key, char *out, size_t size) {
    char pattern[128];
    const char *p;
    size_t n = 0;
    out[0] = '\0';
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = json ? strstr(json, pattern) : NULL;
    if (!p) return -1;
    p += strlen(pattern);
    while (*p == ' ') ++p;
    if (*p != '"') return -1;
    for (++p; *p && *p != '"' && n + 1 < size; ++p) {
        if (*p == '\\' && p[1]) ++p;
        out[n++] = *p;
    }
    out[n] = '\0';
    return 0;
}

size_t abi_count_substrings(const char *text, const char *needle) {
    size_t count = 0;
    const size_t len = strlen(needle);
    while (text && (text = strstr(text, needle)) != NULL) {
        ++count;
        text += len;
    }
    return count;
}
