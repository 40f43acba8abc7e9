#include "plugin_loader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* The table's member types are checked against the header's declarations
   at compile time: assigning &oc_x to a member of another type would not
   compile under -Werror. sizeof does not evaluate its operand, so nothing
   here references the library's symbols at link time. */
#define OC_API_ENTRY(member, symbol) \
    { #symbol, offsetof(oc_api, member), sizeof(((oc_api *)0)->member = &symbol) }

typedef struct api_entry {
    const char *symbol;
    size_t offset;
    size_t type_check;
} api_entry;

static const api_entry api_entries[] = {
    OC_API_ENTRY(abi_version, oc_abi_version),
    OC_API_ENTRY(version_string, oc_version_string),
    OC_API_ENTRY(status_name, oc_status_name),
    OC_API_ENTRY(open, oc_open),
    OC_API_ENTRY(close, oc_close),
    OC_API_ENTRY(submit, oc_submit),
    OC_API_ENTRY(submit_batch, oc_submit_batch),
    OC_API_ENTRY(call, oc_call),
    OC_API_ENTRY(poll, oc_poll),
    OC_API_ENTRY(wakeup_fd, oc_wakeup_fd),
    OC_API_ENTRY(buffer_data, oc_buffer_data),
    OC_API_ENTRY(buffer_size, oc_buffer_size),
    OC_API_ENTRY(buffer_free, oc_buffer_free),
    OC_API_ENTRY(last_error, oc_last_error),
    OC_API_ENTRY(last_status, oc_last_status),
    OC_API_ENTRY(reply_set, oc_reply_set),
};

/* Every member of the table is a function pointer of one size; POSIX
   guarantees dlsym's void * converts to it, ISO C does not, so the bytes
   are copied rather than cast (a cast is an error under -pedantic). */
typedef char function_pointer_fits_void_pointer[sizeof(void (*)(void)) == sizeof(void *) ? 1 : -1];

enum { API_ENTRY_COUNT = sizeof api_entries / sizeof api_entries[0] };

/* Resolves api_entries[from, to). */
static int resolve(oc_api *api, size_t from, size_t to, const char *path, char *error,
                   size_t error_size)
{
    size_t i;
    for (i = from; i < to; i++) {
        void *address;
        dlerror();
        address = dlsym(api->handle, api_entries[i].symbol);
        if (address == NULL) {
            snprintf(error, error_size, "%s: missing symbol %s (is this libordercare?)", path,
                     api_entries[i].symbol);
            return -1;
        }
        memcpy((char *)api + api_entries[i].offset, &address, sizeof address);
    }
    return 0;
}

/* A function rather than an inline comparison: with a needed minor of 0
   the comparison is always true, which -Wtype-limits would reject. */
static int minor_is_enough(uint32_t minor, uint32_t needed)
{
    return minor >= needed;
}

static int check_version(const oc_api *api, const char *path, char *error, size_t error_size)
{
    uint32_t version = api->abi_version();
    uint32_t major = version >> 16;
    uint32_t minor = version & 0xFFFFu;
    if (major == OC_ABI_MAJOR && minor_is_enough(minor, OC_HOST_NEEDS_MINOR)) {
        return 0;
    }
    snprintf(error, error_size,
             "%s: ABI %lu.%lu is not compatible with this host (it needs %d.x with x >= %d)",
             path, (unsigned long)major, (unsigned long)minor, OC_ABI_MAJOR,
             OC_HOST_NEEDS_MINOR);
    return -1;
}

int plugin_load(oc_api *api, const char *path, char *error, size_t error_size)
{
    memset(api, 0, sizeof *api);
    /* RTLD_LOCAL keeps the plugin's symbols out of the global namespace. */
    api->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (api->handle == NULL) {
        const char *why = dlerror();
        snprintf(error, error_size, "cannot load %s: %s", path, why != NULL ? why : "unknown");
        return -1;
    }
    /* oc_abi_version first: a library too old for this host is told by its
       version, not by the first newer function it lacks. */
    if (resolve(api, 0, 1, path, error, error_size) != 0 ||
        check_version(api, path, error, error_size) != 0 ||
        resolve(api, 1, API_ENTRY_COUNT, path, error, error_size) != 0) {
        plugin_unload(api);
        return -1;
    }
    return 0;
}

void plugin_unload(oc_api *api)
{
    if (api->handle != NULL && dlclose(api->handle) != 0) {
        const char *why = dlerror();
        fprintf(stderr, "[host] dlclose: %s\n", why != NULL ? why : "unknown");
    }
    memset(api, 0, sizeof *api);
}
