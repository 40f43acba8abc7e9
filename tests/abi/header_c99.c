/* Compile-only: abi/ordercare.h must build as strict C99 with every warning
   an error, and stand alone (it is the only header a host includes). */
#include "ordercare.h"

/* Each declaration is used so that a mismatch between a prototype and its
   use in a host shows up here, not in a host's build. */
typedef char oc_status_is_an_int_sized_enum[sizeof(oc_status) == sizeof(int) ? 1 : -1];

static oc_status (*const g_open)(const oc_options *, const oc_host *, oc_plugin **) = oc_open;
static oc_status (*const g_submit)(oc_plugin *, const char *, size_t, oc_buffer **) = oc_submit;
static oc_status (*const g_submit_batch)(oc_plugin *, const char *const *, const size_t *, size_t,
                                         oc_buffer **) = oc_submit_batch;
static oc_status (*const g_call)(oc_plugin *, const char *, const char *, size_t,
                                 oc_buffer **) = oc_call;
static oc_status (*const g_poll)(oc_plugin *, uint32_t, uint32_t *) = oc_poll;
static int32_t (*const g_wakeup_fd)(const oc_plugin *) = oc_wakeup_fd;
static oc_status (*const g_reply_set)(oc_reply *, const char *, size_t) = oc_reply_set;

int oc_header_c99_compiles(void);

int oc_header_c99_compiles(void) {
    oc_options options = {sizeof(oc_options), OC_OPEN_CALLBACKS_ON_PLUGIN_THREAD, NULL, 0};
    oc_host host = {sizeof(oc_host), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    oc_request request = {sizeof(oc_request), 1, "key", "{}", 2};
    oc_outcome outcome = OC_OUTCOME_PENDING;
    oc_log_level level = OC_LOG_DEBUG;
    oc_status status = OC_ERR_THREAD;
    (void)g_open;
    (void)g_submit;
    (void)g_submit_batch;
    (void)g_call;
    (void)g_poll;
    (void)g_wakeup_fd;
    (void)g_reply_set;
    (void)oc_close;
    (void)oc_abi_version;
    (void)oc_version_string;
    (void)oc_status_name;
    (void)oc_buffer_data;
    (void)oc_buffer_size;
    (void)oc_buffer_free;
    (void)oc_last_error;
    (void)oc_last_status;
    return (int)options.struct_size + (int)host.struct_size + (int)request.attempt +
           (int)outcome + (int)level + (int)status + OC_ABI_MAJOR;
}
