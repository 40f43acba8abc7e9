/*
 * plugin_loader.h - loads libordercare.so with dlopen and resolves every
 * function of abi/ordercare.h into a table, so the host never links the
 * library and can report a missing file, a missing symbol or an
 * incompatible ABI version clearly instead of failing at startup.
 */
#ifndef OC_HOST_PLUGIN_LOADER_H
#define OC_HOST_PLUGIN_LOADER_H

#include <stddef.h>

#include "ordercare.h"

/* The minor ABI version this host needs: 1.2, for oc_submit_batch. */
enum { OC_HOST_NEEDS_MINOR = 3 }; /* 1.3: oc_host.order_action */

/* One member per function of ordercare.h, with the same signature. */
typedef struct oc_api {
    void *handle;
    uint32_t (*abi_version)(void);
    const char *(*version_string)(void);
    const char *(*status_name)(oc_status status);
    oc_status (*open)(const oc_options *options, const oc_host *host, oc_plugin **out);
    oc_status (*close)(oc_plugin *plugin);
    oc_status (*submit)(oc_plugin *plugin, const char *event_json, size_t len,
                        oc_buffer **result);
    oc_status (*submit_batch)(oc_plugin *plugin, const char *const *events, const size_t *lens,
                              size_t count, oc_buffer **result);
    oc_status (*call)(oc_plugin *plugin, const char *method, const char *args_json,
                      size_t len, oc_buffer **result);
    oc_status (*poll)(oc_plugin *plugin, uint32_t max_callbacks, uint32_t *ran);
    int32_t (*wakeup_fd)(const oc_plugin *plugin);
    const char *(*buffer_data)(const oc_buffer *buffer);
    size_t (*buffer_size)(const oc_buffer *buffer);
    void (*buffer_free)(oc_buffer *buffer);
    const char *(*last_error)(void);
    oc_status (*last_status)(void);
    oc_status (*reply_set)(oc_reply *reply, const char *json, size_t len);
} oc_api;

/* Loads the library at path and fills *api. 0 on success; -1 with a
   message naming the file, the missing symbol or the versions. */
int plugin_load(oc_api *api, const char *path, char *error, size_t error_size);

/* dlcloses the library; api is cleared. */
void plugin_unload(oc_api *api);

#endif
