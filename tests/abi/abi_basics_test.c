/* The entry points that need no store or only touch one lightly: versions,
   status names, buffers, the per-thread last error, NULL handles. */
#define _XOPEN_SOURCE 700

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi_test.h"

static void abi_version_is_major_minor(void) {
    CHECK_EQ_INT(oc_abi_version(), ((uint32_t)OC_ABI_MAJOR << 16) | (uint32_t)OC_ABI_MINOR);
    CHECK_EQ_INT(oc_abi_version() >> 16, 1);
}

static void version_string_is_semver(void) {
    const char *v = oc_version_string();
    unsigned major = 0, minor = 0, patch = 0;
    char tail = 0;
    CHECK(v != NULL);
    if (!v) return;
    CHECK_EQ_INT(sscanf(v, "%u.%u.%u%c", &major, &minor, &patch, &tail), 3);
    CHECK(oc_version_string() == v); /* static storage */
}

static void every_status_has_its_name(void) {
    static const char *const names[] = {
        "OC_OK",          "OC_ERR_ARGUMENT",       "OC_ERR_STRUCT_SIZE",  "OC_ERR_CONFIG",
        "OC_ERR_JSON",    "OC_ERR_UTF8",           "OC_ERR_TOO_LARGE",    "OC_ERR_UNKNOWN_TYPE",
        "OC_ERR_SCHEMA",  "OC_ERR_UNKNOWN_METHOD", "OC_ERR_NOT_FOUND",    "OC_ERR_TRANSITION",
        "OC_ERR_REFUSED", "OC_ERR_STORE",          "OC_ERR_BUSY",         "OC_ERR_CLOSED",
        "OC_ERR_NOMEM",   "OC_ERR_VERSION",        "OC_ERR_INTERNAL",     "OC_ERR_THREAD"};
    int code;
    for (code = 0; code < (int)(sizeof names / sizeof names[0]); ++code) {
        const char *name = oc_status_name((oc_status)code);
        CHECK(name != NULL && strcmp(name, names[code]) == 0);
        if (name && strcmp(name, names[code]) != 0)
            fprintf(stderr, "    code %d is named %s, expected %s\n", code, name, names[code]);
    }
    /* The enum's values are the contract: check the numbers too. */
    CHECK_EQ_INT(OC_ERR_THREAD, 19);
    CHECK_EQ_INT(OC_ERR_STORE, 13);
}

static void unknown_status_is_named_unknown(void) {
    CHECK(strcmp(oc_status_name((oc_status)20), "OC_ERR_UNKNOWN") == 0);
    CHECK(strcmp(oc_status_name((oc_status)9999), "OC_ERR_UNKNOWN") == 0);
    CHECK(strcmp(oc_status_name((oc_status)-1), "OC_ERR_UNKNOWN") == 0);
}

static void buffers_are_null_safe(void) {
    CHECK(oc_buffer_data(NULL) != NULL);
    CHECK(strcmp(oc_buffer_data(NULL), "") == 0);
    CHECK_EQ_INT(oc_buffer_size(NULL), 0);
    oc_buffer_free(NULL);
}

static void close_null_is_ok(void) { CHECK_STATUS(oc_close(NULL), OC_OK); }

static void wakeup_fd_of_null_is_minus_one(void) { CHECK_EQ_INT(oc_wakeup_fd(NULL), -1); }

static void poll_null_is_an_argument_error(void) {
    uint32_t ran = 77;
    CHECK_STATUS(oc_poll(NULL, 10, &ran), OC_ERR_ARGUMENT);
    CHECK_EQ_INT(ran, 0);
    CHECK_STATUS(oc_poll(NULL, 10, NULL), OC_ERR_ARGUMENT);
    CHECK_EQ_INT(oc_last_status(), OC_ERR_ARGUMENT);
    CHECK(strlen(oc_last_error()) > 0);
}

static void reply_set_null_is_an_argument_error(void) {
    CHECK_STATUS(oc_reply_set(NULL, "{}", 2), OC_ERR_ARGUMENT);
    CHECK_CONTAINS(oc_last_error(), "reply");
}

static void submit_null_plugin_is_an_argument_error(void) {
    oc_buffer *result = (oc_buffer *)&result; /* must be reset to NULL */
    CHECK_STATUS(oc_submit(NULL, "{}", 2, &result), OC_ERR_ARGUMENT);
    CHECK(result == NULL);
    CHECK_CONTAINS(oc_last_error(), "plugin");
}

static void call_null_plugin_is_an_argument_error(void) {
    oc_buffer *result = (oc_buffer *)&result;
    CHECK_STATUS(oc_call(NULL, "events.list", NULL, 0, &result), OC_ERR_ARGUMENT);
    CHECK(result == NULL);
}

static void a_success_clears_the_last_error(void) {
    CHECK_STATUS(oc_poll(NULL, 1, NULL), OC_ERR_ARGUMENT);
    CHECK(strlen(oc_last_error()) > 0);
    CHECK_STATUS(oc_close(NULL), OC_OK);
    CHECK(strcmp(oc_last_error(), "") == 0);
    CHECK_EQ_INT(oc_last_status(), OC_OK);
}

/* Thread B's view of the last error, taken while thread A has a failure. */
typedef struct last_error_view {
    char message_before[256];
    oc_status status_before;
    char message_after[256];
    oc_status status_after;
} last_error_view;

static void *fail_differently(void *arg) {
    last_error_view *view = (last_error_view *)arg;
    snprintf(view->message_before, sizeof view->message_before, "%s", oc_last_error());
    view->status_before = oc_last_status();
    (void)oc_submit(NULL, "{}", 2, NULL);
    snprintf(view->message_after, sizeof view->message_after, "%s", oc_last_error());
    view->status_after = oc_last_status();
    return NULL;
}

static void last_error_is_per_thread(void) {
    pthread_t thread;
    last_error_view view;
    char mine[256];
    memset(&view, 0, sizeof view);
    CHECK_STATUS(oc_reply_set(NULL, "{}", 2), OC_ERR_ARGUMENT);
    snprintf(mine, sizeof mine, "%s", oc_last_error());
    CHECK(pthread_create(&thread, NULL, fail_differently, &view) == 0);
    pthread_join(thread, NULL);
    /* B never saw A's failure; B's own failure did not touch A's message. */
    CHECK(strcmp(view.message_before, "") == 0);
    CHECK_EQ_INT(view.status_before, OC_OK);
    CHECK_CONTAINS(view.message_after, "plugin");
    CHECK_EQ_INT(view.status_after, OC_ERR_ARGUMENT);
    CHECK(strcmp(oc_last_error(), mine) == 0);
    CHECK_CONTAINS(oc_last_error(), "reply");
    CHECK_EQ_INT(oc_last_status(), OC_ERR_ARGUMENT);
}

static void wakeup_fd_is_a_valid_descriptor(void) {
    char dir[512], path[600];
    oc_plugin *plugin;
    int fd;
    abi_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/store.db", dir);
    plugin = abi_open_store(path, NULL);
    if (plugin) {
        uint32_t ran = 99;
        fd = oc_wakeup_fd(plugin);
        CHECK(fd >= 0);
        CHECK(fcntl(fd, F_GETFD) != -1);
        CHECK(oc_wakeup_fd(plugin) == fd);
        CHECK_STATUS(oc_poll(plugin, 16, &ran), OC_OK);
        CHECK_EQ_INT(ran, 0);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    abi_remove_tree(dir);
}

static void result_buffers_hold_nul_terminated_json(void) {
    char dir[512], path[600];
    oc_plugin *plugin;
    abi_temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/store.db", dir);
    plugin = abi_open_store(path, NULL);
    if (plugin) {
        oc_buffer *result = NULL;
        CHECK_STATUS(oc_call(plugin, "events.list", "{}", 2, &result), OC_OK);
        CHECK(result != NULL);
        CHECK_EQ_INT(strlen(oc_buffer_data(result)), oc_buffer_size(result));
        CHECK(oc_buffer_data(result)[0] == '{');
        oc_buffer_free(result);
        CHECK_STATUS(oc_close(plugin), OC_OK);
    }
    abi_remove_tree(dir);
}

int main(int argc, char **argv) {
    static const abi_case cases[] = {
        {"abi_version_is_major_minor", abi_version_is_major_minor},
        {"version_string_is_semver", version_string_is_semver},
        {"every_status_has_its_name", every_status_has_its_name},
        {"unknown_status_is_named_unknown", unknown_status_is_named_unknown},
        {"buffers_are_null_safe", buffers_are_null_safe},
        {"close_null_is_ok", close_null_is_ok},
        {"wakeup_fd_of_null_is_minus_one", wakeup_fd_of_null_is_minus_one},
        {"poll_null_is_an_argument_error", poll_null_is_an_argument_error},
        {"reply_set_null_is_an_argument_error", reply_set_null_is_an_argument_error},
        {"submit_null_plugin_is_an_argument_error", submit_null_plugin_is_an_argument_error},
        {"call_null_plugin_is_an_argument_error", call_null_plugin_is_an_argument_error},
        {"a_success_clears_the_last_error", a_success_clears_the_last_error},
        {"last_error_is_per_thread", last_error_is_per_thread},
        {"wakeup_fd_is_a_valid_descriptor", wakeup_fd_is_a_valid_descriptor},
        {"result_buffers_hold_nul_terminated_json", result_buffers_hold_nul_terminated_json},
    };
    return abi_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
